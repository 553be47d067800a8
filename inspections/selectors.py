"""Reads the pages need, each in a fixed number of queries, returning plain data.

The trust page's query count must not grow with the number of inspections, so every
related row is fetched with select_related/prefetch_related and grouped in Python.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db.models import Case, Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from .models import (
    SCALE_POSITION,
    CoreService,
    Disagreement,
    Finding,
    FindingSource,
    Inspection,
    KeyQuestion,
    Leadership,
    Location,
    Origin,
    Rating,
    RatingSource,
    Scope,
    Source,
    SourceKind,
    Statement,
    StatementSource,
    Trust,
    inspection_url,
    rating_subject_name,
)
from .partial_dates import DatePrecision, format_partial_date
from .source_kinds import SOURCE_KIND_GUIDE, KindGuide, by_weight
from .timeline import RatingEvent, current_rating, group_by_subject_and_question

ON_SCALE = list(SCALE_POSITION)


SOURCES_IN_ORDER = Prefetch("sources", queryset=Source.objects.order_by(*by_weight()))


def citations_in_order(model) -> Prefetch:
    """A record's citations with their sources, in the sources' order (one query for all the records)."""
    return Prefetch("citations", queryset=model.objects.select_related("source").order_by(*by_weight("source__")))


def trusts_with_current_overall() -> QuerySet[Trust]:
    """Trusts annotated with current overall rating (value, scale position, date set), last report and count.

    Every annotation is its own subquery and none is an aggregate: with no GROUP BY, a page ordered by
    name reads the name index and runs the subqueries for the rows it shows only, and a count leaves out
    the annotations no filter uses. (A CASE over the value subquery would run that subquery once per WHEN.)
    """
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
    position = Case(
        *[When(value=code, then=Value(position)) for code, position in SCALE_POSITION.items()],
        output_field=IntegerField(),
    )
    latest_report = Inspection.objects.filter(trust=OuterRef("pk"), published__isnull=False).order_by(
        "-published", "-slug"
    )
    inspections = Inspection.objects.filter(trust=OuterRef("pk")).order_by().values("trust")
    return Trust.objects.annotate(
        current_overall=Subquery(latest_overall.values("value")[:1]),
        current_overall_published=Subquery(latest_overall.values("inspection__published")[:1]),
        current_overall_precision=Subquery(latest_overall.values("inspection__published_precision")[:1]),
        current_overall_position=Coalesce(
            Subquery(latest_overall.annotate(position=position).values("position")[:1]), Value(0)
        ),
        last_published=Subquery(latest_report.values("published")[:1]),
        last_published_precision=Subquery(latest_report.values("published_precision")[:1]),
        inspection_count=Coalesce(Subquery(inspections.annotate(total=Count("*")).values("total")[:1]), Value(0)),
    ).order_by("name")


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


def rating_source_codes(ratings: QuerySet[Rating]) -> dict[int, list[str]]:
    """The codes of the sources each rating cites, heaviest first (one query)."""
    codes: dict[int, list[str]] = defaultdict(list)
    cited = RatingSource.objects.filter(rating__in=ratings.values("pk")).order_by(*by_weight("source__"))
    for rating_id, code in cited.values_list("rating_id", "source__code"):
        codes[rating_id].append(code)
    return codes


def events_of(
    ratings: QuerySet[Rating], inspections: Iterable[Inspection], source_codes: dict[int, list[str]]
) -> list[RatingEvent]:
    """The ratings as RatingEvents (one query), given their inspections (with `trust`) and source codes.

    Ratings are read as rows of their own columns: model instances with their inspection, service,
    location and sources cost most of a large trust's page. Same-day reports come in slug order, so
    the last slug wins, as on the trust list.
    """
    by_id = {inspection.pk: inspection for inspection in inspections}
    urls = {pk: inspection_url(inspection.trust.slug, inspection.slug) for pk, inspection in by_id.items()}
    rows = sorted(ratings.order_by().values_list(*RATING_ROW), key=lambda row: by_id[row[7]].slug)
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
                source_codes=tuple(source_codes.get(pk, ())),
                note=note,
                origin=origin,
            )
        )
    return events


def rating_events(trust: Trust) -> list[RatingEvent]:
    """Every stored rating of the trust as a RatingEvent (three queries)."""
    ratings = Rating.objects.filter(inspection__trust=trust)
    return events_of(ratings, trust.inspections.select_related("trust"), rating_source_codes(ratings))


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


@dataclass(frozen=True)
class InspectionRow:
    """A line of the trust page's inspections table: the inspection and when its report came out, in words."""

    inspection: Inspection
    published: str


def inspection_rows(inspections: list[Inspection]) -> list[InspectionRow]:
    """The inspections table of a trust page (a plain table: nothing to sort, and django-tables2 cost
    about 0.3 ms a row there, a sixth of the page for a trust with 20 reports)."""
    return [InspectionRow(inspection, publication_text(inspection)) for inspection in inspections]


def _count_of(model) -> Coalesce:
    """How many `model` rows belong to the outer inspection: a subquery each, as two joins would multiply rows."""
    rows = model.objects.filter(inspection=OuterRef("pk")).order_by().values("inspection")
    return Coalesce(Subquery(rows.annotate(total=Count("*")).values("total")[:1]), Value(0))


def trust_inspections(trust: Trust) -> list[Inspection]:
    """The trust's inspections in publication order, with rating and finding counts."""
    return list(
        trust.inspections.annotate(rating_count=_count_of(Rating), finding_count=_count_of(Finding))
        .select_related("trust")
        .published_order()
    )


@dataclass
class TrustCitations:
    """Every source cited by anything about a trust, heaviest kind first, and which of them each record cites."""

    sources: list[Source]
    by_record: dict[tuple[str, int], list[Source]]
    rating_codes: dict[int, list[str]]  # rating id -> its sources' codes, heaviest first, as `events_of` takes them

    def of(self, kind: str, pk: int) -> list[Source]:
        """The sources a record cites, heaviest first: `kind` is "trust", "location", "leadership", "finding",
        "statement" or "inspection"."""
        return self.by_record.get((kind, pk), [])


def trust_citations(trust: Trust) -> TrustCitations:
    """Who cites what (one UNION ALL over the citation tables), then the sources themselves (one query).

    A prefetch per kind of record would read the same sources again for each, and order them again.
    """
    cited_by = [
        ("trust", Trust.sources.through.objects.filter(trust=trust), "trust_id"),
        ("location", Location.sources.through.objects.filter(location__trust=trust), "location_id"),
        ("leadership", Leadership.sources.through.objects.filter(leadership__trust=trust), "leadership_id"),
        ("inspection", Inspection.sources.through.objects.filter(inspection__trust=trust), "inspection_id"),
        ("finding", FindingSource.objects.filter(finding__inspection__trust=trust), "finding_id"),
        ("statement", StatementSource.objects.filter(statement__inspection__trust=trust), "statement_id"),
        ("rating", RatingSource.objects.filter(rating__inspection__trust=trust), "rating_id"),
    ]
    branches = [
        rows.order_by().annotate(kind=Value(kind), owner=F(owner)).values_list("kind", "owner", "source_id")
        for kind, rows, owner in cited_by
    ]
    links = list(branches[0].union(*branches[1:], all=True))
    sources = list(Source.objects.filter(pk__in={source_id for _, _, source_id in links}).order_by(*by_weight()))
    by_id = {source.pk: source for source in sources}
    rank = {source.pk: position for position, source in enumerate(sources)}
    by_record: dict[tuple[str, int], list[Source]] = defaultdict(list)
    rating_codes: dict[int, list[str]] = defaultdict(list)
    for kind, owner, source_id in sorted(links, key=lambda link: rank[link[2]]):
        if kind == "rating":
            rating_codes[owner].append(by_id[source_id].code)
        else:
            by_record[(kind, owner)].append(by_id[source_id])
    return TrustCitations(sources=sources, by_record=dict(by_record), rating_codes=dict(rating_codes))


def trust_events(trust: Trust, inspections: list[Inspection], citations: TrustCitations) -> list[RatingEvent]:
    """Every stored rating of the trust as a RatingEvent (one query), from what the trust page has read."""
    return events_of(Rating.objects.filter(inspection__trust=trust), inspections, citations.rating_codes)


def findings_by_inspection(
    trust: Trust, inspections: list[Inspection], citations: TrustCitations
) -> list[tuple[Inspection, list[tuple[Finding, list[Source]]]]]:
    """Each inspection paired with its findings and the sources each cites (one query), inspections
    without findings left out."""
    grouped: dict[int, list[tuple[Finding, list[Source]]]] = defaultdict(list)
    for finding in Finding.objects.filter(inspection__trust=trust).select_related("service", "location"):
        grouped[finding.inspection_id].append((finding, citations.of("finding", finding.pk)))
    return [(inspection, grouped[inspection.pk]) for inspection in inspections if grouped[inspection.pk]]


@dataclass
class TrustFacts:
    locations: list[tuple[Location, list[Source]]]
    leaders: list[tuple[Leadership, list[Source]]]
    sources: list[Source]


def trust_facts(trust: Trust, citations: TrustCitations) -> TrustFacts:
    """Locations (with CQC ids), people in leadership roles, and the sources of the trust's own facts,
    each with the sources it cites (two queries)."""
    return TrustFacts(
        locations=[(location, citations.of("location", location.pk)) for location in trust.locations.all()],
        leaders=[(leader, citations.of("leadership", leader.pk)) for leader in trust.leaders.select_related("person")],
        sources=citations.of("trust", trust.pk),
    )


def data_as_of(inspections: list[Inspection]) -> str:
    """The latest publication date held for the trust, as text ('' when none)."""
    dated = [i for i in inspections if i.published]
    if not dated:
        return ""
    latest = max(dated, key=lambda i: i.published)
    return format_partial_date(latest.published, latest.published_precision)


def publication_text(inspection: Inspection) -> str:
    """When the report came out, in words; for an undated report, the month (or year) of the visit that places it."""
    if inspection.published:
        return inspection.published_display
    visit = [
        (date, DatePrecision.YEAR if precision == DatePrecision.YEAR else DatePrecision.MONTH)
        for date, precision in (
            (inspection.visit_start, inspection.visit_start_precision),
            (inspection.visit_end, inspection.visit_end_precision),
        )
        if date
    ]
    if not visit:
        return "Publication date not known"
    (start, start_precision), (end, end_precision) = visit[0], visit[-1]
    first, last = format_partial_date(start, start_precision), format_partial_date(end, end_precision)
    if first == last:
        span = first
    elif start.year == end.year and start_precision == end_precision == DatePrecision.MONTH:
        span = f"{start:%B} to {last}"  # July to September 2013
    else:
        span = f"{first} to {last}"
    return f"Visited {span}; publication date not known"


@dataclass(frozen=True)
class ReportLink:
    """Where to read CQC's own report on an inspection; `host` names the site when it is a copy held elsewhere."""

    url: str
    host: str = ""
    source: Source | None = None


def cqc_report_link(inspection: Inspection, sources: list[Source]) -> ReportLink | None:
    """CQC's report: the inspection's report address, else a cited source of kind cqc_report with an address."""
    reports = [source for source in sources if source.kind == SourceKind.CQC_REPORT and source.url]
    url = inspection.report_url or (reports[0].url if reports else "")
    if not url:
        return None
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return ReportLink(
        url=url,
        host="" if host == "cqc.org.uk" or host.endswith(".cqc.org.uk") else host,
        source=next((source for source in reports if source.url == url), None),
    )


@dataclass
class InspectionDetail:
    inspection: Inspection
    ratings: list[Rating]
    findings: list[Finding]
    statements: list[Statement]
    sources: list[Source] = field(default_factory=list)
    services: list[CoreService] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    published: str = ""
    report: ReportLink | None = None
    disagreements: list[Disagreement] = field(default_factory=list)


def inspection_detail(inspection: Inspection) -> InspectionDetail:
    """One inspection with its ratings, findings and statements (each with its citations and their passages),
    every source the page cites (CQC's report first), and where to read CQC's report."""
    cited = Q()  # subqueries OR-ed by id: joins would repeat rows
    for through, lookup in (
        (Inspection.sources.through, {"inspection": inspection}),
        (RatingSource, {"rating__inspection": inspection}),
        (FindingSource, {"finding__inspection": inspection}),
        (StatementSource, {"statement__inspection": inspection}),
    ):
        cited |= Q(pk__in=through.objects.filter(**lookup).values("source_id"))
    sources = list(Source.objects.filter(cited).order_by(*by_weight()))
    return InspectionDetail(
        inspection=inspection,
        ratings=list(
            inspection.ratings.with_context().in_display_order().prefetch_related(citations_in_order(RatingSource))
        ),
        findings=list(
            inspection.findings.select_related("service", "location").prefetch_related(
                citations_in_order(FindingSource)
            )
        ),
        statements=list(
            inspection.statements.select_related("person").prefetch_related(citations_in_order(StatementSource))
        ),
        sources=sources,
        services=list(inspection.services.all()),
        locations=list(inspection.locations.all()),
        published=publication_text(inspection),
        report=cqc_report_link(inspection, sources),
        disagreements=list(
            Disagreement.objects.filter(rating__inspection=inspection).select_related(
                "source", "rating__inspection__trust", "rating__service", "rating__location"
            )
        ),
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
        .order_by(*by_weight())
    )


def source_kind_guide() -> list[KindGuide]:
    """What each kind of source held means and how much weight it carries, heaviest first (one query)."""
    held = set(Source.objects.values_list("kind", flat=True).distinct())
    return [guide for guide in SOURCE_KIND_GUIDE if guide.kind in held]


def year_bounds(inspections: list[Inspection]) -> tuple[int, int] | None:
    """Earliest and latest year of any inspection (report, or visit where no report date is known), or None."""
    years = [date.year for i in inspections if (date := i.published or i.visit_start or i.visit_end) is not None]
    return (min(years), max(years)) if years else None


def trust_regions() -> list[str]:
    """The CQC regions of the trusts held, in order, for the region filter."""
    return list(Trust.objects.exclude(region="").order_by("region").values_list("region", flat=True).distinct())


def from_cqc_data(records) -> bool:
    """Whether any record shown came from CQC's public data, whose licence asks for the attribution."""
    return any(record.origin == Origin.CQC_API for record in records)


def list_shows_cqc_data(trusts: list[Trust], locations: list[Location]) -> bool:
    """Whether the trust list shows CQC data: an imported trust or location, or (one query) an imported
    report or rating of a listed trust, which the current rating, report date and count come from."""
    if from_cqc_data([*trusts, *locations]):
        return True
    imported = Q(inspections__origin=Origin.CQC_API) | Q(inspections__ratings__origin=Origin.CQC_API)
    return Trust.objects.filter(imported, pk__in=[trust.pk for trust in trusts]).exists()


@dataclass
class LocationRecord:
    events: list[RatingEvent]
    inspections: list[Inspection]
    sources: list[Source]
    from_cqc_data: bool


def location_record(location: Location) -> LocationRecord:
    """A location's ratings (its own and its core services') as events, the reports that rated or
    covered it, the sources of its facts, and whether any of it came from CQC's data (four queries)."""
    inspections = list(
        Inspection.objects.filter(Q(locations=location) | Q(ratings__location=location))
        .select_related("trust")
        .distinct()
        .published_order()
    )
    ratings = Rating.objects.filter(location=location)
    events = events_of(ratings, inspections, rating_source_codes(ratings))
    return LocationRecord(
        events=events,
        inspections=inspections,
        sources=list(location.sources.order_by(*by_weight())),
        from_cqc_data=from_cqc_data([location.trust, location, *events, *inspections]),
    )


def location_grid(events: list[RatingEvent]) -> list[GridRow]:
    """The ratings grid of one location: the location's own row first, then its core services."""
    return sorted(ratings_grid(events), key=lambda row: not row.subject_key.startswith("location:"))
