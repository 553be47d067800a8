"""Reads the pages need, each in a fixed number of queries, returning plain data.

The trust page's query count must not grow with the number of inspections, so every
related row is fetched with select_related/prefetch_related and grouped in Python.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from .models import (
    SCALE_POSITION,
    CoreService,
    Finding,
    Inspection,
    KeyQuestion,
    Leadership,
    Location,
    Rating,
    Scope,
    Source,
    Statement,
    Trust,
)
from .partial_dates import format_partial_date
from .timeline import RatingEvent, current_rating, group_by_subject_and_question

ON_SCALE = list(SCALE_POSITION)
# The five starting (seed) articles first, in their own order (SEED-000 to SEED-004), then the rest by code.
STARTING_ARTICLES_FIRST = (Case(When(seed_file="", then=Value(1)), default=Value(0)), "code")
SOURCES_IN_ORDER = Prefetch("sources", queryset=Source.objects.order_by(*STARTING_ARTICLES_FIRST))


def trusts_with_current_overall() -> QuerySet[Trust]:
    """Trusts annotated with current overall rating (value, scale position, date set), last report and count."""
    latest_overall = (
        Rating.objects.filter(
            inspection__trust=OuterRef("pk"),
            scope=Scope.TRUST,
            key_question=KeyQuestion.OVERALL,
            value__in=ON_SCALE,
            inspection__published__isnull=False,
        )
        .order_by("-inspection__published", "-inspection__slug")  # same-day reports: as the grid, last slug wins
    )  # fmt: skip
    latest_report = Inspection.objects.filter(trust=OuterRef("pk"), published__isnull=False).order_by(
        "-published", "-slug"
    )
    return Trust.objects.annotate(
        current_overall=Subquery(latest_overall.values("value")[:1]),
        current_overall_published=Subquery(latest_overall.values("inspection__published")[:1]),
        current_overall_precision=Subquery(latest_overall.values("inspection__published_precision")[:1]),
        current_overall_position=Case(
            *[When(current_overall=code, then=Value(position)) for code, position in SCALE_POSITION.items()],
            default=Value(0),
            output_field=IntegerField(),
        ),
        last_published=Subquery(latest_report.values("published")[:1]),
        last_published_precision=Subquery(latest_report.values("published_precision")[:1]),
        inspection_count=Count("inspections", distinct=True),
    ).order_by("name")


def subject_key(rating: Rating) -> str:
    if rating.scope == Scope.TRUST:
        return "trust"
    if rating.scope == Scope.LOCATION:
        return f"location:{rating.location.slug}"
    at = f"@{rating.location.slug}" if rating.location_id else ""
    return f"service:{rating.service.slug}{at}"


def to_event(rating: Rating, inspection_urls: dict[int, str]) -> RatingEvent:
    inspection = rating.inspection
    if inspection.pk not in inspection_urls:
        inspection_urls[inspection.pk] = inspection.get_absolute_url()
    return RatingEvent(
        subject_key=subject_key(rating),
        subject_name=rating.subject_name,
        key_question=rating.key_question,
        value=rating.value,
        previous_value=rating.previous_value,
        published=inspection.published,
        published_precision=inspection.published_precision,
        inspection_title=inspection.title,
        inspection_url=inspection_urls[inspection.pk],
        source_codes=tuple(source.code for source in rating.sources.all()),
        note=rating.note,
    )


def rating_events(trust: Trust) -> list[RatingEvent]:
    """Every stored rating of the trust as a RatingEvent (two queries)."""
    ratings = Rating.objects.filter(inspection__trust=trust).with_context().prefetch_related(SOURCES_IN_ORDER)
    inspection_urls: dict[int, str] = {}
    return [to_event(rating, inspection_urls) for rating in ratings]


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


def trust_inspections(trust: Trust) -> list[Inspection]:
    """The trust's inspections in publication order, with rating and finding counts and sources."""
    return list(
        trust.inspections.annotate(
            rating_count=Count("ratings", distinct=True), finding_count=Count("findings", distinct=True)
        )
        .select_related("trust")
        .prefetch_related(SOURCES_IN_ORDER)
        .published_order()
    )


def findings_by_inspection(trust: Trust, inspections: list[Inspection]) -> list[tuple[Inspection, list[Finding]]]:
    """Each inspection paired with its findings (two queries), inspections without findings left out."""
    findings = (
        Finding.objects.filter(inspection__trust=trust)
        .select_related("service", "location")
        .prefetch_related(SOURCES_IN_ORDER)
    )
    grouped: dict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[finding.inspection_id].append(finding)
    return [(inspection, grouped[inspection.pk]) for inspection in inspections if grouped[inspection.pk]]


@dataclass
class TrustFacts:
    locations: list[Location]
    leaders: list[Leadership]
    sources: list[Source]


def trust_facts(trust: Trust) -> TrustFacts:
    """Locations (with CQC ids), people in leadership roles, and the sources of the trust's own facts."""
    return TrustFacts(
        locations=list(trust.locations.prefetch_related(SOURCES_IN_ORDER)),
        leaders=list(trust.leaders.select_related("person").prefetch_related(SOURCES_IN_ORDER)),
        sources=list(trust.sources.order_by("code")),
    )


def sources_cited_for_trust(trust: Trust) -> list[Source]:
    """Every source behind any fact about the trust, seeds first.

    One subquery per kind of citation (through tables), OR-ed by id: joining all seven
    relations at once would multiply rows.
    """
    cited_by = [
        (Trust.sources.through, {"trust": trust}),
        (Location.sources.through, {"location__trust": trust}),
        (Leadership.sources.through, {"leadership__trust": trust}),
        (Inspection.sources.through, {"inspection__trust": trust}),
        (Rating.sources.through, {"rating__inspection__trust": trust}),
        (Finding.sources.through, {"finding__inspection__trust": trust}),
        (Statement.sources.through, {"statement__inspection__trust": trust}),
    ]
    cited = Q()
    for through, lookup in cited_by:
        cited |= Q(pk__in=through.objects.filter(**lookup).values("source_id"))
    return list(Source.objects.filter(cited).order_by(*STARTING_ARTICLES_FIRST))


def data_as_of(inspections: list[Inspection]) -> str:
    """The latest publication date held for the trust, as text ('' when none)."""
    dated = [i for i in inspections if i.published]
    if not dated:
        return ""
    latest = max(dated, key=lambda i: i.published)
    return format_partial_date(latest.published, latest.published_precision)


@dataclass
class InspectionDetail:
    inspection: Inspection
    ratings: list[Rating]
    findings: list[Finding]
    statements: list[Statement]
    sources: list[Source] = field(default_factory=list)
    services: list[CoreService] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)


def inspection_detail(inspection: Inspection) -> InspectionDetail:
    """One inspection with its ratings (previous values), findings, statements and sources."""
    return InspectionDetail(
        inspection=inspection,
        ratings=list(inspection.ratings.with_context().in_display_order().prefetch_related(SOURCES_IN_ORDER)),
        findings=list(inspection.findings.select_related("service", "location").prefetch_related(SOURCES_IN_ORDER)),
        statements=list(inspection.statements.select_related("person").prefetch_related(SOURCES_IN_ORDER)),
        sources=list(inspection.sources.order_by(*STARTING_ARTICLES_FIRST)),
        services=list(inspection.services.all()),
        locations=list(inspection.locations.all()),
    )


def _citation_count(model) -> Coalesce:
    """How many `model` rows cite the outer source: one subquery on the through table, so the four
    counts beside each other do not multiply rows as four joins would."""
    through = model.sources.through
    cited = (
        through.objects.filter(source=OuterRef("pk"))
        .order_by()
        .values("source")
        .annotate(total=Count("*"))
        .values("total")
    )
    return Coalesce(Subquery(cited[:1]), Value(0))


def sources_with_support() -> QuerySet[Source]:
    """All sources with how many ratings, findings, statements and inspections cite each."""
    return (
        Source.objects.annotate(
            rating_count=_citation_count(Rating),
            finding_count=_citation_count(Finding),
            statement_count=_citation_count(Statement),
            inspection_count=_citation_count(Inspection),
        )
        .prefetch_related(
            Prefetch("inspections", queryset=Inspection.objects.select_related("trust").published_order())
        )
        .order_by(*STARTING_ARTICLES_FIRST)
    )


def year_bounds(inspections: list[Inspection]) -> tuple[int, int] | None:
    """Earliest and latest year of any inspection (report, or visit where no report date is known), or None."""
    years = [date.year for i in inspections if (date := i.published or i.visit_start or i.visit_end) is not None]
    return (min(years), max(years)) if years else None
