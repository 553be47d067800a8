"""At 375x812 no public page scrolls sideways and no table is wider than its box as the page opens (a folded table
may scroll inside its own box once opened); the key columns stay in view; charts shrink to fit."""

import re

from playwright.sync_api import expect

from .conftest import PHONE, screenshot_name
from .pages import ALL_CHARTS_DRAWN, API_DOCS_PATH, HOSPITAL_PATH, LPT_SLUG, PublicPage, open_page, public_pages

# Widths the reader could scroll to, and anything drawn wider than its chart box, its table box or the window.
# The window's width is the layout viewport's (documentElement.clientWidth): with a phone's viewport Chromium widens
# window.innerWidth to whatever is too wide, so a check against it could never fail.
LAYOUT = """() => {
  const windowWidth = document.documentElement.clientWidth;
  const shown = (element) => element.getClientRects().length > 0 && !element.closest('details:not([open])');
  const caption = (table) => table.querySelector('caption')?.textContent.trim() || table.className;
  const tables = [...document.querySelectorAll('table')].filter(shown);
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: windowWidth,
    charts: [...document.querySelectorAll('[data-chart]')].map((chart) => ({
      id: chart.id,
      right: chart.getBoundingClientRect().right,
      svgWidths: [...chart.querySelectorAll('svg.main-svg')].map((svg) => svg.getBoundingClientRect().width),
      boxWidth: chart.clientWidth,
    })),
    unboxedTables: tables
      .filter((table) => table.getBoundingClientRect().width > windowWidth)
      .filter((table) => !table.closest('.table-scroll[tabindex="0"]'))
      .map(caption),
    tablesWiderThanTheirBox: tables
      .map((table) => ({
        caption: caption(table),
        width: Math.round(table.getBoundingClientRect().width),
        box: (table.closest('.table-scroll') || table.parentElement).clientWidth,
      }))
      .filter((table) => table.width > table.box + 1),
  };
}"""


def overflow(layout: dict, *, tables_fit: bool) -> list[str]:
    """What does not fit: with `tables_fit`, any table wider than its box; otherwise only one without a box to
    scroll in (text at 200% keeps the desktop layout, where a wide table may scroll inside its box)."""
    problems = []
    if layout["scrollWidth"] > layout["innerWidth"]:
        problems.append(f"page is {layout['scrollWidth']}px wide in a {layout['innerWidth']}px window")
    for chart in layout["charts"]:
        if chart["right"] > layout["innerWidth"] + 0.5 or any(w > chart["boxWidth"] + 0.5 for w in chart["svgWidths"]):
            problems.append(f"chart {chart['id']} does not fit: {chart}")
    problems.extend(
        f"table {caption!r} is wider than the window and has no scroll box" for caption in layout["unboxedTables"]
    )
    if tables_fit:
        problems.extend(
            f"table {table['caption']!r} is {table['width']}px wide in a {table['box']}px box"
            for table in layout["tablesWiderThanTheirBox"]
        )
    return problems


def test_no_public_page_scrolls_sideways_or_holds_a_table_wider_than_its_box_at_375px(
    phone_page, browser_log, curated_data, screenshot_dir
):
    problems = []
    pages = public_pages()
    assert HOSPITAL_PATH in [public_page.path for public_page in pages]
    for public_page in pages:
        open_page(phone_page, browser_log, public_page)
        layout = phone_page.evaluate(LAYOUT)
        problems.extend(f"{public_page.path}: {problem}" for problem in overflow(layout, tables_fit=True))
        phone_page.screenshot(path=screenshot_dir / screenshot_name(public_page.path, "phone"), full_page=True)
    assert not problems, "\n".join(problems)
    browser_log.assert_clean()


# Each card of the inspection's ratings: how tall it is against what it holds, and whether a badge is cut off.
RATING_CARDS = """() => [...document.querySelectorAll('.rating-list tbody tr')].map((row) => {
  const box = row.getBoundingClientRect();
  const held = [...row.children].filter((cell) => cell.getClientRects().length)
    .reduce((sum, cell) => sum + cell.getBoundingClientRect().height, 0);
  const badges = [...row.querySelectorAll('.rating')].map((badge) => badge.getBoundingClientRect());
  return {
    name: row.querySelector('th').textContent,
    height: box.height,
    blank: box.height - held,
    cut: badges.filter((b) => b.left < box.left - 0.5 || b.right > box.right + 0.5).length,
  };
})"""


def test_an_inspections_ratings_read_as_cards_with_whole_badges_and_no_blank_rows(
    phone_page, browser_log, curated_data
):
    open_page(phone_page, browser_log, PublicPage("/trusts/university-hospitals-leicester/inspections/2018-03/"))
    cards = phone_page.evaluate(RATING_CARDS)
    assert len(cards) > 10
    for card in cards:
        assert card["cut"] == 0, card
        assert card["blank"] < 30, card  # a flex row holds its cells: no row far taller than what it says
        assert card["height"] < 400, card
    # The heading of each card names the level and the key question on one line; the rating follows under it.
    first = phone_page.locator(".rating-list tbody tr").first
    level, question, rating = (first.locator(part).bounding_box() for part in ("th", "td.key-question", ".rating"))
    assert question["y"] < level["y"] + level["height"], (level, question)  # beside it, not under it
    assert question["x"] > level["x"], (level, question)
    assert rating["y"] >= level["y"] + level["height"] - 1
    browser_log.assert_clean()


def test_the_key_columns_stay_in_view_on_a_phone(phone_page, browser_log, curated_data):
    """The trust list's rating, every trust compared, and a hospital's inspections, all inside the window."""
    width = PHONE["width"]

    def inside(locator):
        boxes = locator.evaluate_all("(cells) => cells.map((cell) => cell.getBoundingClientRect().toJSON())")
        assert boxes
        return all(box["left"] >= 0 and box["right"] <= width and box["width"] > 0 for box in boxes)

    open_page(phone_page, browser_log, PublicPage("/"))
    assert inside(phone_page.locator(".trust-table td.rating-cell"))
    badge = phone_page.locator(".trust-table td.rating-cell .rating").first
    badge.scroll_into_view_if_needed()
    expect(badge).to_be_in_viewport(ratio=1)
    # Sorting stays on offer, as links above the cards.
    phone_page.get_by_role("link", name=re.compile(r"^Current overall rating")).click()
    phone_page.wait_for_url(re.compile(r"sort=current_overall"))

    open_page(phone_page, browser_log, PublicPage(f"/compare/?trust={LPT_SLUG}&trust=university-hospitals-leicester"))
    overall = phone_page.locator(".compare-grid tbody tr").first.locator("td")
    assert overall.count() == 2
    assert inside(overall)

    open_page(phone_page, browser_log, PublicPage(HOSPITAL_PATH))
    assert inside(phone_page.locator("#inspections td"))
    browser_log.assert_clean()


def test_api_docs_fit_a_phone(phone_page, browser_log, curated_data):
    """django-ninja's Swagger page, with a viewport and a few rules of ours (templates/ninja/swagger.html)."""
    response = phone_page.goto(browser_log.origin + API_DOCS_PATH)
    assert response.status == 200
    operation = phone_page.locator(".opblock-summary").first
    operation.wait_for()
    assert phone_page.evaluate(LAYOUT)["scrollWidth"] <= PHONE["width"]
    operation.click()
    phone_page.get_by_role("button", name="Try it out").first.click()
    phone_page.get_by_role("button", name="Execute").click()
    phone_page.locator(".live-responses-table").wait_for()
    assert phone_page.evaluate(LAYOUT)["scrollWidth"] <= PHONE["width"]
    icon = phone_page.locator('link[rel~="icon"]').first.get_attribute("href")
    assert icon.endswith("favicon.svg"), icon
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
    assert not overflow(page.evaluate(LAYOUT), tables_fit=False)
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
        problems.extend(
            f"{public_page.path}: {problem}" for problem in overflow(page.evaluate(LAYOUT), tables_fit=False)
        )
    assert not problems, "\n".join(problems)
    browser_log.assert_clean()
