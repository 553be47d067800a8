"""The read-only JSON API at /api/v1/: every page's data, described by OpenAPI at /api/v1/openapi.json.

django-ninja builds the schema from these type hints, so the documented shape and the served shape
cannot drift; see docs/decisions/0008-open-data-api.md. Rows reuse the export builders, so a rating here
is the same row, with the same codes, as in ratings.csv.
"""

from typing import Generic, TypeVar

from django.conf import settings
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.views.decorators.http import etag
from ninja import Field, NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from ninja.throttling import AnonRateThrottle

from inspections.changes.version import data_version
from inspections.domain.dates import iso_partial_date
from inspections.models import Inspection, Source, Trust
from inspections.reading import exports, selectors

ItemT = TypeVar("ItemT")

api = NinjaAPI(
    title="NHS trust inspection histories",
    version="1",
    description=(
        "Read-only data on how the Care Quality Commission has rated NHS trusts over time: trusts, their "
        "current ratings and rating history, locations, inspections with findings and statements, and sources. "
        "Codes are those of the CSV downloads (see /data/)."
    ),
    urls_namespace="api",
    throttle=[AnonRateThrottle(settings.API_RATE_LIMIT)],
)


#: Every answer carries the data version as its ETag: a client that sends it back in If-None-Match gets
#: 304 Not Modified, with no body and no query beyond reading the version, until the data changes.
revalidated = decorate_view(etag(lambda request, *args, **kwargs: data_version()))


class ErrorOut(Schema):
    detail: str | list = Field(description="What was wrong with the request.")


def answers(ok) -> dict:
    """The documented responses of an endpoint: its data, or an error in the same JSON shape."""
    return {200: ok, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class PageParams(Schema):
    page: int = Field(1, ge=1, le=100_000, description="Page number, from 1.")
    page_size: int = Field(50, ge=1, le=500, description="Items per page (at most 500).")


class Page(Schema, Generic[ItemT]):
    count: int = Field(description="Items in all pages.")
    page: int
    page_size: int
    items: list[ItemT]


def page_of(queryset: QuerySet, params: PageParams, to_item) -> dict:
    """One page of a queryset already in a stable order, each row turned into an item."""
    start = (params.page - 1) * params.page_size
    rows = queryset[start : start + params.page_size]
    return {
        "count": queryset.count(),
        "page": params.page,
        "page_size": params.page_size,
        "items": [to_item(row) for row in rows],
    }


class TrustSummary(Schema):
    provider_id: str
    slug: str
    name: str
    kind: str
    region: str
    current_overall: str | None = Field(description="Rating code, or null when none on the scale is held.")
    current_overall_published: str = Field(description="When that rating was set (ISO, to its known precision).")
    last_published: str = Field(description="Latest report publication date held (ISO, to its known precision).")
    inspection_count: int
    url: str


def trust_summary(trust: Trust) -> dict:
    return {
        "provider_id": trust.provider_id,
        "slug": trust.slug,
        "name": trust.name,
        "kind": trust.kind,
        "region": trust.region,
        "current_overall": trust.current_overall,
        "current_overall_published": iso_partial_date(
            trust.current_overall_published, trust.current_overall_precision or "day"
        ),
        "last_published": iso_partial_date(trust.last_published, trust.last_published_precision or "day"),
        "inspection_count": trust.inspection_count,
        "url": trust.get_absolute_url(),
    }


class TrustFilters(Schema):
    # No NUL: the site refuses it in any address with 400 (cqc_site/middleware.py), so the schema says so too.
    q: str = Field("", max_length=200, pattern=r"^[^\x00]*$", description="Words in the trust's name or provider id.")


@api.get("/trusts", response=answers(Page[TrustSummary]), summary="Trusts, with their current overall rating")
@revalidated
def list_trusts(request, filters: Query[TrustFilters], params: Query[PageParams]):
    trusts = selectors.trusts_with_current_overall()
    if filters.q:
        trusts = trusts.filter(Q(name__icontains=filters.q) | Q(provider_id__iexact=filters.q))
    return page_of(trusts.order_by("name", "pk"), params, trust_summary)


class CurrentRating(Schema):
    scope: str
    scope_name: str
    key_question: str
    rating: str
    published: str
    inspection_url: str


class TrustDetail(TrustSummary):
    services_summary: str
    current_ratings: list[CurrentRating]


def _trust(slug: str) -> Trust:
    return get_object_or_404(selectors.trusts_with_current_overall(), slug=slug)


@api.get("/trusts/{slug}", response=answers(TrustDetail), summary="One trust with the ratings that stand now")
@revalidated
def get_trust(request, slug: str):
    trust = _trust(slug)
    grid = selectors.ratings_grid(selectors.rating_events(trust))
    current = [
        {
            "scope": row.subject.scope,
            "scope_name": trust.name if row.subject.is_trust else row.subject_name,
            "key_question": cell.key_question,
            "rating": cell.value,
            "published": iso_partial_date(cell.published, cell.published_precision),
            "inspection_url": cell.inspection_url,
        }
        for row in grid
        for cell in row.cells
        if cell is not None
    ]
    return trust_summary(trust) | {"services_summary": trust.services_summary, "current_ratings": current}


class RatingRow(Schema):
    """One row of ratings.csv."""

    provider_id: str
    trust: str
    published: str
    visit_start: str
    visit_end: str
    scope: str
    scope_name: str
    key_question: str
    rating: str
    previous_rating: str
    source: str


@api.get(
    "/trusts/{slug}/ratings", response=answers(Page[RatingRow]), summary="Every rating of a trust, as in ratings.csv"
)
@revalidated
def list_trust_ratings(request, slug: str, params: Query[PageParams]):
    ratings = exports.ratings_for_export(_trust(slug))
    return page_of(ratings.order_by(*_stable(ratings)), params, exports.rating_record)


def _stable(queryset: QuerySet) -> list:
    """The queryset's order with the primary key last, so pages never overlap or skip rows."""
    return [*queryset.query.order_by, "pk"]


class LocationOut(Schema):
    slug: str
    name: str
    cqc_location_id: str
    town: str
    postcode: str
    region: str


@api.get("/trusts/{slug}/locations", response=answers(list[LocationOut]), summary="The hospitals and sites of a trust")
@revalidated
def list_trust_locations(request, slug: str):
    return list(_trust(slug).locations.order_by("name", "pk"))


class SourceOut(Schema):
    code: str
    kind: str
    publisher: str
    title: str
    published: str
    url: str


def source_out(source: Source) -> dict:
    return {
        "code": source.code,
        "kind": source.kind,
        "publisher": source.publisher,
        "title": source.title,
        "published": iso_partial_date(source.published, source.published_precision),
        "url": source.url,
    }


class Citation(Schema):
    source: str = Field(description="The source's code, as listed by /sources.")
    passage: str = Field(description="The words of the source that support the fact, verbatim.")


class FindingOut(Schema):
    ref: str
    kind: str
    theme: str
    subject: str
    summary: str
    citations: list[Citation]


class StatementOut(Schema):
    person: str
    role: str
    organisation: str
    summary: str
    citations: list[Citation]


class InspectionOut(Schema):
    slug: str
    title: str
    type: str
    published: str
    visit_start: str
    visit_end: str
    scope: str
    summary: str
    where_sources_disagree: str
    report_url: str
    url: str
    findings: list[FindingOut]
    statements: list[StatementOut]
    sources: list[str]


def _citations(record) -> list[dict]:
    return [{"source": c.source.code, "passage": c.passage} for c in record.citations.all()]


def inspection_out(inspection: Inspection) -> dict:
    return {
        "slug": inspection.slug,
        "title": inspection.title,
        "type": inspection.inspection_type,
        "published": inspection.published_iso,
        "visit_start": iso_partial_date(inspection.visit_start, inspection.visit_start_precision),
        "visit_end": iso_partial_date(inspection.visit_end, inspection.visit_end_precision),
        "scope": inspection.scope,
        "summary": inspection.summary,
        "where_sources_disagree": inspection.discrepancy_note,
        "report_url": inspection.report_url,
        "url": inspection.get_absolute_url(),
        "findings": [
            {"ref": f.ref, "kind": f.kind, "theme": f.theme, "subject": f.subject_name, "summary": f.summary,
             "citations": _citations(f)}
            for f in inspection.findings.all()
        ],
        "statements": [
            {"person": s.person.name, "role": s.role, "organisation": s.organisation, "summary": s.summary,
             "citations": _citations(s)}
            for s in inspection.statements.all()
        ],
        "sources": [source.code for source in inspection.sources.all()],
    }  # fmt: skip


@api.get(
    "/trusts/{slug}/inspections",
    response=answers(Page[InspectionOut]),
    summary="A trust's inspections with their findings, statements and sources",
)
@revalidated
def list_trust_inspections(request, slug: str, params: Query[PageParams]):
    inspections = (
        _trust(slug)
        .inspections.select_related("trust")
        .prefetch_related(
            "sources",
            "findings__service",
            "findings__location",
            "findings__citations__source",
            "statements__person",
            "statements__citations__source",
        )
        .published_order()
    )
    return page_of(inspections.order_by(*_stable(inspections)), params, inspection_out)


@api.get("/sources", response=answers(Page[SourceOut]), summary="Every source, by code")
@revalidated
def list_sources(request, params: Query[PageParams]):
    return page_of(Source.objects.order_by("code"), params, source_out)
