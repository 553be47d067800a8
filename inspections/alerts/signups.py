"""Sign up (nothing is sent but the confirmation until it is confirmed), confirm, unsubscribe, and the removal
of sign-ups never confirmed."""

import datetime
from dataclasses import dataclass

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from inspections.alerts import messages, tokens
from inspections.models import UNCONFIRMED_DAYS, Follow, Subscriber, Trust


@dataclass(frozen=True)
class SignUp:
    follow: Follow
    confirmation_sent: bool  # False when the address already follows it (the page says the same either way)


def normalised(email: str) -> str:
    """The address as kept: no surrounding spaces, the domain in lower case (the local part is the owner's)."""
    local, _, domain = email.strip().rpartition("@")
    return f"{local}@{domain.lower()}"


def sign_up(*, email: str, trust: Trust | None, now: datetime.datetime | None = None) -> SignUp:
    """Hold the sign-up and email its confirmation link; a confirmed follow is left as it is, with nothing sent."""
    now = now or timezone.now()
    email = normalised(email)
    with transaction.atomic():
        subscriber = Subscriber.objects.filter(email__iexact=email).first() or Subscriber.objects.create(
            email=email, created_at=now
        )
        follow, created = Follow.objects.get_or_create(subscriber=subscriber, trust=trust, defaults={"created_at": now})
        if follow.confirmed_at:
            return SignUp(follow, confirmation_sent=False)
        if not created:  # asked again: the week to confirm starts again
            follow.created_at = now
            follow.save(update_fields=["created_at"])
    get_connection().send_messages([messages.confirmation(follow)])
    return SignUp(follow, confirmation_sent=True)


def confirm(follow: Follow, *, now: datetime.datetime | None = None) -> Follow:
    """Confirmed from now: reports that arrive after this are sent. Confirming twice changes nothing."""
    if follow.confirmed_at is None:
        now = now or timezone.now()
        follow.confirmed_at = follow.sent_through = now
        follow.save(update_fields=["confirmed_at", "sent_through"])
    return follow


def unsubscribe(subscriber: Subscriber) -> None:
    """The address and everything it followed, deleted."""
    subscriber.delete()


def remove_unconfirmed(*, now: datetime.datetime | None = None) -> int:
    """Sign-ups not confirmed within UNCONFIRMED_DAYS, and addresses left with nothing confirmed; how many sign-ups."""
    before = (now or timezone.now()) - datetime.timedelta(days=UNCONFIRMED_DAYS)
    with transaction.atomic():
        removed, _ = Follow.objects.unconfirmed_since(before).delete()
        Subscriber.objects.filter(follows__isnull=True, created_at__lt=before).delete()
    return removed


__all__ = ["SignUp", "confirm", "normalised", "remove_unconfirmed", "sign_up", "tokens", "unsubscribe"]
