"""Import steps for a provider's reports: one inspection each (CQC's report id, its own address and documents),
the sources, sites and services each covered, and the links' history."""

import datetime
from collections import defaultdict

from simple_history.utils import get_history_model_for_model

from inspections.changes import bulk
from inspections.cqc import kept
from inspections.cqc.records import ReportRecord
from inspections.domain.dates import DatePrecision, format_partial_date, period_end
from inspections.models import Inspection, InspectionType, Origin, Rating, ReportDocument

INSPECTION_LABEL = "inspections.inspection {} {}"


def matches_curated(curated: Inspection, published: datetime.date) -> bool:
    """Same publication date at the curated record's precision (a curated "July 2015" matches 10 July 2015)."""
    if curated.published is None:
        return False
    return curated.published <= published <= period_end(curated.published, curated.published_precision)


class ReportSteps:
    """Mixed into the importer (`importer._Importer`), whose state it reads and writes."""

    def _inspection_values(self, report: ReportRecord) -> dict:
        where = "the trust" if report.record_id == self.pid else self.locations[report.record_id].name
        return {
            "title": f"CQC report on {where}, {format_partial_date(report.published, DatePrecision.DAY)}",
            "inspection_type": InspectionType.NOT_GIVEN,
            "published": report.published,
            "published_precision": DatePrecision.DAY,
            "visit_start": report.first_visit,
            "scope": f"CQC {report.report_type.lower()} report"
            if report.report_type
            else "CQC report (type not given)",
            "report_url": report.report_url,
        }

    def _inspections(self) -> None:
        reports = self.records.reports
        by_link = {i.cqc_report_link_id: i for i in Inspection.objects.filter(cqc_report_link_id__in=list(reports))}
        ours = [] if self.new_trust else list(Inspection.objects.filter(trust=self.trust))
        curated = [i for i in ours if i.origin == Origin.CURATED]
        self.inspection_slugs = {i.slug for i in ours}
        missing = [link for link in reports if link not in by_link]
        deleted = {} if self.new_trust or not missing else kept.deleted_rows(Inspection, cqc_report_link_id__in=missing)
        deleted_links = {record.cqc_report_link_id: pk for pk, record in deleted.items()}
        self.inspections: dict[str, Inspection] = {}
        self.created_inspections: list[Inspection] = []
        self.deleted_reports: set[str] = set()
        for link_id, report in sorted(reports.items(), key=lambda item: (item[1].published, item[1].slug)):
            label = INSPECTION_LABEL.format(self.pid, report.slug)
            if report.record_id != self.pid and report.record_id not in self.locations:
                if report.record_id in self.skipped_locations:
                    self.deleted_reports.add(link_id)
                continue
            inspection = by_link.get(link_id)
            if inspection is not None and inspection.trust_id != self.trust.pk:
                if inspection.origin == Origin.CQC_API and report.record_id in self.moved:
                    self._move_inspection(inspection, label)
                else:
                    self.result.warnings.append(
                        f"{self.record}, report {link_id}: held by {inspection.trust} "
                        f"({inspection.trust.provider_id}), whose data lists it too (e.g. ratings a site inherited "
                        "from its predecessor); its ratings here not stored"
                    )
                    continue
            if inspection is None and link_id in deleted_links:
                pk = deleted_links[link_id]
                if self.deletion_kept(label, kept.deleted_by(Inspection, {pk: deleted[pk]})[pk]):
                    self.deleted_reports.add(link_id)
                    continue
            if inspection is None:
                inspection = self._curated_match(report, [i for i in curated if matches_curated(i, report.published)])
            if inspection is not None and inspection.origin == Origin.CURATED:
                self.inspections[link_id] = inspection
                continue
            values = self._inspection_values(report)
            if inspection is None:
                slug = report.slug
                if slug in self.inspection_slugs:
                    slug = f"{slug[:40]}-{len(self.inspection_slugs)}"
                    self.result.warnings.append(
                        f"{self.record}, report {link_id}: inspection slug {report.slug!r} "
                        f"is taken in this trust; stored as {slug!r}"
                    )
                inspection = Inspection(
                    trust=self.trust, slug=slug, cqc_report_link_id=link_id, summary="", origin=Origin.CQC_API, **values
                )
                if not self.valid(inspection, what=f"report {link_id}", exclude=("trust",)):
                    continue
                self.inspection_slugs.add(slug)
                self.plan.add(inspection)
                self.created_inspections.append(inspection)
            elif self.valid(inspection, values, what=f"report {link_id}", exclude=("trust",)):
                self.plan.change(inspection, values, label=label)
            self.inspections[link_id] = inspection

    def _move_inspection(self, inspection: Inspection, label: str) -> None:
        """A moved site's own report moves with it (its ratings stay on it)."""
        slug = inspection.slug
        if slug in self.inspection_slugs:
            slug = f"{slug[:40]}-{len(self.inspection_slugs)}"
        self.inspection_slugs.add(slug)
        self.plan.move(inspection, {"trust": self.trust, "slug": slug}, label=label)

    def _curated_match(self, report: ReportRecord, candidates: list[Inspection]) -> Inspection | None:
        """The curated inspection this report's ratings belong to: the one rating most of the same subjects."""
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        subjects = {
            self._subject_key(r)
            for r in self.records.ratings
            if r.report_link_id == report.link_id and self._subject_key(r)
        }
        rated = {i.pk: set() for i in candidates}
        for inspection_id, *key in Rating.objects.filter(inspection__in=candidates).values_list(
            "inspection_id", "scope", "service_id", "location_id"
        ):
            rated[inspection_id].add(tuple(key))
        ranked = sorted(candidates, key=lambda i: (-len(rated[i.pk] & subjects), i.slug))
        if len(rated[ranked[0].pk] & subjects) == len(rated[ranked[1].pk] & subjects):
            self.result.warnings.append(
                f"{self.record}, report {report.link_id}: matches curated inspections "
                f"{', '.join(i.slug for i in ranked)} equally; its ratings attach to {ranked[0].slug}"
            )
        return ranked[0]

    def _documents(self) -> None:
        """Each report's documents (PDFs), as CQC lists them; never removed, an editor's change kept."""
        wanted = {
            (link_id, doc.url): doc for link_id in self.inspections for doc in self.records.reports[link_id].documents
        }
        if not wanted:
            return
        held = [i.pk for i in self.inspections.values() if i.pk]
        existing = (
            {}
            if self.new_trust
            else {(d.inspection_id, d.url): d for d in ReportDocument.objects.filter(inspection_id__in=held)}
        )
        for (link_id, url), doc in wanted.items():
            inspection = self.inspections[link_id]
            row = existing.get((inspection.pk, url))
            if row is None:
                row = ReportDocument(inspection=inspection, url=url, kind=doc.kind, origin=Origin.CQC_API)
                if self.valid(row, what=f"document of report {link_id}", exclude=("inspection",)):
                    self.plan.add(row)
            elif row.origin == Origin.CQC_API:
                self.plan.change(row, {"kind": doc.kind}, label=f"inspections.reportdocument {url}")

    def _inspection_links(self) -> None:
        """Sources, sites and services of imported inspections (curated inspections are left as they are)."""
        imported = {link: i for link, i in self.inspections.items() if i.origin == Origin.CQC_API}
        wanted = {"sources": set(), "locations": set(), "services": set()}
        for link_id, inspection in imported.items():
            report = self.records.reports[link_id]
            if report.record_id in self.sources:
                wanted["sources"].add((inspection.pk, self.sources[report.record_id].pk))
            if report.record_id in self.locations:
                wanted["locations"].add((inspection.pk, self.locations[report.record_id].pk))
        for rating in self.records.ratings:
            inspection = imported.get(rating.report_link_id)
            if inspection is None or self._subject_key(rating) is None:
                continue
            if rating.subject.location:
                wanted["locations"].add((inspection.pk, self.locations[rating.subject.location].pk))
            if rating.subject.is_service:
                wanted["services"].add((inspection.pk, self.services[rating.subject.service].pk))
        self.through, self.linked = [], set()
        for name, pairs in wanted.items():
            through = getattr(Inspection, name).through
            other = f"{getattr(Inspection, name).field.related_model._meta.model_name}_id"
            existing = (
                set()
                if self.new_trust
                else set(
                    through.objects.filter(inspection_id__in=[i.pk for i in imported.values()]).values_list(
                        "inspection_id", other
                    )
                )
            )
            adding = sorted(pairs - existing)
            edited = self._edited_inspections({pk for pk, _ in adding})
            for inspection_id, other_id in adding:
                if inspection_id not in edited:
                    self.plan.add(through(inspection_id=inspection_id, **{other: other_id}))
                    self.linked.add(inspection_id)
            self.through.append(through)

    def _edited_inspections(self, pks: set[int]) -> set[int]:
        """Stored imported inspections an editor changed since: their links stay as the editor left them."""
        created = {inspection.pk for inspection in self.created_inspections}
        stored = [pk for pk in pks if pk not in created]
        return set() if self.force or not stored else set(kept.edited_rows(Inspection, stored))

    def _link_history(self) -> None:
        """The links of inspections written now, on the history records this import wrote for them."""
        if not self.linked:
            return
        history = get_history_model_for_model(Inspection)
        records = list(
            history.objects.filter(
                id__in=self.linked, history_date=self.plan.when, history_change_reason=self.plan.reason
            )
        )
        if not records:
            return
        for many in history._history_m2m_fields:
            through = many.remote_field.through
            owner = through._meta.get_field(many.m2m_field_name()).attname
            other = through._meta.get_field(many.m2m_reverse_field_name()).attname
            links = defaultdict(list)
            for link_pk, owner_pk, other_pk in through.objects.filter(**{f"{owner}__in": self.linked}).values_list(
                "pk", owner, other
            ):
                links[owner_pk].append((link_pk, other_pk))
            link_history = getattr(history, many.name).model
            rows = [
                link_history(history=record, id=link_pk, **{owner: record.id, other: other_pk})
                for record in records
                for link_pk, other_pk in links[record.id]
            ]
            bulk.insert_plain(rows, link_history)
