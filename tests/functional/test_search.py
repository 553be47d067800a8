"""Finding a trust or a hospital in Chromium: search and filter from the keyboard, page through results,
open a location page; axe, 375 px and 200 % text on the search results and location pages."""

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from inspections.domain.codes import TrustKind
from inspections.domain.rating_levels import RatingValue
from inspections.reading.filters import PER_PAGE
from tests.factories import LocationFactory, RatingFactory, TrustFactory

from .conftest import screenshot_name
from .pages import PublicPage, draw_all_charts, open_page
from .test_accessibility import AXE_OPTIONS, OPEN_ALL_DETAILS
from .test_keyboard import FOCUS_STATE
from .test_phone import LAYOUT, overflow

TRUST_TABLE = "NHS trusts, their current overall CQC rating and inspection history"
# Several agents share two cores: wait up to this long for a page or a chart, never a fixed sleep.
PATIENCE_MS = 45_000
GLENFIELD = "/trusts/university-hospitals-leicester/locations/glenfield-hospital/"


def search_pages() -> list[PublicPage]:
    """A search that lists a matched site, a filtered list, and three kinds of location page: a hospital with
    site and service ratings, a small site rated for one service, and a site with no ratings at all."""
    return [
        PublicPage("/?q=glenfield"),
        PublicPage(f"/?kind={TrustKind.ACUTE}&rating=requires_improvement&q=leicester"),
        PublicPage(GLENFIELD),
        PublicPage("/trusts/university-hospitals-leicester/locations/st-marys-birth-centre/"),
        PublicPage("/trusts/leicestershire-partnership/locations/oakham-house/"),
    ]


def test_reader_searches_from_the_keyboard_and_opens_a_hospital(page, browser_log, curated_data):
    page.set_default_timeout(PATIENCE_MS)
    open_page(page, browser_log, PublicPage("/"))
    search = page.get_by_role("searchbox", name="Find a trust or hospital")
    expect(search).to_have_accessible_description(re.compile(r"hospital's name, a town or a postcode"))
    search.focus()
    page.keyboard.type("Glenfield")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/\?q=Glenfield(&|$)"))
    expect(page.get_by_role("heading", level=2, name=re.compile("^1 trust matches “Glenfield”"))).to_be_visible()
    table = page.get_by_role("table", name=TRUST_TABLE)
    expect(table.locator("tbody tr")).to_have_count(1)
    row = table.get_by_role("row").filter(has_text="University Hospitals of Leicester NHS Trust")
    expect(row).to_contain_text("Matching hospitals and sites:")
    expect(page.get_by_role("searchbox", name="Find a trust or hospital")).to_have_value("Glenfield")

    row.get_by_role("link", name="Glenfield Hospital").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(f"{GLENFIELD}$"))
    draw_all_charts(page)  # plotly loads on the reader's first move, then draws each chart as it nears the window
    expect(page.get_by_role("heading", level=1)).to_contain_text("Glenfield Hospital")
    expect(page.get_by_role("table", name="Current ratings of Glenfield Hospital: this site")).to_be_visible()
    expect(page.get_by_role("figure", name=re.compile(r"^Glenfield Hospital: ratings in force"))).to_be_visible()
    expect(page.get_by_role("figure", name=re.compile(r"^Core services at Glenfield Hospital"))).to_be_visible()

    # The breadcrumb leads back to the trust.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name=re.compile("University Hospitals")
    ).click()
    page.wait_for_url(re.compile(r"/trusts/university-hospitals-leicester/$"))
    browser_log.assert_clean()


def test_filters_are_reached_and_used_from_the_keyboard_with_visible_focus(page, browser_log, curated_data):
    page.set_default_timeout(PATIENCE_MS)
    open_page(page, browser_log, PublicPage("/"))
    page.get_by_role("searchbox", name="Find a trust or hospital").focus()
    stops = []
    for _ in range(3):  # kind of trust, current rating (no region filter: the curated trusts hold none), Search
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUS_STATE))
    assert [stop["describe"].split(" ")[0] for stop in stops] == ["select", "select", "button"]
    assert all(stop["indicator"] and stop["onScreen"] for stop in stops), stops

    kind = page.get_by_label("Kind of trust")
    kind.focus()
    page.keyboard.press("ArrowDown")  # a closed select steps to its next option: the first kind after "Any kind"
    expect(kind).to_have_value(TrustKind.MENTAL_HEALTH_COMMUNITY)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Search")).to_be_focused()
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(rf"kind={TrustKind.MENTAL_HEALTH_COMMUNITY}"))
    table = page.get_by_role("table", name=TRUST_TABLE)
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("Leicestershire Partnership NHS Trust")
    expect(page.get_by_label("Kind of trust")).to_have_value(TrustKind.MENTAL_HEALTH_COMMUNITY)

    page.get_by_role("link", name="Clear search and filters").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_role("table", name=TRUST_TABLE).locator("tbody tr")).to_have_count(2)
    browser_log.assert_clean()


def test_a_bad_filter_in_the_address_is_named_on_the_page(page, browser_log, curated_data):
    page.set_default_timeout(PATIENCE_MS)
    open_page(page, browser_log, PublicPage("/?rating=excellent&page=abc"))
    expect(page.get_by_role("status")).to_contain_text("Current overall rating: Select a valid choice.")
    expect(page.get_by_role("table", name=TRUST_TABLE).locator("tbody tr")).to_have_count(2)
    browser_log.assert_clean()


def test_reader_pages_through_many_fictional_trusts(page, browser_log, db, screenshot_dir):
    page.set_default_timeout(PATIENCE_MS)
    for number in range(PER_PAGE + 5):
        trust = TrustFactory(
            provider_id=f"ZZ{number:02d}",
            slug=f"fictional-{number:02d}",
            name=f"Fictional Trust {number:02d} NHS Trust",
            kind=TrustKind.ACUTE,
        )
        LocationFactory(trust=trust, slug="site", name=f"Fictional Site {number:02d}", town="Brookmere")
        RatingFactory(inspection__trust=trust, value=RatingValue.GOOD)
    open_page(page, browser_log, PublicPage("/?q=brookmere"))
    expect(page.get_by_role("heading", level=2, name=re.compile(r"^30 trusts match “brookmere”"))).to_be_visible()
    table = page.get_by_role("table", name=TRUST_TABLE)
    expect(table.locator("tbody tr")).to_have_count(PER_PAGE)
    pages = page.get_by_role("navigation", name="Pages of trusts")
    expect(pages.get_by_role("link", name="Page 1")).to_have_attribute("aria-current", "page")

    pages.get_by_role("link", name="Next page").click()
    page.wait_for_url(re.compile(r"\?q=brookmere&page=2$"))
    expect(table.locator("tbody tr")).to_have_count(5)
    expect(page.get_by_role("heading", level=2)).to_contain_text("showing 26 to 30")
    results = Axe().run(page, options=AXE_OPTIONS)
    assert not results.violations_count, results.generate_report()
    page.screenshot(path=screenshot_dir / screenshot_name("/search-page-2", "desktop"), full_page=True)
    browser_log.assert_clean()


def test_axe_finds_no_violations_on_search_results_and_location_pages(page, browser_log, curated_data, screenshot_dir):
    page.set_default_timeout(PATIENCE_MS)
    axe = Axe()
    reports = []
    for public_page in search_pages():
        open_page(page, browser_log, public_page)
        page.screenshot(path=screenshot_dir / screenshot_name(public_page.path, "desktop"), full_page=True)
        page.evaluate(OPEN_ALL_DETAILS)
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            reports.append(f"{public_page.path}: {results.generate_report()}")
    assert not reports, "\n\n".join(reports)
    browser_log.assert_clean()


def test_search_and_location_pages_fit_375px_and_200_percent_text(
    page, phone_page, browser_log, curated_data, screenshot_dir
):
    page.set_default_timeout(PATIENCE_MS)
    phone_page.set_default_timeout(PATIENCE_MS)
    problems = []
    for public_page in search_pages():
        open_page(phone_page, browser_log, public_page)
        layout = phone_page.evaluate(LAYOUT)
        problems += [f"{public_page.path} at 375px: {problem}" for problem in overflow(layout, tables_fit=True)]
        phone_page.screenshot(path=screenshot_dir / screenshot_name(public_page.path, "phone"), full_page=True)

        open_page(page, browser_log, public_page)
        page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
        page.wait_for_function("() => parseFloat(getComputedStyle(document.body).fontSize) >= 32")
        layout = page.evaluate(LAYOUT)
        problems += [f"{public_page.path} at 200% text: {problem}" for problem in overflow(layout, tables_fit=False)]
    assert not problems, "\n".join(problems)
    browser_log.assert_clean()
