"""The shares of a kind, kept in the cache: every trust page of a kind shows the same shares, and they cost a read
of every trust of the kind (about 12 ms for 230 acute trusts)."""

import datetime

from django.core.cache import cache

from inspections.changes.version import data_version
from inspections.models import Trust
from inspections.reading.comparison import PeerShares, peer_shares_of_kind

PEERS_SECONDS = 24 * 60 * 60  # as the page cache: the data version, not the clock, decides when shares are stale


def peer_shares(trust: Trust, years: range, today: datetime.date) -> PeerShares:
    """All trusts of `trust`'s kind: the shares today, and at the end of each year of `years` (to today).

    Kept in the cache under the data version, the kind, the years and the day: a trust page that is not itself
    cached (another window, or the first after an edit) reads them from there."""
    key = f"peers:{data_version()}:{trust.kind}:{years.start}-{years.stop}:{today.isoformat()}"
    found = cache.get(key)
    if found is None:
        found = peer_shares_of_kind(trust.kind, years, today)
        cache.set(key, found, PEERS_SECONDS)
    return found
