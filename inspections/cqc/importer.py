"""Write one provider's mapped CQC records: validate everything in Python, then write all or nothing.

Merge rules (docs/decisions/0007-national-import-from-cqc.md):
- Curated records (origin "curated": fixtures and admin edits) are never changed. A CQC report
  that matches a curated inspection (same trust, publication date equal at the curated precision)
  attaches its ratings to it; where a curated rating of the same subject and key question says
  otherwise, a `Disagreement` is stored instead.
- Imported records (origin "cqc_api") are created, or updated only where a value differs, so
  importing the same data again writes nothing at all.
- One provider, one transaction: a provider that fails leaves the database as it was.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from inspections.changes import bulk
from inspections.cqc.errors import CqcDataError
from inspections.cqc.mapping import ProviderRecords, RatingRecord, ReportRecord
from inspections.domain.dates import DatePrecision, format_partial_date, period_end
from inspections.models import (
    CoreService,
    Disagreement,
    Inspection,
    InspectionType,
    Location,
    Origin,
    Rating,
    RatingSource,
    Source,
    SourceKind,
    Trust,
)

PUBLISHER = "Care Quality Commission"
CHANGE_REASON = "Imported from CQC's public API"
TRUST_FIELDS = ["name", "slug", "kind", "region", "town", "postcode", "address"]
LOCATION_FIELDS = ["name", "region", "town", "postcode", "address"]
SOURCE_FIELDS = ["kind", "publisher", "title", "url", "retrieved"]
INSPECTION_FIELDS = ["title", "inspection_type", "published", "published_precision", "visit_start", "scope",
                     "report_url"]  # fmt: skip
RATING_FIELDS = ["value", "previous_value", "note"]


def source_code(record_id: str) -> str:
    return f"CQC-API-{record_id}"


def cqc_page(record_id: str, *, provider: bool) -> str:
    """The record's public page on CQC's website."""
    return f"https://www.cqc.org.uk/{'provider' if provider else 'location'}/{record_id}"


@dataclass
class ImportResult:
    """What one provider's import did: rows created and updated by model, and the mapping's warnings."""

    provider_id: str
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(+self.created or +self.updated)


def _differs(obj, values: dict) -> bool:
    return any(getattr(obj, name) != value for name, value in values.items())


def _assign(obj, values: dict) -> None:
    for name, value in values.items():
        setattr(obj, name, value)


def _matches_curated(curated: Inspection, published: datetime.date) -> bool:
    """Same publication date at the curated record's precision (a curated "July 2015" matches 10 July 2015)."""
    if curated.published is None:
        return False
    return curated.published <= published <= period_end(curated.published, curated.published_precision)


class _Plan:
    """Objects to create and update, by model, built and checked before anything is written."""

    def __init__(self, result: ImportResult):
        self.result = result
        self.create: dict[type, list] = {}
        self.update: dict[type, tuple[list, list[str]]] = {}

    def add(self, obj) -> None:
        self.create.setdefault(type(obj), []).append(obj)
        self.result.created[type(obj).__name__] += 1

    def change(self, obj, values: dict, fields: list[str]) -> None:
        if obj.pk is None or not _differs(obj, values):
            _assign(obj, values)
            return
        _assign(obj, values)
        objs, _ = self.update.setdefault(type(obj), ([], fields))
        objs.append(obj)
        self.result.updated[type(obj).__name__] += 1

    def write(self, *models: type) -> None:
        """Creates, then updates, each model's rows through the one bulk writer (each with a history record)."""
        for model in models:
            bulk.create(self.create.pop(model, []), model, reason=CHANGE_REASON)
            objs, fields = self.update.pop(model, ([], []))
            bulk.update(objs, model, fields, reason=CHANGE_REASON)


def _check(obj, *, record: str, exclude: tuple[str, ...] = ()) -> None:
    """Field rules and `clean()` in Python (no queries); errors name the record."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        details = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
        raise CqcDataError(f"{type(obj).__name__} would be invalid ({details})", record=record) from None


def import_provider(*, records: ProviderRecords, retrieved: datetime.date) -> ImportResult:
    """Import one provider's records in one transaction; raises CqcDataError (nothing written) if any is invalid."""
    with transaction.atomic():
        connection = transaction.get_connection()
        if connection.vendor == "postgresql":
            # Each provider is a transaction that can simply be imported again, so it need not wait for
            # its commit to reach the disk (a crash loses at most the last commits, never consistency).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        return _Importer(records, retrieved).run()


class _Importer:
    def __init__(self, records: ProviderRecords, retrieved: datetime.date):
        self.records = records
        self.retrieved = retrieved
        self.pid = records.trust.provider_id
        self.record = f"provider {self.pid}"
        self.result = ImportResult(self.pid, warnings=list(records.warnings))
        self.plan = _Plan(self.result)

    def run(self) -> ImportResult:
        self._trust()
        self._sources()
        self._locations()
        self._services()
        self.plan.write(Trust, Source, Location, CoreService)
        self._inspections()
        self.plan.write(Inspection)
        self._inspection_links()
        self._ratings()
        self.plan.write(Rating)
        self._citations()
        self.plan.write(RatingSource, Disagreement, *self._through_models())
        return self.result

    # Trust, sources, locations, services ------------------------------------------------------

    def _trust(self) -> None:
        data = self.records.trust
        self.trust = Trust.objects.filter(provider_id=self.pid).first()
        self.new_trust = self.trust is None  # then nothing of it exists yet: no need to read what it has
        if self.trust is not None and self.trust.origin == Origin.CURATED:
            return
        slug = self.trust.slug if self.trust else slugify(data.name)[:50]
        clashes = Trust.objects.filter(Q(name=data.name) | Q(slug=slug)).exclude(provider_id=self.pid)
        for other in clashes:
            if other.name == data.name:
                raise CqcDataError(f"trust {other.provider_id} already has the name {data.name!r}", record=self.record)
            slug = f"{slug[:38]}-{slugify(self.pid)}"
        values = {"name": data.name, "slug": slug, "kind": data.kind, "region": data.region, "town": data.town,
                  "postcode": data.postcode, "address": data.address}  # fmt: skip
        if self.trust is None:
            self.trust = Trust(provider_id=self.pid, origin=Origin.CQC_API, **values)
            self.plan.add(self.trust)
        else:
            self.plan.change(self.trust, values, TRUST_FIELDS)
        _check(self.trust, record=self.record)

    def _sources(self) -> None:
        names = {loc.location_id: loc.name for loc in self.records.locations}
        wanted = {self.pid: (f"CQC ratings data for {self.records.trust.name} (provider {self.pid})", True)}
        for location_id, name in names.items():
            wanted[location_id] = (f"CQC ratings data for {name} (location {location_id})", False)
        existing = Source.objects.in_bulk([source_code(i) for i in wanted], field_name="code")
        self.sources = {}
        for record_id, (title, is_provider) in wanted.items():
            code = source_code(record_id)
            values = {"kind": SourceKind.CQC_DATA, "publisher": PUBLISHER, "title": title,
                      "url": cqc_page(record_id, provider=is_provider), "retrieved": self.retrieved}  # fmt: skip
            source = existing.get(code)
            if source is None:
                source = Source(code=code, origin=Origin.CQC_API, **values)
                self.plan.add(source)
            elif source.origin == Origin.CQC_API:
                self.plan.change(source, values, SOURCE_FIELDS)
            _check(source, record=f"{self.record}, source {code}")
            self.sources[record_id] = source

    def _locations(self) -> None:
        ids = [loc.location_id for loc in self.records.locations]
        by_id = {loc.cqc_location_id: loc for loc in Location.objects.filter(cqc_location_id__in=ids)}
        ours = [] if self.new_trust else list(Location.objects.filter(trust=self.trust))
        by_name = {loc.name.casefold(): loc for loc in ours if not loc.cqc_location_id}
        slugs = {loc.slug for loc in ours}
        self.locations: dict[str, Location] = {}
        for data in self.records.locations:
            record = f"{self.record}, location {data.location_id}"
            location = by_id.get(data.location_id) or by_name.get(data.name.casefold())
            if location is not None and location.trust_id != self.trust.pk:
                raise CqcDataError(f"location already belongs to another trust ({location.trust})", record=record)
            values = {"name": data.name, "region": data.region, "town": data.town, "postcode": data.postcode,
                      "address": data.address}  # fmt: skip
            if location is None:
                slug = slugify(data.name)[:50] or slugify(data.location_id)
                if slug in slugs:
                    slug = f"{slug[:38]}-{slugify(data.location_id)}"
                slugs.add(slug)
                location = Location(trust=self.trust, slug=slug, cqc_location_id=data.location_id,
                                    origin=Origin.CQC_API, **values)  # fmt: skip
                self.plan.add(location)
            elif location.origin == Origin.CQC_API:
                self.plan.change(location, values, LOCATION_FIELDS)
            _check(location, record=record, exclude=("trust",))
            self.locations[data.location_id] = location

    def _services(self) -> None:
        names = {r.subject.service: r.service_name for r in self.records.ratings if r.subject.is_service}
        found = CoreService.objects.filter(Q(slug__in=names) | Q(name__in=names.values()))
        by_slug = {service.slug: service for service in found}
        by_name = {service.name: service for service in found}
        self.services: dict[str, CoreService] = {}
        for slug, name in names.items():
            service = by_name.get(name) or by_slug.get(slug)
            if service is None:
                if not slug:
                    raise CqcDataError(f"core service {name!r} has no usable name", record=self.record)
                service = CoreService(slug=slug, name=name)
                _check(service, record=f"{self.record}, core service {name!r}")
                self.plan.add(service)
            self.services[slug] = service

    # Inspections ------------------------------------------------------------------------------

    def _inspection_values(self, report: ReportRecord) -> dict:
        on_trust = report.record_id == self.pid
        where = "the trust" if on_trust else self.locations[report.record_id].name
        visit = report.first_visit
        if visit and visit > report.published:
            self.result.warnings.append(f"{self.record}, report {report.link_id}: first visit {visit} is after "
                                        f"publication {report.published}; visit date not stored")  # fmt: skip
            visit = None
        return {
            "title": f"CQC report on {where}, {format_partial_date(report.published, DatePrecision.DAY)}",
            "inspection_type": InspectionType.NOT_GIVEN,
            "published": report.published,
            "published_precision": DatePrecision.DAY,
            "visit_start": visit,
            "scope": f"CQC {report.report_type.lower()} report"
            if report.report_type
            else "CQC report (type not given)",
            "report_url": f"{cqc_page(report.record_id, provider=on_trust)}/reports",
        }

    def _inspections(self) -> None:
        reports = self.records.reports
        for report in reports.values():
            if report.record_id != self.pid and report.record_id not in self.locations:
                raise CqcDataError(f"report {report.link_id} belongs to unknown record {report.record_id}",
                                   record=self.record)  # fmt: skip
        by_link = {i.cqc_report_link_id: i for i in Inspection.objects.filter(cqc_report_link_id__in=list(reports))}
        ours = [] if self.new_trust else list(Inspection.objects.filter(trust=self.trust))
        curated = [i for i in ours if i.origin == Origin.CURATED]
        slugs = {i.slug for i in ours}
        self.inspections: dict[str, Inspection] = {}
        for link_id, report in sorted(reports.items(), key=lambda item: (item[1].published, item[0])):
            record = f"{self.record}, report {link_id}"
            inspection = by_link.get(link_id)
            if inspection is not None and inspection.trust_id != self.trust.pk:
                raise CqcDataError(f"report already belongs to another trust ({inspection.trust})", record=record)
            if inspection is None:
                inspection = self._curated_match(report, [i for i in curated if _matches_curated(i, report.published)])
            if inspection is not None and inspection.origin == Origin.CURATED:
                self.inspections[link_id] = inspection
                continue
            values = self._inspection_values(report)
            if inspection is None:
                slug = f"{report.published.isoformat()}-{slugify(link_id)[-8:]}"
                if slug in slugs:
                    raise CqcDataError(f"inspection slug {slug!r} is taken in this trust", record=record)
                slugs.add(slug)
                inspection = Inspection(trust=self.trust, slug=slug, cqc_report_link_id=link_id, summary="",
                                        origin=Origin.CQC_API, **values)  # fmt: skip
                self.plan.add(inspection)
            else:
                self.plan.change(inspection, values, INSPECTION_FIELDS)
            _check(inspection, record=record, exclude=("trust",))
            self.inspections[link_id] = inspection

    def _curated_match(self, report: ReportRecord, candidates: list[Inspection]) -> Inspection | None:
        """The curated inspection this report's ratings belong to: the one rating most of the same subjects."""
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        subjects = {self._subject_key(r) for r in self.records.ratings if r.report_link_id == report.link_id}
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

    def _inspection_links(self) -> None:
        """Sources, locations and services of imported inspections (curated inspections are left as they are)."""
        imported = {link: i for link, i in self.inspections.items() if i.origin == Origin.CQC_API}
        wanted = {"sources": set(), "locations": set(), "services": set()}
        for link_id, inspection in imported.items():
            report = self.records.reports[link_id]
            wanted["sources"].add((inspection.pk, self.sources[report.record_id].pk))
            if report.record_id in self.locations:
                wanted["locations"].add((inspection.pk, self.locations[report.record_id].pk))
        for rating in self.records.ratings:
            inspection = imported.get(rating.report_link_id)
            if inspection is None:
                continue
            if rating.subject.location:
                wanted["locations"].add((inspection.pk, self.locations[rating.subject.location].pk))
            if rating.subject.is_service:
                wanted["services"].add((inspection.pk, self.services[rating.subject.service].pk))
        self.through = []
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
            for inspection_id, other_id in sorted(pairs - existing):
                self.plan.add(through(inspection_id=inspection_id, **{other: other_id}))
            self.through.append(through)

    def _through_models(self) -> list[type]:
        return self.through

    # Ratings ----------------------------------------------------------------------------------

    def _subject_key(self, rating: RatingRecord) -> tuple[str, int | None, int | None]:
        """(scope, service id, location id): what a rating is about, as stored."""
        subject = rating.subject
        service = self.services[subject.service].pk if subject.is_service else None
        location = self.locations[subject.location].pk if subject.location else None
        return subject.scope, service, location

    def _ratings(self) -> None:
        inspection_ids = {i.pk for i in self.inspections.values()}
        existing = {
            (r.inspection_id, r.scope, r.service_id, r.location_id, r.key_question): r
            for r in ([] if self.new_trust else Rating.objects.filter(inspection_id__in=inspection_ids))
        }
        self.ratings: list[tuple[Rating, RatingRecord]] = []
        self.disputed: list[tuple[Rating, RatingRecord]] = []
        for data in self.records.ratings:
            inspection = self.inspections[data.report_link_id]
            scope, service_id, location_id = self._subject_key(data)
            key = (inspection.pk, scope, service_id, location_id, data.key_question)
            values = {"value": data.value, "previous_value": data.previous_value, "note": data.note}
            rating = existing.get(key)
            if rating is not None and rating.origin == Origin.CURATED:
                if rating.value != data.value:
                    self.disputed.append((rating, data))
                continue
            if rating is None:
                rating = Rating(inspection=inspection, scope=scope, service_id=service_id,
                                location_id=location_id, key_question=data.key_question, origin=Origin.CQC_API,
                                **values)  # fmt: skip
                self.plan.add(rating)
            else:
                self.plan.change(rating, values, RATING_FIELDS)
            self.ratings.append((rating, data))

    def _citations(self) -> None:
        found = [] if self.new_trust else RatingSource.objects.filter(rating__inspection__trust=self.trust)
        cited = {(c.rating_id, c.source_id): c for c in found}
        for rating, data in self.ratings:
            source = self.sources[data.record_id]
            citation = cited.get((rating.pk, source.pk))
            if citation is None:
                self.plan.add(RatingSource(rating=rating, source=source, passage=data.passage))
            else:
                self.plan.change(citation, {"passage": data.passage}, ["passage"])
        disputed_ids = [rating.pk for rating, _ in self.disputed]
        known = {(d.rating_id, d.source_id): d for d in Disagreement.objects.filter(rating_id__in=disputed_ids)}
        for rating, data in self.disputed:
            source = self.sources[data.record_id]
            values = {"value": data.value, "passage": data.passage}
            disagreement = known.get((rating.pk, source.pk))
            if disagreement is None:
                self.plan.add(Disagreement(rating=rating, source=source, **values))
                self.result.warnings.append(
                    f"{self.record}: CQC gives {data.passage} where our curated rating of "
                    f"{rating.subject_name} in {rating.inspection.title!r} is {rating.get_value_display()!r}; "
                    "kept ours and recorded the disagreement"
                )
            else:
                self.plan.change(disagreement, values, ["value", "passage"])
