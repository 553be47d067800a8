"""The admin's lists fit their box on a desktop and a phone (375x812), where the rating is always shown;
every admin page carries the site's icon."""

from types import SimpleNamespace

from django.contrib import admin
from django.core.management import call_command
from playwright.sync_api import expect

from inspections.models import Rating

from .conftest import FAVICON, screenshot_name
from .test_editor_journey import PASSWORD, sign_in

# The changelist's table against the box it sits in, and the page against the window.
LAYOUT = """() => {
  const table = document.querySelector('#result_list');
  const box = table && table.closest('.results');
  return {
    pageWidth: document.documentElement.scrollWidth,
    window: window.innerWidth,
    table: table ? table.getBoundingClientRect().width : 0,
    box: box ? box.clientWidth : 0,
  };
}"""


def editor_changelists() -> list[str]:
    """Every changelist an editor may open (an editor holds every permission, but is no superuser: subscribers'
    addresses are for superusers only)."""
    editor = SimpleNamespace(user=SimpleNamespace(is_active=True, is_superuser=False, has_perm=lambda *_: True))
    models = [
        model
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "inspections" and model_admin.has_view_permission(editor)
    ]
    return sorted(f"/admin/inspections/{model._meta.model_name}/" for model in models)


def signed_in_editor(page, origin, monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "editor", password_from_env="EDITOR_PASSWORD", verbosity=0)
    sign_in(page, origin)
    page.wait_for_load_state()  # the index's icons, before the next address cancels them


def lists_wider_than_their_box(page, origin, width: str, screenshot_dir) -> list[str]:
    problems = []
    for path in editor_changelists():
        page.goto(origin + path)
        expect(page.locator("#changelist")).to_be_visible()
        layout = page.evaluate(LAYOUT)
        if layout["pageWidth"] > layout["window"]:
            problems.append(f"{path}: the page is {layout['pageWidth']}px wide in a {layout['window']}px window")
        if layout["table"] > layout["box"] + 0.5:
            problems.append(f"{path}: the list is {layout['table']:.0f}px wide in a {layout['box']}px box")
        page.screenshot(path=screenshot_dir / screenshot_name(path, width), full_page=True)
    return problems


def test_every_changelist_fits_a_phone_with_the_rating_shown(
    phone_page, browser_log, live_server, curated_data, monkeypatch, screenshot_dir
):
    signed_in_editor(phone_page, live_server.url, monkeypatch)
    problems = lists_wider_than_their_box(phone_page, live_server.url, "phone", screenshot_dir)
    assert not problems, "\n".join(problems)

    phone_page.goto(live_server.url + "/admin/inspections/rating/")
    expect(phone_page.get_by_role("columnheader", name="Rating", exact=True)).to_be_in_viewport()
    expect(phone_page.locator("#result_list td.field-value").first).to_be_in_viewport()
    phone_page.screenshot(path=screenshot_dir / "admin-ratings-first-screen--phone.png")
    browser_log.assert_clean()


def test_every_changelist_fits_its_box_on_a_desktop(
    page, browser_log, live_server, curated_data, monkeypatch, screenshot_dir
):
    """Django keeps a linked record's name on one line: one long inspection title made the list 2,000px wide."""
    signed_in_editor(page, live_server.url, monkeypatch)
    problems = lists_wider_than_their_box(page, live_server.url, "desktop", screenshot_dir)
    assert not problems, "\n".join(problems)
    browser_log.assert_clean()


def test_every_admin_page_has_the_site_icon(page, browser_log, live_server, curated_data, monkeypatch):
    page.goto(live_server.url + "/admin/login/")
    expect(page.locator(f'link[rel="icon"][href="{FAVICON}"]')).to_have_count(1)
    signed_in_editor(page, live_server.url, monkeypatch)
    rating = Rating.objects.first()
    for path in [
        "/admin/",
        "/admin/inspections/rating/",
        "/admin/inspections/rating/add/",
        f"/admin/inspections/rating/{rating.pk}/change/",
        f"/admin/inspections/rating/{rating.pk}/history/",
        f"/admin/inspections/rating/{rating.pk}/delete/",
        "/admin/password_change/",
    ]:
        page.goto(live_server.url + path)
        expect(page.locator(f'link[rel="icon"][href="{FAVICON}"]')).to_have_count(1)
    browser_log.assert_clean()
