"""The read-only JSON API at /api/v1/: the site's data by trust, described by OpenAPI at /api/v1/openapi.json.

django-ninja builds the schema from the same schemas that shape the answers, so the documented shape and the
served shape cannot drift (docs/decisions/0008-open-data-api.md). The API follows the site's rules: the home
page's search and filters (`reading.search`, `reading.filters`), the rating that stands from
`domain.standing`, ratings as the rows of ratings.csv (`reading.exports`). Every answer, errors included, is
JSON; every read answers HEAD too, with the data version as its ETag.
"""

from django.conf import settings
from django.urls import reverse
from ninja import NinjaAPI, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from inspections.api.pagination import PageNumbers
from inspections.api.schemas import IndexOut, SourceOut, answers
from inspections.api.throttle import SharedWindowThrottle
from inspections.api.trusts import router as trusts_router
from inspections.api.versioned import READ, revalidated
from inspections.models import Source

api = NinjaAPI(
    title="NHS trust inspection histories",
    version="1",
    description=(
        "Read-only data on how the Care Quality Commission has rated NHS trusts over time: trusts, their "
        "current ratings and rating history, locations, inspections with findings and statements, and sources. "
        "Codes are those of the CSV downloads (see /data/)."
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
api.add_router("", records)  # last: its catch-all answers only what no other route does
