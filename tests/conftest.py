import sqlite3

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from inspections.changes.version import bump_data_version, forget_held_version
from inspections.curation import load_curated_fixtures
from inspections.publishing.national_figures import forget_held_figures


@pytest.fixture(scope="session", autouse=True)
def _downloads_of_this_run(tmp_path_factory):
    """Built downloads in this run's own directory, not the system's shared one: `make test` runs two lanes at
    once, and a build removes other versions' files from its directory."""
    from django.conf import settings

    settings.DOWNLOADS_DIR = str(tmp_path_factory.mktemp("downloads"))


@pytest.fixture(scope="session")
def curated_dump(django_db_setup, django_db_blocker, tmp_path_factory):
    """The curated fixtures loaded once by natural key, then dumped with primary keys.

    Loading the dump is faster than checking and loading the fixtures, so every test that needs
    the real data loads this file instead. It holds the load's bookkeeping (`LoadedRecord`), so a
    test can reload the fixtures as on a real database, but not the history rows.
    """
    path = tmp_path_factory.mktemp("curated") / "curated.json"
    with django_db_blocker.unblock(), transaction.atomic():
        load_curated_fixtures()
        models = _dumped_models()
        call_command("dumpdata", *(model._meta.label for model in models), output=str(path), verbosity=0)
        transaction.set_rollback(True)
    with django_db_blocker.unblock(), transaction.atomic():  # the rows as loaddata leaves them (times to the ms)
        call_command("loaddata", str(path), verbosity=0)
        _curated_rows.extend(_read_rows(models))
        transaction.set_rollback(True)
    return path


def _dumped_models() -> list:
    """The models the curated dump holds: the record and its bookkeeping, not history, deletions or the version."""
    return [
        model
        for model in apps.get_app_config("inspections").get_models()
        if not model.__name__.startswith("Historical") and model.__name__ not in ("Deletion", "DataVersion")
    ]


#: The curated dump's rows, table by table, as read back after its load: (table, columns, rows) where rows are
#: PostgreSQL's COPY text or SQLite's tuples.
_curated_rows: list[tuple[str, str, object]] = []


def _tables(models) -> list[tuple[str, str]]:
    """Each model's table and its plain many-to-many tables, with their columns quoted for SQL."""
    tables = []
    for model in (model for model in models if not model._meta.proxy):  # a proxy's rows are its model's
        through = [field.remote_field.through for field in model._meta.local_many_to_many]
        for table_model in [model, *(t for t in through if t._meta.auto_created)]:
            columns = ", ".join(connection.ops.quote_name(field.column) for field in table_model._meta.concrete_fields)
            tables.append((connection.ops.quote_name(table_model._meta.db_table), columns))
    return tables


def _read_rows(models) -> list[tuple[str, str, object]]:
    read = []
    with connection.cursor() as cursor:
        for table, columns in _tables(models):
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) TO STDOUT") as copy:
                    read.append((table, columns, b"".join(bytes(block) for block in copy)))
            else:
                cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608 (names from the models' own meta, quoted)
                read.append((table, columns, cursor.fetchall()))
    return read


def _insert_curated_rows() -> None:
    """The curated dump loaded as loaddata would leave it, by inserting its rows as read back (PostgreSQL's COPY,
    SQLite's executemany): about 0.1 s instead of loaddata's 3 s of saving object by object, each save bumping
    the data version. Sequences move past the keys inserted; the version is replaced once, as a load would."""
    with connection.cursor() as cursor:
        for table, columns, rows in _curated_rows:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    copy.write(rows)
            elif rows:
                marks = ", ".join("?" * len(rows[0]))
                insert = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (as above)
                connection.connection.executemany(insert, rows)
        for statement in connection.ops.sequence_reset_sql(no_style(), _dumped_models()):
            cursor.execute(statement)
    bump_data_version()
    forget_held_figures()


#: The SQLite test database as it stood just after the curated dump was loaded into an empty one (see below).
_sqlite_after_load: list = []


def _holds_only_what_migrate_makes() -> bool:
    """No rows but content types and permissions (which flushing and migrating write) and the version, in any app."""
    made_by_migrate = {"contenttypes.contenttype", "auth.permission", "inspections.dataversion"}
    return not any(
        model.objects.exists() for model in apps.get_models() if model._meta.label_lower not in made_by_migrate
    )


def _can_copy_back() -> bool:
    """SQLite outside a transaction, holding nothing a test or fixture wrote (copying back would lose it)."""
    return connection.vendor == "sqlite" and not connection.in_atomic_block and _holds_only_what_migrate_makes()


def _copy_into_this_database(source) -> None:
    """Replace the whole SQLite database by `source`'s (sqlite3's backup): Django forgets the content types it
    held, whose keys are the copy's now, and what it held of the version."""
    connection.ensure_connection()
    source.backup(connection.connection)
    ContentType.objects.clear_cache()
    forget_held_version()
    forget_held_figures()


def _load_by_copy(curated_dump) -> None:
    """The curated dump loaded into an empty SQLite database, committed: the first time by loaddata, a copy of the
    result kept; after that by copying it back (4 ms instead of 3.4 s), then given a version of its own as a load
    would, so no two tests' pages and files share one."""
    if _sqlite_after_load:
        _copy_into_this_database(_sqlite_after_load[0])
        bump_data_version()
        return
    call_command("loaddata", str(curated_dump), verbosity=0)
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(copy)
    _sqlite_after_load.append(copy)


@pytest.fixture
def curated_data(db, curated_dump):
    """The real fixtures in fixtures/, loaded for one test (works with transactional tests too).

    A transactional test on SQLite (the browser lane: its live server shares the in-memory database) starts from an
    emptied database, so it gets the fixtures by copy (`_load_by_copy`): the same rows with the same keys.
    """
    if _can_copy_back():
        _load_by_copy(curated_dump)
    else:
        _insert_curated_rows()


@pytest.fixture(scope="module")
def _curated_module(curated_dump, django_db_blocker):
    """The fixtures for a whole module, taken away at its end: on SQLite by copy, the database as it was copied back
    after; elsewhere loaded in a transaction that is rolled back."""
    with django_db_blocker.unblock():
        if _can_copy_back():
            before = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(before)
            _load_by_copy(curated_dump)
            yield
            _copy_into_this_database(before)
            return
        with transaction.atomic():
            _insert_curated_rows()
            yield
            transaction.set_rollback(True)


@pytest.fixture
def curated_readonly(_curated_module, db):
    """The real fixtures, loaded once per module; each test's own changes are rolled back (`_curated_module`)."""


@pytest.fixture(autouse=True)
def data_version_of_this_test(settings):
    """Each test reads the version its own database holds (a rolled-back test's version is forgotten), and holds
    it until a change in this process replaces it, so query counts do not depend on the machine's speed. Tests of
    a change made in another process set DATA_VERSION_SECONDS themselves."""
    settings.DATA_VERSION_SECONDS = 3600
    forget_held_version()
    forget_held_figures()
    yield
    forget_held_version()
    forget_held_figures()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing is deliberately slow; tests only need it to round-trip."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor_client(client, monkeypatch):
    """A client signed in as an editor through the sign-in form (django-axes needs the request that
    client.login() does not pass)."""
    from django.urls import reverse

    monkeypatch.setenv("EDITOR_PASSWORD", "a-long-editor-passphrase-42")
    call_command("create_editor", "editor", password_from_env="EDITOR_PASSWORD", verbosity=0)
    signed_in = client.post(reverse("admin:login"), {"username": "editor", "password": "a-long-editor-passphrase-42"})
    assert signed_in.status_code == 302
    return client
