"""On PostgreSQL every connection carries the statement time-out, and a server that does not answer is
given up (cqc_site/postgresql). tests/faults/ pauses a real server under gunicorn; here a slow statement
stands in for a hung server. Skipped on SQLite, which has neither."""

import time

import pytest
from django.conf import settings
from django.db import OperationalError, connection, transaction

from cqc_site.middleware import database_unavailable
from inspections.database.timeouts import statement_timeout

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's time-outs")


def scalar(sql: str):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_every_connection_has_the_statement_time_out():
    milliseconds = scalar("SELECT extract(epoch FROM current_setting('statement_timeout')::interval) * 1000")
    assert milliseconds == settings.DB_STATEMENT_TIMEOUT == 5000


@transaction.atomic
def sleep_past_a_50_ms_time_out():
    scalar("SELECT set_config('statement_timeout', '50', true)")  # for this transaction only
    scalar("SELECT pg_sleep(5)")


@pytest.mark.django_db
def test_a_statement_past_the_time_out_is_ended_by_the_server_and_counts_as_unavailable():
    with pytest.raises(OperationalError) as raised:
        sleep_past_a_50_ms_time_out()
    assert raised.value.__cause__.sqlstate == "57014"
    assert database_unavailable(raised.value)
    assert connection.is_usable()  # the server ended the statement; the connection carries on


@pytest.mark.django_db(transaction=True)
def test_a_server_that_does_not_answer_is_given_up_and_the_connection_closed():
    connection.ensure_connection()
    connection.connection.answer_timeout = 0.5  # stands in for DB_STATEMENT_TIMEOUT + 2 s
    started = time.monotonic()
    try:
        with pytest.raises(OperationalError, match=r"did not answer within 0\.5 s"):
            scalar("SELECT pg_sleep(3) FROM (SELECT set_config('statement_timeout', '0', false)) AS off")
        assert time.monotonic() - started < 2
        assert not connection.is_usable()
    finally:
        connection.close()


def test_the_answer_time_out_is_two_seconds_past_the_statement_time_out():
    assert settings.DATABASES["default"]["OPTIONS"]["answer_timeout"] == 7.0
    assert "-c statement_timeout=5000" in settings.DATABASES["default"]["OPTIONS"]["options"]


@pytest.mark.django_db
def test_long_work_can_ask_for_a_longer_time_out_for_one_transaction():
    with statement_timeout(60_000):
        assert scalar("SELECT current_setting('statement_timeout')") == "1min"
        assert connection.connection.answer_timeout == 62
        scalar("SELECT pg_sleep(0.1)")
    with statement_timeout(0):
        assert scalar("SELECT current_setting('statement_timeout')") == "0"
        assert connection.connection.answer_timeout is None
    assert scalar("SELECT current_setting('statement_timeout')") == "5s"
    assert connection.connection.answer_timeout == 7
