"""The email alerts' sign-up in Chromium: by keyboard alone from a trust page and from /national/ to the confirmed
page, every step clean under axe, every step fitting a 375 px phone; and the alert email's HTML part as a mail
client shows it.

Each step is saved as a screenshot (artifacts/screenshots/alerts-*.png; issue 30's are in docs/screenshots/).
"""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from inspections.alerts import signups
from inspections.alerts.sending import send_alerts
from inspections.models import Follow, Trust

from .conftest import PHONE
from .pages import LPT_SLUG, PublicPage, open_page
from .test_accessibility import AXE_OPTIONS

ADDRESS = "reader@example.org"
WIDE = {"width": 1366, "height": 900}
WHERE = {
    "trust": (f"/trusts/{LPT_SLUG}/", "Leicestershire Partnership NHS Trust"),
    "national": ("/national/", "every NHS trust we hold"),
}
FOCUSED_ID = "() => document.activeElement && document.activeElement.id"
FOCUSED_TEXT = "() => document.activeElement && document.activeElement.textContent.trim()"
# How far the page and the form reach past the window (0 when they fit). The window is the layout viewport
# (documentElement.clientWidth): with a phone's viewport Chromium widens window.innerWidth to whatever is too wide.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  return {
    page: document.documentElement.scrollWidth - width,
    form: Math.max(0, ...[...document.querySelectorAll('.follow-form, .follow-form *')]
      .filter((element) => element.getClientRects().length)
      .map((element) => Math.ceil(element.getBoundingClientRect().right) - width)),
  };
}"""


@pytest.fixture
def site_url(settings, live_server):
    """Links in the emails lead to the live server."""
    settings.SITE_URL = live_server.url


def tab_until(page, condition: str, *, limit: int = 400) -> int:
    """Press Tab until `condition` (JS, on document.activeElement) holds; the number of presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return Boolean({condition}); }}"):
            return presses
    raise AssertionError(f"{limit} presses of Tab never reached {condition}")


def axe_clean(page, label: str):
    results = Axe().run(page, options=AXE_OPTIONS)
    assert not results.violations_count, f"{label}: {results.generate_report()}"


def fits(page, label: str):
    overflow = page.evaluate(OVERFLOW)
    assert overflow == {"page": 0, "form": 0}, f"{label}: reaches {overflow} px past a {PHONE['width']} px window"


@pytest.mark.parametrize("where", WHERE)
def test_sign_up_and_confirm_by_keyboard_alone(page, browser_log, curated_data, site_url, screenshot_dir, where):
    path, what = WHERE[where]
    page.set_viewport_size(WIDE)
    open_page(page, browser_log, PublicPage(path))

    # From the top of the page, Tab reaches the address field; typing and Enter send the form.
    tab_until(page, "el.id === 'follow-email'")
    field = page.get_by_role("textbox", name="Your email address")
    expect(field).to_be_focused()
    expect(field).to_be_in_viewport()
    axe_clean(page, f"{path} (its form)")
    page.screenshot(path=screenshot_dir / f"alerts-{where}-form--1366.png")
    page.keyboard.type(ADDRESS)
    page.keyboard.press("Enter")

    # Step two: the address shown to check, with this visitor's token; Tab to the button, Enter.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Follow {what} by email")
    expect(page.get_by_role("textbox", name="Your email address")).to_have_value(ADDRESS)
    axe_clean(page, "/alerts/follow/")
    tab_until(page, "el.textContent.trim() === 'Send the confirmation link'")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_text(f"If {ADDRESS} can receive email")).to_be_visible()
    axe_clean(page, "/alerts/sign-up/")
    page.screenshot(path=screenshot_dir / f"alerts-{where}-check-email--1366.png", full_page=True)
    (confirmation,) = mail.outbox
    assert confirmation.to == [ADDRESS]
    follow = Follow.objects.get(subscriber__email=ADDRESS)
    assert follow.confirmed_at is None
    assert follow.trust == (Trust.objects.get(slug=LPT_SLUG) if where == "trust" else None)

    # The emailed link shows a button (a link alone confirms nothing); Tab to it, Enter.
    link = re.search(r"http://\S+/alerts/confirm/\S+/", confirmation.body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Confirm alerts for {what}")
    axe_clean(page, "the confirmation link")
    tab_until(page, "el.tagName === 'BUTTON'")
    expect(page.get_by_role("button", name="Confirm: email me new reports")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"You are following {what}")
    expect(page.get_by_role("link", name=re.compile(r"^Go to (the national picture|Leicestershire)"))).to_be_visible()
    axe_clean(page, "confirmed")
    page.screenshot(path=screenshot_dir / f"alerts-{where}-confirmed--1366.png", full_page=True)
    follow.refresh_from_db()
    assert follow.confirmed_at is not None
    browser_log.assert_clean()


def test_a_mistyped_address_is_named_by_the_field_and_clean_under_axe(page, browser_log, curated_data):
    """The cached page's field checks the address itself (type=email); step two names a mistake in words."""
    page.goto(browser_log.origin + f"/alerts/follow/?trust={LPT_SLUG}")
    tab_until(page, "el.id === 'id_email'")
    page.keyboard.type("reader.example.org")
    browser_log.expect_status("/alerts/sign-up/", 400)
    page.keyboard.press("Enter")
    field = page.get_by_role("textbox", name="Your email address")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description("Enter an email address like name@example.org.")
    axe_clean(page, "a mistyped address")
    assert not Follow.objects.exists()
    assert not mail.outbox
    browser_log.assert_clean()


@pytest.mark.parametrize("where", WHERE)
def test_every_step_fits_a_phone(phone_page, browser_log, curated_data, site_url, screenshot_dir, where):
    path, what = WHERE[where]
    open_page(phone_page, browser_log, PublicPage(path))
    form = phone_page.locator("form.follow-form")
    form.scroll_into_view_if_needed()
    fits(phone_page, path)
    field = phone_page.get_by_role("textbox", name="Your email address")
    assert field.bounding_box()["width"] >= 200  # room to see an address typed in full
    form.screenshot(path=screenshot_dir / f"alerts-{where}-form--375.png")
    field.fill(ADDRESS)
    phone_page.get_by_role("button", name="Follow by email").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text(f"Follow {what} by email")
    fits(phone_page, "/alerts/follow/")
    axe_clean(phone_page, "/alerts/follow/ at 375 px")
    phone_page.screenshot(path=screenshot_dir / f"alerts-{where}-step-two--375.png", full_page=True)
    phone_page.get_by_role("button", name="Send the confirmation link").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Check your email")
    fits(phone_page, "/alerts/sign-up/")
    phone_page.screenshot(path=screenshot_dir / f"alerts-{where}-check-email--375.png", full_page=True)
    browser_log.assert_clean()


def test_the_alert_email_reads_in_a_browser_at_desktop_and_phone_widths(page, browser_log, db, screenshot_dir):
    """The HTML part of a real alert (two fictional reports on two fictional trusts), shown as a mail client
    would: clean under axe, no sideways scroll at 375 px, its links absolute."""
    from tests.factories import InspectionFactory, RatingFactory, TrustFactory

    trusts = [
        TrustFactory(provider_id=f"ZZ{letter}", slug=f"fictional-{letter.lower()}", name=f"Fictional {name} NHS Trust")
        for letter, name in (("M", "Moorland"), ("R", "Riverside"))
    ]
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    for trust in trusts:
        signups.confirm(signups.sign_up(email=ADDRESS, trust=trust, now=an_hour_ago).follow, now=an_hour_ago)
    mail.outbox.clear()
    first = InspectionFactory(
        trust=trusts[0], slug="2025-03", title="Fictional Moorland report", published=datetime.date(2025, 3, 14)
    )
    for question, value in (("overall", "good"), ("safe", "requires_improvement"), ("well_led", "good")):
        RatingFactory(inspection=first, key_question=question, value=value)
    InspectionFactory(trust=trusts[1], slug="2025-04", title="Fictional Riverside report", published=None)
    assert send_alerts().messages_sent == 1
    (message,) = mail.outbox
    html, kind = message.alternatives[0]
    assert kind == "text/html"

    page.set_content(html)
    expect(page.get_by_role("link", name="Fictional Moorland report")).to_have_attribute(
        "href", re.compile(r"^https?://[^/]+/trusts/fictional-m/inspections/2025-03/$")
    )
    expect(page.get_by_role("link", name="Stop these emails")).to_have_attribute(
        "href", re.compile(r"^https?://[^/]+/alerts/unsubscribe/")
    )
    axe_clean(page, "the alert email")
    page.set_viewport_size(WIDE)
    page.screenshot(path=screenshot_dir / "alerts-email--1366.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.wait_for_function(f"() => window.innerWidth === {PHONE['width']}")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=screenshot_dir / "alerts-email--375.png", full_page=True)
    browser_log.assert_clean()
