"""While the database cannot be reached, every page answers 503 with Retry-After, not 500.

Here the outage is simulated (every query fails and the connection reports itself unusable);
tests/faults/ stops and starts a real PostgreSQL server under gunicorn.
"""

from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection, connections
from psycopg.errors import QueryCanceled

from tests.factories import TrustFactory

pytestmark = pytest.mark.django_db


def refuse_every_query(execute, sql, params, many, context):
    raise OperationalError("connection to server failed: Connection refused")


@contextmanager
def database_down():
    with pytest.MonkeyPatch.context() as patch, connection.execute_wrapper(refuse_every_query):
        patch.setattr(connections["default"], "is_usable", lambda: False)
        yield


@pytest.mark.parametrize("address", ["/", "/trusts/test-trust/", "/sources/", "/admin/", "/admin/login/"])
def test_pages_answer_503_with_retry_after_while_the_database_is_down(client, admin_user, address):
    TrustFactory()
    client.force_login(admin_user)
    client.raise_request_exception = False
    with database_down():
        response = client.get(address)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "This site is briefly unavailable" in response.content.decode()
    assert response["Content-Security-Policy"]  # the usual headers still wrap it


def test_a_form_posted_during_the_outage_is_told_it_was_not_saved(client):
    client.raise_request_exception = False
    with database_down():
        response = client.post("/admin/login/", {"username": "editor", "password": "whatever-it-is"})
    assert response.status_code == 503
    assert "it was not saved" in response.content.decode()


def test_a_database_error_with_a_working_connection_is_still_a_500(client, monkeypatch):
    """A wrong query is a bug to see in the log, not an outage to wait out."""
    monkeypatch.setattr(connections["default"], "is_usable", lambda: True)
    client.raise_request_exception = False
    with connection.execute_wrapper(refuse_every_query):
        response = client.get("/")
    assert response.status_code == 500


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(
    ("address", "accept"),
    [("/api/v1/trusts", ""), ("/api/v1/trusts", BROWSER_ACCEPT), ("/sources/", "application/json")],
)
def test_the_api_and_json_clients_get_the_503_as_json(client, address, accept):
    client.raise_request_exception = False
    with database_down():
        response = client.get(address, HTTP_ACCEPT=accept)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "30"
    assert "briefly unavailable" in response.json()["detail"]


def test_a_browser_gets_the_503_as_a_page(client):
    client.raise_request_exception = False
    with database_down():
        response = client.get("/sources/", HTTP_ACCEPT=BROWSER_ACCEPT)
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")


def test_a_statement_past_the_time_out_is_a_503_not_a_500(client, monkeypatch):
    """PostgreSQL's statement_timeout (DB_STATEMENT_TIMEOUT) ends a slow statement; the connection still works."""

    def time_out(execute, sql, params, many, context):
        raise OperationalError("canceling statement due to statement timeout") from QueryCanceled()

    monkeypatch.setattr(connections["default"], "is_usable", lambda: True)
    client.raise_request_exception = False
    with connection.execute_wrapper(time_out):
        response = client.get("/sources/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
