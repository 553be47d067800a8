"""Each named database constraint rejects a bad row, written past model validation."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from inspections.domain.codes import KeyQuestion, Scope
from inspections.domain.rating_levels import RatingValue
from inspections.models import Inspection, Rating
from tests.factories import CoreServiceFactory, InspectionFactory, LocationFactory, RatingFactory, TrustFactory

pytestmark = pytest.mark.django_db


def assert_rejected(constraint_name, write):
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        write()
    message = str(caught.value)
    if connection.vendor == "sqlite" and "unique" in constraint_name:
        # SQLite names the columns of a violated unique index, not the index.
        assert "UNIQUE constraint failed" in message
    else:
        assert constraint_name in message


def test_one_rating_per_inspection_key_question_and_trust_level():
    rating = RatingFactory(key_question=KeyQuestion.SAFE)
    assert_rejected(
        "rating_unique_trust_level",
        lambda: Rating.objects.create(inspection=rating.inspection, key_question="safe", scope="trust", value="good"),
    )


def test_one_rating_per_service_level():
    service = CoreServiceFactory()
    rating = RatingFactory(scope=Scope.SERVICE, service=service)
    assert_rejected(
        "rating_unique_service_level",
        lambda: Rating.objects.create(
            inspection=rating.inspection, key_question="overall", scope="service", service=service, value="good"
        ),
    )


def test_one_rating_per_service_at_location_and_per_location():
    service, location = CoreServiceFactory(), LocationFactory()
    inspection = InspectionFactory(trust=location.trust)
    RatingFactory(inspection=inspection, scope=Scope.SERVICE, service=service, location=location)
    RatingFactory(inspection=inspection, scope=Scope.LOCATION, location=location)
    assert_rejected(
        "rating_unique_service_at_location",
        lambda: Rating.objects.create(
            inspection=inspection, key_question="overall", scope="service", service=service, location=location,
            value="good",
        ),
    )  # fmt: skip
    assert_rejected(
        "rating_unique_location_level",
        lambda: Rating.objects.create(
            inspection=inspection, key_question="overall", scope="location", location=location, value="good"
        ),
    )


def test_same_key_question_at_different_levels_is_allowed():
    service = CoreServiceFactory()
    rating = RatingFactory()
    RatingFactory(inspection=rating.inspection, scope=Scope.SERVICE, service=service)
    assert rating.inspection.ratings.count() == 2


@pytest.mark.parametrize(
    ("constraint", "fields"),
    [
        ("rating_key_question_valid", {"key_question": "kindness"}),
        ("rating_value_valid", {"value": "excellent"}),
        ("rating_previous_value_valid", {"previous_value": "meh"}),
        ("rating_scope_matches_subject", {"scope": "service"}),
        ("rating_unchanged_previous_needs_note", {"value": "good", "previous_value": "good"}),
    ],
)
def test_rating_check_constraints_reject_bad_rows(constraint, fields):
    inspection = InspectionFactory()
    row = {"inspection": inspection, "key_question": "overall", "scope": "trust", "value": "good", **fields}
    assert_rejected(constraint, lambda: Rating.objects.create(**row))


def test_unchanged_previous_value_with_note_is_allowed():
    rating = RatingFactory(value=RatingValue.GOOD, previous_value=RatingValue.GOOD, note="Source says unchanged.")
    assert rating.pk


@pytest.mark.parametrize(
    ("constraint", "fields"),
    [
        ("inspection_published_not_before_visit", {"published": datetime.date(2015, 1, 1)}),
        ("inspection_visit_end_not_before_start", {"visit_end": datetime.date(2015, 3, 1)}),
        ("inspection_type_valid", {"inspection_type": "casual"}),
        ("inspection_notice_valid", {"notice": "shouted"}),
        ("published_precision_valid", {"published_precision": "week"}),
    ],
)
def test_inspection_check_constraints_reject_bad_rows(constraint, fields):
    inspection = InspectionFactory()  # visit 9-13 March 2015, published 10 July 2015
    assert_rejected(constraint, lambda: Inspection.objects.filter(pk=inspection.pk).update(**fields))


def test_inspection_slug_unique_per_trust():
    inspection = InspectionFactory(slug="2015-07")
    assert_rejected(
        "inspection_unique_slug_per_trust",
        lambda: InspectionFactory(trust=inspection.trust, slug="2015-07"),
    )


def test_model_validation_reports_constraint_as_form_style_error():
    inspection = InspectionFactory()
    rating = Rating(inspection=inspection, key_question="overall", scope="location", value="good")
    with pytest.raises(ValidationError) as caught:
        rating.full_clean()
    assert "a location rating names a location" in str(caught.value)


def test_rating_location_must_belong_to_inspection_trust():
    other_trust_location = LocationFactory(trust=TrustFactory(provider_id="OTH", slug="other", name="Other"))
    inspection = InspectionFactory()
    rating = Rating(
        inspection=inspection, key_question="overall", scope="location", location=other_trust_location, value="good"
    )
    with pytest.raises(ValidationError) as caught:
        rating.full_clean()
    assert "location" in caught.value.message_dict


@pytest.mark.parametrize(
    ("published", "precision", "accepted"),
    [
        (datetime.date(2015, 3, 1), "month", True),  # "March 2015" may follow a visit of 9-13 March
        (datetime.date(2015, 1, 1), "year", True),  # so may "2015"
        (datetime.date(2015, 2, 1), "month", False),  # "February 2015" cannot
        (datetime.date(2015, 3, 1), "day", False),  # and 1 March 2015 cannot
    ],
)
def test_publication_is_compared_with_the_visit_at_its_known_precision(published, precision, accepted):
    inspection = InspectionFactory()  # visit 9-13 March 2015
    inspection.published, inspection.published_precision = published, precision
    if accepted:
        inspection.full_clean()
        inspection.save()
        assert Inspection.objects.get(pk=inspection.pk).published == published
    else:
        with pytest.raises(ValidationError) as caught:
            inspection.full_clean()
        assert "A report cannot be published before the visit started." in str(caught.value)


def test_database_checks_publication_order_for_dates_known_to_the_day():
    inspection = InspectionFactory()  # visit 9-13 March 2015
    # The database checks day-precision dates; "February 2015" is refused by full_clean() (above) instead.
    Inspection.objects.filter(pk=inspection.pk).update(published=datetime.date(2015, 2, 1), published_precision="month")
    assert_rejected(
        "inspection_published_not_before_visit",
        lambda: Inspection.objects.filter(pk=inspection.pk).update(published_precision="day"),
    )


def test_finding_names_where_it_applies():
    from inspections.models import CoreService, Finding, Location

    maternity, general = CoreService(name="Maternity"), Location(name="Leicester General Hospital")
    assert Finding(service=maternity, location=general).subject_name == "Maternity at Leicester General Hospital"
    assert Finding(location=general).subject_name == "Leicester General Hospital"
    assert Finding().subject_name == ""
