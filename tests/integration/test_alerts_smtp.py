"""End to end: send_alerts through a real SMTP server the test starts (aiosmtpd on 127.0.0.1), read back as a mail
client would read it: who it is to, its subject, both parts, and the one-click unsubscribe headers."""

import datetime
import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command

from inspections.models import AlertRun
from tests.factories import InspectionFactory, RatingFactory, TrustFactory
from tests.integration.test_alerts_sending import follower

pytestmark = pytest.mark.django_db


class Inbox:
    """An aiosmtpd handler that keeps every message it receives, as (envelope recipients, parsed message), and
    counts the connections made to it (each begins with EHLO)."""

    def __init__(self):
        self.received = []
        self.connections = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802 (aiosmtpd's name)
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.received.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "http://testserver"
    yield inbox
    controller.stop()


def test_send_alerts_delivers_one_message_through_a_real_smtp_server(smtp_server):
    trust = TrustFactory(provider_id="ZZS", slug="fictional-smtp", name="Fictional Smtp NHS Trust")
    follower("reader@example.org", trust)
    (confirmation,) = smtp_server.received  # the sign-up's confirmation went through the server too
    assert "/alerts/confirm/" in confirmation[1].get_body(preferencelist=("plain",)).get_content()
    smtp_server.received.clear()
    report = InspectionFactory(
        trust=trust, slug="2024-05", title="Fictional Smtp report 2024", published=datetime.date(2024, 5, 2)
    )
    RatingFactory(inspection=report, value="good")
    call_command("send_alerts")
    assert AlertRun.objects.latest("pk").messages_sent == 1
    ((recipients, message),) = smtp_server.received
    assert recipients == ["reader@example.org"]
    assert message["To"] == "reader@example.org"
    assert message["Subject"] == "New CQC report: Fictional Smtp NHS Trust"
    assert str(message["List-Unsubscribe"]).strip().startswith("<http://testserver/alerts/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Fictional Smtp report 2024" in text
    assert "2 May 2024" in text
    assert f"http://testserver{report.get_absolute_url()}" in text
    assert "Fictional Smtp report 2024" in html
    call_command("send_alerts")  # a second run sends nothing: the first recorded what it sent
    assert len(smtp_server.received) == 1


def test_one_run_sends_every_message_over_one_connection(smtp_server):
    """A mail server with TLS and a login costs round trips to connect: a run connects once, not per message."""
    trust = TrustFactory(provider_id="ZZS", slug="fictional-smtp", name="Fictional Smtp NHS Trust")
    for number in range(3):
        follower(f"reader{number}@example.org", trust)
    smtp_server.connections = 0
    smtp_server.received.clear()
    InspectionFactory(trust=trust, slug="2024-05", title="Fictional Smtp report 2024")
    call_command("send_alerts")
    recipients = sorted(envelope_to[0] for envelope_to, _ in smtp_server.received)
    assert recipients == ["reader0@example.org", "reader1@example.org", "reader2@example.org"]
    assert smtp_server.connections == 1
