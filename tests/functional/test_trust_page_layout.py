"""The trust page at a glance, and the hospital page alike: name, one sentence and the timeline in the first
screen, at 1366x768 and 375x812; every year of the date axis labelled; charts fit a phone (no clipped title, nothing
over the plot, plot >= 80% of the width); the grid reads without sideways scrolling under 640px."""

import re

import pytest

from .conftest import _new_page
from .pages import HOSPITAL_PATH, LPT_SLUG, PublicPage, draw_all_charts, open_page

UHL_SLUG = "university-hospitals-leicester"
SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 375, "height": 812}}

FIRST_SCREEN = """(chart) => {
  const box = (el) => el.getBoundingClientRect();
  const plot = box(document.getElementById(chart));
  return {
    height: window.innerHeight,
    heading: box(document.querySelector('h1')).bottom,
    sentence: box(document.querySelector('.lede')).bottom,
    caption: box(document.getElementById(chart + '-title')).bottom,
    plotTop: plot.top,
    plotBottom: plot.bottom,
    grid: box(document.querySelector('#current')).top,
  };
}"""

# The date axis's labels, in the HTML drawing and in plotly's: each year's text and whether it is whole in the chart.
YEAR_LABELS = """(chart) => {
  const canvas = document.getElementById(chart);
  const edge = canvas.getBoundingClientRect();
  const labels = [...canvas.querySelectorAll('.preview-axis span, .xtick text')]
    .filter((label) => getComputedStyle(label).display !== 'none');
  return labels.map((label) => {
    const box = label.getBoundingClientRect();
    return {year: label.textContent, whole: box.width > 0 && box.left >= edge.left && box.right <= edge.right};
  });
}"""

CUT_OFF_BAND_WORDS = """() => [...document.querySelectorAll('.preview .band:not(.band--unlabelled)')]
  .filter((band) => band.scrollWidth > band.clientWidth + 1).map((band) => band.textContent)"""

CHART_FIT = """() => [...document.querySelectorAll('[data-chart]')].map((chart) => {
  const canvas = chart.getBoundingClientRect();
  const plot = chart.querySelector('.nsewdrag').getBoundingClientRect();
  const caption = document.getElementById(chart.id + '-title');
  const names = [...chart.querySelectorAll('.annotation')].map((note) => note.getBoundingClientRect());
  return {
    id: chart.id,
    plotShare: plot.width / canvas.width,
    toolbars: chart.querySelectorAll('.modebar').length,
    plotlyTitles: chart.querySelectorAll('.gtitle').length,
    captionClipped: caption.scrollWidth > caption.clientWidth + 1,
    namesOutside: names.filter((n) => n.left < canvas.left - 1 || n.right > canvas.right + 1).length,
  };
})"""


@pytest.fixture(params=list(SIZES))
def sized_page(request, browser, browser_log):
    context, page = _new_page(browser, browser_log, viewport=SIZES[request.param], is_mobile=request.param == "phone")
    yield request.param, page
    context.close()


@pytest.mark.parametrize(
    ("path", "chart", "strips"),
    [
        (f"/trusts/{LPT_SLUG}/", "chart-trust", 6),
        (f"/trusts/{UHL_SLUG}/", "chart-trust", 6),
        (HOSPITAL_PATH, "chart-location", 1),  # the hospital page opens as the trust page does (issue 18)
    ],
)
def test_name_sentence_and_timeline_fill_the_first_screen(sized_page, browser_log, curated_data, path, chart, strips):
    size, page = sized_page
    page.goto(browser_log.origin + path)
    # Before the reader does anything the chart is drawn in HTML and CSS, with no chart library loaded.
    page.wait_for_load_state("load")
    assert page.evaluate("() => typeof window.Plotly") == "undefined"
    assert page.locator(f"#{chart} .preview .band").count() >= strips
    # A band too short for its word shows none, as plotly's drawing does, never a word cut off.
    assert page.evaluate(CUT_OFF_BAND_WORDS) == [], size
    first = page.evaluate(FIRST_SCREEN, chart)
    assert first["heading"] < first["sentence"] < first["caption"] <= first["plotTop"]
    assert first["plotBottom"] <= first["height"], f"{size}: the timeline ends below the first screen: {first}"
    assert first["grid"] > first["plotBottom"]  # the grid follows the chart
    sentence = page.locator(".lede").inner_text()
    assert re.search(r"overall since [A-Z][a-z]+ \d{4}", sentence), sentence  # since when, in the one wording
    assert re.search(r"latest report held (published|visited) ", sentence), sentence
    # Once plotly has drawn it, the chart keeps its place and size.
    draw_all_charts(page)
    assert page.evaluate(FIRST_SCREEN, chart)["plotBottom"] == first["plotBottom"]
    browser_log.assert_clean()


def test_every_year_shown_is_labelled_the_first_too_before_and_after_plotly_draws(
    sized_page, browser_log, curated_data
):
    """The 2015 label was missing: the HTML drawing began its labels at 2016, plotly cut 2015's off at the edge."""
    size, page = sized_page
    page.goto(f"{browser_log.origin}/trusts/{LPT_SLUG}/")
    page.wait_for_load_state("load")
    years = [str(year) for year in range(2015, 2026)]  # to 2025: the latest report held was visited in May 2025
    for drawing in ("HTML", "plotly"):
        labels = page.evaluate(YEAR_LABELS, "chart-trust")
        assert [label["year"] for label in labels] == years, (size, drawing, labels)
        assert all(label["whole"] for label in labels), (size, drawing, labels)
        draw_all_charts(page)
    browser_log.assert_clean()


@pytest.mark.parametrize("slug", [LPT_SLUG, UHL_SLUG])
def test_charts_fit_a_phone_with_titles_whole_and_nothing_over_the_plot(phone_page, browser_log, curated_data, slug):
    open_page(phone_page, browser_log, PublicPage(f"/trusts/{slug}/"))
    charts = phone_page.evaluate(CHART_FIT)
    assert len(charts) >= 2
    for chart in charts:
        assert chart["plotShare"] >= 0.8, chart
        assert chart["toolbars"] == 0, chart
        assert chart["plotlyTitles"] == 0, chart  # the title is the figure's caption, which wraps
        assert not chart["captionClipped"], chart
        assert chart["namesOutside"] == 0, chart
    browser_log.assert_clean()


def test_grid_reads_without_sideways_scrolling_on_a_phone(phone_page, browser_log, curated_data):
    open_page(phone_page, browser_log, PublicPage(f"/trusts/{UHL_SLUG}/"))
    phone_page.get_by_text(re.compile(r"^Show the \d+ core services$")).click()  # the folded group too
    for grid in phone_page.locator(".grid-scroll").all():
        widths = grid.evaluate("(box) => ({scroll: box.scrollWidth, client: box.clientWidth})")
        assert 0 < widths["scroll"] <= widths["client"], widths
    # Each cell names the key questions it stands for, since the header row is not shown.
    first_cell = phone_page.locator(".ratings-grid td").first
    label = first_cell.evaluate("(cell) => getComputedStyle(cell, '::before').content")
    assert label == '"Overall"'
    browser_log.assert_clean()


def test_a_row_says_once_what_it_lacks(page, browser_log, curated_data):
    open_page(page, browser_log, PublicPage(f"/trusts/{UHL_SLUG}/"))
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Leicester Royal Infirmary Location"))
    cells = row.get_by_role("cell")
    assert cells.count() == 2  # its overall rating, then one cell for the five key questions not in our sources
    assert cells.nth(1).get_attribute("colspan") == "5"
    assert cells.nth(1).inner_text() == "Not in our sources"
    browser_log.assert_clean()


def test_charts_below_the_fold_draw_only_when_scrolled_near(page, browser_log, curated_data):
    page.goto(f"{browser_log.origin}/trusts/{UHL_SLUG}/")
    page.mouse.move(5, 5)  # the reader's first move fetches plotly, which draws the chart in view
    page.wait_for_function("() => document.getElementById('chart-trust').dataset.drawn === 'true'")
    assert page.evaluate("() => document.getElementById('chart-location').dataset.drawn") is None
    draw_all_charts(page)
    browser_log.assert_clean()
