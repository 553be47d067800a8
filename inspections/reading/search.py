"""What a search of the trust list matches (the site's search box and the API's `q`): one rule for trusts and
for the sites they run.

Words are compared in search form (`domain/words.py`: case, accents, apostrophes, full stops and hyphens do
not matter) against `search_text`, the names, town, postcode and CQC id each trust and location stores in
that form. Every word must be found somewhere:

- a location matches when every word is in its own `search_text` or its trust's, and at least one word is
  its own (so "Leicester Glenfield" finds Glenfield Hospital of a Leicester trust, and a trust's name alone
  does not list all its sites);
- a trust matches when every word is in its own `search_text`, or when one of its locations matches.

A word matches anywhere in the text (`LIKE '%word%'`). On PostgreSQL a trigram index on each `search_text`
column serves that (migration 0009); SQLite scans, with the same answers. The location rule runs once per
search as an `IN` subquery, not once per row.
"""

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from inspections.domain.words import search_words
from inspections.models import Location, Trust

MAX_WORDS = 8  # more words than this are ignored: a search box, not a document search


def query_words(query: str) -> list[str]:
    """The words of a search in search form, at most MAX_WORDS of them."""
    return search_words(query, MAX_WORDS)


def _has(word: str, prefix: str = "") -> Q:
    return Q(**{f"{prefix}search_text__contains": word})


def matching_locations(query: str) -> QuerySet[Location]:
    """Locations the search matches (none for an empty search)."""
    words = query_words(query)
    if not words:
        return Location.objects.none()
    every_word = Q()
    some_own_word = Q()
    for word in words:
        every_word &= _has(word) | _has(word, prefix="trust__")
        some_own_word |= _has(word)
    return Location.objects.filter(every_word, some_own_word)


def filter_trusts(trusts: QuerySet[Trust], query: str) -> QuerySet[Trust]:
    """`trusts` narrowed to those the search matches, by their own fields or one of their locations."""
    words = query_words(query)
    if not words:
        return trusts
    own = Q()
    for word in words:
        own &= _has(word)
    by_location = Q(pk__in=matching_locations(query).values("trust_id"))
    return trusts.filter(own | by_location)


#: Sites listed under each trust in the search results; the others are counted ("and 4 more at this trust").
SITES_LISTED = 3


def locations_matching_by_trust(query: str, trust_ids: list[int]) -> dict[int, list[Location]]:
    """The matching locations of the given trusts, at most SITES_LISTED a trust by name, keyed by trust id (one
    query); each location carries `matched_here`, how many of its trust's sites matched in all."""
    found: dict[int, list[Location]] = {}
    if not trust_ids:
        return found
    per_trust = {"partition_by": [F("trust_id")]}
    sites = (
        matching_locations(query)
        .filter(trust_id__in=trust_ids)
        .select_related("trust")
        .annotate(
            place=Window(RowNumber(), order_by=[F("name").asc(), F("pk").asc()], **per_trust),
            matched_here=Window(Count("pk"), **per_trust),
        )
        .filter(place__lte=SITES_LISTED)
        .order_by("trust_id", "name", "pk")
    )
    for location in sites:
        found.setdefault(location.trust_id, []).append(location)
    return found
