"""Import steps for ratings: create or update each, cite CQC's data for it, and store a disagreement where a
curated rating, or an imported one an editor changed, says otherwise than CQC."""

from django.db.models import F

from inspections.cqc import kept
from inspections.cqc.records import RatingRecord
from inspections.models import Disagreement, Origin, Rating, RatingSource


class RatingSteps:
    """Mixed into the importer (`importer._Importer`), whose state it reads and writes."""

    def _subject_key(self, rating: RatingRecord) -> tuple[str, int | None, int | None] | None:
        """(scope, service id, location id): what a rating is about, as stored; None when that was not imported."""
        subject = rating.subject
        if subject.is_service and subject.service not in self.services:
            return None
        if subject.location and subject.location not in self.locations:
            return None
        service = self.services[subject.service].pk if subject.is_service else None
        location = self.locations[subject.location].pk if subject.location else None
        return subject.scope, service, location

    def _label(self, data: RatingRecord, inspection) -> str:
        subject = data.subject
        about = " ".join(part for part in (subject.scope, subject.service, subject.location) if part)
        return f"inspections.rating {self.pid} {inspection.slug} {data.key_question} {about}"

    def _ratings(self) -> None:
        self.edited_ratings: dict[int, str] = {}  # imported ratings an editor changed: pk -> CQC's value now
        self.kept_ratings: set[int] = set()
        inspection_ids = {i.pk for i in self.inspections.values()}
        existing = (
            {}
            if self.new_trust
            else {
                (r.inspection_id, r.scope, r.service_id, r.location_id, r.key_question): r
                for r in Rating.objects.filter(inspection_id__in=inspection_ids)
            }
        )
        deleted, deleted_keys = {}, None  # read only when a rating is to be created in a trust held before
        self.ratings: list[tuple[Rating, RatingRecord]] = []
        self.disputed: list[tuple[Rating, RatingRecord]] = []
        for data in self.records.ratings:
            inspection = self.inspections.get(data.report_link_id)
            if inspection is None:
                if data.report_link_id in self.deleted_reports:
                    report = self.records.reports[data.report_link_id]
                    self.deletion_kept(self._label(data, report), "", with_parent=True)
                continue
            subject_key = self._subject_key(data)
            if subject_key is None:
                continue
            scope, service_id, location_id = subject_key
            key = (inspection.pk, scope, service_id, location_id, data.key_question)
            values = {"value": data.value, "previous_value": data.previous_value, "note": data.note}
            rating = existing.get(key)
            if rating is None and deleted_keys is None and not self.new_trust:
                deleted = kept.deleted_rows(Rating, inspection_id__in=inspection_ids)
                deleted_keys = {
                    (r.inspection_id, r.scope, r.service_id, r.location_id, r.key_question): pk
                    for pk, r in deleted.items()
                }
                deleted_keys = {k: pk for k, pk in deleted_keys.items() if k not in existing}
            if rating is None and deleted_keys and key in deleted_keys:
                pk = deleted_keys[key]
                if self.deletion_kept(self._label(data, inspection), kept.deleted_by(Rating, {pk: deleted[pk]})[pk]):
                    continue
            if rating is not None and rating.origin == Origin.CURATED:
                if rating.value != data.value:
                    self.disputed.append((rating, data))
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
                self.plan.add(rating)
            else:
                self.plan.change(rating, values, label=self._label(data, inspection))
            self.ratings.append((rating, data))

    def _kept_rating(self, rating: Rating, cqc_value: str, value_differs: bool) -> None:
        self.kept_ratings.add(rating.pk)
        if value_differs:
            self.edited_ratings[rating.pk] = cqc_value

    def _citations(self) -> None:
        found = [] if self.new_trust else RatingSource.objects.filter(rating__inspection__trust=self.trust)
        cited = {(c.rating_id, c.source_id): c for c in found}
        for rating, data in self.ratings:
            source = self.sources.get(data.record_id)
            if source is None or rating.pk in self.kept_ratings:  # an editor's rating keeps its citations as they are
                continue
            citation = cited.get((rating.pk, source.pk))
            if citation is None:
                self.plan.add(RatingSource(rating=rating, source=source, passage=data.passage))
            else:
                self.plan.change(
                    citation, {"passage": data.passage}, label=f"inspections.ratingsource {rating.pk} {source.code}"
                )
        if self.force:  # ratings overwritten with CQC's values no longer disagree with CQC
            Disagreement.objects.filter(
                rating_id__in=[rating.pk for rating, _ in self.ratings if rating.origin == Origin.CQC_API],
                value=F("rating__value"),
            ).delete()
        edited = [(rating, data) for rating, data in self.ratings if rating.pk in self.edited_ratings]
        disputes = self.disputed + edited
        if not disputes:
            return
        known = {
            (d.rating_id, d.source_id): d
            for d in Disagreement.objects.filter(rating_id__in=[rating.pk for rating, _ in disputes])
        }
        for rating, data in disputes:
            source = self.sources.get(data.record_id)
            if source is None:
                continue
            values = {"value": data.value, "passage": data.passage}
            disagreement = known.get((rating.pk, source.pk))
            if disagreement is None:
                self.plan.add(Disagreement(rating=rating, source=source, **values))
                if rating.origin == Origin.CURATED:
                    self.result.warnings.append(
                        f"{self.record}: CQC gives {data.passage} where our curated rating of "
                        f"{rating.subject_name} in {rating.inspection.title!r} is {rating.get_value_display()!r}; "
                        "kept ours and recorded the disagreement"
                    )
            else:
                self.plan.change(disagreement, values, label=f"inspections.disagreement {disagreement.pk}")
