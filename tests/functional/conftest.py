"""Playwright fixtures for the browser lane: Debian's Chromium driving pytest-django's live_server.

Every test here is marked `browser`. Each page records console errors, page errors, failed
requests, HTTP errors and any request to a host other than the live server (those are
blocked, so no test ever depends on an outside service); tests end with `browser_log.assert_clean()`.
"""

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

# Playwright's sync API runs an asyncio loop in this thread; Django would otherwise refuse ORM calls here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
FAVICON = "/static/inspections/favicon.svg"
SCREENSHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path():
    """Debian's Chromium; mandatory in CI, skipped with a reason elsewhere."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(
                f"BROWSER LANE IS MANDATORY WITH CI=true, BUT {CHROMIUM} IS MISSING: "
                "install Debian's chromium package (apt-get install chromium).",
                pytrace=False,
            )
        pytest.skip(f"browser lane skipped: {CHROMIUM} not found (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="session")
def playwright_instance(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance, chromium_path):
    browser = playwright_instance.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def screenshot_dir():
    """Fresh on every run, so the folder shows what this run saw."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


@dataclass
class BrowserLog:
    """What went wrong while a page was open; tests assert it stays empty."""

    origin: str
    problems: list[str] = field(default_factory=list)
    allowed_statuses: dict[str, int] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)
    reported: int = 0

    def expect_status(self, path: str, status: int):
        """Allow one page to answer with an error status on purpose (the 404 page)."""
        self.allowed_statuses[self.origin + path] = status

    def _allowed(self, url: str, status: int) -> bool:
        return self.allowed_statuses.get(url) == status

    def on_console(self, message):
        if message.type != "error":
            return
        location = message.location.get("url", "")
        expected = self.allowed_statuses.get(location)
        if expected and f"status of {expected}" in message.text:
            return  # Chromium logs every error status as a console error, the expected 404 too.
        self.problems.append(f"console error: {message.text} (at {location})")

    def on_request(self, request):
        self.requested.append(request.url)

    def on_request_failed(self, request):
        static = urlsplit(request.url).path.startswith("/static/")
        if static and request.failure == "net::ERR_ABORTED":
            # Chromium cancels a fetch of a static file (the tab's icon after the page has loaded, a deferred admin
            # script) when the test navigates on, submits a form or closes the page: the browser's choice, not the
            # site's. A static file the site fails to serve answers an error status, which on_response reports.
            return
        self.problems.append(f"request failed: {request.method} {request.url} ({request.failure})")

    def on_response(self, response):
        if response.status >= 400 and not self._allowed(response.url, response.status):
            self.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def on_page_error(self, error):
        self.problems.append(f"page error: {error}")

    def block_foreign(self, route):
        self.problems.append(f"request to another host (blocked): {route.request.url}")
        route.abort("blockedbyclient")

    def is_foreign(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob", "about"}:
            return False
        return f"{parts.scheme}://{parts.netloc}" != self.origin

    def assert_clean(self):
        new, self.reported = self.problems[self.reported :], len(self.problems)
        assert not new, "The browser reported problems:\n" + "\n".join(new)


@pytest.fixture(autouse=True)
def empty_page_cache():
    """The live server shares this process's page cache; every test starts from an empty one."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def browser_log(live_server):
    return BrowserLog(origin=live_server.url)


def _new_page(browser, browser_log, **context_options):
    context = browser.new_context(**context_options)
    context.route(browser_log.is_foreign, browser_log.block_foreign)
    page = context.new_page()
    page.on("console", browser_log.on_console)
    page.on("pageerror", browser_log.on_page_error)
    page.on("request", browser_log.on_request)
    page.on("requestfailed", browser_log.on_request_failed)
    page.on("response", browser_log.on_response)
    page.set_default_timeout(10_000)
    return context, page


@pytest.fixture
def page(browser, browser_log):
    """A desktop-sized page (1280x900) in a fresh context, with its problems recorded in browser_log."""
    context, page = _new_page(browser, browser_log, viewport=DESKTOP)
    yield page
    context.close()
    browser_log.assert_clean()


@pytest.fixture
def phone_page(browser, browser_log):
    """A phone-sized page (375x812, mobile viewport and touch), recorded like `page`."""
    context, page = _new_page(browser, browser_log, viewport=PHONE, is_mobile=True, has_touch=True)
    yield page
    context.close()
    browser_log.assert_clean()


def screenshot_name(path: str, width: str) -> str:
    """E.g. '/trusts/leicestershire-partnership/' at desktop -> 'trusts-leicestershire-partnership--desktop.png'."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
    return f"{slug}--{width}.png"
