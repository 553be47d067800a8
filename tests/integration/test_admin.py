"""Editors change ratings in the admin; impossible edits are form errors and store nothing."""

import datetime

import pytest
from django.urls import reverse

from inspections.domain.codes import KeyQuestion
from inspections.domain.rating_levels import RatingValue
from inspections.models import Inspection, Rating
from tests.admin_forms import rating_fields as rating_form
from tests.factories import InspectionFactory, RatingFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_editor_change_shows_on_trust_page_at_once(editor_client):
    rating = RatingFactory(key_question=KeyQuestion.SAFE, value=RatingValue.INADEQUATE)
    trust_url = reverse("inspections:trust", args=[rating.inspection.trust.slug])
    assert editor_client.get(trust_url).context["grid"][0].cells[1].value == "inadequate"

    response = editor_client.post(
        reverse("admin:inspections_rating_change", args=[rating.pk]), rating_form(rating, value="good")
    )

    assert response.status_code == 302
    page = editor_client.get(trust_url)
    assert page.context["grid"][0].cells[1].value == "good"
    markers = next(t for t in page.context["trust_chart"].figure["data"] if t["type"] == "scatter")
    assert "Safe: First rating held: Good" in markers["hovertext"][0]


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"scope": "location"}, "a location rating names a location"),
        ({"value": "excellent"}, "Select a valid choice"),
        ({"citations-0-DELETE": "on"}, "Please submit at least 1 form."),
        ({"previous_value": "inadequate"}, "A previous rating equal to the new one needs a note"),
    ],
)
def test_impossible_rating_edit_is_a_form_error_and_changes_nothing(editor_client, changes, error):
    rating = RatingFactory(key_question=KeyQuestion.SAFE, value=RatingValue.INADEQUATE)

    response = editor_client.post(
        reverse("admin:inspections_rating_change", args=[rating.pk]), rating_form(rating, **changes)
    )

    assert response.status_code == 200
    assert error in response.content.decode()
    rating.refresh_from_db()
    assert (rating.scope, rating.value, rating.previous_value) == ("trust", "inadequate", "")
    assert rating.sources.count() == 1


def test_an_editor_sees_and_sets_whether_a_passage_is_a_quote_or_our_note(editor_client):
    """README says editors set a citation's kind in the admin (issue 28: no form showed it)."""
    rating = RatingFactory(key_question=KeyQuestion.SAFE)
    url = reverse("admin:inspections_rating_change", args=[rating.pk])
    page = editor_client.get(url).content.decode()
    assert 'name="citations-0-passage_kind"' in page
    assert '<option value="quote">' in page
    response = editor_client.post(url, rating_form(rating, **{"citations-0-passage_kind": "quote"}))
    assert response.status_code == 302
    assert rating.citations.get().passage_kind == "quote"


def test_duplicate_rating_is_refused_as_form_error(editor_client):
    rating = RatingFactory(key_question=KeyQuestion.SAFE)
    data = rating_form(rating) | {"citations-INITIAL_FORMS": "0", "citations-0-id": "", "citations-0-rating": ""}
    response = editor_client.post(reverse("admin:inspections_rating_add"), data)
    assert response.status_code == 200
    assert "This inspection already has a whole-trust rating for this key question." in response.content.decode()
    assert Rating.objects.count() == 1


def inspection_form(inspection, **changes):
    data = {
        "trust": inspection.trust_id, "slug": inspection.slug, "title": inspection.title,
        "inspection_type": inspection.inspection_type, "notice": inspection.notice,
        "visit_start": inspection.visit_start.isoformat(), "visit_start_precision": "day",
        "visit_end": inspection.visit_end.isoformat(), "visit_end_precision": "day",
        "published": inspection.published.isoformat(), "published_precision": "day",
        "scope": inspection.scope, "summary": "", "discrepancy_note": "",
        "sources": [source.pk for source in inspection.sources.all()],
    }  # fmt: skip
    for prefix in ("ratings", "findings", "statements", "documents"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


def test_inspection_published_before_visit_is_a_form_error(editor_client):
    inspection = InspectionFactory()
    url = reverse("admin:inspections_inspection_change", args=[inspection.pk])
    response = editor_client.post(url, inspection_form(inspection, published="2015-01-01"))
    assert response.status_code == 200
    assert "A report cannot be published before the visit started." in response.content.decode()
    assert Inspection.objects.get().published == datetime.date(2015, 7, 10)


def test_inspection_inline_rating_added_through_admin(editor_client):
    inspection = InspectionFactory()
    source = SourceFactory(code="SEED-003")
    data = inspection_form(inspection)
    data.update({
        "ratings-TOTAL_FORMS": "1", "ratings-0-key_question": "caring", "ratings-0-scope": "trust",
        "ratings-0-value": "good", "ratings-0-previous_value": "", "ratings-0-note": "",
        "ratings-0-cited_sources": [source.pk],
    })  # fmt: skip
    response = editor_client.post(reverse("admin:inspections_inspection_change", args=[inspection.pk]), data)
    assert response.status_code == 302
    assert list(inspection.ratings.values_list("key_question", "value")) == [("caring", "good")]


@pytest.mark.parametrize("query", ["", "?trust__id__exact=1", "?year=2015", "?year=none", "?q=core",
                                   "?inspection_type__exact=focused"])  # fmt: skip
def test_inspection_changelist_filters_and_search(editor_client, query):
    InspectionFactory()
    response = editor_client.get(reverse("admin:inspections_inspection_changelist") + query)
    assert response.status_code == 200


def test_anonymous_user_cannot_reach_admin(client):
    response = client.get(reverse("admin:inspections_inspection_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def inline_rating(row: int, source, **fields) -> dict:
    values = {"key_question": "caring", "scope": "trust", "service": "", "location": "", "value": "good",
              "previous_value": "", "note": "", "cited_sources": [source.pk]} | fields  # fmt: skip
    return {f"ratings-{row}-{name}": value for name, value in values.items()}


def test_two_new_inline_ratings_for_one_key_question_are_a_form_error(editor_client):
    inspection = InspectionFactory()
    source = SourceFactory(code="SEED-003")
    data = inspection_form(inspection, **{"ratings-TOTAL_FORMS": "2"})
    data |= inline_rating(0, source) | inline_rating(1, source, value="outstanding")
    response = editor_client.post(reverse("admin:inspections_inspection_change", args=[inspection.pk]), data)
    assert response.status_code == 200
    assert "Rating row 1 already rates this key question at this level; keep one." in response.content.decode()
    assert not inspection.ratings.exists()


def test_new_inspection_cannot_rate_a_location_of_another_trust(editor_client):
    from tests.factories import LocationFactory, TrustFactory

    inspection = InspectionFactory()
    elsewhere = LocationFactory(trust=TrustFactory(provider_id="OTH", slug="other", name="Other NHS Trust"))
    source = SourceFactory(code="SEED-003")
    data = inspection_form(inspection, slug="new-one", **{"ratings-TOTAL_FORMS": "1"})
    data |= inline_rating(0, source, scope="location", location=elsewhere.pk)
    data["locations"] = [elsewhere.pk]
    response = editor_client.post(reverse("admin:inspections_inspection_add"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "This location belongs to another trust than the inspection." in content
    assert f"These locations belong to another trust: {elsewhere.name}." in content
    assert Inspection.objects.count() == 1
