"""Import steps for the provider itself: the trust, and the sources that cite CQC's data for it and its sites."""

from django.db.models import Q
from django.utils.text import slugify

from inspections.changes import edits
from inspections.cqc.errors import CqcDataError
from inspections.cqc.import_context import ImportContext
from inspections.cqc.mapped import Registration
from inspections.domain.addresses import cqc_page
from inspections.domain.codes import Origin, SourceKind
from inspections.models import Source, Trust

PUBLISHER = "Care Quality Commission"


def source_code(record_id: str) -> str:
    return f"CQC-API-{record_id}"


def registration_values(registration: Registration) -> dict:
    """The columns of `Registered` (trusts and sites) from a mapped `Registration`."""
    return {
        "registration_status": registration.status,
        "deregistration_date": registration.deregistered,
        "latitude": registration.latitude,
        "longitude": registration.longitude,
    }


def plan_trust(ctx: ImportContext) -> Trust | None:
    """The trust, created or updated (a curated trust is left as it is); None when an editor deleted it since it
    was imported (then nothing of the provider is written). Raises CqcDataError when it cannot be written."""
    data, pid = ctx.records.trust, ctx.provider_id
    trust = Trust.objects.filter(provider_id=pid).first()
    if trust is None:
        deleted = edits.deleted_rows(Trust, provider_id=pid)
        detail = next(iter(edits.deleted_by(Trust, deleted).values()), "")
        if deleted and ctx.deletion_kept(f"inspections.trust {pid}", detail):
            return None
    if trust is not None and trust.origin == Origin.CURATED:
        return trust
    name = data.name
    slug = trust.slug if trust else slugify(name)[:50] or slugify(pid)
    for other in Trust.objects.filter(Q(name=name) | Q(slug=slug)).exclude(provider_id=pid):
        if other.name == name:
            ctx.problem("name", name, f"another trust ({other.provider_id}) has this name; stored with our id after it")
            name = f"{name[:190]} ({pid})"
        if other.slug == slug:
            slug = f"{slug[:38]}-{slugify(pid)}"
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
    if trust is None:
        trust = Trust(provider_id=pid, origin=Origin.CQC_API, **values)
        if not ctx.valid(trust, what="trust"):
            raise CqcDataError("the trust would be invalid (see the problems above)", record=ctx.record)
        ctx.plan.create(trust)
    elif ctx.valid(trust, values, what="trust"):
        ctx.plan.update(trust, values, label=f"inspections.trust {pid}")
    return trust


def plan_sources(ctx: ImportContext) -> dict[str, Source]:
    """The source citing CQC's data for the trust and for each site, by CQC id; raises CqcDataError when the
    trust's own cannot be written."""
    pid = ctx.provider_id
    wanted = {pid: (f"CQC ratings data for {ctx.records.trust.name} (provider {pid})", True)}
    for location in ctx.records.locations:
        wanted[location.location_id] = (
            f"CQC ratings data for {location.name} (location {location.location_id})",
            False,
        )
    existing = Source.objects.in_bulk([source_code(i) for i in wanted], field_name="code")
    sources = {}
    for record_id, (title, is_provider) in wanted.items():
        code = source_code(record_id)
        values = {
            "kind": SourceKind.CQC_DATA,
            "publisher": PUBLISHER,
            "title": title[:300],
            "url": cqc_page(record_id, provider=is_provider),
            "retrieved": ctx.retrieved,
        }
        source = existing.get(code)
        if source is None:
            source = Source(code=code, origin=Origin.CQC_API, **values)
            if not ctx.valid(source, what=f"source {code}"):
                continue
            ctx.plan.create(source)
        elif source.origin == Origin.CQC_API and ctx.valid(source, values, what=f"source {code}"):
            ctx.plan.update(source, values, label=f"inspections.source {code}")
        sources[record_id] = source
    if pid not in sources:
        raise CqcDataError("the trust's source would be invalid (see the problems above)", record=ctx.record)
    return sources
