"""Import steps for core services: one per CQC inspection area id, shared by all trusts and named as CQC names it,
and each site's (and the trust's own) inspection areas, with their status there and what superseded them."""

from django.db.models import Q
from django.utils.text import slugify

from inspections.cqc.import_context import ImportContext
from inspections.cqc.mapped import AreaRecord
from inspections.cqc.stated_ratings import UNNAMED_SUFFIX, unnamed
from inspections.domain.codes import Origin
from inspections.models import CoreService, InspectionArea


def _wanted(ctx: ImportContext) -> dict[str, tuple[str, str]]:
    """{service key: (name, CQC's area id)} of every service the ratings and inspection areas name, successors too."""
    records = ctx.records
    areas = [*records.trust.areas, *(area for location in records.locations for area in location.areas)]
    names = {area.area_id: area.name for area in areas if area.name}
    wanted = {area.area_id: (names.get(area.area_id) or unnamed(area.area_id), area.area_id) for area in areas}
    for area in areas:
        if area.superseded_by:
            successor = area.superseded_by
            wanted.setdefault(successor, (names.get(successor) or unnamed(successor), successor))
    for rating in records.ratings:
        if rating.subject.is_service:
            wanted.setdefault(rating.subject.service, (rating.service_name, rating.service_area_id))
    return wanted


def plan_services(ctx: ImportContext) -> dict[str, CoreService]:
    """The core services, by the service's key in the records (CQC's area id, where it gives one).

    A service is found by its area id, then by its name (a curated service of the same name is the same service,
    and keeps its name), then, for one an earlier import named by its id alone, by that id as its slug.
    """
    wanted = _wanted(ctx)
    area_ids = [area_id for _, area_id in wanted.values() if area_id]
    names = [name for name, _ in wanted.values()]
    found = list(CoreService.objects.filter(Q(cqc_area_id__in=area_ids) | Q(name__in=names) | Q(slug__in=wanted)))
    by_area = {service.cqc_area_id: service for service in found if service.cqc_area_id}
    by_name = {service.name: service for service in found}
    by_slug = {service.slug: service for service in found}
    slugs = set(by_slug)
    services: dict[str, CoreService] = {}
    for key, (name, area_id) in wanted.items():
        service = by_area.get(area_id) if area_id else None
        service = service or by_name.get(name)
        if service is None:
            older = by_slug.get(key)
            if older is not None and (not area_id or (older.origin == Origin.CQC_API and not older.cqc_area_id)):
                service = older
        if service is None:
            slug = slugify(key)[:50] or "service"
            if slug in slugs:
                slug = f"cqc-{slug}"[:50]
            slugs.add(slug)
            service = CoreService(slug=slug, name=name, cqc_area_id=area_id, origin=Origin.CQC_API)
            if not ctx.valid(service, what=f"core service {name!r}"):
                continue
            ctx.plan.create(service)
        elif service.origin == Origin.CQC_API and area_id:
            free = by_name.get(name) in (None, service) and not name.endswith(UNNAMED_SUFFIX)  # never a name for a code
            values = {"cqc_area_id": area_id, "name": name if free else service.name}
            if ctx.valid(service, values, what=f"core service {name!r}"):
                ctx.plan.update(service, values, label=f"inspections.coreservice {service.slug}")
        by_area.setdefault(area_id, service)
        by_name.setdefault(service.name, service)
        services[key] = service
    return services


def plan_inspection_areas(ctx: ImportContext) -> None:
    """Each site's inspection areas, and the trust's own, with their status there (never removed: a service CQC no
    longer lists keeps what was known of it)."""
    held = (
        {(area.location_id, area.service_id): area for area in InspectionArea.objects.filter(trust=ctx.trust)}
        if ctx.held_before
        else {}
    )
    places: list[tuple[object, tuple[AreaRecord, ...]]] = [(None, ctx.records.trust.areas)]
    places += [
        (ctx.sites.by_id[location.location_id], location.areas)
        for location in ctx.records.locations
        if location.location_id in ctx.sites.by_id
    ]
    for location, areas in places:
        for area in areas:
            service = ctx.services.get(area.area_id)
            if service is None:
                continue
            values = {
                "status": area.status,
                "end_date": area.end_date,
                "superseded_by": ctx.services.get(area.superseded_by),
            }
            row = held.get((location.pk if location else None, service.pk))
            if row is None:
                ctx.plan.create(InspectionArea(trust=ctx.trust, location=location, service=service, **values))
            elif row.origin == Origin.CQC_API:
                where = location.cqc_location_id if location else ctx.provider_id
                ctx.plan.update(row, values, label=f"inspections.inspectionarea {where} {area.area_id}")
