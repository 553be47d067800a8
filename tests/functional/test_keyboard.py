"""A keyboard-only pass through a trust page: every control is reached in order, shows focus, and works."""

import re

from playwright.sync_api import expect

from .pages import LPT_SLUG, PublicPage, draw_all_charts, open_page

# Number every control a keyboard user should reach, in document order (visible ones only: a closed
# <details> hides its content until its summary is opened).
NUMBER_CONTROLS = """() => {
  const selector = 'a[href], button:not([disabled]), input:not([type=hidden]), select, textarea, summary, '
    + '[tabindex]:not([tabindex="-1"])';
  const controls = [...document.querySelectorAll(selector)]
    .filter((el) => el.checkVisibility({ visibilityProperty: true }));
  controls.forEach((el, index) => { el.dataset.keyboardStop = String(index); });
  return controls.length;
}"""

# Where focus is now and whether a sighted keyboard user can see it.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  return {
    stop: el.dataset.keyboardStop === undefined ? null : Number(el.dataset.keyboardStop),
    describe: `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') || el.textContent).trim().slice(0, 50)}"`,
    indicator: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none',
    onScreen: rect.width > 0 && rect.bottom > 0 && rect.top < window.innerHeight,
    isBody: el === document.body,
  };
}"""


def tab_through(page, limit: int) -> list[dict]:
    """Press Tab until focus leaves the page (back to the body or the browser), recording each stop."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state["isBody"] or (stops and state["stop"] is not None and state["stop"] <= stops[-1]["stop"]):
            break
        stops.append(state)
    return stops


def test_keyboard_reaches_every_control_on_the_trust_page_in_order_with_visible_focus(page, browser_log, curated_data):
    open_page(page, browser_log, PublicPage(f"/trusts/{LPT_SLUG}/"))

    # The first Tab lands on the skip link, which is shown and moves focus to the main content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    total = page.evaluate(NUMBER_CONTROLS)
    page.locator("header a").first.focus()  # start again from the top, after the skip link
    stops = tab_through(page, limit=total + 20)

    unnumbered = [stop["describe"] for stop in stops if stop["stop"] is None]
    assert not unnumbered, f"focus went to elements that are not controls: {unnumbered[:5]}"
    reached = [stop["stop"] for stop in stops]
    assert reached == sorted(reached), "focus order does not follow the page order"
    first_reached = reached[0]
    missed = sorted(set(range(first_reached, total)) - set(reached))
    assert not missed, f"{len(missed)} controls cannot be reached by Tab, e.g. stop {missed[:5]}"
    hidden_focus = [stop["describe"] for stop in stops if not stop["indicator"] or not stop["onScreen"]]
    assert not hidden_focus, f"focus is not visible on: {hidden_focus[:5]}"
    assert total > 100  # the grid, charts' toolbars, tables, findings and sources are all in the pass

    browser_log.assert_clean()


def test_trust_page_controls_work_from_the_keyboard(page, browser_log, curated_data):
    open_page(page, browser_log, PublicPage(f"/trusts/{LPT_SLUG}/"))
    figure = page.get_by_role("figure", name=re.compile(r"^Trust-level ratings in force"))

    # Open the chart's data table from its summary with the keyboard.
    opener = figure.get_by_text("Show the chart's data as a table")
    opener.focus()
    page.keyboard.press("Enter")
    table = figure.get_by_role("table", name=re.compile(r"^Data for: Trust-level ratings in force"))
    expect(table).to_be_visible()
    page.keyboard.press("Tab")
    expect(figure.get_by_role("region", name=re.compile(r"^Data for:"))).to_be_focused()  # scrollable by arrow keys

    # Zoom the chart in with its toolbar button, from the keyboard.
    x_range = "document.getElementById('chart-trust').layout.xaxis.range.join(' to ')"
    before = page.evaluate(f"() => {x_range}")
    figure.get_by_role("button", name="Zoom in").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"(before) => {x_range} !== before", arg=before)
    figure.get_by_role("button", name="Reset axes").focus()
    page.keyboard.press("Space")
    page.wait_for_function(f"(before) => {x_range} === before", arg=before)

    # Choose a wider window of years with the form, typing and pressing Enter.
    page.get_by_label("From year").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("2013")
    page.keyboard.press("Tab")
    expect(page.get_by_label("To year")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("2025")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?from=2013&to=2025#timelines$"))
    draw_all_charts(page)
    expect(page.get_by_role("figure", name=re.compile(r"^Trust-level ratings in force, 2013 to 2025"))).to_be_visible()

    # Open the latest inspection from the inspections table by keyboard.
    inspections = page.get_by_role("table", name=re.compile(r"^Inspections of"))
    link = inspections.get_by_role("link").last
    title = link.inner_text()
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/trusts/{LPT_SLUG}/inspections/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)

    browser_log.assert_clean()
