"""NUL bytes and undecodable bytes in any query string, admin filter, form post or cookie: 400, never 500.

PostgreSQL refuses NUL in text (the PostgreSQL lane answered 500 before), SQLite does not: run both lanes.
"""

import pytest
from django.urls import reverse

from inspections.domain.rating_levels import RatingValue
from inspections.models import Rating
from tests.factories import RatingFactory, TrustFactory

pytestmark = pytest.mark.django_db

AUTOCOMPLETE = "/admin/autocomplete/?app_label=inspections&model_name={model}&field_name={field}&term={term}"

BAD_ADDRESSES = [
    "/admin/inspections/rating/?value__exact=%00",
    "/admin/inspections/rating/?q=%00",
    "/admin/inspections/inspection/?q=bad%00search",
    AUTOCOMPLETE.format(model="inspection", field="trust", term="%00"),
    AUTOCOMPLETE.format(model="rating", field="sources", term="%00"),
    "/admin/inspections/rating/?value__exact=%FF",
    "/admin/inspections/rating/?q=%C3%28",
    AUTOCOMPLETE.format(model="inspection", field="trust", term="%E9t%E9"),
    "/?sort=%00",
    "/?sort=%FF",
    "/trusts/test-trust/?from=%00",
    "/sources/?x%00=1",
    "/trusts/test%00trust/",
]


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_nul_or_undecodable_query_is_a_400(staff_client, address):
    TrustFactory()
    response = staff_client.get(address)
    assert response.status_code == 400
    assert b"could not be understood" in response.content


@pytest.mark.parametrize(
    "address",
    [
        "/admin/inspections/rating/?q=%C3%A9",  # "é", valid UTF-8
        "/admin/inspections/rating/?q=100%25",
        AUTOCOMPLETE.format(model="inspection", field="trust", term="Test"),
        "/?sort=name",
    ],
)
def test_well_formed_query_is_still_answered(staff_client, address):
    TrustFactory()
    assert staff_client.get(address).status_code == 200


def test_nul_in_an_admin_form_post_is_a_400_and_changes_nothing(staff_client):
    rating = RatingFactory(value=RatingValue.GOOD, note="")
    url = reverse("admin:inspections_rating_change", args=[rating.pk])
    response = staff_client.post(url, {"note": "bad\x00note", "value": RatingValue.INADEQUATE})
    assert response.status_code == 400
    rating.refresh_from_db()
    assert (rating.value, rating.note) == (RatingValue.GOOD, "")
    assert Rating.objects.count() == 1


def test_undecodable_form_post_is_a_400(client):
    body = b"username=%FFeditor&password=whatever"
    response = client.post(reverse("admin:login"), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


def test_nul_in_a_multipart_post_is_a_400(client):
    response = client.post(reverse("admin:login"), {"username": "ed\x00itor", "password": "whatever"})
    assert response.status_code == 400


def test_nul_in_the_session_cookie_is_a_400(staff_client):
    staff_client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert staff_client.get("/admin/").status_code == 400
