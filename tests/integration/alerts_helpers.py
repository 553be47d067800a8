"""Shared steps of the alerts tests: sign up through the pages, and read links out of the emails sent."""

import re

from django.core import mail
from django.urls import reverse

LINK = re.compile(r"http://testserver(/alerts/(?:confirm|unsubscribe)/[^\s/]+/)")


def sign_up(client, email: str, trust_slug: str = ""):
    """Both steps, as a reader takes them: the cached page's form, then the form holding this visitor's token."""
    data = {"email": email, "trust": trust_slug}
    step_one = client.post(reverse("inspections:alert_follow"), data)
    assert step_one.status_code == 200
    return client.post(reverse("inspections:alert_sign_up"), data)


def link_in(message, kind: str) -> str:
    paths = [path for path in LINK.findall(message.body) if f"/{kind}/" in path]
    assert paths, message.body
    return paths[0]


def confirm_latest(client) -> str:
    path = link_in(mail.outbox[-1], "confirm")
    assert client.post(path).status_code == 200
    return path
