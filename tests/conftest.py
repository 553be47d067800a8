import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from inspections.curation import load_curated_fixtures


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
        models = [
            model._meta.label
            for model in apps.get_app_config("inspections").get_models()
            if not model.__name__.startswith("Historical") and model.__name__ != "Deletion"
        ]
        call_command("dumpdata", *models, output=str(path), verbosity=0)
        transaction.set_rollback(True)
    return path


@pytest.fixture
def curated_data(db, curated_dump):
    """The real fixtures in fixtures/, loaded for one test (works with transactional tests too)."""
    call_command("loaddata", str(curated_dump), verbosity=0)


@pytest.fixture(scope="module")
def _curated_module(curated_dump, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", str(curated_dump), verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def curated_readonly(_curated_module, db):
    """The real fixtures, loaded once per module; each test runs in a savepoint inside that load."""


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
