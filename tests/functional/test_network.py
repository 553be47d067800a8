"""Every public page loads with no console errors, no failed requests and nothing from another host, and names the
site's favicon."""

from .conftest import FAVICON
from .pages import open_page, public_pages

PLOTLY = "/static/plotly/plotly.min.js"


def test_every_public_page_loads_cleanly_from_this_site_only(page, browser_log, curated_data):
    charted = 0
    for public_page in public_pages():
        browser_log.requested.clear()
        open_page(page, browser_log, public_page)
        foreign = [url for url in browser_log.requested if browser_log.is_foreign(url)]
        assert not foreign, f"{public_page.path} asked other hosts for {foreign}"
        if page.locator("[data-chart]").count():
            charted += 1
            assert browser_log.origin + PLOTLY in browser_log.requested, public_page.path
            scripts = page.locator("script[src]").evaluate_all("(scripts) => scripts.map((s) => s.src)")
            assert browser_log.origin + PLOTLY in scripts
            assert page.evaluate("typeof window.Plotly") == "object"
        icons = page.locator('link[rel~="icon"]').evaluate_all("(links) => links.map((link) => link.href)")
        assert icons == [browser_log.origin + FAVICON], f"{public_page.path} names no favicon of ours: {icons}"
        try:
            browser_log.assert_clean()
        except AssertionError as error:
            raise AssertionError(f"{public_page.path}: {error}") from None
    assert charted >= 1
    icon = page.request.get(browser_log.origin + FAVICON)
    assert icon.status == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
