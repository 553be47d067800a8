"""The sources page: every source with what it supports, and what each kind of source means."""

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from ..models import (
    Finding,
    Inspection,
    Rating,
    Source,
    Statement,
)
from ..source_kinds import SOURCE_KIND_GUIDE, KindGuide, by_weight


def _citation_count(model) -> Coalesce:
    """How many `model` rows cite the outer source: one subquery on the through table, so the four
    counts beside each other do not multiply rows as four joins would."""
    through = model.sources.through
    cited = (
        through.objects.filter(source=OuterRef("pk"))
        .order_by()
        .values("source")
        .annotate(total=Count("*"))
        .values("total")
    )
    return Coalesce(Subquery(cited[:1]), Value(0))


def sources_with_support() -> QuerySet[Source]:
    """All sources with how many ratings, findings, statements and inspections cite each."""
    return (
        Source.objects.annotate(
            rating_count=_citation_count(Rating),
            finding_count=_citation_count(Finding),
            statement_count=_citation_count(Statement),
            inspection_count=_citation_count(Inspection),
        )
        .prefetch_related(
            Prefetch("inspections", queryset=Inspection.objects.select_related("trust").published_order())
        )
        .order_by(*by_weight())
    )


def source_kind_guide() -> list[KindGuide]:
    """What each kind of source held means and how much weight it carries, heaviest first (one query)."""
    held = set(Source.objects.values_list("kind", flat=True).distinct())
    return [guide for guide in SOURCE_KIND_GUIDE if guide.kind in held]
