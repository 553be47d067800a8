import pytest
from django.core.management import call_command
from django.db import transaction

from inspections.curation import fixture_paths


def load_fixtures_without_checks():
    """Plain loaddata: the rule checks have their own test, so other tests skip repeating them."""
    call_command("loaddata", *[str(path) for path in fixture_paths()], verbosity=0)


@pytest.fixture
def curated_data(db):
    """The real fixtures in fixtures/, loaded for one test (works with transactional tests too)."""
    load_fixtures_without_checks()


@pytest.fixture(scope="module")
def _curated_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        load_fixtures_without_checks()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def curated_readonly(_curated_module, db):
    """The real fixtures, loaded once per module; each test runs in a savepoint inside that load."""


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing is deliberately slow; tests only need it to round-trip."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
