"""Signed links (django.core.signing): a confirmation link that expires, an unsubscribe link that does not.

A token is the row's id and a signature whose salt holds the purpose and the address, so a link for one address
or purpose is worthless for another, and no address is written in a URL (where logs would keep it).
"""

from django.core import signing

from inspections.models import UNCONFIRMED_DAYS, Follow, Subscriber

CONFIRM_SECONDS = UNCONFIRMED_DAYS * 24 * 60 * 60


class BadToken(Exception):
    """A link that is not ours, or no longer stands (its sign-up removed, its address unsubscribed)."""


class ExpiredToken(BadToken):
    """A confirmation link older than UNCONFIRMED_DAYS."""


def _salt(purpose: str, email: str) -> str:
    return f"inspections.alerts.{purpose}:{email.lower()}"


def _row_id(token: str) -> int:
    head = token.partition(":")[0]
    if not head.isdigit():
        raise BadToken(token)
    return int(head)


def confirm_token(follow: Follow) -> str:
    return signing.TimestampSigner(salt=_salt("confirm", follow.subscriber.email)).sign(str(follow.pk))


def follow_of(token: str) -> Follow:
    """The sign-up a confirmation link names; BadToken or ExpiredToken when it does not stand."""
    follow = Follow.objects.select_related("subscriber", "trust").filter(pk=_row_id(token)).first()
    if follow is None:
        raise BadToken(token)
    signer = signing.TimestampSigner(salt=_salt("confirm", follow.subscriber.email))
    try:
        signer.unsign(token, max_age=CONFIRM_SECONDS)
    except signing.SignatureExpired:
        raise ExpiredToken(token) from None
    except signing.BadSignature:
        raise BadToken(token) from None
    return follow


def unsubscribe_token(subscriber: Subscriber) -> str:
    return signing.Signer(salt=_salt("unsubscribe", subscriber.email)).sign(str(subscriber.pk))


def subscriber_of(token: str) -> Subscriber:
    """The subscriber an unsubscribe link names; BadToken when it does not stand (already unsubscribed too)."""
    subscriber = Subscriber.objects.filter(pk=_row_id(token)).first()
    if subscriber is None:
        raise BadToken(token)
    try:
        signing.Signer(salt=_salt("unsubscribe", subscriber.email)).unsign(token)
    except signing.BadSignature:
        raise BadToken(token) from None
    return subscriber
