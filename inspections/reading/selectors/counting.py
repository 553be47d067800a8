"""Counts of related rows beside each row of a list, as subqueries."""

from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def count_of(rows: QuerySet, link: str) -> Coalesce:
    """How many of `rows` have `link` equal to the outer row (0 when none): one subquery per count, so several
    counts beside each other do not multiply rows as several joins would, and need no GROUP BY on the list."""
    matching = rows.filter(**{link: OuterRef("pk")}).order_by().values(link)
    return Coalesce(Subquery(matching.annotate(total=Count("*")).values("total")[:1]), Value(0))
