"""Ratings as RatingEvents (plain rows, in a fixed number of queries) and the current-ratings grid built from them."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from ..models import (
    Inspection,
    KeyQuestion,
    Rating,
    RatingSource,
    Scope,
    Trust,
    inspection_url,
    rating_subject_name,
)
from ..source_kinds import by_weight
from ..timeline import CitedSource, RatingEvent, current_rating, group_by_subject_and_question

RATING_ROW = (
    "id", "scope", "key_question", "value", "previous_value", "note", "origin", "inspection_id",
    "service__slug", "service__name", "location__slug", "location__name",
)  # fmt: skip


def subject_key(scope: str, service_slug: str | None, location_slug: str | None) -> str:
    """'trust', 'location:<slug>' or 'service:<slug>' (with '@<location slug>' where rated at one location)."""
    if scope == Scope.TRUST:
        return "trust"
    if scope == Scope.LOCATION:
        return f"location:{location_slug}"
    at = f"@{location_slug}" if location_slug else ""
    return f"service:{service_slug}{at}"


def rating_sources(ratings: QuerySet[Rating]) -> dict[int, list[CitedSource]]:
    """The sources each rating cites, heaviest first (one query)."""
    found: dict[int, list[CitedSource]] = defaultdict(list)
    cited = RatingSource.objects.filter(rating__in=ratings.values("pk")).order_by(*by_weight("source__"))
    sources: dict[str, CitedSource] = {}
    for rating_id, code, publisher, title, published in cited.values_list(
        "rating_id", "source__code", "source__publisher", "source__title", "source__published"
    ):
        found[rating_id].append(sources.setdefault(code, CitedSource(code, publisher, title, published)))
    return found


def events_of(
    ratings: QuerySet[Rating], inspections: Iterable[Inspection], sources: dict[int, list[CitedSource]]
) -> list[RatingEvent]:
    """The ratings as RatingEvents (one query), given their inspections (with `trust`) and the sources
    each rating cites (`rating_sources`, or the trust page's citations).

    Ratings are read as rows of their own columns: model instances with their inspection, service,
    location and sources cost most of a large trust's page. Same-day reports come in slug order, so
    the last slug wins, as on the trust list.
    """
    by_id = {inspection.pk: inspection for inspection in inspections}
    urls = {pk: inspection_url(inspection.trust.slug, inspection.slug) for pk, inspection in by_id.items()}
    try:
        rows = sorted(ratings.order_by().values_list(*RATING_ROW), key=lambda row: by_id[row[7]].slug)
    except KeyError as missing:
        raise ValueError(f"events_of needs every rating's inspection; inspection {missing} was not given") from None
    events = []
    for pk, scope, question, value, previous, note, origin, inspection_id, *subject in rows:
        service_slug, service_name, location_slug, location_name = subject
        inspection = by_id[inspection_id]
        events.append(
            RatingEvent(
                subject_key=subject_key(scope, service_slug, location_slug),
                subject_name=rating_subject_name(scope, service_name, location_name),
                key_question=question,
                value=value,
                previous_value=previous,
                published=inspection.published,
                published_precision=inspection.published_precision,
                inspection_title=inspection.title,
                inspection_url=urls[inspection_id],
                sources=tuple(sources.get(pk, ())),
                note=note,
                origin=origin,
            )
        )
    return events


def rating_events(trust: Trust) -> list[RatingEvent]:
    """Every stored rating of the trust as a RatingEvent (three queries)."""
    ratings = Rating.objects.filter(inspection__trust=trust)
    return events_of(ratings, trust.inspections.select_related("trust"), rating_sources(ratings))


@dataclass
class GridRow:
    subject_key: str
    subject_name: str
    level: str
    cells: list[RatingEvent | None]


def subject_order(key: str) -> tuple[int, str]:
    rank = {"trust": 0, "service": 1, "location": 2}[key.split(":")[0]]
    return rank, key


def ratings_grid(events: list[RatingEvent]) -> list[GridRow]:
    """Key question x level: the rating that stands now for each cell (None where never rated)."""
    grouped = group_by_subject_and_question(events)
    names = {event.subject_key: event.subject_name for event in events}
    rows = []
    for key in sorted(names, key=subject_order):
        cells = [current_rating(grouped.get((key, question), [])) for question in KeyQuestion.values]
        level = {"trust": "Trust", "service": "Core service", "location": "Location"}[key.split(":")[0]]
        rows.append(GridRow(subject_key=key, subject_name=names[key], level=level, cells=cells))
    return rows


def location_grid(events: list[RatingEvent]) -> list[GridRow]:
    """The ratings grid of one location: the location's own row first, then its core services."""
    return sorted(ratings_grid(events), key=lambda row: not row.subject_key.startswith("location:"))
