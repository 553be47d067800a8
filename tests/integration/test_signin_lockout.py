"""Five failed sign-ins for one user name or from one address lock sign-in for 15 minutes (django-axes)."""

import datetime
import io
import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-editor-passphrase-42"


@pytest.fixture
def editor(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "editor", password_from_env="EDITOR_PASSWORD", verbosity=0)
    return get_user_model().objects.get(username="editor")


def sign_in(client, username, password, address="192.0.2.10"):
    return client.post(reverse("admin:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client):
    return client.get(reverse("admin:index")).status_code == 200


def test_the_right_password_signs_in(client, editor):
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    assert signed_in(client)


def test_five_failures_for_one_name_refuse_even_the_right_password(client, editor):
    # from five different addresses, so the user-name rule alone must lock
    statuses = [
        sign_in(client, "editor", "wrong", address=f"192.0.2.{attempt + 1}").status_code for attempt in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]  # the form again four times; the fifth failure locks
    response = sign_in(client, "editor", PASSWORD, address="198.51.100.7")
    assert response.status_code == 429
    assert "sign-in is refused for 15 minutes, even with the right password" in response.content.decode()
    assert response["Retry-After"] == "900"
    assert not signed_in(client)


def test_four_failures_still_let_the_right_password_in(client, editor):
    for _ in range(4):
        sign_in(client, "editor", "wrong")
    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_five_failures_from_one_address_refuse_every_name_from_it(client, editor):
    for attempt in range(5):
        sign_in(client, f"guess{attempt}", "wrong", address="203.0.113.9")
    assert sign_in(client, "editor", PASSWORD, address="203.0.113.9").status_code == 429
    assert sign_in(client, "editor", PASSWORD, address="203.0.113.10").status_code == 302


def test_the_lockout_ends_after_15_minutes(client, editor):
    for _ in range(5):
        sign_in(client, "editor", "wrong")
    assert sign_in(client, "editor", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=15, seconds=1))
    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_a_refused_attempt_does_not_extend_the_lockout(client, editor):
    for _ in range(5):
        sign_in(client, "editor", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=10))
    assert sign_in(client, "editor", "wrong-again").status_code == 429
    nine_minutes_ago = timezone.now() - datetime.timedelta(minutes=9)
    assert all(attempt.attempt_time < nine_minutes_ago for attempt in AccessAttempt.objects.all())


def test_failures_older_than_15_minutes_do_not_count(client, editor):
    for _ in range(4):
        sign_in(client, "editor", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    sign_in(client, "editor", "wrong")
    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_failures_and_the_lockout_are_logged(client, editor, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        for _ in range(5):
            sign_in(client, "editor", "wrong", address="192.0.2.44")
    failures = [record for record in caplog.records if "login failure by" in record.getMessage()]
    assert len(failures) == 5
    assert all("192.0.2.44" in record.getMessage() for record in failures)
    assert any("Locking out" in record.getMessage() for record in caplog.records)


def arriving_from(real: str, claimed: str, trusted_proxies: int) -> dict:
    """A request's META when a client at `real` sends `X-Forwarded-For: claimed` through this many proxies,
    each appending the address it was reached from (the last one runs on gunicorn's host)."""
    if trusted_proxies == 0:  # gunicorn reached directly
        return {"REMOTE_ADDR": real, "HTTP_X_FORWARDED_FOR": claimed}
    appended = [real, *(f"10.0.0.{hop}" for hop in range(1, trusted_proxies))]
    return {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": ", ".join([claimed, *appended])}


@pytest.mark.parametrize("trusted_proxies", [0, 1, 2])
def test_a_new_x_forwarded_for_each_time_does_not_avoid_the_lockout(client, editor, settings, trusted_proxies):
    """Eight wrong passwords from one real address, each claiming another address: locked out after five."""
    settings.TRUSTED_PROXY_COUNT = trusted_proxies
    statuses = [
        client.post(
            reverse("admin:login"),
            {"username": f"guess{attempt}", "password": "wrong"},
            **arriving_from("203.0.113.50", f"198.51.100.{attempt}", trusted_proxies),
        ).status_code
        for attempt in range(8)
    ]
    assert statuses == [200, 200, 200, 200, 429, 429, 429, 429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.50"}
    another_client = arriving_from("203.0.113.51", "198.51.100.1", trusted_proxies)
    response = client.post(reverse("admin:login"), {"username": "editor", "password": PASSWORD}, **another_client)
    assert response.status_code == 302


@pytest.mark.parametrize("password", ["leicester1", "short-pass1"])
def test_create_editor_refuses_a_password_under_12_characters(monkeypatch, password):
    monkeypatch.setenv("EDITOR_PASSWORD", password)
    with pytest.raises(CommandError, match="at least 12 characters"):
        call_command("create_editor", "editor", password_from_env="EDITOR_PASSWORD", verbosity=0)
    assert not get_user_model().objects.filter(username="editor").exists()


def test_create_editor_without_a_terminal_says_what_to_pass(monkeypatch):
    """Run from a script or CI (no terminal), it names --password-from-env instead of ending in a traceback."""
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="--password-from-env EDITOR_PASSWORD"):
        call_command("create_editor", "editor", verbosity=0)
    assert not get_user_model().objects.filter(username="editor").exists()
