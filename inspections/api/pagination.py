"""Every list of the API is paged the same way, through django-ninja's own pagination machinery.

`PageNumbers` keeps the shape README promises (`count, page, page_size, items`); an endpoint returns a
queryset in a stable order (`stable()`), or `Rows` when the items are built a page at a time (one query per
page for what the page's items need, e.g. the standing of each trust's rating).
"""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import PaginationBase

MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 50


def stable(queryset: QuerySet) -> QuerySet:
    """The queryset's own order with the primary key last, so pages never overlap or skip rows."""
    order = list(queryset.query.order_by or queryset.model._meta.ordering)
    return queryset.order_by(*order, "pk")


class Rows:
    """A stably ordered queryset whose page of rows is turned into items by `to_items` (once per page)."""

    def __init__(self, queryset: QuerySet, to_items: Callable[[list], list]):
        self.queryset = stable(queryset)
        self.to_items = to_items

    def all(self) -> "Rows":  # PaginationBase counts with .all().count(), as for a queryset
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list:
        return self.to_items(list(self.queryset[window]))


class PageNumbers(PaginationBase):
    """Page `page` of `page_size` items (at most 500), with the count of items in all pages."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000, description="Page number, from 1.")
        page_size: int = Field(
            DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"Items per page (at most {MAX_PAGE_SIZE})."
        )

    class Output(Schema):
        count: int = Field(description="Items in all pages.")
        page: int = Field(description="This page's number.")
        page_size: int = Field(description="Items per page asked for.")
        items: list[Any]

    def paginate_queryset(self, queryset, pagination: Input, request, **params) -> dict:
        start = (pagination.page - 1) * pagination.page_size
        if isinstance(queryset, QuerySet):
            queryset = stable(queryset)
        return {
            "count": self._items_count(queryset),
            "page": pagination.page,
            "page_size": pagination.page_size,
            "items": queryset[start : start + pagination.page_size],
        }
