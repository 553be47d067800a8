"""The API's trusts: the list (the home page's search and filters), one trust with the ratings that stand
now, and its ratings, hospitals and sites, and inspections. Every list is paged by `PageNumbers`."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.errors import ValidationError
from ninja.pagination import paginate

from inspections.api.pagination import PageNumbers, Rows
from inspections.api.schemas import (
    InspectionOut,
    LocationOut,
    RatingRow,
    TrustDetail,
    TrustQuery,
    TrustSummary,
    answers,
    current_rating,
)
from inspections.api.versioned import READ, revalidated
from inspections.domain.standing import group_by_subject_and_question, standing
from inspections.models import Finding, Statement, Trust
from inspections.reading import exports, filters, search, selectors

router = Router(tags=["trusts"])


def with_standings(trusts: list[Trust]) -> list[Trust]:
    """The page's trusts, each with the standing of its overall rating (one query for the page)."""
    standings = selectors.overall_standings(trust.pk for trust in trusts)
    for trust in trusts:
        trust.standing = standings.get(trust.pk)
    return trusts


def filtered_trusts(query: TrustQuery):
    """The trusts the home page would list for the same search and filters; a kind or rating code it does not know
    is a 422 naming the parameter. A region is any text, as the schema says: one that no trust we hold is in
    lists none (the regions held are those the trusts carry), as a search that finds nothing."""
    data = {name: value for name, value in query.dict().items() if value}
    regions = [query.region] if query.region else []
    trust_filter = filters.TrustFilter(data, queryset=selectors.trusts_with_current_overall(), regions=regions)
    if not trust_filter.form.is_valid():
        raise ValidationError(
            [
                {"type": "value_error", "loc": ["query", name], "msg": " ".join(messages)}
                for name, messages in trust_filter.form.errors.items()
            ]
        )
    return search.best_first(trust_filter.qs, trust_filter.search_query, "name")


@router.api_operation(
    READ, "/trusts", response=answers(list[TrustSummary]), summary="Trusts, with their current overall rating"
)
@revalidated
@paginate(PageNumbers)
def list_trusts(request, query: Query[TrustQuery]):
    return Rows(filtered_trusts(query), with_standings)


def _trust(slug: str) -> Trust:
    return get_object_or_404(selectors.trusts_with_current_overall(), slug=slug)


@router.api_operation(
    READ, "/trusts/{slug}", response=answers(TrustDetail), summary="One trust with the ratings that stand now"
)
@revalidated
def get_trust(request, slug: str):
    trust = with_standings([_trust(slug)])[0]
    events = selectors.rating_events(trust)
    grouped = group_by_subject_and_question(events)
    trust.current_ratings = [
        current_rating(
            trust.name if row.subject.is_trust else row.subject_name,
            cell,
            standing(grouped[(row.subject, cell.key_question)]),
        )
        for row in selectors.ratings_grid(events)
        for cell in row.cells
        if cell is not None
    ]
    return trust


@router.api_operation(
    READ,
    "/trusts/{slug}/ratings",
    response=answers(list[RatingRow]),
    summary="Every rating of a trust, as in ratings.csv",
)
@revalidated
@paginate(PageNumbers)
def list_trust_ratings(request, slug: str):
    return Rows(exports.ratings_for_export(_trust(slug)), exports.rating_records)


@router.api_operation(
    READ, "/trusts/{slug}/locations", response=answers(list[LocationOut]), summary="The hospitals and sites of a trust"
)
@revalidated
@paginate(PageNumbers)
def list_trust_locations(request, slug: str):
    return _trust(slug).locations.select_related("trust").order_by("name", "pk")


CITATIONS = ("citations__source",)


@router.api_operation(
    READ,
    "/trusts/{slug}/inspections",
    response=answers(list[InspectionOut]),
    summary="A trust's inspections with their findings, statements and sources",
)
@revalidated
@paginate(PageNumbers)
def list_trust_inspections(request, slug: str):
    findings = Finding.objects.select_related("service", "location").prefetch_related(*CITATIONS)
    statements = Statement.objects.select_related("person").prefetch_related(*CITATIONS)
    return (
        _trust(slug)
        .inspections.select_related("trust")
        .prefetch_related("sources", Prefetch("findings", findings), Prefetch("statements", statements))
        .published_order()
    )
