"""The public pages the browser lane visits, and how to wait until one is ready."""

from dataclasses import dataclass

from django.db.models import Count, Q

from inspections.domain.codes import KeyQuestion, Scope
from inspections.domain.rating_levels import SCALE_POSITION
from inspections.models import Rating, Trust, source_url

LPT_SLUG = "leicestershire-partnership"
HOSPITAL_PATH = "/trusts/university-hospitals-leicester/locations/leicester-royal-infirmary/"
API_DOCS_PATH = "/api/v1/docs"
NOT_FOUND_PATH = "/no-such-page/"
ALL_CHARTS_DRAWN = "() => [...document.querySelectorAll('[data-chart]')].every((c) => c.dataset.drawn === 'true')"


@dataclass(frozen=True)
class PublicPage:
    path: str
    status: int = 200


def public_pages() -> list[PublicPage]:
    """Home, the national picture, sources (and one source's own page), data, accessibility, the compare picker and
    the two trusts compared, each trust, one inspection per trust (a disputed, well-rated one), one hospital or site
    per trust (the one rated most), the 404."""
    pages = [PublicPage("/"), PublicPage("/national/"), PublicPage("/sources/"), PublicPage("/data/")]
    pages.append(PublicPage("/accessibility/"))
    pages.append(PublicPage(source_url("SEED-003")))
    slugs = list(Trust.objects.order_by("name").values_list("slug", flat=True)[:2])
    pages.append(PublicPage("/compare/"))
    pages.append(PublicPage("/compare/?" + "&".join(f"trust={slug}" for slug in slugs)))
    for trust in Trust.objects.order_by("name"):
        pages.append(PublicPage(trust.get_absolute_url()))
        inspection = (
            trust.inspections.annotate(rating_count=Count("ratings"), disputed=~Q(discrepancy_note=""))
            .order_by("-disputed", "-rating_count", "slug")
            .first()
        )
        if inspection:
            pages.append(PublicPage(inspection.get_absolute_url()))
        location = trust.locations.annotate(rating_count=Count("ratings")).order_by("-rating_count", "slug").first()
        if location:
            pages.append(PublicPage(location.get_absolute_url()))
    pages.append(PublicPage(NOT_FOUND_PATH, status=404))
    return pages


def trust_level_questions_with_data(trust_slug: str) -> list[str]:
    """Labels of key questions with a dated trust-level rating on the scale, in CQC's order."""
    codes = set(
        Rating.objects.filter(
            inspection__trust__slug=trust_slug,
            inspection__published__isnull=False,
            scope=Scope.TRUST,
            value__in=list(SCALE_POSITION),
        ).values_list("key_question", flat=True)
    )
    return [question.label for question in KeyQuestion if question in codes]


def report_marker(page, chart_id: str, hover_text: str, *, last: bool = False):
    """The drawn report marker of a chart whose hover text contains `hover_text` (figure read from the page),
    the first such or the last."""
    figure = page.evaluate(f"() => JSON.parse(document.getElementById('{chart_id}-data').textContent)")
    markers = next(trace for trace in figure["data"] if trace["type"] == "scatter")
    matching = [i for i, text in enumerate(markers["hovertext"]) if hover_text in text]
    index = matching[-1] if last else matching[0]
    return page.locator(f"#{chart_id} .scatterlayer .trace path.point").nth(index)


def hover_marker(page, marker):
    """Move the mouse onto a plotly marker (plotly listens on a drag layer above it, so locator.hover() cannot)."""
    marker.scroll_into_view_if_needed()
    box = marker.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def draw_all_charts(page):
    """plotly.js loads on the reader's first move (charts.js), then draws each chart as it comes near the
    window: move the mouse, bring each chart into view in turn, wait until it has drawn, go back to the top.

    charts.js is deferred: it listens for that first move only from DOMContentLoaded on, and a move made
    before then (a test is quicker than a reader) would be missed, so wait for it first. A chart in a fold (e.g.
    /national/'s hospitals and sites) is drawn when the fold opens, so the folds holding one are opened first."""
    page.wait_for_load_state("domcontentloaded")
    page.locator("details:not([open]):has([data-chart])").evaluate_all(
        "(folds) => folds.forEach((d) => { d.open = true; })"
    )
    page.mouse.move(2, 2)
    for chart in page.locator("[data-chart]").all():
        chart.scroll_into_view_if_needed()
        page.wait_for_function("(chart) => chart.dataset.drawn === 'true'", arg=chart.element_handle())
    page.evaluate("() => window.scrollTo(0, 0)")
    page.wait_for_function(ALL_CHARTS_DRAWN)


def open_page(page, browser_log, public_page: PublicPage):
    """Go to a page, check its status, and wait until every chart on it has drawn."""
    if public_page.status != 200:
        browser_log.expect_status(public_page.path, public_page.status)
    response = page.goto(browser_log.origin + public_page.path)
    assert response.status == public_page.status, public_page.path
    draw_all_charts(page)
    return response
