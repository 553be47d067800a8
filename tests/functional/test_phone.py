"""At 375x812 no public page scrolls sideways; charts shrink to fit; wide tables scroll inside their own box."""

from .conftest import PHONE, screenshot_name
from .pages import ALL_CHARTS_DRAWN, LPT_SLUG, PublicPage, open_page, public_pages

# Widths the reader could scroll to, and anything drawn wider than its chart box or the window.
LAYOUT = """() => ({
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
  charts: [...document.querySelectorAll('[data-chart]')].map((chart) => ({
    id: chart.id,
    right: chart.getBoundingClientRect().right,
    svgWidths: [...chart.querySelectorAll('svg.main-svg')].map((svg) => svg.getBoundingClientRect().width),
    boxWidth: chart.clientWidth,
  })),
  unboxedTables: [...document.querySelectorAll('table')]
    .filter((table) => table.getBoundingClientRect().width > window.innerWidth)
    .filter((table) => !table.closest('.table-scroll[tabindex="0"]'))
    .map((table) => table.querySelector('caption')?.textContent),
})"""


def overflow(layout: dict) -> list[str]:
    problems = []
    if layout["scrollWidth"] > layout["innerWidth"]:
        problems.append(f"page is {layout['scrollWidth']}px wide in a {layout['innerWidth']}px window")
    for chart in layout["charts"]:
        if chart["right"] > layout["innerWidth"] + 0.5 or any(w > chart["boxWidth"] + 0.5 for w in chart["svgWidths"]):
            problems.append(f"chart {chart['id']} does not fit: {chart}")
    problems.extend(
        f"table {caption!r} is wider than the window and has no scroll box" for caption in layout["unboxedTables"]
    )
    return problems


def test_no_public_page_scrolls_sideways_at_375px(phone_page, browser_log, curated_data, screenshot_dir):
    problems = []
    for public_page in public_pages():
        open_page(phone_page, browser_log, public_page)
        problems.extend(f"{public_page.path}: {problem}" for problem in overflow(phone_page.evaluate(LAYOUT)))
        phone_page.screenshot(path=screenshot_dir / screenshot_name(public_page.path, "phone"), full_page=True)
    assert not problems, "\n".join(problems)
    browser_log.assert_clean()


def test_charts_redraw_to_fit_when_the_window_narrows(page, browser_log, curated_data):
    open_page(page, browser_log, PublicPage(f"/trusts/{LPT_SLUG}/"))
    assert page.evaluate(LAYOUT)["charts"][0]["svgWidths"][0] > PHONE["width"]
    page.set_viewport_size(PHONE)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-chart] svg.main-svg')]"
        ".every((svg) => svg.getBoundingClientRect().width <= svg.closest('[data-chart]').clientWidth)"
    )
    page.wait_for_function(ALL_CHARTS_DRAWN)
    assert not overflow(page.evaluate(LAYOUT))
    browser_log.assert_clean()


def test_text_zoomed_to_200_percent_still_fits_the_window(page, browser_log, curated_data):
    """WCAG 1.4.4: with the text at twice its size (sizes are in rem), nothing needs a sideways scroll."""
    problems = []
    for public_page in public_pages():
        open_page(page, browser_log, public_page)
        base_size = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
        page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
        page.wait_for_function(
            "(base) => parseFloat(getComputedStyle(document.body).fontSize) >= 2 * base", arg=base_size
        )
        problems.extend(f"{public_page.path}: {problem}" for problem in overflow(page.evaluate(LAYOUT)))
    assert not problems, "\n".join(problems)
    browser_log.assert_clean()
