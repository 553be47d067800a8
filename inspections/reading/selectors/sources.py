"""The sources page: every source with what it supports, and what each kind of source means."""

from django.db.models import Prefetch, QuerySet

from inspections.domain.source_kinds import SOURCE_KIND_GUIDE, KindGuide, by_weight
from inspections.models import (
    Finding,
    Inspection,
    Rating,
    Source,
    Statement,
)
from inspections.reading.selectors.counting import count_of


def sources_with_support() -> QuerySet[Source]:
    """All sources with how many ratings, findings, statements and inspections cite each."""
    return (
        Source.objects.annotate(
            rating_count=count_of(Rating.sources.through.objects, "source"),
            finding_count=count_of(Finding.sources.through.objects, "source"),
            statement_count=count_of(Statement.sources.through.objects, "source"),
            inspection_count=count_of(Inspection.sources.through.objects, "source"),
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
