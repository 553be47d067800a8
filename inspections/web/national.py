"""The national page (/national/) and the map's hospitals and sites (/national/sites.json): thin views over
reading.national and reading.national_charts."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import etag, require_safe

from inspections.changes.version import data_version
from inspections.publishing.national_figures import national_figures
from inspections.reading.forms import SpanForm
from inspections.reading.movement_charts import ages_figure, movements_figure
from inspections.reading.national import UNKNOWN_REGION, national_picture, site_places
from inspections.reading.national_charts import OUTLINE_NAME, map_figure, map_summary, shares_chart, site_traces
from inspections.reading.national_movements import OLD_YEARS, Figures, age_bins
from inspections.web.page_cache import cached_page

#: Copied into static/ from the npm packages pinned in package-lock.json by `make assets`.
GEO_BUNDLE = "vendor/plotly-geo.min.js"
OUTLINE_DIR = "vendor/topojson/"
OUTLINE = f"{OUTLINE_DIR}{OUTLINE_NAME}.json"
#: The oldest ratings listed on the page; the rest are in the download (sites number over a thousand nationally).
OLD_LISTED = 50


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


def national_copy(request, *args, **kwargs) -> str | None:
    """Which copy of /national/ is asked for: the default, or a span of years (?start=&end=, each stored: a few
    dozen at most); anything else is built each time (and falls back to every year held)."""
    asked = request.GET
    if not asked:
        return "page"
    years = [asked.get("start", ""), asked.get("end", "")]
    if set(asked) <= {"start", "end"} and all(year == "" or (year.isdigit() and len(year) == 4) for year in years):
        return f"span:{years[0]}-{years[1]}"
    return None


def movement_section(prefix: str, figures: Figures, span_form: SpanForm, *datasets: str) -> dict:
    """One block of movements and ages (of trusts, or of hospitals and sites), as the partials show it."""
    span = span_form.span(figures.years)
    from_to = figures.from_to(*span) if span else []
    old = figures.old_ratings
    return {
        "id": prefix,
        "figures": figures,
        "span": span,
        "from_to": from_to,
        "everyone": [row for row in from_to if row.group == figures.noun.everyone],
        "movements_figure": movements_figure(figures),
        "movements_data_id": f"{prefix}-chart-data",
        "ages_figure": ages_figure(figures),
        "ages_data_id": f"{prefix}-ages-chart-data",
        # each count with its years' label, so the table reads as cards on a phone
        "age_rows": [(kind, list(zip(age_bins(), counts, strict=True))) for kind, counts in figures.distribution],
        "medians": figures.median_by_kind + figures.median_by_region,
        "old_count": len(old),
        "old_ratings": old[:OLD_LISTED],
        "old_more": len(old) > OLD_LISTED,
        "downloads": [reverse(f"inspections:{dataset}_csv") for dataset in datasets],
        "download_names": [f"{dataset}.csv" for dataset in datasets],
    }


@require_safe
@cached_page(national_copy)
def national(request):
    """Served from the page cache until the data (or the day, which decides what "now" is) changes."""
    today = timezone.localdate()
    figures = national_figures()
    picture = national_picture(today)
    coverage = picture.coverage
    span = SpanForm(request.GET)
    context = {
        "figures": figures,
        "trust_figures": movement_section("trusts", figures.trusts, span, "movements", "ages"),
        "site_figures": movement_section("sites", figures.sites, span, "site_movements", "site_ages"),
        "age_bins": age_bins(),
        "old_years": OLD_YEARS,
        "picture": picture,
        "coverage": coverage,
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
        "map_assets": None if coverage.too_few else map_assets(),
        "cqc_attribution": picture.from_cqc_data,
    }
    return render(request, "inspections/national.html", context)


@require_safe
@etag(lambda request: data_version())
def national_sites(request):
    """The map's hospitals and sites as plotly traces, fetched when the reader asks for them (over a thousand
    points at national scale: too many to carry in every page)."""
    return JsonResponse({"data": site_traces(site_places())})
