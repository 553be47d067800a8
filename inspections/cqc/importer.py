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

The steps live in mixins by concern: `import_sites` (sites, moves, relationships), `import_reports`
(inspections, documents, links), `import_ratings` (ratings, citations, disagreements),
`import_assessments` (assessments, problems).
"""

import copy
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from inspections.cqc import kept
from inspections.cqc.errors import CqcDataError
from inspections.cqc.import_assessments import AssessmentSteps
from inspections.cqc.import_ratings import RatingSteps
from inspections.cqc.import_reports import ReportSteps
from inspections.cqc.import_sites import SiteSteps, registration_values
from inspections.cqc.kept import IMPORT_REASON, REASON_LENGTH, Kept, KeptAction
from inspections.cqc.mapping import cqc_page
from inspections.cqc.plan import ImportResult, WritePlan
from inspections.cqc.records import ProviderRecords, UnreadPart
from inspections.models import (
    CoreService,
    Disagreement,
    Inspection,
    Location,
    LocationMove,
    LocationRelationship,
    Origin,
    Rating,
    RatingSource,
    ReportDocument,
    Source,
    SourceKind,
    Trust,
)

PUBLISHER = "Care Quality Commission"

__all__ = ["ImportResult", "import_provider", "source_code"]


def source_code(record_id: str) -> str:
    return f"CQC-API-{record_id}"


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
        return _Importer(records, retrieved, reason=reason[:REASON_LENGTH], force=force).run()


class _Importer(SiteSteps, ReportSteps, RatingSteps, AssessmentSteps):
    def __init__(self, records: ProviderRecords, retrieved: datetime.date, *, reason: str, force: bool):
        self.records = records
        self.retrieved = retrieved
        self.force = force
        self.pid = records.trust.provider_id
        self.record = f"provider {self.pid}"
        self.result = ImportResult(self.pid, warnings=list(records.warnings), problems=list(records.problems))
        self.plan = WritePlan(self.result, reason=reason, force=force, when=timezone.now(), on_kept=self._kept_change)

    def run(self) -> ImportResult:
        if not self._trust():
            return self.result
        self._sources()
        self._locations()
        self._services()
        self.plan.write(Trust, Source, Location, CoreService)
        self._relationships()
        self.plan.write(LocationMove, LocationRelationship)
        self._inspections()
        self.plan.write(Inspection)
        self._inspection_links()
        self._documents()
        self._ratings()
        self.plan.write(Rating)
        self._citations()
        self.plan.write(RatingSource, Disagreement, ReportDocument, *self.through)
        self._link_history()
        self._assessments()
        self._problems()
        return self.result

    # Shared helpers -----------------------------------------------------------------------------

    def problem(self, field: str, value, message: str, *, record: str = "") -> None:
        self.result.problems.append(UnreadPart(record or self.record, "", field, str(value)[:300], message))

    def deletion_kept(self, label: str, detail: str, *, with_parent: bool = False) -> bool:
        """Lists a record an editor deleted since it was imported; True when it stays deleted (without --force)."""
        outcome = Kept(self.pid, label, KeptAction.DELETED, detail, with_parent=with_parent)
        (self.result.overridden if self.force else self.result.kept).append(outcome)
        return not self.force

    def valid(self, obj, values: dict | None = None, *, what: str, exclude: tuple[str, ...] = ()) -> bool:
        """Whether `obj` (with `values`, when given) passes its field rules and `clean()`; a problem when not.

        A stored row whose values would not change is not checked again (a second import checks nothing).
        """
        if values and obj.pk is not None and all(getattr(obj, name) == value for name, value in values.items()):
            return True
        candidate = copy.copy(obj) if values else obj
        for name, value in (values or {}).items():
            setattr(candidate, name, value)
        try:
            candidate.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.problem(
                    f"{what}: {name}",
                    getattr(candidate, name, ""),
                    f"would be invalid ({' '.join(messages)}); not stored",
                )
            return False
        return True

    def _kept_change(self, change) -> None:
        """An editor's change kept: a rating whose value now differs from CQC's gets a disagreement."""
        if isinstance(change.obj, Rating):
            self._kept_rating(change.obj, change.after["value"], change.before["value"] != change.after["value"])

    # Trust, sources, services -------------------------------------------------------------------

    def _trust(self) -> bool:
        """Plans the trust; False when an editor deleted it since it was imported (then nothing is written)."""
        data = self.records.trust
        self.trust = Trust.objects.filter(provider_id=self.pid).first()
        if self.trust is None:
            deleted = kept.deleted_rows(Trust, provider_id=self.pid)
            detail = next(iter(kept.deleted_by(Trust, deleted).values()), "")
            if deleted and self.deletion_kept(f"inspections.trust {self.pid}", detail):
                return False
        self.new_trust = self.trust is None  # then nothing of it exists yet: no need to read what it has
        if self.trust is not None and self.trust.origin == Origin.CURATED:
            return True
        name = data.name
        slug = self.trust.slug if self.trust else slugify(name)[:50] or slugify(self.pid)
        for other in Trust.objects.filter(Q(name=name) | Q(slug=slug)).exclude(provider_id=self.pid):
            if other.name == name:
                self.problem(
                    "name", name, f"another trust ({other.provider_id}) has this name; stored with our id after it"
                )
                name = f"{name[:190]} ({self.pid})"
            if other.slug == slug:
                slug = f"{slug[:38]}-{slugify(self.pid)}"
        values = {
            "name": name,
            "slug": slug,
            "kind": data.kind,
            "region": data.region,
            "town": data.town,
            "postcode": data.postcode,
            "address": data.address,
            **registration_values(data.registration),
        }
        if self.trust is None:
            self.trust = Trust(provider_id=self.pid, origin=Origin.CQC_API, **values)
            if not self.valid(self.trust, what="trust"):
                raise CqcDataError("the trust would be invalid (see the problems above)", record=self.record)
            self.plan.add(self.trust)
        elif self.valid(self.trust, values, what="trust"):
            self.plan.change(self.trust, values, label=f"inspections.trust {self.pid}")
        return True

    def _sources(self) -> None:
        wanted = {self.pid: (f"CQC ratings data for {self.records.trust.name} (provider {self.pid})", True)}
        for location in self.records.locations:
            wanted[location.location_id] = (
                f"CQC ratings data for {location.name} (location {location.location_id})",
                False,
            )
        existing = Source.objects.in_bulk([source_code(i) for i in wanted], field_name="code")
        self.sources = {}
        for record_id, (title, is_provider) in wanted.items():
            code = source_code(record_id)
            values = {
                "kind": SourceKind.CQC_DATA,
                "publisher": PUBLISHER,
                "title": title[:300],
                "url": cqc_page(record_id, provider=is_provider),
                "retrieved": self.retrieved,
            }
            source = existing.get(code)
            if source is None:
                source = Source(code=code, origin=Origin.CQC_API, **values)
                if not self.valid(source, what=f"source {code}"):
                    continue
                self.plan.add(source)
            elif source.origin == Origin.CQC_API and self.valid(source, values, what=f"source {code}"):
                self.plan.change(source, values, label=f"inspections.source {code}")
            self.sources[record_id] = source
        if self.pid not in self.sources:
            raise CqcDataError("the trust's source would be invalid (see the problems above)", record=self.record)

    def _services(self) -> None:
        names = {r.subject.service: r.service_name for r in self.records.ratings if r.subject.is_service}
        found = CoreService.objects.filter(Q(slug__in=names) | Q(name__in=names.values()))
        by_slug = {service.slug: service for service in found}
        by_name = {service.name: service for service in found}
        self.services: dict[str, CoreService] = {}
        for slug, name in names.items():
            service = by_name.get(name) or by_slug.get(slug)
            if service is None:
                service = CoreService(slug=slug, name=name)
                if not self.valid(service, what=f"core service {name!r}"):
                    continue
                self.plan.add(service)
            self.services[slug] = service
