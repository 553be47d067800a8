"""Import steps for a provider's sites: create or update each, move one CQC now lists under this trust, and
store the relationships CQC gives between sites (e.g. the site a new one replaced)."""

from django.utils.text import slugify

from inspections.cqc import kept
from inspections.models import Location, LocationMove, LocationRelationship, Origin

LOCATION_LABEL = "inspections.location {}"


def registration_values(registration) -> dict:
    """The columns of `Registered` (trusts and sites) from a mapped `Registration`."""
    return {
        "registration_status": registration.status,
        "deregistration_date": registration.deregistered,
        "latitude": registration.latitude,
        "longitude": registration.longitude,
    }


class SiteSteps:
    """Mixed into the importer (`importer._Importer`), whose state it reads and writes."""

    def _locations(self) -> None:
        ids = [loc.location_id for loc in self.records.locations]
        by_id = {loc.cqc_location_id: loc for loc in Location.objects.filter(cqc_location_id__in=ids)}
        ours = [] if self.new_trust else list(Location.objects.filter(trust=self.trust))
        by_name = {loc.name.casefold(): loc for loc in ours if not loc.cqc_location_id}
        missing = [i for i in ids if i not in by_id]
        deleted = {} if self.new_trust or not missing else kept.deleted_rows(Location, cqc_location_id__in=missing)
        deleted_ids = {record.cqc_location_id: pk for pk, record in deleted.items()}
        self.slugs = {loc.slug for loc in ours}
        self.locations: dict[str, Location] = {}
        self.moved: dict[str, Location] = {}
        self.skipped_locations: set[str] = set()
        self.moves_to_write: list[tuple[Location, object]] = []
        for data in self.records.locations:
            record = f"{self.record}, location {data.location_id}"
            location = by_id.get(data.location_id) or by_name.get(data.name.casefold())
            label = LOCATION_LABEL.format(data.location_id)
            if location is None and data.location_id in deleted_ids:
                pk = deleted_ids[data.location_id]
                if self.deletion_kept(label, kept.deleted_by(Location, {pk: deleted[pk]})[pk]):
                    self.skipped_locations.add(data.location_id)
                    continue
            values = {
                "name": data.name,
                "region": data.region,
                "town": data.town,
                "postcode": data.postcode,
                "address": data.address,
                **registration_values(data.registration),
            }
            if location is not None and location.trust_id != self.trust.pk:
                if location.origin == Origin.CURATED:
                    self.problem(
                        "locationIds",
                        data.location_id,
                        f"a curated site of {location.trust}; left there, its ratings here not stored",
                        record=record,
                    )
                    self.skipped_locations.add(data.location_id)
                    continue
                self._move(location, data)
            if location is None:
                slug = self._free_slug(slugify(data.name)[:50] or slugify(data.location_id), data.location_id)
                location = Location(
                    trust=self.trust, slug=slug, cqc_location_id=data.location_id, origin=Origin.CQC_API, **values
                )
                if not self.valid(location, what=f"location {data.location_id}", exclude=("trust",)):
                    self.skipped_locations.add(data.location_id)
                    continue
                self.plan.add(location)
            elif location.origin == Origin.CQC_API and self.valid(
                location, values, what=f"location {data.location_id}", exclude=("trust",)
            ):
                self.plan.change(location, values, label=label)
            self.locations[data.location_id] = location

    def _free_slug(self, slug: str, location_id: str) -> str:
        if slug in self.slugs:
            slug = f"{slug[:38]}-{slugify(location_id)}"
        self.slugs.add(slug)
        return slug

    def _move(self, location: Location, data) -> None:
        """A site CQC now lists under this trust moves here with its history, and a LocationMove says so."""
        old = location.trust
        self.new_trust = False  # it brings rows with it: what this trust holds must be read from now on
        slug = location.slug if location.slug not in self.slugs else self._free_slug(location.slug, data.location_id)
        self.slugs.add(slug)
        self.plan.move(location, {"trust": self.trust, "slug": slug}, label=LOCATION_LABEL.format(data.location_id))
        self.moved[data.location_id] = location
        self.moves_to_write.append((location, old))
        self.result.moves.append(
            f"site {data.name} ({data.location_id}) moved here from {old.name} ({old.provider_id}) with its history"
        )

    def _relationships(self) -> None:
        for location, old in self.moves_to_write:
            self.plan.add(
                LocationMove(
                    location=location,
                    from_provider_id=old.provider_id,
                    from_trust_name=old.name,
                    to_provider_id=self.pid,
                    noticed=self.retrieved,
                )
            )
        wanted = {
            (loc.location_id, rel.related_id, rel.kind): rel
            for loc in self.records.locations
            for rel in loc.relationships
            if loc.location_id in self.locations
        }
        if not wanted:
            return
        held = [loc.pk for loc in self.locations.values()]
        existing = {
            (r.location_id, r.related_cqc_id, r.kind): r
            for r in LocationRelationship.objects.filter(location_id__in=held)
        }
        for (location_id, related_id, kind), rel in wanted.items():
            location = self.locations[location_id]
            values = {"related_name": rel.related_name, "reason": rel.reason}
            row = existing.get((location.pk, related_id, kind))
            if row is None:
                row = LocationRelationship(
                    location=location, related_cqc_id=related_id, kind=kind, origin=Origin.CQC_API, **values
                )
                if self.valid(row, what=f"relationship of {location_id}", exclude=("location",)):
                    self.plan.add(row)
            elif row.origin == Origin.CQC_API:
                self.plan.change(
                    row, values, label=f"inspections.locationrelationship {location_id} {kind} {related_id}"
                )
