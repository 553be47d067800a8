"""One inspection with everything its page cites, and when its report came out in words."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from inspections.domain.addresses import copy_elsewhere
from inspections.domain.codes import SourceKind
from inspections.domain.dates import DatePrecision, format_partial_date
from inspections.domain.rating_levels import is_on_scale
from inspections.domain.source_kinds import weight
from inspections.domain.standing import changes, group_by_subject_and_question
from inspections.models import (
    CoreService,
    Disagreement,
    Finding,
    FindingSource,
    Inspection,
    Location,
    Rating,
    RatingSource,
    Source,
    Statement,
    StatementSource,
)
from inspections.reading.selectors.events import events_of, read_lineage

CITED = "cited_in_order"  # the attribute `citations_in_order` fills: a record's citations, heaviest source first


def citations_in_order(model) -> Prefetch:
    """A record's citations with their sources (one query for all the records), as a list in `CITED`, which
    `in_weight_order` sorts."""
    return Prefetch("citations", queryset=model.objects.select_related("source"), to_attr=CITED)


def in_weight_order(records: list) -> list:
    """`records` with the citations `citations_in_order` read sorted by their sources' weight (in Python: the
    ORDER BY's CASE cost more to compile than the sort)."""
    for record in records:
        getattr(record, CITED).sort(key=lambda citation: weight(citation.source))
    return records


NOT_IN_SOURCES = "publication date not in our sources"


def visit_span(inspection: Inspection) -> str:
    """The month (or year) of the visit, or its months: 'May 2025', 'July to September 2013'; '' when not held."""
    visit = [
        (date, DatePrecision.YEAR if precision == DatePrecision.YEAR else DatePrecision.MONTH)
        for date, precision in (
            (inspection.visit_start, inspection.visit_start_precision),
            (inspection.visit_end, inspection.visit_end_precision),
        )
        if date
    ]
    if not visit:
        return ""
    (start, start_precision), (end, end_precision) = visit[0], visit[-1]
    first, last = format_partial_date(start, start_precision), format_partial_date(end, end_precision)
    if first == last:
        return first
    if start.year == end.year and start_precision == end_precision == DatePrecision.MONTH:
        return f"{start:%B} to {last}"  # July to September 2013
    return f"{first} to {last}"


def publication_text(inspection: Inspection) -> str:
    """When the report came out, in words; for an undated report, the month (or year) of the visit that places it:
    '30 May 2024', 'Visited May 2025; publication date not in our sources'."""
    if inspection.published:
        return inspection.published_display
    span = visit_span(inspection)
    return f"Visited {span}; {NOT_IN_SOURCES}" if span else NOT_IN_SOURCES.capitalize()


@dataclass(frozen=True)
class ReportLink:
    """Where to read CQC's report on an inspection; `copy` says what it is when the address is another site's
    ("a copy of CQC's report, on vdocuments.mx"), empty when it is on CQC's website."""

    url: str
    copy: str = ""
    source: Source | None = None


@dataclass(frozen=True)
class CqcPage:
    """A trust's or site's own page on CQC's website, built from the CQC id we hold."""

    name: str
    url: str


def cqc_report_link(inspection: Inspection, sources: list[Source]) -> ReportLink | None:
    """CQC's report: the inspection's report address, else a cited source of kind cqc_report with an address."""
    reports = [source for source in sources if source.kind == SourceKind.CQC_REPORT and source.url]
    url = inspection.report_url or (reports[0].url if reports else "")
    if not url:
        return None
    return ReportLink(
        url=url,
        copy=copy_elsewhere(SourceKind.CQC_REPORT, url),
        source=next((source for source in reports if source.url == url), None),
    )


def cqc_site_pages(locations: list[Location]) -> list[CqcPage]:
    """CQC's pages of the sites an inspection covered, for each one whose CQC location id we hold."""
    return [CqcPage(location.name, location.cqc_page_url) for location in locations if location.cqc_page_url]


@dataclass(frozen=True)
class PreviousRating:
    """What a row of an inspection's ratings says came before it: the previous value the report states, else, for a
    rating off the scale ("Not inspected (earlier rating stands)"), the rating that stood, by the one rule the timelines
    use (`domain.standing.changes`: the latest report before it to set one on the scale)."""

    value: str = ""  # a rating code, for the badge; "" when none is shown
    label: str = ""
    stated: bool = False  # the report's own words
    report_month: str = ""  # for a rating that stood: when the report that set or restated it came out
    report_url: str = ""
    gap: str = "Not stated"  # what the cell says when it shows no rating


def _ratings_that_stood(inspection: Inspection) -> dict:
    """Rating id -> the rating that stood before it, for the inspection's ratings (two queries: the trust's reports
    and ratings, read as the timelines read them, with CQC's lineage where its data is held)."""
    trust = inspection.trust
    events = read_lineage(
        events_of(Rating.objects.filter(inspection__trust=trust), trust.inspections.select_related("trust"), {}),
        areas=Q(trust=trust),
        locations=Q(trust=trust),
    )
    return {
        change.event.rating_id: change.before
        for group in group_by_subject_and_question(events).values()
        for change in changes(group)
        if change.event.inspection_slug == inspection.slug
    }


def previous_ratings(inspection: Inspection, ratings: list[Rating]) -> list[tuple[Rating, PreviousRating]]:
    """Each rating of the inspection with what came before it. The trust's history is read only where a rating
    off the scale, with no previous value stated, leaves one standing (in a dated report)."""
    looks_back = inspection.published is not None and any(
        not rating.previous_value and not is_on_scale(rating.value) for rating in ratings
    )
    before = _ratings_that_stood(inspection) if looks_back else {}
    rows = []
    for rating in ratings:
        if rating.previous_value:
            previous = PreviousRating(rating.previous_value, rating.get_previous_value_display(), stated=True)
        elif is_on_scale(rating.value):
            previous = PreviousRating()
        elif inspection.published is None:
            previous = PreviousRating(gap="Not known: this report's publication date is not in our sources")
        elif (stood := before.get(rating.pk)) is not None:
            previous = PreviousRating(stood.value, stood.value_label, report_month=stood.published_month,
                                      report_url=stood.inspection_url)  # fmt: skip
        else:
            previous = PreviousRating(gap="The rating that stood is not in our sources")
        rows.append((rating, previous))
    return rows


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
    trust_page: CqcPage | None = None
    site_pages: list[CqcPage] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    rating_rows: list[tuple[Rating, PreviousRating]] = field(default_factory=list)


def inspection_detail(inspection: Inspection) -> InspectionDetail:
    """One inspection with its ratings, findings and statements (each with its citations and their passages),
    every source the page cites (CQC's report first), where to read CQC's report, and CQC's own pages of the trust
    and of each site covered."""
    cited = Q()  # subqueries OR-ed by id: joins would repeat rows
    for through, lookup in (
        (Inspection.sources.through, {"inspection": inspection}),
        (RatingSource, {"rating__inspection": inspection}),
        (FindingSource, {"finding__inspection": inspection}),
        (StatementSource, {"statement__inspection": inspection}),
    ):
        cited |= Q(pk__in=through.objects.filter(**lookup).values("source_id"))
    sources = sorted(Source.objects.filter(cited), key=weight)
    locations = list(inspection.locations.all())
    trust = inspection.trust
    ratings = in_weight_order(
        list(inspection.ratings.with_context().in_display_order().prefetch_related(citations_in_order(RatingSource)))
    )
    return InspectionDetail(
        inspection=inspection,
        ratings=ratings,
        rating_rows=previous_ratings(inspection, ratings),
        findings=in_weight_order(
            list(
                inspection.findings.select_related("service", "location").prefetch_related(
                    citations_in_order(FindingSource)
                )
            )
        ),
        statements=in_weight_order(
            list(inspection.statements.select_related("person").prefetch_related(citations_in_order(StatementSource)))
        ),
        sources=sources,
        services=list(inspection.services.all()),
        locations=locations,
        published=publication_text(inspection),
        report=cqc_report_link(inspection, sources),
        trust_page=CqcPage(trust.name, trust.cqc_page_url),
        site_pages=cqc_site_pages(locations),
        disagreements=list(
            Disagreement.objects.filter(rating__inspection=inspection).select_related(
                "source", "rating__inspection__trust", "rating__service", "rating__location"
            )
        ),
    )
