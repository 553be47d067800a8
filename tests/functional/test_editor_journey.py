"""An editor in Chromium: sign in, change a rating, see it on the trust page; an impossible edit is refused."""

import re

from django.core.management import call_command
from playwright.sync_api import expect

from inspections.domain.codes import KeyQuestion, Scope
from inspections.domain.rating_levels import RatingValue
from inspections.models import Rating

from .pages import LPT_SLUG, draw_all_charts, hover_marker, report_marker

PASSWORD = "a-long-editor-passphrase-42"


def current_trust_safe_rating() -> Rating:
    """LPT's trust-level Safe rating from its latest dated report: the one the grid shows."""
    return (
        Rating.objects.filter(
            inspection__trust__slug=LPT_SLUG,
            inspection__published__isnull=False,
            scope=Scope.TRUST,
            key_question=KeyQuestion.SAFE,
        )
        .order_by("-inspection__published")
        .first()
    )


def sign_in(page, origin):
    page.goto(origin + "/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Edit trusts, inspections, ratings and findings")).to_be_visible()


def grid_cell(page, row_name: str, column_name: str):
    grid = page.get_by_role("table", name=re.compile(r"^Current ratings of .*: whole trust"))
    row = grid.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile(rf"^{row_name}")))
    return row.locator(f'td[data-label*="{column_name}"]')  # a merged cell names every key question it covers


def test_editor_changes_a_rating_and_the_trust_page_shows_it(page, browser_log, curated_data, monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "editor", password_from_env="EDITOR_PASSWORD", verbosity=0)
    rating = current_trust_safe_rating()
    new_value = next(
        value
        for value in (RatingValue.GOOD, RatingValue.OUTSTANDING, RatingValue.INADEQUATE)
        if value not in {rating.value, rating.previous_value}
    )
    trust_url = f"{browser_log.origin}/trusts/{LPT_SLUG}/"
    change_url = f"{browser_log.origin}/admin/inspections/rating/{rating.pk}/change/"

    page.goto(trust_url)
    expect(grid_cell(page, "Whole trust", "Safe")).to_contain_text(rating.get_value_display())

    sign_in(page, browser_log.origin)
    page.goto(change_url)
    page.get_by_label("Rating:", exact=True).select_option(new_value.value)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(re.compile(r"was changed successfully"))).to_be_visible()

    # The public page shows the new value at once: in the grid and in the timeline's hover label.
    page.goto(trust_url)
    expect(grid_cell(page, "Whole trust", "Safe")).to_contain_text(new_value.label)
    chart = page.locator("#chart-trust")
    draw_all_charts(page)
    hover_marker(page, report_marker(page, "chart-trust", "Safe:", last=True))
    changed = re.compile(rf"Safe: Changed from .+ to {new_value.label}")
    expect(chart.locator(".hoverlayer .hovertext")).to_contain_text(changed)

    # An impossible edit: a location rating that names no location. The form says why; nothing is stored.
    page.goto(change_url)
    page.get_by_label("Level:", exact=True).select_option(Scope.LOCATION.value)
    page.get_by_label("Rating:", exact=True).select_option(RatingValue.INADEQUATE.value)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Please correct the error below.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"a location rating names a location"))).to_be_visible()
    rating.refresh_from_db()
    assert (rating.scope, rating.value) == (Scope.TRUST, new_value)

    page.goto(trust_url)
    expect(grid_cell(page, "Whole trust", "Safe")).to_contain_text(new_value.label)

    browser_log.assert_clean()
