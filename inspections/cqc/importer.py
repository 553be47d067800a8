"""Write one provider's mapped CQC records: check each in Python, then write in bulk, all in one transaction.

Merge rules (docs/decisions/0007-national-import-from-cqc.md):
- Curated records (origin "curated": fixtures) are never changed. A CQC report that matches a curated
  inspection (same trust, publication date equal at the curated precision) attaches its ratings to it;
  where a curated rating of the same subject and key question says otherwise, a `Disagreement` is stored.
- Imported records (origin "cqc_api") are created, or updated only where a value differs, so importing
  the same data again writes nothing at all; every row written gets a history record whose change
  reason names the run ("import_cqc: snapshot ..."). An imported row an editor changed or deleted since
  is kept as the editor left it and listed (`kept`), unless `force`.
- A record that would be invalid is skipped with a problem; only a trust that cannot be written stops
  the provider. One provider, one transaction: a provider that fails leaves the database as it was.

The import is a list of plain steps (`import_trust`, `import_sites`, `import_services`, `import_reports`,
`import_ratings`, `import_assessments`), each a function of a frozen `ImportContext` returning what the next
needs; they say what to write to the one write plan (`changes.write_plan`), which writes each model when asked,
parents first.
"""

import datetime
from dataclasses import replace

from django.db import transaction
from django.utils import timezone

from inspections.changes.write_plan import WritePlan
from inspections.cqc.import_assessments import import_assessments, record_problems
from inspections.cqc.import_context import (
    IMPORT_REASON,
    REASON_LENGTH,
    ImportContext,
    ImportResult,
    edited_by_editors,
)
from inspections.cqc.import_ratings import plan_citations, plan_ratings
from inspections.cqc.import_reports import plan_documents, plan_report_links, plan_reports
from inspections.cqc.import_services import plan_inspection_areas, plan_services
from inspections.cqc.import_sites import plan_relationships, plan_sites
from inspections.cqc.import_trust import plan_sources, plan_trust
from inspections.cqc.mapped import ProviderRecords
from inspections.models import (
    CoreService,
    Disagreement,
    Inspection,
    InspectionArea,
    Location,
    LocationMove,
    LocationRelationship,
    Rating,
    RatingSource,
    ReportDocument,
    Source,
    Trust,
)

__all__ = ["ImportResult", "import_provider"]


def import_provider(
    *, records: ProviderRecords, retrieved: datetime.date, reason: str = IMPORT_REASON, force: bool = False
) -> ImportResult:
    """Import one provider's records in one transaction; raises CqcDataError (nothing written) if its trust cannot be.

    `reason` is the change reason of every history record written (the command and the run); `force`
    overwrites what editors changed or deleted since an import, after listing it.
    """
    with transaction.atomic():
        connection = transaction.get_connection()
        if connection.vendor == "postgresql":
            # Each provider is a transaction that can simply be imported again, so it need not wait for
            # its commit to reach the disk (a crash loses at most the last commits, never consistency).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        pid = records.trust.provider_id
        plan = WritePlan(
            reason=reason[:REASON_LENGTH],
            when=timezone.now(),
            force=force,
            where=f"provider {pid}",
            theirs="CQC",
            edited=edited_by_editors,
        )
        result = ImportResult(pid, warnings=list(records.warnings), problems=list(records.problems))
        _run_steps(ImportContext(records=records, retrieved=retrieved, plan=plan, result=result))
        result.created, result.updated = plan.created, plan.updated
        result.kept, result.overridden = plan.kept, plan.overridden
        return result


def _run_steps(ctx: ImportContext) -> None:
    """The steps, in order; each model is written once the rows it points at are."""
    plan = ctx.plan
    trust = plan_trust(ctx)
    if trust is None:  # an editor deleted it since it was imported: nothing of it is written
        return
    ctx = replace(ctx, trust=trust, held_before=trust.pk is not None)
    ctx = replace(ctx, sources=plan_sources(ctx))
    sites = plan_sites(ctx)
    ctx = replace(ctx, sites=sites, held_before=ctx.held_before or bool(sites.moved))  # a move brings rows
    ctx = replace(ctx, services=plan_services(ctx))
    plan.write(Trust, Source, Location, CoreService)
    plan_relationships(ctx)
    plan_inspection_areas(ctx)
    plan.write(LocationMove, LocationRelationship, InspectionArea)
    ctx = replace(ctx, reports=plan_reports(ctx))
    plan.write(Inspection)
    plan_report_links(ctx)
    plan_documents(ctx)
    ratings = plan_ratings(ctx)
    plan.write(Rating)
    plan_citations(ctx, ratings)
    plan.write(RatingSource, Disagreement, ReportDocument, Inspection)  # the inspections' links, last
    import_assessments(ctx)
    record_problems(ctx)
