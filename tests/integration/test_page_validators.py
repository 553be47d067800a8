"""Every public page type is stored under the data version and answers with validators; the admin and forms are
private (issue 31)."""

import pytest
from django.test import Client

from tests.factories import LocationFactory, RatingFactory, TrustFactory

PUBLIC = "public, max-age=60, stale-while-revalidate=600"


@pytest.fixture
def held(db):
    """One fictional trust with a rated inspection and a hospital, and a second trust to compare it with."""
    rating = RatingFactory()
    LocationFactory(trust=rating.inspection.trust)
    TrustFactory(provider_id="ZZ9PV", slug="fictional-other", name="Fictional Other NHS Trust", short_name="ZZ9PV")
    return rating


def public_pages(rating) -> list[str]:
    trust = rating.inspection.trust.slug
    return [
        "/",
        "/?page=1",
        f"/trusts/{trust}/",
        f"/trusts/{trust}/?from=2015&to=2024",
        f"/trusts/{trust}/locations/general-hospital/",
        f"/trusts/{trust}/inspections/{rating.inspection.slug}/",
        "/national/",
        "/sources/",
        "/sources/TEST-SRC/",
        "/data/",
        "/accessibility/",
        "/compare/",
        f"/compare/?trust={trust}&trust=fictional-other",
        "/feeds/reports/",
        f"/trusts/{trust}/feed/",
    ]


def test_every_public_page_type_is_stored_and_served_again_without_queries(client, held, django_assert_num_queries):
    for url in public_pages(held):
        first = client.get(url)
        assert first.status_code == 200, url
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again.content == first.content, url


def test_a_search_is_built_each_time_yet_carries_validators(client, held):
    first = client.get("/", {"q": "test"})
    assert first.context is not None
    assert client.get("/", {"q": "test"}).context is not None  # not stored: searches are unbounded
    assert first["Cache-Control"] == PUBLIC
    assert client.get("/", {"q": "test"}, headers={"if-none-match": first["ETag"]}).status_code == 304


def test_a_trust_page_answers_304_to_its_own_etag_until_the_data_changes(client, held):
    url = f"/trusts/{held.inspection.trust.slug}/"
    first = client.get(url)
    assert first["Cache-Control"] == PUBLIC
    assert first["Last-Modified"]
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", first["ETag"])
    other = client.get("/national/")
    assert other["ETag"] != first["ETag"]  # the page is in the ETag, not only the data version
    assert client.get("/national/", headers={"if-none-match": first["ETag"]}).status_code == 200
    held.value = "good"
    held.save()
    changed = client.get(url, headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_cache_control_is_settable(client, held, settings):
    settings.PAGE_MAX_AGE, settings.PAGE_STALE_SECONDS = 5, 30
    assert client.get("/national/")["Cache-Control"] == "public, max-age=5, stale-while-revalidate=30"


def test_the_admin_and_its_forms_are_private(client, db):
    sign_in = client.get("/admin/login/")
    assert sign_in.status_code == 200
    assert sign_in["Cache-Control"] == "private, no-store"
    assert client.post("/admin/login/", {"username": "x", "password": "y"})["Cache-Control"] == "private, no-store"


def test_a_public_page_that_holds_a_csrf_token_is_private_and_never_stored(rf, db):
    from django.middleware.csrf import get_token
    from django.shortcuts import render

    from inspections.web.page_cache import cached_page

    calls = []

    @cached_page()
    def page_with_a_form(request):
        calls.append(1)
        get_token(request)  # what {% csrf_token %} does
        return render(request, "404.html", {"message": "a form"})

    for _ in range(2):
        answer = page_with_a_form(rf.get("/x9-form/"))
        assert answer["Cache-Control"] == "private, no-store"
    assert len(calls) == 2


def test_a_signed_in_editor_is_sent_the_page_anyone_is_sent(held, editor_client):
    """A page a shared cache may keep holds nothing of the editor's (else it would be private)."""
    answer = editor_client.get("/national/")
    assert answer["Cache-Control"] == PUBLIC
    assert not answer.cookies
    assert answer.content == Client().get("/national/").content


def test_a_post_to_a_public_page_is_private(held):
    answer = Client(enforce_csrf_checks=True).post("/national/")
    assert answer.status_code == 403
    assert answer["Cache-Control"] == "private, no-store"
