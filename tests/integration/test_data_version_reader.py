"""Asking the database for the data version again never holds a request longer than the wait.

These run outside a transaction (transactional_db), as a server's requests do, so the version is read
on the reader's own thread and connection.
"""

import threading

import pytest

from inspections.changes import version as version_module
from inspections.changes.version import bump_data_version, current_version, data_version
from inspections.models import DataVersion

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def stalled_reader(monkeypatch):
    """The reader reads the row at once but its answer arrives only when the test says so (a slow server)."""
    answer = threading.Event()
    real_read = version_module._read_on_own_connection

    def stalled():
        row = real_read()
        assert answer.wait(30), "the test never let the reader answer"
        return row

    monkeypatch.setattr(version_module, "_read_on_own_connection", stalled)
    yield answer
    answer.set()


def wait_for_reader():
    """Until the read beside the requests is over (its callback released the lock)."""
    assert version_module._reading.acquire(timeout=30)
    version_module._reading.release()


def test_a_database_that_does_not_answer_is_not_waited_for(settings, stalled_reader):
    settings.DATA_VERSION_SECONDS = 0
    settings.DATA_VERSION_WAIT_SECONDS = 0.05
    held = data_version()
    DataVersion.objects.filter(pk=DataVersion.ONE).update(version="a" * 32)  # another process's change
    version_module._held = (version_module._held[0], 0.0)  # held long ago

    assert data_version() == held  # the reader has not answered: served under what is held
    assert data_version() == held  # a read is under way: no second one, no wait
    stalled_reader.set()
    wait_for_reader()
    settings.DATA_VERSION_SECONDS = 60
    assert data_version() == "a" * 32  # the reader's answer is what is held now


def test_a_healthy_database_answers_within_the_wait(settings):
    settings.DATA_VERSION_SECONDS = 0
    data_version()
    DataVersion.objects.filter(pk=DataVersion.ONE).update(version="b" * 32)
    assert data_version() == "b" * 32


def test_a_read_begun_before_a_change_here_is_not_kept_after_it(settings, stalled_reader):
    settings.DATA_VERSION_SECONDS = 0
    settings.DATA_VERSION_WAIT_SECONDS = 0.05
    data_version()
    version_module._held = (version_module._held[0], 0.0)
    data_version()  # the reader is asked and stalls, holding the old row
    bumped = bump_data_version()  # this process changes the data meanwhile
    assert data_version() == bumped
    stalled_reader.set()
    wait_for_reader()
    settings.DATA_VERSION_SECONDS = 60
    assert current_version().value == bumped  # the stalled read did not bring the old version back
