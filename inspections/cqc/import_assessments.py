"""Import steps for the newer assessments (scores and quality statements) and for the record of what could
not be read (the trust's import problems, replaced at each import of it)."""

from django.db.models import Q

from inspections.changes import bulk
from inspections.models import Assessment, AssessmentScore, ImportProblem, Origin, QualityStatementScore


class AssessmentSteps:
    """Mixed into the importer (`importer._Importer`), whose state it reads and writes."""

    def _assessments(self) -> None:
        if not self.records.assessments:
            return
        held_sites = [loc.pk for loc in self.locations.values() if loc.pk]
        existing = (
            {}
            if self.new_trust
            else {
                (a.location_id, a.plan_id): a
                for a in Assessment.objects.filter(Q(trust=self.trust) | Q(location_id__in=held_sites))
            }
        )
        wanted = []
        for data in self.records.assessments:
            location = None if data.record_id == self.pid else self.locations.get(data.record_id)
            source = self.sources.get(data.record_id)
            if (data.record_id != self.pid and location is None) or source is None:
                continue
            values = {
                "trust_id": self.trust.pk,
                "title": data.title,
                "group_name": data.group_name,
                "status": data.status,
                "assessed": data.assessed,
                "published": data.published,
                "rating": data.rating,
            }
            assessment = existing.get((location.pk if location else None, data.plan_id))
            label = f"inspections.assessment {data.record_id} {data.plan_id}"
            if assessment is None:
                assessment = Assessment(
                    location=location, plan_id=data.plan_id, source=source, origin=Origin.CQC_API, **values
                )
                if not self.valid(
                    assessment, what=f"assessment {data.plan_id}", exclude=("trust", "location", "source")
                ):
                    continue
                self.plan.add(assessment)
            elif assessment.origin == Origin.CQC_API:
                self.plan.change(assessment, values, label=label)
            wanted.append((assessment, data))
        self.plan.write(Assessment)
        self._scores(wanted)

    def _scores(self, wanted) -> None:
        ids = [assessment.pk for assessment, _ in wanted]
        existing = (
            {}
            if self.new_trust
            else {(s.assessment_id, s.key_question): s for s in AssessmentScore.objects.filter(assessment_id__in=ids)}
        )
        scored = []
        for assessment, data in wanted:
            for score_data in data.scores:
                values = {"rating": score_data.rating, "percentage": score_data.percentage}
                score = existing.get((assessment.pk, score_data.key_question))
                if score is None:
                    score = AssessmentScore(assessment=assessment, key_question=score_data.key_question, **values)
                    self.plan.add(score)
                else:
                    self.plan.change(
                        score,
                        values,
                        label=f"inspections.assessmentscore {assessment.plan_id} {score_data.key_question}",
                    )
                scored.append((score, score_data))
        self.plan.write(AssessmentScore)
        existing = (
            {}
            if self.new_trust
            else {
                (s.score_id, s.statement_id): s
                for s in QualityStatementScore.objects.filter(score_id__in=[score.pk for score, _ in scored])
            }
        )
        for score, score_data in scored:
            for statement in score_data.statements:
                values = {"name": statement.name, "points": statement.points}
                row = existing.get((score.pk, statement.statement_id))
                if row is None:
                    self.plan.add(QualityStatementScore(score=score, statement_id=statement.statement_id, **values))
                else:
                    self.plan.change(
                        row, values, label=f"inspections.qualitystatementscore {score.pk} {statement.statement_id}"
                    )
        self.plan.write(QualityStatementScore)

    def _problems(self) -> None:
        """The trust's import problems, replaced by this import's (written only when they differ)."""
        wanted = [
            ImportProblem(
                trust=self.trust,
                record=(f"{p.record} ({p.file})" if p.file else p.record)[:200],
                field=p.field[:200],
                value=p.value[:300],
                message=p.message[:300],
                seen=self.retrieved,
            )
            for p in self.result.problems
        ]
        current = [] if self.new_trust else list(ImportProblem.objects.filter(trust=self.trust).order_by("id"))

        def rows(problems):
            return [(p.record, p.field, p.value, p.message, p.seen) for p in problems]

        if rows(current) == rows(wanted):
            return
        if current:
            ImportProblem.objects.filter(pk__in=[p.pk for p in current]).delete()
        bulk.insert_plain(wanted, ImportProblem)
