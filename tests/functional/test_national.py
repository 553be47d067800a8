"""/national/ in Chromium with fictional trusts that have coordinates: the map draws from this site alone, its
markers open trust pages, the table by region is the keyboard route to the same links, hospitals and sites come on
request, and the page passes axe and fits a phone. (The shared walks in pages.py visit it with the curated data,
which holds no coordinates.)"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.national_data import four_trusts

from .conftest import screenshot_name
from .pages import PublicPage, open_page
from .test_accessibility import AXE_OPTIONS, OPEN_ALL_DETAILS
from .test_keyboard import NUMBER_CONTROLS, tab_through
from .test_phone import LAYOUT, overflow

NATIONAL = PublicPage("/national/")
MAP = "#national-map"
MAP_DRAWN = "() => document.querySelector('[data-map]').dataset.drawn === 'true'"
GEO_BUNDLE = "/static/vendor/plotly-geo.min.js"
OUTLINE = "/static/vendor/topojson/europe_50m.json"
MAP_FITS = """() => [...document.querySelectorAll('#national-map svg.main-svg')]
  .every((svg) => svg.getBoundingClientRect().right <= window.innerWidth + 0.5)"""


@pytest.fixture(autouse=True)
def the_full_picture(settings):
    """The map and shares of four fictional trusts: shown at any number held (the threshold has its own tests)."""
    settings.NATIONAL_PICTURE_MIN_TRUSTS = 0


def open_with_map(page, browser_log):
    """Open /national/ with every chart drawn, then bring the map into view and wait until it has drawn."""
    open_page(page, browser_log, NATIONAL)
    page.locator(MAP).scroll_into_view_if_needed()
    page.wait_for_function(MAP_DRAWN, timeout=30_000)


def test_the_map_draws_from_this_site_only_and_a_marker_opens_its_trust(page, browser_log, db):
    four_trusts()
    browser_log.requested.clear()
    open_with_map(page, browser_log)
    origin = browser_log.origin
    assert origin + GEO_BUNDLE in browser_log.requested
    assert origin + OUTLINE in browser_log.requested
    assert not [url for url in browser_log.requested if browser_log.is_foreign(url)]
    # The geo bundle came after the charts' basic bundle and broke none of them.
    assert page.locator("[data-chart]").evaluate_all("(charts) => charts.every((c) => c.dataset.drawn === 'true')")
    expect(page.locator(MAP).get_by_role("img")).to_have_accessible_name(re.compile(r"^Map: Every trust we hold"))
    points = page.locator(f"{MAP} .scattergeo path.point")
    expect(points).to_have_count(3)  # Cedar has no coordinates
    # The first trace is the best rating shown: Good, Fictional Brook.
    marker = points.first
    box = marker.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator(f"{MAP} .hoverlayer")).to_contain_text("Fictional Brook NHS Trust")
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(r"/trusts/fictional-brook/$"))
    browser_log.assert_clean()


def test_the_button_draws_the_map_before_the_reader_has_moved(page, browser_log, db):
    four_trusts()
    page.goto(browser_log.origin + NATIONAL.path)
    page.wait_for_load_state("domcontentloaded")  # map.js is deferred: it listens from here on
    assert browser_log.origin + GEO_BUNDLE not in browser_log.requested  # nothing heavy on a first view
    page.locator("[data-map-draw]").dispatch_event("click")  # a click alone: no move, scroll or key first
    page.wait_for_function(MAP_DRAWN, timeout=30_000)
    browser_log.assert_clean()


def test_the_table_by_region_is_a_keyboard_route_to_every_trust(page, browser_log, db):
    four_trusts()
    open_with_map(page, browser_log)

    total = page.evaluate(NUMBER_CONTROLS)
    page.locator("header a").first.focus()
    stops = tab_through(page, limit=total + 20)
    reached = [stop["stop"] for stop in stops]
    assert reached == sorted(reached), "focus order does not follow the page order"
    assert not sorted(set(range(reached[0], total)) - set(reached)), "some controls cannot be reached by Tab"
    hidden = [stop["describe"] for stop in stops if not stop["indicator"] or not stop["onScreen"]]
    assert not hidden, f"focus is not visible on: {hidden[:5]}"

    # The box adds hospitals and sites (fetched from this site when first asked for) and takes them away.
    page.get_by_label("Show hospitals and sites too").focus()
    page.keyboard.press("Space")
    page.wait_for_function("() => document.querySelector('[data-map]').dataset.sitesShown === 'true'")
    expect(page.locator(f"{MAP} .scattergeo path.point")).to_have_count(4)
    assert browser_log.origin + "/national/sites.json" in browser_log.requested
    page.keyboard.press("Space")
    page.wait_for_function("() => document.querySelector('[data-map]').dataset.sitesShown === 'false'")

    # Open a region from the keyboard and follow a trust's link.
    page.get_by_text("London: 2 trusts").focus()
    page.keyboard.press("Enter")
    london = page.get_by_role("table", name=re.compile(r"^Trusts in London"))
    anvil = london.get_by_role("link", name="Fictional Anvil NHS Trust", exact=True)
    expect(anvil).to_be_visible()
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent") == "Fictional Anvil NHS Trust":
            break
    expect(anvil).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/trusts/fictional-anvil/$"))
    browser_log.assert_clean()


def test_axe_finds_no_violations_with_the_map_and_sites_drawn(page, browser_log, db, screenshot_dir):
    four_trusts()
    open_with_map(page, browser_log)
    page.get_by_label("Show hospitals and sites too").check()
    page.wait_for_function("() => document.querySelector('[data-map]').dataset.sitesShown === 'true'")
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=screenshot_dir / screenshot_name("/national/ with map", "desktop"), full_page=True)
    page.evaluate(OPEN_ALL_DETAILS)
    results = Axe().run(page, options=AXE_OPTIONS)
    assert not results.violations_count, results.generate_report()
    browser_log.assert_clean()


def test_at_375px_the_page_and_its_map_fit_the_window(phone_page, browser_log, db, screenshot_dir):
    four_trusts()
    open_with_map(phone_page, browser_log)
    assert not overflow(phone_page.evaluate(LAYOUT), tables_fit=True)
    assert phone_page.evaluate(MAP_FITS)
    # A phone's drag scrolls the page rather than panning the map; the zoom buttons zoom it.
    assert phone_page.evaluate("() => document.querySelector('[data-map]').layout.dragmode") is False
    phone_page.get_by_role("button", name="Zoom in").click()
    phone_page.wait_for_function("() => document.querySelector('[data-map]').layout.geo.projection.scale > 1")
    phone_page.get_by_role("button", name="Reset map").click()
    phone_page.wait_for_function("() => document.querySelector('[data-map]').layout.geo.projection.scale === 1")
    phone_page.evaluate("() => window.scrollTo(0, 0)")
    phone_page.screenshot(path=screenshot_dir / screenshot_name("/national/ with map", "phone"), full_page=True)
    browser_log.assert_clean()
