"""The national page (/national/) and the map's hospitals and sites (/national/sites.json): thin views over
reading.national and reading.national_charts."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import etag, require_safe

from inspections.changes.version import data_version
from inspections.reading.national import UNKNOWN_REGION, national_picture, site_places
from inspections.reading.national_charts import OUTLINE_NAME, map_figure, map_summary, shares_chart, site_traces
from inspections.web.page_cache import cached_page

#: Copied into static/ from the npm packages pinned in package-lock.json by `make assets`.
GEO_BUNDLE = "vendor/plotly-geo.min.js"
OUTLINE_DIR = "vendor/topojson/"
OUTLINE = f"{OUTLINE_DIR}{OUTLINE_NAME}.json"


def map_assets() -> dict | None:
    """The addresses map.js needs: the geo bundle, the outline (read by map.js and handed to plotly, under its
    hashed name) and the folder plotly would look in (its CDN otherwise); None where `make assets` has not put the
    files in static/, or they were collected before it did, so the page says the map is missing instead of failing."""
    if not all(finders.find(path) for path in (GEO_BUNDLE, OUTLINE)):
        return None
    try:
        geo, outline = static(GEO_BUNDLE), static(OUTLINE)
    except ValueError:  # the manifest of collected files does not hold them
        return None
    return {
        "geo": geo,
        "outline": outline,
        "outline_name": OUTLINE_NAME,
        "outline_dir": settings.STATIC_URL + OUTLINE_DIR,
    }


@require_safe
def national(request):
    """Served from the page cache until the data (or the day, which decides what "now" is) changes."""
    today = timezone.localdate()
    return cached_page(f"national:{today.isoformat()}", lambda: _national_page(request, today))


def _national_page(request, today):
    picture = national_picture(today)
    context = {
        "picture": picture,
        "overall_chart": shares_chart(
            "chart-shares-all",
            "All trusts: share at each overall rating, at the end of each year and now",
            [picture.overall],
        ),
        "kind_chart": shares_chart(
            "chart-shares-kind", "By kind of trust: share at each overall rating over time", picture.by_kind
        ),
        "region_chart": shares_chart(
            "chart-shares-region", "By region: share at each overall rating over time", picture.by_region
        ),
        "map_figure": map_figure(picture.trusts),
        "map_summary": map_summary(picture),
        "unknown_region": UNKNOWN_REGION,
        "map_assets": map_assets(),
        "cqc_attribution": picture.from_cqc_data,
    }
    return render(request, "inspections/national.html", context)


@require_safe
@etag(lambda request: data_version())
def national_sites(request):
    """The map's hospitals and sites as plotly traces, fetched when the reader asks for them (over a thousand
    points at national scale: too many to carry in every page)."""
    return JsonResponse({"data": site_traces(site_places())})
