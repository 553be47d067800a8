"""What a search of the trust list matches: one rule for trusts and for the sites they run.

The query is split into words. A location matches when every word is found in its own name, CQC
location id, town or postcode, or in its trust's name, short name or provider id, and at least one
word is its own (so "Leicester Glenfield" finds Glenfield Hospital of a Leicester trust, and a trust's
name alone does not list all its sites). A trust matches when every word is found in its own name,
short name, provider id, town or postcode, or when one of its locations matches. Postcodes are
compared without spaces, so "le5 4pw" finds "LE5 4PW". Words are matched anywhere in a field
(`icontains`), which no index serves; the tables are small (about 230 trusts and a few thousand
sites), and the location rule runs once per search as an `IN` subquery, not once per row.
"""

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Replace, Upper

from inspections.models import Location, Trust

MAX_WORDS = 8  # more words than this are ignored: a search box, not a document search


def query_words(query: str) -> list[str]:
    """The words of a search, at most MAX_WORDS of them."""
    return query.split()[:MAX_WORDS]


def _compact(field: str) -> Replace:
    return Replace(Upper(field), Value(" "), Value(""))


def _trust_names(word: str, prefix: str = "") -> Q:
    return (
        Q(**{f"{prefix}name__icontains": word})
        | Q(**{f"{prefix}short_name__iexact": word})
        | Q(**{f"{prefix}provider_id__iexact": word})
    )


def _place(word: str) -> Q:
    """Town or postcode of the record itself (its `postcode_compact` alias)."""
    return Q(town__icontains=word) | Q(postcode_compact__contains=word.upper())


def _location_own(word: str) -> Q:
    return Q(name__icontains=word) | Q(cqc_location_id__iexact=word) | _place(word)


def matching_locations(query: str) -> QuerySet[Location]:
    """Locations the search matches (none for an empty search)."""
    words = query_words(query)
    if not words:
        return Location.objects.none()
    every_word = Q()
    some_own_word = Q()
    for word in words:
        every_word &= _location_own(word) | _trust_names(word, prefix="trust__")
        some_own_word |= _location_own(word)
    return Location.objects.alias(postcode_compact=_compact("postcode")).filter(every_word, some_own_word)


def filter_trusts(trusts: QuerySet[Trust], query: str) -> QuerySet[Trust]:
    """`trusts` narrowed to those the search matches, by their own fields or one of their locations."""
    words = query_words(query)
    if not words:
        return trusts
    own = Q()
    for word in words:
        own &= _trust_names(word) | _place(word)
    by_location = Q(pk__in=matching_locations(query).values("trust_id"))
    return trusts.alias(postcode_compact=_compact("postcode")).filter(own | by_location)


def locations_matching_by_trust(query: str, trust_ids: list[int]) -> dict[int, list[Location]]:
    """The matching locations of the given trusts (one query), keyed by trust id, by name."""
    found: dict[int, list[Location]] = {}
    if not trust_ids:
        return found
    for location in matching_locations(query).filter(trust_id__in=trust_ids).select_related("trust").order_by("name"):
        found.setdefault(location.trust_id, []).append(location)
    return found
