"""Lists' query parameters through forms: the trust list's search and filters, the sources page's filters,
and pages.

A parameter that does not validate is left out (the list falls back to not filtering by it) and the
form's error says so on the page; nothing here can raise on bad input. The API applies the same filters
and answers 422 instead (api/trusts.py).
"""

from dataclasses import dataclass

import django_filters
from django import forms
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet
from django.http import QueryDict

from inspections.domain.codes import SourceKind, TrustKind
from inspections.domain.rating_levels import ON_SCALE_LEVELS
from inspections.models import Source, Trust
from inspections.reading import search
from inspections.reading.selectors.sources import cited_by_trust

NO_RATING = "none"
RATING_CHOICES = [
    *((level.code, level.word) for level in ON_SCALE_LEVELS),
    (NO_RATING, "No overall rating in our sources"),
]
PER_PAGE = 25


class AppliedFilters:
    """What a FilterSet applied: the values that validated (a bad one is left out and named by the form)."""

    def applied(self) -> dict:
        """The values that validated, and so were applied (the form is validated once)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()  # validates once; cleaned_data then holds the fields that passed
        return self.form.cleaned_data

    @property
    def is_filtered(self) -> bool:
        return any(self.applied().get(name) for name in self.filters)


class TrustFilter(AppliedFilters, django_filters.FilterSet):
    """Filters a queryset from `selectors.trusts_with_current_overall()`, whose annotation holds the current rating."""

    q = django_filters.CharFilter(label="Trust, hospital, town or postcode", method="filter_search", max_length=100)
    kind = django_filters.ChoiceFilter(label="Kind of trust", choices=TrustKind.choices, empty_label="Any kind")
    region = django_filters.ChoiceFilter(label="Region", choices=(), empty_label="Any region")
    rating = django_filters.ChoiceFilter(
        label="Current overall rating", choices=RATING_CHOICES, empty_label="Any rating", method="filter_rating"
    )

    class Meta:
        model = Trust
        fields = ["q", "kind", "region", "rating"]

    def __init__(self, data=None, queryset=None, *, regions: list[str], **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["region"].extra["choices"] = [(region, region) for region in regions]

    def filter_search(self, queryset, name, value):
        return search.filter_trusts(queryset, value)

    def filter_rating(self, queryset, name, value):
        if value == NO_RATING:
            return queryset.filter(current_overall__isnull=True)
        return queryset.filter(current_overall=value)

    @property
    def search_query(self) -> str:
        """The search as applied ('' when none or not valid)."""
        return self.applied().get("q", "")


class SourceFilter(AppliedFilters, django_filters.FilterSet):
    """Filters the sources page by the trust whose record cites them and by kind of source."""

    trust = django_filters.ChoiceFilter(label="Cited for", choices=(), empty_label="Any trust", method="filter_trust")
    kind = django_filters.ChoiceFilter(label="Kind of source", choices=SourceKind.choices, empty_label="Any kind")

    class Meta:
        model = Source
        fields = ["trust", "kind"]

    def __init__(self, data=None, queryset=None, *, trusts: list[tuple[str, str]], **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["trust"].extra["choices"] = trusts

    def filter_trust(self, queryset, name, value):
        return queryset.filter(cited_by_trust(value))


class PageForm(forms.Form):
    page = forms.IntegerField(min_value=1, required=False)


def page_number(params: QueryDict) -> int:
    """The page asked for; 1 when missing or not a whole number from 1 up."""
    form = PageForm(params)
    return (form.is_valid() and form.cleaned_data["page"]) or 1


def page_of(queryset: QuerySet, params: QueryDict, per_page: int) -> Page:
    """The page of `queryset` asked for, or its last page when that is past the end."""
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(page_number(params))
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def paginate_table(table, params: QueryDict) -> None:
    """Paginate a django-tables2 table at the page asked for, or its last page when that is past the end."""
    try:
        table.paginate(per_page=PER_PAGE, page=page_number(params))
    except EmptyPage:
        table.paginate(per_page=PER_PAGE, page=table.paginator.num_pages)


@dataclass(frozen=True)
class PageLink:
    label: str
    url: str = ""  # empty for the gap ("…") between page numbers
    current: bool = False


@dataclass(frozen=True)
class Pagination:
    previous_url: str
    next_url: str
    links: list[PageLink]


def pagination(params: QueryDict, page: Page) -> Pagination | None:
    """Links to the other pages, each keeping the search, filters and sort (None when one page holds all)."""
    if page.paginator.num_pages < 2:
        return None

    def url(number: int) -> str:
        query = params.copy()
        query["page"] = str(number)
        return "?" + query.urlencode()

    links = [
        PageLink(label=str(number), url=url(number), current=number == page.number)
        if isinstance(number, int)
        else PageLink(label=str(number))
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
    return Pagination(
        previous_url=url(page.previous_page_number()) if page.has_previous() else "",
        next_url=url(page.next_page_number()) if page.has_next() else "",
        links=links,
    )
