"""The sources pages: sources with what they support (a page at a time, by trust or kind), one source on its
own page, and what each kind of source means."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from inspections.domain.source_kinds import SOURCE_KIND_GUIDE, KindGuide, by_weight
from inspections.models import (
    Finding,
    Inspection,
    Leadership,
    Location,
    Rating,
    Source,
    Statement,
    Trust,
)
from inspections.reading.selectors.counting import count_of

#: Inspections listed under each source in the list; the source's own page lists them all.
INSPECTIONS_SHOWN = 5


def sources_with_support(sources: QuerySet[Source] | None = None) -> QuerySet[Source]:
    """Sources (all, or those given) with how many ratings, findings, statements and inspections cite each,
    heaviest kind first; each page of them reads its first INSPECTIONS_SHOWN inspections in one more query
    (`shown_inspections`)."""
    sources = Source.objects.all() if sources is None else sources
    shown = Inspection.objects.select_related("trust").published_order()[:INSPECTIONS_SHOWN]
    return (
        sources.annotate(
            rating_count=count_of(Rating.sources.through.objects, "source"),
            finding_count=count_of(Finding.sources.through.objects, "source"),
            statement_count=count_of(Statement.sources.through.objects, "source"),
            inspection_count=count_of(Inspection.sources.through.objects, "source"),
        )
        .prefetch_related(Prefetch("inspections", queryset=shown, to_attr="shown_inspections"))
        .order_by(*by_weight())
    )


def cited_by_trust(trust_slug: str) -> Q:
    """Sources cited anywhere in a trust's record: its inspections, ratings, findings, statements, its own
    facts, its sites and its leaders (each an `IN` subquery, so no source is listed twice)."""
    links = (
        (Inspection.sources.through, "inspection__trust"),
        (Rating.sources.through, "rating__inspection__trust"),
        (Finding.sources.through, "finding__inspection__trust"),
        (Statement.sources.through, "statement__inspection__trust"),
        (Trust.sources.through, "trust"),
        (Location.sources.through, "location__trust"),
        (Leadership.sources.through, "leadership__trust"),
    )
    found = Q()
    for through, to_trust in links:
        found |= Q(pk__in=through.objects.filter(**{f"{to_trust}__slug": trust_slug}).values("source_id"))
    return found


def source_kind_guide() -> list[KindGuide]:
    """What each kind of source held means and how much weight it carries, heaviest first (one query)."""
    # order_by(): the model's ordering (by code) would make the DISTINCT one of (kind, code), every source held.
    held = set(Source.objects.order_by().values_list("kind", flat=True).distinct())
    return [guide for guide in SOURCE_KIND_GUIDE if guide.kind in held]


def source_trusts() -> list[tuple[str, str]]:
    """(slug, name) of every trust, by name, for the sources page's filter (one query)."""
    return list(Trust.objects.order_by("name").values_list("slug", "name"))


@dataclass
class SourcePage:
    source: Source  # with the counts of sources_with_support()
    guide: KindGuide | None
    inspections_by_trust: list[tuple[Trust, list[Inspection]]]


def citing_inspections(source: Source) -> QuerySet[Inspection]:
    """Inspections that cite the source themselves or in one of their ratings, findings or statements."""
    cited = Q(pk__in=Inspection.sources.through.objects.filter(source=source).values("inspection_id"))
    for through, to_inspection in (
        (Rating.sources.through, "rating__inspection_id"),
        (Finding.sources.through, "finding__inspection_id"),
        (Statement.sources.through, "statement__inspection_id"),
    ):
        cited |= Q(pk__in=through.objects.filter(source=source).values(to_inspection))
    return Inspection.objects.filter(cited)


def source_page(code: str) -> SourcePage | None:
    """One source with its counts, its kind's meaning and every inspection whose record cites it, by trust
    (three queries); None when no source has the code."""
    source = sources_with_support(Source.objects.filter(code=code)).first()
    if source is None:
        return None
    grouped: dict[int, tuple[Trust, list[Inspection]]] = {}
    inspections = citing_inspections(source).select_related("trust").order_by("trust__name", "published", "slug")
    for inspection in inspections:
        grouped.setdefault(inspection.trust_id, (inspection.trust, []))[1].append(inspection)
    guide = next((guide for guide in SOURCE_KIND_GUIDE if guide.kind == source.kind), None)
    return SourcePage(source=source, guide=guide, inspections_by_trust=list(grouped.values()))
