"""Import steps for a provider's reports: one inspection each (CQC's report id, its own address and documents),
and the sources, sites and services each covered."""

import datetime

from inspections.changes import edits
from inspections.cqc.import_context import ImportContext, Reports
from inspections.cqc.mapped import Notice, RatingRecord, ReportRecord
from inspections.domain.codes import InspectionType, Origin
from inspections.domain.dates import DatePrecision, format_partial_date, period_end
from inspections.domain.standing import report_key
from inspections.models import Inspection, Rating, ReportDocument

INSPECTION_LABEL = "inspections.inspection {} {}"
PREDECESSOR = "HSCA Predecessor"  # CQC's type of the relationship naming the site a site replaced


def matches_curated(curated: Inspection, published: datetime.date) -> bool:
    """Same publication date at the curated record's precision (a curated "July 2015" matches 10 July 2015)."""
    if curated.published is None:
        return False
    return curated.published <= published <= period_end(curated.published, curated.published_precision)


def subject_key(ctx: ImportContext, rating: RatingRecord) -> tuple[str, int | None, int | None] | None:
    """(scope, service id, location id): what a rating is about, as stored; None when that was not imported."""
    subject = rating.subject
    if subject.is_service and subject.service not in ctx.services:
        return None
    if subject.location and subject.location not in ctx.sites.by_id:
        return None
    service = ctx.services[subject.service].pk if subject.is_service else None
    location = ctx.sites.by_id[subject.location].pk if subject.location else None
    return subject.scope, service, location


def _inspection_values(ctx: ImportContext, report: ReportRecord) -> dict:
    where = "the trust" if report.record_id == ctx.provider_id else ctx.sites.by_id[report.record_id].name
    return {
        "title": f"CQC report on {where}, {format_partial_date(report.published, DatePrecision.DAY)}",
        "inspection_type": InspectionType.NOT_GIVEN,
        "published": report.published,
        "published_precision": DatePrecision.DAY,
        "visit_start": report.first_visit,
        "scope": f"CQC {report.report_type.lower()} report" if report.report_type else "CQC report (type not given)",
        "report_url": report.report_url,
    }


def _next_slug(slug: str, taken: set[str]) -> str:
    """The report's slug, or one made free in this trust; taken from now on."""
    if slug in taken:
        slug = f"{slug[:40]}-{len(taken)}"
    taken.add(slug)
    return slug


def _predecessor(ctx: ImportContext, report: ReportRecord, holder: Inspection | None) -> str:
    """CQC's id of the site (or trust) whose report a site's inherited ratings come from: the one CQC's data names,
    else the site's one predecessor, else the trust that holds the report."""
    if report.inherited_from:
        return report.inherited_from
    site = next((loc for loc in ctx.records.locations if loc.location_id == report.record_id), None)
    predecessors = [rel.related_id for rel in site.relationships if rel.kind == PREDECESSOR] if site else []
    if len(predecessors) == 1:
        return predecessors[0]
    return holder.trust.provider_id if holder is not None else ""


def _predecessor_name(ctx: ImportContext, report: ReportRecord, predecessor: str) -> str:
    site = next((loc for loc in ctx.records.locations if loc.location_id == report.record_id), None)
    named = [rel.related_name for rel in site.relationships if rel.related_id == predecessor] if site else []
    return f"{named[0]} ({predecessor})" if named and named[0] else predecessor or "a predecessor"


def _inherited_values(ctx: ImportContext, report: ReportRecord, predecessor: str) -> dict:
    """An inspection holding the ratings a site inherited from a report on its predecessor: named for that report."""
    values = _inspection_values(ctx, report)
    heir = "the trust" if report.record_id == ctx.provider_id else ctx.sites.by_id[report.record_id].name
    day = format_partial_date(report.published, DatePrecision.DAY)
    values["title"] = f"CQC report on {_predecessor_name(ctx, report, predecessor)}, {day} (ratings {heir} inherited)"
    values["scope"] = "Ratings inherited from a CQC report on a predecessor site"
    values["visit_start"] = None
    return values


def plan_reports(ctx: ImportContext) -> Reports:
    """An inspection per report: created, updated, moved with its site, or the curated one it matches. A report on a
    predecessor whose ratings a site inherited (CQC's data names another site, or another trust holds the report) is
    an inspection of this trust holding those ratings, marked inherited."""
    pid, trust, sites = ctx.provider_id, ctx.trust, ctx.sites
    reports = ctx.records.reports
    by_link = {i.cqc_report_link_id: i for i in Inspection.objects.filter(cqc_report_link_id__in=list(reports))}
    ours = list(Inspection.objects.filter(trust=trust)) if ctx.held_before else []
    curated = [i for i in ours if i.origin == Origin.CURATED]
    inherited_held = {i.inherited_report_link_id: i for i in ours if i.inherited_report_link_id}
    slugs = {i.slug for i in ours}
    missing = [link for link in reports if link not in by_link and link not in inherited_held]
    deleted = {}
    if ctx.held_before and missing:
        deleted = edits.deleted_rows(Inspection, cqc_report_link_id__in=missing)
        deleted |= edits.deleted_rows(Inspection, trust_id=trust.pk, inherited_report_link_id__in=missing)
    deleted_links = {record.cqc_report_link_id or record.inherited_report_link_id: pk for pk, record in deleted.items()}
    inspections: dict[str, Inspection] = {}
    inherited: dict[str, str] = {}
    created: set[int] = set()
    deleted_reports: set[str] = set()
    for link_id, report in sorted(reports.items(), key=lambda item: report_key(item[1].published, item[1].slug)):
        label = INSPECTION_LABEL.format(pid, report.slug)
        if report.record_id != pid and report.record_id not in sites.by_id:
            if report.record_id in sites.skipped:
                deleted_reports.add(link_id)
            continue
        inspection = by_link.get(link_id)
        holder = None
        if inspection is not None and inspection.trust_id != trust.pk:
            if inspection.origin == Origin.CQC_API and report.record_id in sites.moved:
                # A moved site's own report moves with it (its ratings stay on it).
                ctx.plan.move(inspection, {"trust": trust, "slug": _next_slug(inspection.slug, slugs)}, label=label)
            else:
                holder, inspection = inspection, None
        if holder is not None or (report.inherited_from and inspection is None):
            inherited[link_id] = _predecessor(ctx, report, holder)
            inspection = inherited_held.get(link_id)
        if inspection is None and link_id in deleted_links:
            pk = deleted_links[link_id]
            if ctx.deletion_kept(label, edits.deleted_by(Inspection, {pk: deleted[pk]})[pk]):
                deleted_reports.add(link_id)
                continue
        if inspection is None and link_id not in inherited:
            inspection = _curated_match(ctx, report, [i for i in curated if matches_curated(i, report.published)])
        if inspection is not None and inspection.origin == Origin.CURATED:
            inspections[link_id] = inspection
            continue
        if link_id in inherited:
            values = {**_inherited_values(ctx, report, inherited[link_id]), "inherited_report_link_id": link_id}
            own_link = ""
        else:
            values, own_link = _inspection_values(ctx, report), link_id
        if inspection is None:
            slug = _next_slug(report.slug, slugs)
            if slug != report.slug:
                ctx.result.warnings.append(
                    Notice(
                        f"inspection slug {report.slug!r} is taken in this trust; stored as {slug!r}",
                        f"{ctx.record}, report {link_id}",
                    )
                )
            inspection = Inspection(
                trust=trust, slug=slug, cqc_report_link_id=own_link, summary="", origin=Origin.CQC_API, **values
            )
            if not ctx.valid(inspection, what=f"report {link_id}", exclude=("trust",)):
                slugs.discard(slug)
                continue
            ctx.plan.create(inspection)
            created.add(id(inspection))
        elif ctx.valid(inspection, values, what=f"report {link_id}", exclude=("trust",)):
            ctx.plan.update(inspection, values, label=label)
        inspections[link_id] = inspection
    return Reports(inspections, frozenset(created), frozenset(deleted_reports), inherited)


def _curated_match(ctx: ImportContext, report: ReportRecord, candidates: list[Inspection]) -> Inspection | None:
    """The curated inspection this report's ratings belong to: the one rating most of the same subjects."""
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    subjects = {
        subject_key(ctx, r) for r in ctx.records.ratings if r.report_link_id == report.link_id and subject_key(ctx, r)
    }
    rated = {i.pk: set() for i in candidates}
    for inspection_id, *key in Rating.objects.filter(inspection__in=candidates).values_list(
        "inspection_id", "scope", "service_id", "location_id"
    ):
        rated[inspection_id].add(tuple(key))
    ranked = sorted(candidates, key=lambda i: (-len(rated[i.pk] & subjects), i.slug))
    if len(rated[ranked[0].pk] & subjects) == len(rated[ranked[1].pk] & subjects):
        ctx.result.warnings.append(
            Notice(
                f"matches curated inspections {', '.join(i.slug for i in ranked)} equally; "
                f"its ratings attach to {ranked[0].slug}",
                f"{ctx.record}, report {report.link_id}",
            )
        )
    return ranked[0]


def plan_documents(ctx: ImportContext) -> None:
    """Each report's documents (PDFs), as CQC lists them; never removed, an editor's change kept."""
    inspections = ctx.reports.by_link
    wanted = {(link_id, doc.url): doc for link_id in inspections for doc in ctx.records.reports[link_id].documents}
    if not wanted:
        return
    held = [i.pk for i in inspections.values() if i.pk]
    existing = (
        {(d.inspection_id, d.url): d for d in ReportDocument.objects.filter(inspection_id__in=held)}
        if ctx.held_before
        else {}
    )
    for (link_id, url), doc in wanted.items():
        inspection = inspections[link_id]
        row = existing.get((inspection.pk, url))
        if row is None:
            row = ReportDocument(inspection=inspection, url=url, kind=doc.kind, origin=Origin.CQC_API)
            if ctx.valid(row, what=f"document of report {link_id}", exclude=("inspection",)):
                ctx.plan.create(row)
        elif row.origin == Origin.CQC_API:
            ctx.plan.update(row, {"kind": doc.kind}, label=f"inspections.reportdocument {url}")


def plan_report_links(ctx: ImportContext) -> None:
    """Sources, sites and services of imported inspections (curated inspections are left as they are); links are
    only added, and an inspection an editor changed since keeps its links as the editor left them."""
    imported = {link: i for link, i in ctx.reports.by_link.items() if i.origin == Origin.CQC_API}
    wanted = {name: {} for name in ("sources", "locations", "services")}
    for link_id in imported:
        report = ctx.records.reports[link_id]
        for name in wanted:
            wanted[name].setdefault(link_id, set())
        if report.record_id in ctx.sources:
            wanted["sources"][link_id].add(ctx.sources[report.record_id].pk)
        if report.record_id in ctx.sites.by_id:
            wanted["locations"][link_id].add(ctx.sites.by_id[report.record_id].pk)
    for rating in ctx.records.ratings:
        if rating.report_link_id not in imported or subject_key(ctx, rating) is None:
            continue
        if rating.subject.location:
            wanted["locations"][rating.report_link_id].add(ctx.sites.by_id[rating.subject.location].pk)
        if rating.subject.is_service:
            wanted["services"][rating.report_link_id].add(ctx.services[rating.subject.service].pk)
    for name, by_link in wanted.items():
        for link_id, others in by_link.items():
            inspection = imported[link_id]
            held = () if not ctx.held_before or id(inspection) in ctx.reports.created else None
            ctx.plan.link(inspection, name, others, held=held)
