"""Email alerts: sign-up from a cached page, confirmation, expiry, rate limits, unsubscribe, privacy."""

import datetime
import time
from unittest import mock

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inspections.alerts import signups, tokens
from inspections.models import Follow, Subscriber
from tests.factories import TrustFactory
from tests.integration.alerts_helpers import confirm_latest, link_in, sign_up

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


def test_trust_page_carries_the_form_and_still_serves_from_the_cache(client):
    trust = TrustFactory()
    first = client.get(trust.get_absolute_url())
    again = client.get(trust.get_absolute_url())
    for page in (first, again):
        assert b'action="/alerts/follow/"' in page.content
        assert f'name="trust" value="{trust.slug}"'.encode() in page.content
        assert b"csrfmiddlewaretoken" not in page.content  # a cached page cannot carry a visitor's token
    assert again.context is None  # the second came from the page cache


def test_national_page_carries_the_form_for_every_trust(client):
    page = client.get(reverse("inspections:national"))
    assert b'action="/alerts/follow/"' in page.content
    assert b'name="trust"' not in page.content.split(b'class="follow-form"')[1].split(b"</form>")[0]


def test_step_one_writes_nothing_and_answers_with_a_csrf_protected_form():
    trust = TrustFactory()
    strict = Client(enforce_csrf_checks=True)
    page = strict.post(reverse("inspections:alert_follow"), {"email": "reader@example.org", "trust": trust.slug})
    assert page.status_code == 200
    assert b"csrfmiddlewaretoken" in page.content
    assert b'value="reader@example.org"' in page.content
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_step_two_without_the_token_is_refused():
    trust = TrustFactory()
    strict = Client(enforce_csrf_checks=True)
    refused = strict.post(reverse("inspections:alert_sign_up"), {"email": "reader@example.org", "trust": trust.slug})
    assert refused.status_code == 403
    assert not Subscriber.objects.exists()
    assert not mail.outbox


def test_step_two_with_the_token_from_step_one_signs_up():
    trust = TrustFactory()
    strict = Client(enforce_csrf_checks=True)
    strict.post(reverse("inspections:alert_follow"), {"email": "reader@example.org", "trust": trust.slug})
    token = strict.cookies["csrftoken"].value
    done = strict.post(
        reverse("inspections:alert_sign_up"),
        {"email": "reader@example.org", "trust": trust.slug, "csrfmiddlewaretoken": token},
    )
    assert done.status_code == 200
    assert Follow.objects.get().trust == trust


def test_sign_up_sends_only_a_confirmation_until_confirmed(client):
    trust = TrustFactory()
    page = sign_up(client, "Reader@Example.ORG", trust.slug)
    assert page.status_code == 200
    assert b"Check your email" in page.content
    follow = Follow.objects.select_related("subscriber").get()
    assert follow.subscriber.email == "Reader@example.org"  # the domain in lower case only
    assert follow.confirmed_at is None
    assert follow.sent_through is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Reader@example.org"]
    assert "Confirm" in message.subject
    assert trust.name in message.subject
    assert message.alternatives[0][1] == "text/html"
    assert "List-Unsubscribe" not in message.extra_headers  # nothing to leave yet


def test_confirmation_link_shows_a_button_and_confirms_on_post(client):
    trust = TrustFactory()
    sign_up(client, "reader@example.org", trust.slug)
    path = link_in(mail.outbox[0], "confirm")
    shown = client.get(path)
    assert shown.status_code == 200
    assert b"<form" in shown.content
    assert Follow.objects.get().confirmed_at is None  # a mail scanner following the link confirms nothing
    confirmed = client.post(path)
    assert b"You are following" in confirmed.content
    follow = Follow.objects.get()
    assert follow.confirmed_at is not None
    assert follow.sent_through == follow.confirmed_at
    client.post(path)  # twice: no change
    assert Follow.objects.get().confirmed_at == follow.confirmed_at


def _signed_ago(seconds):
    """Links signed `seconds` ago (TimestampSigner writes the signing time into the token)."""
    return mock.patch.object(
        signing.TimestampSigner, "timestamp", return_value=signing.b62_encode(int(time.time()) - seconds)
    )


def test_confirmation_link_expires_after_seven_days(client):
    trust = TrustFactory()
    week = 7 * 24 * 60 * 60
    with _signed_ago(week - 60):
        sign_up(client, "prompt@example.org", trust.slug)
    with _signed_ago(week + 60):
        sign_up(client, "late@example.org", trust.slug)
    assert client.post(link_in(mail.outbox[0], "confirm")).status_code == 200
    expired = client.post(link_in(mail.outbox[1], "confirm"))
    assert expired.status_code == 410
    assert b"expired" in expired.content
    assert list(Follow.objects.confirmed().values_list("subscriber__email", flat=True)) == ["prompt@example.org"]


def test_a_tampered_or_foreign_link_is_refused(client):
    trust = TrustFactory()
    sign_up(client, "reader@example.org", trust.slug)
    path = link_in(mail.outbox[0], "confirm")
    assert client.post(path[:-3] + "xx/").status_code == 404
    other = TrustFactory(provider_id="ZZ9", slug="fictional-other", name="Fictional Other NHS Trust")
    sign_up(client, "someone@example.org", other.slug)
    theirs = Follow.objects.get(trust=other)
    forged = f"/alerts/confirm/{theirs.pk}:{path.split(':', 1)[1]}"
    assert client.post(forged).status_code == 404  # a signature for one address is worthless for another
    assert not Follow.objects.filter(confirmed_at__isnull=False).exists()


def test_unconfirmed_sign_ups_are_removed_after_seven_days(client):
    trust = TrustFactory()
    signed = timezone.now() - datetime.timedelta(days=7, seconds=1)
    late = signups.sign_up(email="late@example.org", trust=trust, now=signed).follow
    prompt = signups.sign_up(email="prompt@example.org", trust=trust, now=signed).follow
    signups.confirm(prompt)
    fresh = signups.sign_up(email="fresh@example.org", trust=trust).follow
    assert signups.remove_unconfirmed() == 1
    assert not Follow.objects.filter(pk=late.pk).exists()
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == ["fresh@example.org", "prompt@example.org"]
    assert Follow.objects.filter(pk=fresh.pk).exists()


def test_rate_limit_per_address_gives_a_clear_message(client, settings):
    settings.ALERT_SIGNUPS_PER_ADDRESS = 2
    trust = TrustFactory()
    for _ in range(2):
        assert sign_up(client, "reader@example.org", trust.slug).status_code == 200
    refused = sign_up(client, "READER@example.org", trust.slug)
    assert refused.status_code == 429
    assert b"sign-ups for this email address in the last hour" in refused.content
    assert len(mail.outbox) == 2
    assert sign_up(client, "other@example.org", trust.slug).status_code == 200


def test_rate_limit_per_client_address_gives_a_clear_message(client, settings):
    settings.ALERT_SIGNUPS_PER_IP = 3
    trust = TrustFactory()
    for number in range(3):
        assert sign_up(client, f"reader{number}@example.org", trust.slug).status_code == 200
    refused = sign_up(client, "reader9@example.org", trust.slug)
    assert refused.status_code == 429
    assert b"from your network in the last hour" in refused.content
    assert not Subscriber.objects.filter(email="reader9@example.org").exists()
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    assert sign_up(elsewhere, "reader9@example.org", trust.slug).status_code == 200


def test_bad_input_is_a_form_error_or_404(client):
    bad = client.post(reverse("inspections:alert_sign_up"), {"email": "not-an-address", "trust": ""})
    assert bad.status_code == 400
    assert b"Enter an email address like" in bad.content
    unknown = client.post(reverse("inspections:alert_follow"), {"email": "reader@example.org", "trust": "no-such"})
    assert unknown.status_code == 404
    assert client.get(reverse("inspections:alert_follow") + "?trust=no-such").status_code == 404
    assert client.get(reverse("inspections:alert_follow")).status_code == 200
    assert not Subscriber.objects.exists()


def test_signing_up_again_when_confirmed_sends_nothing_and_says_the_same(client):
    trust = TrustFactory()
    sign_up(client, "reader@example.org", trust.slug)
    confirm_latest(client)
    again = sign_up(client, "reader@example.org", trust.slug)
    assert b"Check your email" in again.content  # no telling a stranger whether an address follows
    assert len(mail.outbox) == 1


def test_unsubscribe_link_shows_a_button_then_deletes_the_address(client):
    subscriber = _confirmed(client, "reader@example.org")
    path = reverse("inspections:alert_unsubscribe", args=[tokens.unsubscribe_token(subscriber)])
    assert b"delete my address" in client.get(path).content
    assert Subscriber.objects.exists()
    done = client.post(path)
    assert done.status_code == 200
    assert not Subscriber.objects.exists()
    assert not Follow.objects.exists()
    assert client.post(path).status_code == 404  # nothing left to name


def test_one_click_unsubscribe_post_from_a_mail_client_needs_no_cookie(client):
    subscriber = _confirmed(client, "reader@example.org")
    path = reverse("inspections:alert_unsubscribe", args=[tokens.unsubscribe_token(subscriber)])
    mail_client = Client(enforce_csrf_checks=True)
    done = mail_client.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert done.status_code == 200
    assert not Subscriber.objects.exists()


def test_editor_sees_counts_never_addresses_and_a_superuser_sees_addresses(editor_client, client, django_user_model):
    trust = TrustFactory()
    _confirmed(Client(), "secret-reader@example.org", trust.slug)
    counts = editor_client.get(reverse("admin:inspections_followedtrust_changelist"))
    assert counts.status_code == 200
    assert trust.name.encode() in counts.content
    assert b"secret-reader" not in counts.content
    assert editor_client.get(reverse("admin:inspections_subscriber_changelist")).status_code == 403
    runs = editor_client.get(reverse("admin:inspections_alertrun_changelist"))
    assert b"1 confirmed subscriber(s)" in runs.content
    index = editor_client.get(reverse("admin:index"))
    assert b"Subscribers" not in index.content
    django_user_model.objects.create_superuser("root", "root@example.org", "a-long-root-passphrase-42")
    client.force_login(django_user_model.objects.get(username="root"))
    assert b"secret-reader@example.org" in client.get(reverse("admin:inspections_subscriber_changelist")).content


def test_privacy_page_says_what_is_kept_and_for_how_long(client):
    page = client.get(reverse("inspections:privacy"))
    assert page.status_code == 200
    assert b"deleted after 7 days" in page.content
    assert b"deletes your address" in page.content


def test_sign_ups_do_not_replace_the_data_version(client):
    from inspections.changes.version import data_version

    trust = TrustFactory()
    before = data_version()
    _confirmed(client, "reader@example.org", trust.slug)
    assert data_version() == before  # cached pages stay


def _confirmed(client, email, trust_slug=""):
    if not trust_slug:
        trust_slug = TrustFactory().slug
    sign_up(client, email, trust_slug)
    confirm_latest(client)
    return Subscriber.objects.get(email=email)


def test_confirm_starts_the_clock_at_confirmation(client):
    trust = TrustFactory()
    when = timezone.now() - datetime.timedelta(hours=1)
    follow = signups.sign_up(email="reader@example.org", trust=trust, now=when).follow
    signups.confirm(follow)
    follow.refresh_from_db()
    assert follow.sent_through > when
