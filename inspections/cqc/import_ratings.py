"""Import steps for ratings: create or update each, cite CQC's data for it, and store a disagreement where a
curated rating, or an imported one an editor changed, says otherwise than CQC."""

from dataclasses import dataclass

from django.db.models import F

from inspections.changes import edits
from inspections.cqc.import_context import ImportContext
from inspections.cqc.import_reports import subject_key
from inspections.cqc.mapped import Notice, RatingRecord
from inspections.domain.codes import Origin
from inspections.models import Disagreement, Rating, RatingSource


@dataclass(frozen=True)
class PlannedRatings:
    """The ratings this import writes (each with CQC's record of it), and the curated ones CQC disagrees with."""

    written: tuple[tuple[Rating, RatingRecord], ...]
    disputed: tuple[tuple[Rating, RatingRecord], ...]


def _label(ctx: ImportContext, data: RatingRecord, inspection) -> str:
    subject = data.subject
    about = " ".join(part for part in (subject.scope, subject.service, subject.location) if part)
    return f"inspections.rating {ctx.provider_id} {inspection.slug} {data.key_question} {about}"


def _key(rating) -> tuple:
    return rating.inspection_id, rating.scope, rating.service_id, rating.location_id, rating.key_question


def plan_ratings(ctx: ImportContext) -> PlannedRatings:
    """Each rating CQC's data gives, created or updated; a curated one is left as it is (a dispute, if CQC differs)."""
    inspections = ctx.reports.by_link
    inspection_ids = {i.pk for i in inspections.values()}
    existing = {_key(r): r for r in Rating.objects.filter(inspection_id__in=inspection_ids)} if ctx.held_before else {}
    deleted, deleted_keys = {}, None  # read only when a rating is to be created in a trust held before
    written, disputed = [], []
    for data in ctx.records.ratings:
        inspection = inspections.get(data.report_link_id)
        if inspection is None:
            if data.report_link_id in ctx.reports.deleted:
                ctx.deletion_kept(_label(ctx, data, ctx.records.reports[data.report_link_id]), "", with_parent=True)
            continue
        subject = subject_key(ctx, data)
        if subject is None:
            continue
        scope, service_id, location_id = subject
        key = (inspection.pk, scope, service_id, location_id, data.key_question)
        values = {
            "value": data.value,
            "previous_value": data.previous_value,
            "note": data.note,
            "inherited_from": data.inherited_from or ctx.reports.inherited.get(data.report_link_id, ""),
        }
        rating = existing.get(key)
        if rating is None and deleted_keys is None and ctx.held_before:
            deleted = edits.deleted_rows(Rating, inspection_id__in=inspection_ids)
            deleted_keys = {_key(r): pk for pk, r in deleted.items() if _key(r) not in existing}
        if rating is None and deleted_keys and key in deleted_keys:
            pk = deleted_keys[key]
            if ctx.deletion_kept(_label(ctx, data, inspection), edits.deleted_by(Rating, {pk: deleted[pk]})[pk]):
                continue
        if rating is not None and rating.origin == Origin.CURATED:
            if rating.value != data.value:
                disputed.append((rating, data))
            continue
        if rating is None:
            rating = Rating(
                inspection=inspection,
                scope=scope,
                service_id=service_id,
                location_id=location_id,
                key_question=data.key_question,
                origin=Origin.CQC_API,
                **values,
            )
            ctx.plan.create(rating)
        else:
            ctx.plan.update(rating, values, label=_label(ctx, data, inspection))
        written.append((rating, data))
    return PlannedRatings(tuple(written), tuple(disputed))


def plan_citations(ctx: ImportContext, ratings: PlannedRatings) -> None:
    """CQC's data cited for each rating written, and a disagreement stored where a curated rating, or an imported
    one an editor changed (kept by the write plan), says otherwise."""
    kept = ctx.plan.kept_updates.get(Rating, [])
    kept_ratings = {change.obj.pk for change in kept}  # an editor's rating keeps its citations as they are
    edited = {change.obj.pk for change in kept if change.before["value"] != change.after["value"]}
    found = RatingSource.objects.filter(rating__inspection__trust=ctx.trust) if ctx.held_before else []
    cited = {(c.rating_id, c.source_id): c for c in found}
    for rating, data in ratings.written:
        source = ctx.sources.get(data.record_id)
        if source is None or rating.pk in kept_ratings:
            continue
        citation = cited.get((rating.pk, source.pk))
        if citation is None:
            ctx.plan.create(RatingSource(rating=rating, source=source, passage=data.passage))
        else:
            ctx.plan.update(
                citation, {"passage": data.passage}, label=f"inspections.ratingsource {rating.pk} {source.code}"
            )
    if ctx.force:  # ratings overwritten with CQC's values no longer disagree with CQC
        Disagreement.objects.filter(
            rating_id__in=[rating.pk for rating, _ in ratings.written if rating.origin == Origin.CQC_API],
            value=F("rating__value"),
        ).delete()
    disputes = list(ratings.disputed) + [(rating, data) for rating, data in ratings.written if rating.pk in edited]
    if not disputes:
        return
    known = {
        (d.rating_id, d.source_id): d
        for d in Disagreement.objects.filter(rating_id__in=[rating.pk for rating, _ in disputes])
    }
    for rating, data in disputes:
        source = ctx.sources.get(data.record_id)
        if source is None:
            continue
        values = {"value": data.value, "passage": data.passage}
        disagreement = known.get((rating.pk, source.pk))
        if disagreement is None:
            ctx.plan.create(Disagreement(rating=rating, source=source, **values))
            if rating.origin == Origin.CURATED:
                ctx.result.warnings.append(
                    Notice(
                        "CQC's data gives another rating than our curated one; kept ours and recorded the disagreement",
                        f"{ctx.record}: CQC gives {data.passage} where our curated rating of {rating.subject_name} in "
                        f"{rating.inspection.title!r} is {rating.get_value_display()!r}",
                    )
                )
        else:
            ctx.plan.update(disagreement, values, label=f"inspections.disagreement {disagreement.pk}")
