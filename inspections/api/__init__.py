"""The read-only JSON API at /api/v1/: the site's data by trust, described by OpenAPI at /api/v1/openapi.json.

django-ninja builds the schema from the same schemas that shape the answers, so the documented shape and the
served shape cannot drift (docs/decisions/0008-open-data-api.md). The API follows the site's rules: the home
page's search and filters (`reading.search`, `reading.filters`), the rating that stands from
`domain.standing`, ratings as the rows of ratings.csv (`reading.exports`). Every answer, errors included, is
JSON; every read answers HEAD too, kept under the data version with an ETag as pages are (`api/versioned.py`).
"""

from django.conf import settings
from django.urls import reverse
from ninja import NinjaAPI, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from inspections.api.movements import router as movements_router
from inspections.api.pagination import PageNumbers
from inspections.api.schemas import IndexOut, SourceOut, answers
from inspections.api.throttle import SharedWindowThrottle
from inspections.api.trusts import router as trusts_router
from inspections.api.versioned import READ, revalidated
from inspections.models import Source


class ReadOnlyAPI(NinjaAPI):
    """The API, its schema listing each read once: every GET also answers HEAD (the same headers, no body), which
    the description says once instead of a twin of every operation (the docs listed each address twice)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            if "get" in operations:
                operations.pop("head", None)
        return schema


api = ReadOnlyAPI(
    title="NHS trust inspection histories",
    version="1",
    description=(
        "Read-only data on how the Care Quality Commission has rated NHS trusts over time: trusts, their "
        "current ratings and rating history, locations, inspections with findings and statements, sources, and the "
        "national movements of overall ratings and the age of each rating in force. "
        "Codes are those of the CSV downloads (see /data/). "
        "Every GET also answers HEAD, with the same status and headers and no body. Every answer carries the data "
        "version as an ETag: send it back in If-None-Match for a 304 until the data changes."
    ),
    urls_namespace="api",
    throttle=[SharedWindowThrottle(settings.API_RATE_LIMIT)],
)
records = Router(tags=["records"])


@records.api_operation(READ, "/", response=answers(IndexOut), summary="What this API offers")
@revalidated
def index(request):
    base = reverse("api:api-root")
    return {
        "title": api.title,
        "version": api.version,
        "resources": {
            "trusts": f"{base}trusts",
            "trust": f"{base}trusts/{{slug}}",
            "trust_ratings": f"{base}trusts/{{slug}}/ratings",
            "trust_locations": f"{base}trusts/{{slug}}/locations",
            "trust_inspections": f"{base}trusts/{{slug}}/inspections",
            "sources": f"{base}sources",
            "national_movements": f"{base}national/movements",
            "national_ages": f"{base}national/ages",
            "national_site_movements": f"{base}national/site-movements",
            "national_site_ages": f"{base}national/site-ages",
        },
        "documentation": {"openapi": f"{base}openapi.json", "docs": f"{base}docs"},
        "open_data": reverse("inspections:data"),
    }


@records.api_operation(READ, "/sources", response=answers(list[SourceOut]), summary="Every source, by code")
@revalidated
@paginate(PageNumbers)
def list_sources(request):
    return Source.objects.order_by("code")


@records.api_operation(
    ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    "/{path:path}",
    response=answers(IndexOut),
    include_in_schema=False,
)
def no_such_resource(request, path: str):
    """Any other address under /api/v1/: a 404 in JSON, like every other error here."""
    raise HttpError(404, f"No API resource at this address; the resources are listed at {reverse('api:api-root')}.")


api.add_router("", trusts_router)
api.add_router("", movements_router)
api.add_router("", records)  # last: its catch-all answers only what no other route does
