"""Import steps for a provider's sites: create or update each, move one CQC now lists under this trust, and
store the relationships CQC gives between sites (e.g. the site a new one replaced)."""

from django.utils.text import slugify

from inspections.changes import edits
from inspections.cqc.import_context import ImportContext, Sites
from inspections.cqc.import_trust import registration_values
from inspections.cqc.mapped import LocationRecord
from inspections.domain.codes import Origin
from inspections.models import Location, LocationMove, LocationRelationship, Trust

LOCATION_LABEL = "inspections.location {}"


def free_slug(slug: str, record_id: str, taken: set[str], *, length: int = 38) -> str:
    """`slug`, or with the record's id after it where a record of the same trust has it; taken from now on."""
    if slug in taken:
        slug = f"{slug[:length]}-{slugify(record_id)}"
    taken.add(slug)
    return slug


def plan_sites(ctx: ImportContext) -> Sites:
    """Each site, created or updated (a curated one left as it is), or moved here with its history."""
    trust = ctx.trust
    ids = [loc.location_id for loc in ctx.records.locations]
    by_id = {loc.cqc_location_id: loc for loc in Location.objects.filter(cqc_location_id__in=ids)}
    ours = list(Location.objects.filter(trust=trust)) if ctx.held_before else []
    by_name = {loc.name.casefold(): loc for loc in ours if not loc.cqc_location_id}
    missing = [i for i in ids if i not in by_id]
    deleted = edits.deleted_rows(Location, cqc_location_id__in=missing) if ctx.held_before and missing else {}
    deleted_ids = {record.cqc_location_id: pk for pk, record in deleted.items()}
    slugs = {loc.slug for loc in ours}
    locations: dict[str, Location] = {}
    moved: dict[str, tuple[Location, Trust]] = {}
    skipped: set[str] = set()
    for data in ctx.records.locations:
        record = f"{ctx.record}, location {data.location_id}"
        location = by_id.get(data.location_id) or by_name.get(data.name.casefold())
        label = LOCATION_LABEL.format(data.location_id)
        if location is None and data.location_id in deleted_ids:
            pk = deleted_ids[data.location_id]
            if ctx.deletion_kept(label, edits.deleted_by(Location, {pk: deleted[pk]})[pk]):
                skipped.add(data.location_id)
                continue
        values = {
            "name": data.name,
            "region": data.region,
            "town": data.town,
            "postcode": data.postcode,
            "address": data.address,
            **registration_values(data.registration),
        }
        if location is not None and location.trust_id != trust.pk:
            if location.origin == Origin.CURATED:
                ctx.problem(
                    "locationIds",
                    data.location_id,
                    f"a curated site of {location.trust}; left there, its ratings here not stored",
                    record=record,
                )
                skipped.add(data.location_id)
                continue
            moved[data.location_id] = (location, _move(ctx, location, data, slugs))
        if location is None:
            slug = free_slug(slugify(data.name)[:50] or slugify(data.location_id), data.location_id, slugs)
            location = Location(
                trust=trust, slug=slug, cqc_location_id=data.location_id, origin=Origin.CQC_API, **values
            )
            if not ctx.valid(location, what=f"location {data.location_id}", exclude=("trust",)):
                skipped.add(data.location_id)
                continue
            ctx.plan.create(location)
        elif location.origin == Origin.CQC_API and ctx.valid(
            location, values, what=f"location {data.location_id}", exclude=("trust",)
        ):
            ctx.plan.update(location, values, label=label)
        locations[data.location_id] = location
    return Sites(locations, moved, frozenset(skipped))


def _move(ctx: ImportContext, location: Location, data: LocationRecord, slugs: set[str]) -> Trust:
    """A site CQC now lists under this trust moves here with its history; the trust it left."""
    old = location.trust
    slug = location.slug if location.slug not in slugs else free_slug(location.slug, data.location_id, slugs)
    slugs.add(slug)
    ctx.plan.move(location, {"trust": ctx.trust, "slug": slug}, label=LOCATION_LABEL.format(data.location_id))
    ctx.result.moves.append(
        f"site {data.name} ({data.location_id}) moved here from {old.name} ({old.provider_id}) with its history"
    )
    return old


def plan_relationships(ctx: ImportContext) -> None:
    """Each move, recorded; and the relationships CQC gives between this provider's sites and others."""
    for location, old in ctx.sites.moved.values():
        ctx.plan.create(
            LocationMove(
                location=location,
                from_provider_id=old.provider_id,
                from_trust_name=old.name,
                to_provider_id=ctx.provider_id,
                noticed=ctx.retrieved,
            )
        )
    sites = ctx.sites.by_id
    wanted = {
        (loc.location_id, rel.related_id, rel.kind): rel
        for loc in ctx.records.locations
        for rel in loc.relationships
        if loc.location_id in sites
    }
    if not wanted:
        return
    existing = {
        (r.location_id, r.related_cqc_id, r.kind): r
        for r in LocationRelationship.objects.filter(location_id__in=[loc.pk for loc in sites.values()])
    }
    for (location_id, related_id, kind), rel in wanted.items():
        location = sites[location_id]
        values = {"related_name": rel.related_name, "reason": rel.reason}
        row = existing.get((location.pk, related_id, kind))
        if row is None:
            row = LocationRelationship(
                location=location, related_cqc_id=related_id, kind=kind, origin=Origin.CQC_API, **values
            )
            if ctx.valid(row, what=f"relationship of {location_id}", exclude=("location",)):
                ctx.plan.create(row)
        elif row.origin == Origin.CQC_API:
            ctx.plan.update(row, values, label=f"inspections.locationrelationship {location_id} {kind} {related_id}")
