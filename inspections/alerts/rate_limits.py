"""Sign-ups allowed per email address and per client address in an hour, counted in the shared cache.

One counter per key and hour, created with `cache.add` and raised with `cache.incr` (atomic in Redis, and within a
process in locmem), as the API's throttle counts. Keys hold a hash, never the address itself.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60 * 60


def _count(kind: str, value: str) -> int:
    window = int(time.time() // WINDOW_SECONDS)
    digest = hashlib.sha256(value.lower().encode()).hexdigest()[:32]
    key = f"alerts-signup:{kind}:{digest}:{window}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # the counter expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)
        return 1


def refusal(*, email: str, client: str) -> str:
    """Why this sign-up is refused ('' when it is allowed); every attempt counts, allowed or not."""
    for_address = _count("email", email)
    from_client = _count("client", client)
    if for_address > settings.ALERT_SIGNUPS_PER_ADDRESS:
        return (
            f"We have had {settings.ALERT_SIGNUPS_PER_ADDRESS} sign-ups for this email address in the last hour, "
            "the most we accept. Please look for the confirmation email we sent, or try again in an hour."
        )
    if from_client > settings.ALERT_SIGNUPS_PER_IP:
        return (
            f"We have had {settings.ALERT_SIGNUPS_PER_IP} sign-ups from your network in the last hour, the most we "
            "accept. Please try again in an hour."
        )
    return ""
