"""What a page's address names: the trust, site or inspection at its slugs (one query each), None where we hold none."""

from inspections.models import Inspection, Location, Trust


def trust_at(trust_slug: str) -> Trust | None:
    """The trust at `trust_slug` (one query)."""
    return Trust.objects.filter(slug=trust_slug).first()


def location_at(trust_slug: str, location_slug: str) -> Location | None:
    """The site at `location_slug` of the trust at `trust_slug`, with its trust (one query)."""
    return Location.objects.select_related("trust").filter(trust__slug=trust_slug, slug=location_slug).first()


def inspection_at(trust_slug: str, inspection_slug: str) -> Inspection | None:
    """The inspection at `inspection_slug` of the trust at `trust_slug`, with its trust (one query)."""
    return Inspection.objects.select_related("trust").filter(trust__slug=trust_slug, slug=inspection_slug).first()


def trust_choices() -> list[tuple[str, str]]:
    """(slug, name) of every trust we hold, by name (one query): the compare page's pickers."""
    return list(Trust.objects.order_by("name").values_list("slug", "name"))
