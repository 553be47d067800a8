"""Every admin filter parameter and every history address with odd numbers: never a 500.

Python's `str.isdigit()` accepts characters `int()` refuses ("²", "①"), `int()` accepts digits of
other scripts ("٣"), and numbers past the database's integer range or below zero reach lookups
too. The sweep covers every registered model: its changelist's filter parameters (from the
admin's own filter specs), ordering and paging; its history, change and delete pages.
"""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_manager_for_model

from inspections.domain.codes import InspectionType, KeyQuestion
from inspections.domain.rating_levels import RatingValue
from inspections.models import Assessment, Inspection, Rating
from tests.factories import (
    CoreServiceFactory,
    FindingFactory,
    LocationFactory,
    PersonFactory,
    RatingFactory,
    SourceFactory,
    StatementFactory,
    TrustFactory,
)

pytestmark = pytest.mark.django_db

ODD_VALUES = [
    "²",  # superscript two: isdigit() but not int()
    "①",  # circled one: isdigit() but not int()
    "٣",  # Arabic-Indic three: int() reads it as 3
    "٢٠١٥",  # Arabic-Indic 2015
    "abc",
    "1.5",
    "-1",
    "-99999999999999999999999",
    "99999999999999999999999",  # past any database integer
    "9223372036854775808",  # one past PostgreSQL's bigint
    "",
]
ANSWERS_WITHOUT_FAULT = {200, 302, 400, 403, 404}  # 302: Django's "?e=1" for a lookup it cannot use


@pytest.fixture
def records():
    """Two trusts with a record of each kind, so every filter has choices to offer and history pages exist."""
    other = TrustFactory(provider_id="ZZ9", slug="fictional-other", name="Fictional Other NHS Trust", region="Z")
    for trust in (TrustFactory(region="Y"), other):
        rating = RatingFactory(inspection__trust=trust, inspection__inspection_type=InspectionType.FOCUSED)
        FindingFactory(inspection=rating.inspection)
        StatementFactory(inspection=rating.inspection, person=PersonFactory())
        LocationFactory(trust=trust)
    RatingFactory(inspection=rating.inspection, key_question=KeyQuestion.SAFE, value=RatingValue.GOOD)
    source = SourceFactory(code="ZZ-OTHER", publisher="Fictional Gazette")
    CoreServiceFactory()
    Assessment.objects.create(trust=other, plan_id="ZZ-PLAN-1", title="Fictional assessment", source=source)
    return rating


def registered_admins(*, editors: bool):
    """The registered model admins an editor works in (this project's), or the others (users, groups, sign-ins)."""
    chosen = [item for item in admin.site._registry.items() if (item[0]._meta.app_label == "inspections") == editors]
    return sorted(chosen, key=lambda item: item[0]._meta.label)


def filter_parameters(model_admin, user) -> set[str]:
    """The query parameters the changelist's filters read, from the admin's own filter specs."""
    request = RequestFactory().get("/")
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    return {parameter for spec in changelist.filter_specs for parameter in spec.expected_parameters()}


def changelist_addresses(user, *, editors: bool) -> list[str]:
    addresses = []
    for model, model_admin in registered_admins(editors=editors):
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for parameter in sorted(filter_parameters(model_admin, user) | {"o", "p"}):  # ordering, page
            addresses += [f"{base}?{parameter}={value}" for value in ODD_VALUES]
    return addresses


def object_addresses(*, editors: bool) -> list[str]:
    addresses = []
    for model, model_admin in registered_admins(editors=editors):
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for value in ODD_VALUES[:-1]:  # an empty id is another address: the changelist's
            addresses += [f"{base}{value}/change/", f"{base}{value}/delete/", f"{base}{value}/history/"]
        if isinstance(model_admin, SimpleHistoryAdmin):
            record = model.objects.first()
            assert record, f"no {model.__name__} to sweep the history of"
            version = get_history_manager_for_model(record).first().history_id
            for value in ODD_VALUES[:-1]:
                addresses += [f"{base}{record.pk}/history/{value}/", f"{base}{value}/history/{version}/"]
    return addresses


def faults(client, addresses: list[str]) -> list[tuple[str, int]]:
    client.raise_request_exception = False
    answered = [(address, client.get(address).status_code) for address in addresses]
    return [(address, status) for address, status in answered if status not in ANSWERS_WITHOUT_FAULT]


def test_no_admin_filter_parameter_answers_500_to_odd_numbers(editor_client, admin_client, admin_user, records):
    addresses = changelist_addresses(admin_user, editors=True)
    assert "/admin/inspections/inspection/?year=²" in addresses
    assert faults(editor_client, addresses) == []
    assert faults(admin_client, changelist_addresses(admin_user, editors=False)) == []  # only a superuser sees these


def test_no_history_change_or_delete_address_answers_500_to_odd_ids(editor_client, admin_client, records):
    addresses = object_addresses(editors=True)
    assert f"/admin/inspections/rating/{Rating.objects.first().pk}/history/abc/" in addresses
    assert faults(editor_client, addresses) == []
    assert faults(admin_client, object_addresses(editors=False)) == []


@pytest.mark.parametrize("year", ["²", "①", "abc", "0", "10000"])
def test_an_unusable_year_is_refused_as_django_refuses_a_bad_filter(editor_client, records, year):
    """Django's admin sends a filter value it cannot use back to the whole list ("?e=1"); the year does the same."""
    response = editor_client.get(f"/admin/inspections/inspection/?year={year}")
    assert response.status_code == 302
    assert response["Location"] == "/admin/inspections/inspection/?e=1"


@pytest.mark.parametrize("year", ["2019", "٢٠١٩"])
def test_a_year_in_any_script_filters_the_inspections(editor_client, records, year):
    Inspection.objects.filter(pk=records.inspection.pk).update(published="2019-03-01")
    response = editor_client.get(f"/admin/inspections/inspection/?year={year}")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_a_history_entry_that_is_not_a_number_is_not_found(editor_client, records):
    response = editor_client.get(f"/admin/inspections/rating/{records.pk}/history/abc/")
    assert response.status_code == 404
