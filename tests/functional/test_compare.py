"""The compare page from the keyboard: pick two trusts, compare, and reach every control with visible focus."""

import re

from playwright.sync_api import expect

from .pages import PublicPage, draw_all_charts, open_page
from .test_keyboard import NUMBER_CONTROLS, tab_through


def test_trusts_are_chosen_and_compared_from_the_keyboard(page, browser_log, curated_data):
    open_page(page, browser_log, PublicPage("/compare/"))
    first = page.get_by_label("Trust 1")
    first.focus()
    first.select_option(label="Leicestershire Partnership NHS Trust")  # what arrow keys in the list do
    page.keyboard.press("Tab")
    expect(page.get_by_label("Trust 2")).to_be_focused()
    page.get_by_label("Trust 2").select_option(label="University Hospitals of Leicester NHS Trust")
    page.get_by_role("button", name="Compare").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"trust=leicestershire-partnership&trust=university-hospitals-leicester"))
    draw_all_charts(page)
    expect(page.get_by_role("table", name="Current whole-trust ratings, side by side")).to_be_visible()
    expect(page.get_by_role("figure", name=re.compile(r"^Overall: whole-trust rating in force"))).to_be_visible()

    total = page.evaluate(NUMBER_CONTROLS)
    page.locator("header a").first.focus()
    stops = tab_through(page, limit=total + 20)
    reached = [stop["stop"] for stop in stops]
    assert reached == sorted(reached), "focus order does not follow the page order"
    assert not sorted(set(range(reached[0], total)) - set(reached)), "some controls cannot be reached by Tab"
    hidden = [stop["describe"] for stop in stops if not stop["indicator"] or not stop["onScreen"]]
    assert not hidden, f"focus is not visible on: {hidden[:5]}"
    browser_log.assert_clean()
