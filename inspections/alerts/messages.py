"""The emails: a confirmation link, and an alert listing new reports, each as plain text and HTML.

Links are absolute (SITE_URL): a message is written by a command, with no request to take the host from. Every
alert carries the one-click unsubscribe of RFC 8058 (List-Unsubscribe with List-Unsubscribe-Post) and the same
link in its text.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from inspections.alerts import tokens
from inspections.models import Follow, Subscriber


@dataclass(frozen=True)
class Arrival:
    """A report that arrived in our database, as an alert lists it."""

    inspection_id: int
    trust_id: int
    trust_name: str
    title: str
    published: str  # '10 July 2015', or '' when our sources give no date
    ratings: tuple[tuple[str, str], ...]  # (key question, rating) the report set for the whole trust, in CQC's order
    url: str
    arrived_at: datetime.datetime

    @property
    def ratings_line(self) -> str:
        """The plain-text email's line for the ratings the report set (the HTML email lists them)."""
        if not self.ratings:
            return "It set no whole-trust rating (see the page for its sites and services)."
        return "Whole-trust ratings it set: " + "; ".join(f"{question} {rating}" for question, rating in self.ratings)


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def _email(*, to: str, subject: str, template: str, context: dict, headers: dict | None = None):
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"inspections/emails/{template}.txt", context),
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(render_to_string(f"inspections/emails/{template}.html", context), "text/html")
    return message


def confirmation(follow: Follow):
    token = tokens.confirm_token(follow)
    context = {
        "what": follow.what,
        "confirm_url": absolute(reverse("inspections:alert_confirm", args=[token])),
        "days": tokens.CONFIRM_SECONDS // 86400,
        "privacy_url": absolute(reverse("inspections:privacy")),
    }
    return _email(
        to=follow.subscriber.email,
        subject=f"Confirm: email alerts for {follow.what}",
        template="confirm",
        context=context,
    )


def unsubscribe_url(subscriber: Subscriber) -> str:
    return absolute(reverse("inspections:alert_unsubscribe", args=[tokens.unsubscribe_token(subscriber)]))


def alert(subscriber: Subscriber, arrivals: list[Arrival], *, following: list[str]):
    """One message listing every new report for this subscriber."""
    leave = unsubscribe_url(subscriber)
    trusts = sorted({arrival.trust_name for arrival in arrivals})
    subject = (
        f"New CQC report: {trusts[0]}"
        if len(arrivals) == 1
        else f"{len(arrivals)} new CQC reports on {trusts[0] if len(trusts) == 1 else f'{len(trusts)} trusts'}"
    )
    context = {
        "arrivals": arrivals,
        "following": following,
        "unsubscribe_url": leave,
        "site_url": settings.SITE_URL,
        "privacy_url": absolute(reverse("inspections:privacy")),
    }
    headers = {"List-Unsubscribe": f"<{leave}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return _email(to=subscriber.email, subject=subject, template="alert", context=context, headers=headers)
