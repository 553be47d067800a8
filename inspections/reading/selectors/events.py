"""Ratings as RatingEvents (plain rows, in a fixed number of queries) and the current-ratings grid built from them."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from inspections.domain.codes import KeyQuestion
from inspections.domain.source_kinds import weight_of
from inspections.domain.standing import (
    CitedSource,
    RatingEvent,
    Standing,
    current_rating,
    group_by_subject_and_question,
    standing,
)
from inspections.domain.subjects import Subject, subject_name, subject_of
from inspections.models import Inspection, Rating, RatingSource, Trust, inspection_url
from inspections.reading.selectors import lineage

RATING_ROW = (
    "id",
    "scope",
    "key_question",
    "value",
    "previous_value",
    "note",
    "origin",
    "inherited_from",
    "inspection_id",
    "service__slug",
    "service__name",
    "location__slug",
    "location__name",
)


def rating_sources(ratings: QuerySet[Rating]) -> dict[int, list[CitedSource]]:
    """The sources each rating cites, heaviest first (one query)."""
    found: dict[int, list[CitedSource]] = defaultdict(list)
    cited = RatingSource.objects.filter(rating__in=ratings.values("pk")).values_list(
        "rating_id", "source__kind", "source__code", "source__publisher", "source__title", "source__published"
    )
    sources: dict[str, CitedSource] = {}
    for rating_id, _, code, publisher, title, published in sorted(
        cited, key=lambda row: weight_of(row[1], row[5], row[2])
    ):
        found[rating_id].append(sources.setdefault(code, CitedSource(code, publisher, title, published)))
    return found


def events_of(
    ratings: QuerySet[Rating], inspections: Iterable[Inspection], sources: dict[int, list[CitedSource]]
) -> list[RatingEvent]:
    """The ratings as RatingEvents (one query), given their inspections (with `trust`) and the sources
    each rating cites (`rating_sources`, or the trust page's citations).

    Ratings are read as rows of their own columns: model instances with their inspection, service,
    location and sources cost most of a large trust's page. Each subject is made once and shared.
    """
    by_id = {inspection.pk: inspection for inspection in inspections}
    urls = {pk: inspection_url(inspection.trust.slug, inspection.slug) for pk, inspection in by_id.items()}
    rows = ratings.order_by().values_list(*RATING_ROW)
    subjects: dict[tuple, tuple[Subject, str]] = {}
    events = []
    for pk, scope, question, value, previous, note, origin, inherited, inspection_id, *names in rows:
        inspection = by_id.get(inspection_id)
        if inspection is None:
            raise ValueError(f"events_of needs every rating's inspection; inspection {inspection_id} was not given")
        key = (scope, *names)
        if key not in subjects:
            service_slug, service_name, location_slug, location_name = names
            subjects[key] = (
                subject_of(scope, service_slug, location_slug),
                subject_name(scope, service_name, location_name),
            )
        subject, name = subjects[key]
        visit = inspection.placed_on if inspection.published is None else None
        events.append(
            RatingEvent(
                subject=subject,
                subject_name=name,
                key_question=question,
                value=value,
                previous_value=previous,
                published=inspection.published,
                published_precision=inspection.published_precision,
                inspection_slug=inspection.slug,
                inspection_title=inspection.title,
                inspection_url=urls[inspection_id],
                sources=tuple(sources.get(pk, ())),
                note=note,
                origin=origin,
                inherited_from=inherited,
                visited=visit[0] if visit else None,
                visited_precision=visit[1] if visit else "",
                rating_id=pk,
            )
        )
    return events


def rating_events(trust: Trust) -> list[RatingEvent]:
    """Every stored rating of the trust as a RatingEvent (three queries), each read as CQC means it (`lineage`)."""
    ratings = Rating.objects.filter(inspection__trust=trust)
    return read_lineage(
        events_of(ratings, trust.inspections.select_related("trust"), rating_sources(ratings)),
        areas=Q(trust=trust),
        locations=Q(trust=trust),
    )


def read_lineage(events: list[RatingEvent], *, areas: Q, locations: Q) -> list[RatingEvent]:
    """The events with superseded services moved onto their successors' lines and inherited ratings naming their
    predecessor site (lineage.py; up to three queries, none for a trust without CQC's data)."""
    lineage.retire_superseded(events, areas)
    lineage.name_predecessors(events, locations)
    return events


@dataclass
class GridRow:
    """One level of the current-ratings grid, a cell per key question in CQC's order (None where never rated).

    `cells` holds what each cell shows (`current_rating`: the latest report to set or restate the rating that
    stands, else the latest entry off the scale); `standings` the rating that stands with since when and last
    confirmed when (`standing`), None where no report set one on the scale. Both come from domain.standing."""

    subject: Subject
    subject_name: str
    cells: list[RatingEvent | None]
    standings: list[Standing | None] = field(default_factory=list)
    replaced: tuple[str, ...] = ()  # the services CQC superseded with this one here, in words ('replaced ...')
    inherited_from: tuple[str, ...] = ()  # the predecessor sites whose reports set ratings shown in this row


def ratings_grid(events: list[RatingEvent]) -> list[GridRow]:
    """Key question x level: the rating that stands now for each cell, with its standing (None where never rated).

    Ratings of a service CQC has superseded at its place are history (`RatingEvent.is_history`): they are on the
    timelines, and the grid holds only what is current, as CQC's current ratings do; the successor's row says what it
    replaced."""
    current = [event for event in events if not event.is_history]
    grouped = group_by_subject_and_question(current)
    names = {event.subject: event.subject_name for event in current}
    replaced: dict[Subject, dict[str, None]] = defaultdict(dict)
    for event in events:
        if event.formerly is not None and event.formerly.successor:
            replaced[event.subject][event.formerly.replaced_words] = None
    rows = []
    for subject in sorted(names, key=lambda subject: subject.order):
        held = [grouped.get((subject, q), []) for q in KeyQuestion.values]
        cells, standings = [current_rating(e) for e in held], [standing(e) for e in held]
        inherited = tuple(dict.fromkeys(cell.inherited_from for cell in cells if cell and cell.inherited_from))
        rows.append(GridRow(subject, names[subject], cells, standings, tuple(replaced.get(subject, ())), inherited))
    return rows


def location_grid(events: list[RatingEvent]) -> list[GridRow]:
    """The ratings grid of one location: the location's own row first, then its core services."""
    return sorted(ratings_grid(events), key=lambda row: not row.subject.is_location)
