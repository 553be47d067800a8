"""What a trust page and a location page read, in a fixed number of queries whatever the number of inspections."""

import functools
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q, Value

from inspections.domain.source_kinds import weight
from inspections.domain.standing import CitedSource, RatingEvent
from inspections.models import (
    Finding,
    FindingSource,
    Inspection,
    Leadership,
    Location,
    Rating,
    RatingSource,
    Source,
    StatementSource,
    Trust,
)
from inspections.reading.selectors.counting import count_of
from inspections.reading.selectors.events import events_of, rating_sources, read_lineage
from inspections.reading.selectors.inspection_page import NOT_IN_SOURCES, publication_text, visit_span
from inspections.reading.selectors.trust_list import from_cqc_data


@dataclass(frozen=True)
class InspectionRow:
    """A line of the trust page's inspections table: the inspection and when its report came out, in words."""

    inspection: Inspection
    published: str


def inspection_rows(inspections: list[Inspection]) -> list[InspectionRow]:
    """The inspections table of a trust page (a plain table: nothing to sort, and django-tables2 cost
    about 0.3 ms a row there, a sixth of the page for a trust with 20 reports)."""
    return [InspectionRow(inspection, publication_text(inspection)) for inspection in inspections]


def trust_inspections(trust: Trust) -> list[Inspection]:
    """The trust's inspections in publication order, with rating and finding counts."""
    return list(
        trust.inspections.annotate(
            rating_count=count_of(Rating.objects, "inspection"), finding_count=count_of(Finding.objects, "inspection")
        )
        .select_related("trust")
        .published_order()
    )


LISTED_WITH_SOURCES = ("trust", "location", "leadership", "finding")  # inspections and statements: only in `sources`


@dataclass
class TrustCitations:
    """Every source cited by anything about a trust, heaviest kind first, and which of them each record cites."""

    sources: list[Source]
    by_record: dict[tuple[str, int], list[Source]]
    rating_sources: dict[int, list[CitedSource]]  # rating id -> its sources, heaviest first, as `events_of` takes them

    def of(self, kind: str, pk: int) -> list[Source]:
        """The sources a record the trust page lists cites, heaviest first: `kind` is one of LISTED_WITH_SOURCES."""
        return self.by_record.get((kind, pk), [])


_ANY_TRUST = -1  # the id the citations' query is compiled with: no trust has it, and each read passes its own


@functools.cache
def _citation_links_query(vendor: str) -> tuple[str, tuple]:
    """Who cites what for one trust, as (kind, owner id, source id) rows: one UNION ALL over the citation tables,
    compiled once per process and database (`vendor`). It is the same SQL for every trust but for the trust's id,
    and compiling seven branches cost more than running them."""
    cited_by = [
        ("trust", Trust.sources.through.objects.filter(trust_id=_ANY_TRUST), "trust_id"),
        ("location", Location.sources.through.objects.filter(location__trust_id=_ANY_TRUST), "location_id"),
        ("leadership", Leadership.sources.through.objects.filter(leadership__trust_id=_ANY_TRUST), "leadership_id"),
        ("inspection", Inspection.sources.through.objects.filter(inspection__trust_id=_ANY_TRUST), "inspection_id"),
        ("finding", FindingSource.objects.filter(finding__inspection__trust_id=_ANY_TRUST), "finding_id"),
        ("statement", StatementSource.objects.filter(statement__inspection__trust_id=_ANY_TRUST), "statement_id"),
        ("rating", RatingSource.objects.filter(rating__inspection__trust_id=_ANY_TRUST), "rating_id"),
    ]
    branches = [
        rows.order_by().annotate(kind=Value(kind), owner=F(owner)).values_list("kind", "owner", "source_id")
        for kind, rows, owner in cited_by
    ]
    return branches[0].union(*branches[1:], all=True).query.sql_with_params()


def _citation_links(trust: Trust) -> list[tuple[str, int, int]]:
    sql, params = _citation_links_query(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [trust.pk if param == _ANY_TRUST else param for param in params])
        return cursor.fetchall()


def trust_citations(trust: Trust) -> TrustCitations:
    """Who cites what (one UNION ALL over the citation tables), then the sources themselves (one query).

    A prefetch per kind of record would read the same sources again for each, and order them again.
    """
    links = _citation_links(trust)
    sources = sorted(Source.objects.filter(pk__in={source_id for _, _, source_id in links}), key=weight)
    by_id = {source.pk: source for source in sources}
    rank = {source.pk: position for position, source in enumerate(sources)}
    by_record: dict[tuple[str, int], list[Source]] = defaultdict(list)
    rating_sources: dict[int, list[CitedSource]] = defaultdict(list)
    cited = {
        source.pk: CitedSource(source.code, source.publisher, source.title, source.published) for source in sources
    }
    for kind, owner, source_id in sorted(links, key=lambda link: rank[link[2]]):
        if kind == "rating":
            rating_sources[owner].append(cited[source_id])
        elif kind in LISTED_WITH_SOURCES:
            by_record[(kind, owner)].append(by_id[source_id])
    return TrustCitations(sources=sources, by_record=dict(by_record), rating_sources=dict(rating_sources))


def trust_events(trust: Trust, inspections: list[Inspection], citations: TrustCitations) -> list[RatingEvent]:
    """Every stored rating of the trust as a RatingEvent (one query, and up to three for CQC's lineage), from what the
    trust page has read."""
    events = events_of(Rating.objects.filter(inspection__trust=trust), inspections, citations.rating_sources)
    return read_lineage(events, areas=Q(trust=trust), locations=Q(trust=trust))


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


@dataclass(frozen=True)
class LatestReport:
    """The latest report held (the last in `published_order`, an undated one placed by its visit), as the headline
    and "Data as of" say it."""

    title: str
    url: str
    words: str  # 'published 30 May 2024', 'visited May 2025, publication date not in our sources'
    year: int | None  # the year that places it (its publication, else its visit); None when no date is held


def latest_report_held(inspections: list[Inspection]) -> LatestReport | None:
    """The latest report held: the first of `newest_first` (the last of `published_order`, `Inspection.order_key`,
    among the reports a date places), the one rule, so an undated report visited after every dated one was published
    is the latest, never hidden."""
    if not inspections:
        return None
    latest = max([i for i in inspections if i.placed_on] or inspections, key=Inspection.order_key)
    placed, span = latest.placed_on, visit_span(latest)
    if latest.published:
        words = f"published {latest.published_display}"
    else:
        words = f"visited {span}, {NOT_IN_SOURCES}" if span else NOT_IN_SOURCES
    return LatestReport(
        title=latest.title, url=latest.get_absolute_url(), words=words, year=placed[0].year if placed else None
    )


def latest_report_year(inspections: list[Inspection]) -> int | None:
    """The year that places the latest report held (its publication, else its visit), or None."""
    latest = latest_report_held(inspections)
    return latest.year if latest else None


def year_bounds(inspections: list[Inspection]) -> tuple[int, int] | None:
    """Earliest and latest year of any inspection (report, or visit where no report date is known), or None."""
    years = [placed[0].year for i in inspections if (placed := i.placed_on) is not None]
    return (min(years), max(years)) if years else None


@dataclass
class LocationPage:
    """What a hospital or site page shows: its ratings as events, its reports, its sources, whether from CQC."""

    events: list[RatingEvent]
    inspections: list[Inspection]
    sources: list[Source]
    from_cqc_data: bool


def location_record(location: Location) -> LocationPage:
    """A location's ratings (its own and its core services') as events, the reports that rated or
    covered it, the sources of its facts, and whether any of it came from CQC's data (four queries)."""
    # Two indexed subqueries rather than joins: joining both and taking DISTINCT read every inspection of every
    # trust (17 ms at 232 trusts on PostgreSQL, against under 1 ms here).
    visited = Inspection.locations.through.objects.filter(location=location).values("inspection_id")
    rated = Rating.objects.filter(location=location).values("inspection_id")
    inspections = list(
        Inspection.objects.filter(Q(pk__in=visited) | Q(pk__in=rated)).select_related("trust").published_order()
    )
    ratings = Rating.objects.filter(location=location)
    events = read_lineage(
        events_of(ratings, inspections, rating_sources(ratings)),
        areas=Q(location=location),
        locations=Q(pk=location.pk),
    )
    return LocationPage(
        events=events,
        inspections=inspections,
        sources=sorted(location.sources.all(), key=weight),
        from_cqc_data=from_cqc_data([location.trust, location, *events, *inspections]),
    )
