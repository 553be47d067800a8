"""What a search of the trust list matches (the site's search box and the API's `q`): one rule for trusts and
for the sites they run.

Words are compared in search form (`domain/words.py`: case, accents, apostrophes, full stops and hyphens do
not matter) against `search_text`, the names, town, postcode and CQC id each trust and location stores in
that form. Every word must be found somewhere:

- a location matches when every word is in its own `search_text` or its trust's, and at least one word is
  its own (so "Leicester Glenfield" finds Glenfield Hospital of a Leicester trust, and a trust's name alone
  does not list all its sites);
- a trust matches when every word is in its own `search_text`, or when one of its locations matches.

"and" is no word of its own ("&" and "and" are one word, so "children and young people" finds "Services for
children & young people"). Results come best first: a trust or site whose name holds the search as a phrase (all its
words, in order) before those that hold them only word by word, then by name (`best_first`).

A word matches anywhere in the text (`LIKE '%word%'`). On PostgreSQL a trigram index on each `search_text`
column serves that (migration 0009); SQLite scans, with the same answers. The location rule runs once per
search as an `IN` subquery, not once per row.
"""

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, TextField, Value, When, Window
from django.db.models.functions import Concat, Replace, RowNumber

from inspections.domain.words import search_words
from inspections.models import Location, Trust

MAX_WORDS = 8  # more words than this are ignored: a search box, not a document search


JOINING_WORD = "and"  # '&' separates words in search form, so "and" is left out of a search and of its phrase


def query_words(query: str) -> list[str]:
    """The words of a search in search form, at most MAX_WORDS of them, "and" left out (unless it is all there is)."""
    words = search_words(query, MAX_WORDS + query.casefold().split().count(JOINING_WORD))
    kept = [word for word in words if word != JOINING_WORD]
    return (kept or words)[:MAX_WORDS]


def _phrase_text() -> Replace:
    """The search text padded with spaces, "and" left out, so a phrase is found as whole words in order."""
    padded = Concat(Value(" "), F("search_text"), Value(" "), output_field=TextField())
    return Replace(padded, Value(f" {JOINING_WORD} "), Value(" "), output_field=TextField())


def _phrase_rank(phrase: str, *also: Q) -> Case:
    """0 where the record's search text holds the search as a phrase (or `also` holds), else 1."""
    holds = Q(phrase_text__contains=phrase)
    for other in also:
        holds |= other
    return Case(When(holds, then=Value(0)), default=Value(1))


def best_first(trusts: QuerySet[Trust], query: str, *then: str) -> QuerySet[Trust]:
    """`trusts` (already filtered by the search) ordered best first: those whose name, or one of whose sites' names,
    holds the search as a phrase, then the rest; each part by `then` (e.g. "name")."""
    words = query_words(query)
    if not words:
        return trusts.order_by(*then)
    phrase = f" {' '.join(words)} "
    sites = Location.objects.filter(trust=OuterRef("pk")).alias(phrase_text=_phrase_text())
    by_site = Exists(sites.filter(phrase_text__contains=phrase))
    ranked = trusts.alias(phrase_text=_phrase_text()).annotate(phrase_rank=_phrase_rank(phrase, by_site))
    return ranked.order_by("phrase_rank", *then)


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
    """The matching locations of the given trusts, at most SITES_LISTED a trust, best first then by name, keyed by
    trust id (one query); each location carries `matched_here`, how many of its trust's sites matched in all."""
    found: dict[int, list[Location]] = {}
    if not trust_ids or not query_words(query):
        return found  # no search, no sites matched: the list page's default, which would build the window for nothing
    per_trust = {"partition_by": [F("trust_id")]}
    phrase = f" {' '.join(query_words(query))} "
    sites = (
        matching_locations(query)
        .filter(trust_id__in=trust_ids)
        .select_related("trust")
        .alias(phrase_text=_phrase_text(), phrase_rank=_phrase_rank(phrase))
        .annotate(
            place=Window(RowNumber(), order_by=[F("phrase_rank").asc(), F("name").asc(), F("pk").asc()], **per_trust),
            matched_here=Window(Count("pk"), **per_trust),
        )
        .filter(place__lte=SITES_LISTED)
        .order_by("trust_id", "place")
    )
    for location in sites:
        found.setdefault(location.trust_id, []).append(location)
    return found
