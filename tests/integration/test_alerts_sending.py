"""send_alerts: one message per subscriber per run with every report that arrived, none twice, failures retried."""

import datetime

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import timezone

from inspections.alerts import signups
from inspections.alerts.sending import send_alerts
from inspections.models import AlertRun, Inspection, Subscriber
from tests.factories import InspectionFactory, RatingFactory, TrustFactory
from tests.integration.alerts_helpers import link_in
from tests.integration.test_admin import inspection_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


def follower(email, *trusts):
    """A confirmed subscriber of these trusts (none: every trust), confirmed an hour ago."""
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    for trust in trusts or (None,):
        follow = signups.sign_up(email=email, trust=trust, now=an_hour_ago).follow
        signups.confirm(follow, now=an_hour_ago)
    mail.outbox.clear()
    return Subscriber.objects.get(email=email)


@pytest.fixture
def two_trusts():
    return (
        TrustFactory(provider_id="ZZA", slug="fictional-a", name="Fictional A NHS Trust"),
        TrustFactory(provider_id="ZZB", slug="fictional-b", name="Fictional B NHS Trust"),
    )


def test_one_message_lists_every_new_report_of_the_trusts_followed(two_trusts):
    a, b = two_trusts
    follower("reader@example.org", a, b)
    old = InspectionFactory(trust=a, slug="2015-07", arrived_at=timezone.now() - datetime.timedelta(days=2))
    first = InspectionFactory(
        trust=a, slug="2024-01", title="Fictional A report 2024", published=datetime.date(2024, 1, 9)
    )
    RatingFactory(inspection=first, value="good")
    RatingFactory(inspection=first, key_question="safe", value="requires_improvement")
    second = InspectionFactory(
        trust=b, slug="2019-03", title="Fictional B report 2019"
    )  # published long ago, arrived now
    run = send_alerts()
    assert run.messages_sent == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"]
    assert message.subject == "2 new CQC reports on 2 trusts"
    assert "Fictional A report 2024" in message.body
    assert "Fictional B report 2019" in message.body
    assert old.title not in message.body  # arrived before the confirmation
    assert "Overall Good; Safe Requires improvement" in message.body
    assert "9 January 2024" in message.body
    assert f"http://testserver{first.get_absolute_url()}" in message.body
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    assert "<strong>Requires improvement</strong>" in html
    unsubscribe = link_in(message, "unsubscribe")
    assert message.extra_headers["List-Unsubscribe"] == f"<http://testserver{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert second.title in html


def test_a_second_run_sends_nothing_twice_and_a_later_report_alone(two_trusts):
    a, _ = two_trusts
    follower("reader@example.org", a)
    InspectionFactory(trust=a, slug="2024-01", title="First report")
    send_alerts()
    assert send_alerts().messages_sent == 0
    InspectionFactory(trust=a, slug="2024-06", title="Later report")
    send_alerts()
    assert len(mail.outbox) == 2
    assert "Later report" in mail.outbox[1].body
    assert "First report" not in mail.outbox[1].body
    assert mail.outbox[1].subject == "New CQC report: Fictional A NHS Trust"


def test_nothing_arrived_nothing_sent_and_other_trusts_do_not_count(two_trusts):
    a, b = two_trusts
    follower("reader@example.org", a)
    assert send_alerts().messages_sent == 0
    InspectionFactory(trust=b, slug="2024-01")
    assert send_alerts().messages_sent == 0
    assert not mail.outbox


def test_following_one_trust_and_every_trust_lists_each_report_once(two_trusts):
    a, b = two_trusts
    follower("reader@example.org", a)
    follower("reader@example.org")  # every trust too
    InspectionFactory(trust=a, slug="2024-01", title="Report on A")
    InspectionFactory(trust=b, slug="2024-02", title="Report on B")
    send_alerts()
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert body.count("Report on A") == 1
    assert "Report on B" in body


def test_unconfirmed_addresses_get_nothing(two_trusts):
    a, _ = two_trusts
    signups.sign_up(email="waiting@example.org", trust=a, now=timezone.now() - datetime.timedelta(hours=1))
    mail.outbox.clear()
    InspectionFactory(trust=a, slug="2024-01")
    assert send_alerts().messages_sent == 0
    assert not mail.outbox


def test_a_placeholder_for_inherited_ratings_is_no_new_report(two_trusts):
    a, _ = two_trusts
    follower("reader@example.org", a)
    InspectionFactory(trust=a, slug="inherited", inherited_report_link_id="00000000-0000-4000-8000-000000000999")
    assert send_alerts().messages_sent == 0


class FailFor(EmailBackend):
    """The locmem backend, refusing mail to the addresses in `refused`."""

    refused: set = set()
    stop_after: int | None = None

    def send_messages(self, messages):
        for message in messages:
            if message.to[0] in self.refused:
                raise ConnectionRefusedError(f"no route to the mail server for {message.to[0]}")
            if self.stop_after is not None and len(mail.outbox) >= self.stop_after:
                raise KeyboardInterrupt  # the run stops half way, as a killed process would
        return super().send_messages(messages)


@pytest.fixture
def failing_backend(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailFor"
    FailFor.refused, FailFor.stop_after = set(), None
    yield FailFor
    FailFor.refused, FailFor.stop_after = set(), None


def test_a_failed_send_is_recorded_and_retried_next_run(two_trusts, failing_backend):
    a, _ = two_trusts
    follower("bounce@example.org", a)
    follower("fine@example.org", a)
    InspectionFactory(trust=a, slug="2024-01", title="The report")
    failing_backend.refused = {"bounce@example.org"}
    run = send_alerts()
    assert (run.messages_sent, run.failures) == (1, 1)
    failed = Subscriber.objects.get(email="bounce@example.org")
    assert failed.failures == 1
    assert failed.last_failure_at is not None
    assert "ConnectionRefusedError" in failed.last_failure
    assert "bounce@" not in failed.last_failure
    assert [message.to for message in mail.outbox] == [["fine@example.org"]]
    failing_backend.refused = set()
    retried = send_alerts()
    assert (retried.messages_sent, retried.failures) == (1, 0)
    assert [message.to for message in mail.outbox] == [["fine@example.org"], ["bounce@example.org"]]
    assert "The report" in mail.outbox[1].body
    assert Subscriber.objects.get(email="bounce@example.org").failures == 0
    assert AlertRun.objects.count() == 2


def test_a_run_stopped_half_way_is_safe_to_rerun(two_trusts, failing_backend):
    a, _ = two_trusts
    for name in ("one", "two", "three"):
        follower(f"{name}@example.org", a)
    InspectionFactory(trust=a, slug="2024-01")
    failing_backend.stop_after = 1
    with pytest.raises(KeyboardInterrupt):
        send_alerts()
    assert len(mail.outbox) == 1
    failing_backend.stop_after = None
    send_alerts()
    recipients = [message.to[0] for message in mail.outbox]
    assert sorted(recipients) == ["one@example.org", "three@example.org", "two@example.org"]  # each once


def test_a_report_an_editor_adds_in_the_admin_counts(two_trusts, editor_client):
    a, _ = two_trusts
    template = InspectionFactory(trust=a, slug="2015-07", arrived_at=timezone.now() - datetime.timedelta(days=3))
    follower("reader@example.org", a)
    data = inspection_form(template, slug="2025-02", title="Added by an editor", published="2025-02-03")
    response = editor_client.post(reverse("admin:inspections_inspection_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Inspection.objects.get(slug="2025-02").arrived_at > timezone.now() - datetime.timedelta(minutes=1)
    send_alerts()
    assert len(mail.outbox) == 1
    assert "Added by an editor" in mail.outbox[0].body


def test_editing_a_report_is_no_new_arrival(two_trusts, editor_client):
    a, _ = two_trusts
    report = InspectionFactory(trust=a, slug="2015-07", arrived_at=timezone.now() - datetime.timedelta(days=3))
    follower("reader@example.org", a)
    response = editor_client.post(
        reverse("admin:inspections_inspection_change", args=[report.pk]), inspection_form(report, title="Renamed")
    )
    assert response.status_code == 302
    assert send_alerts().messages_sent == 0


def test_the_command_says_what_it_did(two_trusts):
    import io

    from django.core.management import call_command

    a, _ = two_trusts
    follower("reader@example.org", a)
    InspectionFactory(trust=a, slug="2024-01")
    out = io.StringIO()
    call_command("send_alerts", stdout=out)
    assert "send_alerts: 1 email(s) sent, 0 failed" in out.getvalue()
