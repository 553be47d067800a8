"""Issue 28 in the browser: a timeline's year labels sit mid-year between yearly grid lines at every span and width;
zoomed in, no band's word is cut off at the plot's edge; a feed opened in a browser is a readable page that says how
to subscribe, fits a phone and asks nothing of another host."""

import pytest

from .conftest import PHONE, _new_page
from .pages import LPT_SLUG, draw_all_charts

# Each year label's centre and each grid line's x (major and minor), in px, of one drawn chart.
AXIS = """(chart) => {
  const canvas = document.getElementById(chart);
  const centre = (el) => { const box = el.getBoundingClientRect(); return box.left + box.width / 2; };
  return {
    labels: [...canvas.querySelectorAll('.xtick text')].filter((t) => t.textContent).map((t) =>
      ({year: t.textContent, x: centre(t)})),
    grid: [...canvas.querySelectorAll('.xgrid, .xgrid.minor, path.xgrid')].map(centre),
  };
}"""

# Each band word plotly draws, against the plot area it must sit inside.
BAND_WORDS = """(chart) => {
  const canvas = document.getElementById(chart);
  const plot = canvas.querySelector('.nsewdrag').getBoundingClientRect();
  return [...canvas.querySelectorAll('.barlayer text')].filter((t) => t.textContent).map((t) => {
    const box = t.getBoundingClientRect();
    return {word: t.textContent, inside: box.left >= plot.left - 1 && box.right <= plot.right + 1};
  });
}"""


@pytest.mark.parametrize("width", [1366, PHONE["width"]])
@pytest.mark.parametrize("query", ["", "?from=2005&to=2025"])  # the default view, and a long one (every few years)
def test_year_labels_sit_mid_year_between_grid_lines(browser, browser_log, curated_data, width, query):
    context, page = _new_page(browser, browser_log, viewport={"width": width, "height": 900})
    page.goto(f"{browser_log.origin}/trusts/{LPT_SLUG}/{query}")
    draw_all_charts(page)
    axis = page.evaluate(AXIS, "chart-trust")
    assert axis["labels"]
    assert len(axis["grid"]) >= len(axis["labels"]) - 1  # a grid line where each year begins (the first: the edge)
    spacing = min(b - a for a, b in zip(sorted(axis["grid"]), sorted(axis["grid"])[1:], strict=False))
    for label in axis["labels"]:
        nearest = min(abs(label["x"] - line) for line in axis["grid"])
        assert nearest > spacing / 3, (width, query, label, "a year's label sits on a grid line, not mid-year")
    context.close()
    browser_log.assert_clean()


def test_zoomed_in_no_band_word_is_cut_off_at_the_edge(page, browser_log, curated_data):
    page.goto(f"{browser_log.origin}/trusts/{LPT_SLUG}/")
    draw_all_charts(page)
    chart = page.locator("#chart-trust")
    page.locator("[data-tools='chart-trust']").get_by_role("button", name="Zoom in").click()
    page.wait_for_function(
        "() => document.getElementById('chart-trust').layout.xaxis.tickmode === 'auto'"
    )  # relabelled for the zoom
    page.wait_for_function(
        """() => [...document.querySelectorAll('#chart-trust .barlayer text')].every((t) => {
          const plot = document.querySelector('#chart-trust .nsewdrag').getBoundingClientRect();
          const box = t.getBoundingClientRect();
          return box.left >= plot.left - 1 && box.right <= plot.right + 1;
        })""",
        timeout=30_000,
    )
    words = page.evaluate(BAND_WORDS, "chart-trust")
    assert words
    assert all(word["inside"] for word in words), words
    assert chart.locator(".barlayer text", has_text="Requires improvement").count() >= 1
    browser_log.assert_clean()


@pytest.mark.parametrize("path", ["/feeds/reports/", f"/trusts/{LPT_SLUG}/feed/"])
def test_a_feed_opened_in_a_browser_is_a_page_that_says_how_to_subscribe(phone_page, browser_log, curated_data, path):
    response = phone_page.goto(browser_log.origin + path)
    assert response.headers["content-type"] == "application/xml; charset=utf-8"
    heading = phone_page.get_by_role("heading", name="This is a feed: follow it in a feed reader")
    heading.wait_for()
    assert phone_page.locator(".subscribe code").inner_text() == browser_log.origin + path
    first = phone_page.locator("main ol li").first
    assert "Community-based mental health services for adults of working age rated Requires improvement overall" in (
        first.get_by_role("heading").inner_text()
    )
    assert "visited May 2025; publication date not in our sources" in first.inner_text()
    width = phone_page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the feed's page is {width[0]}px wide in a {width[1]}px window"
    assert all(url.startswith(browser_log.origin) for url in browser_log.requested)
    # Chromium 156 puts its own notice over any page made by XSLT ("being removed from this browser very soon"),
    # with an inline click handler that the page's Content-Security-Policy blocks: the browser's, not the site's.
    browser_log.problems = [
        problem for problem in browser_log.problems if "Executing inline event handler violates" not in problem
    ]
    browser_log.assert_clean()
