"""Import steps for the newer assessments (scores and quality statements) and for the record of what could
not be read (the trust's import problems, replaced at each import of it)."""

from django.db.models import Q

from inspections.cqc.import_context import ImportContext
from inspections.domain.codes import Origin
from inspections.models import Assessment, AssessmentScore, ImportProblem, QualityStatementScore


def import_assessments(ctx: ImportContext) -> None:
    """Each assessment of the trust or its sites, then its scores, then their quality statements, each written
    before the next level points at it."""
    if not ctx.records.assessments:
        return
    trust, sites, pid = ctx.trust, ctx.sites.by_id, ctx.provider_id
    held_sites = [loc.pk for loc in sites.values() if loc.pk]
    existing = (
        {
            (a.location_id, a.plan_id): a
            for a in Assessment.objects.filter(Q(trust=trust) | Q(location_id__in=held_sites))
        }
        if ctx.held_before
        else {}
    )
    wanted = []
    for data in ctx.records.assessments:
        location = None if data.record_id == pid else sites.get(data.record_id)
        source = ctx.sources.get(data.record_id)
        if (data.record_id != pid and location is None) or source is None:
            continue
        values = {
            "trust_id": trust.pk,
            "title": data.title,
            "group_name": data.group_name,
            "status": data.status,
            "assessed": data.assessed,
            "published": data.published,
            "rating": data.rating,
        }
        assessment = existing.get((location.pk if location else None, data.plan_id))
        if assessment is None:
            assessment = Assessment(
                location=location, plan_id=data.plan_id, source=source, origin=Origin.CQC_API, **values
            )
            if not ctx.valid(assessment, what=f"assessment {data.plan_id}", exclude=("trust", "location", "source")):
                continue
            ctx.plan.create(assessment)
        elif assessment.origin == Origin.CQC_API:
            ctx.plan.update(assessment, values, label=f"inspections.assessment {data.record_id} {data.plan_id}")
        wanted.append((assessment, data))
    ctx.plan.write(Assessment)
    scored = _plan_scores(ctx, wanted)
    ctx.plan.write(AssessmentScore)
    _plan_statements(ctx, scored)
    ctx.plan.write(QualityStatementScore)


def _plan_scores(ctx: ImportContext, wanted) -> list:
    """Each assessment's key-question scores; the (score, CQC's record of it) pairs, for their statements."""
    ids = [assessment.pk for assessment, _ in wanted]
    existing = (
        {(s.assessment_id, s.key_question): s for s in AssessmentScore.objects.filter(assessment_id__in=ids)}
        if ctx.held_before
        else {}
    )
    scored = []
    for assessment, data in wanted:
        for score_data in data.scores:
            values = {"rating": score_data.rating, "percentage": score_data.percentage}
            score = existing.get((assessment.pk, score_data.key_question))
            if score is None:
                score = AssessmentScore(assessment=assessment, key_question=score_data.key_question, **values)
                ctx.plan.create(score)
            else:
                label = f"inspections.assessmentscore {assessment.plan_id} {score_data.key_question}"
                ctx.plan.update(score, values, label=label)
            scored.append((score, score_data))
    return scored


def _plan_statements(ctx: ImportContext, scored) -> None:
    existing = (
        {
            (s.score_id, s.statement_id): s
            for s in QualityStatementScore.objects.filter(score_id__in=[score.pk for score, _ in scored])
        }
        if ctx.held_before
        else {}
    )
    for score, score_data in scored:
        for statement in score_data.statements:
            values = {"name": statement.name, "points": statement.points}
            row = existing.get((score.pk, statement.statement_id))
            if row is None:
                ctx.plan.create(QualityStatementScore(score=score, statement_id=statement.statement_id, **values))
            else:
                label = f"inspections.qualitystatementscore {score.pk} {statement.statement_id}"
                ctx.plan.update(row, values, label=label)


def record_problems(ctx: ImportContext) -> None:
    """The trust's import problems, replaced by this import's (written only when they differ)."""
    wanted = [
        ImportProblem(
            trust=ctx.trust,
            record=(f"{p.record} ({p.file})" if p.file else p.record)[:200],
            field=p.field[:200],
            value=p.value[:300],
            message=p.message[:300],
            seen=ctx.retrieved,
        )
        for p in ctx.result.problems
    ]
    current = list(ImportProblem.objects.filter(trust=ctx.trust).order_by("id")) if ctx.held_before else []

    def rows(problems):
        return [(p.record, p.field, p.value, p.message, p.seen) for p in problems]

    if rows(current) == rows(wanted):
        return
    for problem in current:
        ctx.plan.delete(problem)
    for problem in wanted:
        ctx.plan.create(problem)
    ctx.plan.write(ImportProblem, counted=False)  # a record of the import, not CQC's data
