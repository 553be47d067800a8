"""One inspection with everything its page cites, and when its report came out in words."""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db.models import Prefetch, Q

from inspections.domain.dates import DatePrecision, format_partial_date
from inspections.domain.source_kinds import by_weight
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
    SourceKind,
    Statement,
    StatementSource,
)


def citations_in_order(model) -> Prefetch:
    """A record's citations with their sources, in the sources' order (one query for all the records)."""
    return Prefetch("citations", queryset=model.objects.select_related("source").order_by(*by_weight("source__")))


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
