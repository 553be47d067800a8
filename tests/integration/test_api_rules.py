"""The JSON API on the site's rules: the home page's search and filters, one paging for every list, HEAD with
the same ETag, a JSON index, JSON errors, "since" and "last confirmed" from domain.standing, passage kinds and
the export's columns.

All trusts here are fictional (provider ids starting ZZ, names starting "Fictional").
"""

import datetime

import pytest
from django.urls import reverse

from inspections.domain.codes import PassageKind, Scope, TrustKind
from inspections.domain.rating_levels import RatingValue
from inspections.models import FindingSource
from inspections.reading import exports
from tests.factories import FindingFactory, InspectionFactory, LocationFactory, RatingFactory, TrustFactory

pytestmark = pytest.mark.django_db

HOME = reverse("inspections:trust_list")


def report(trust, published, slug, **fields):
    return InspectionFactory(
        trust=trust, slug=slug, published=published, visit_start=published - datetime.timedelta(days=60),
        visit_end=published - datetime.timedelta(days=55), **fields,
    )  # fmt: skip


@pytest.fixture
def trusts():
    """Two fictional trusts: one Good since July 2015, restated in February 2022, with a site; one Inadequate."""
    valley = TrustFactory(
        provider_id="ZZ1", slug="fictional-valley", name="Fictional Valley NHS Trust", short_name="FVT",
        kind=TrustKind.ACUTE, region="North",
    )  # fmt: skip
    site = LocationFactory(trust=valley, slug="brookmere", name="Fictional Brookmere Hospital", cqc_location_id="ZZ1AA")
    first = report(valley, datetime.date(2015, 7, 10), "2015-07", cqc_report_link_id="ZZ-REPORT-1")
    RatingFactory(inspection=first, value=RatingValue.GOOD)
    RatingFactory(inspection=first, scope=Scope.LOCATION, location=site, value=RatingValue.REQUIRES_IMPROVEMENT)
    again = report(valley, datetime.date(2022, 2, 1), "2022-02", published_precision="month")
    RatingFactory(inspection=again, value=RatingValue.GOOD)
    RatingFactory(inspection=again, key_question="safe", value=RatingValue.NOT_INSPECTED)
    hill = TrustFactory(
        provider_id="ZZ2", slug="fictional-hill", name="Fictional Hill NHS Trust", kind=TrustKind.MENTAL_HEALTH,
        region="South",
    )  # fmt: skip
    RatingFactory(inspection=report(hill, datetime.date(2019, 5, 1), "2019-05"), value=RatingValue.INADEQUATE)
    return valley, hill


def items(client, path, **params):
    response = client.get(f"/api/v1{path}", params)
    assert response.status_code == 200, response.content
    return response.json()["items"]


def home_lists(client, **params) -> list[str]:
    return [row.record.provider_id for row in client.get(HOME, params).context["table"].page.object_list]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "brookmere"},  # a hospital's name finds its trust
        {"q": "zz1aa"},  # ... and its CQC location id
        {"kind": TrustKind.MENTAL_HEALTH},
        {"region": "North"},
        {"rating": RatingValue.GOOD},
        {"rating": RatingValue.INADEQUATE},
        {"rating": "none"},
        {"q": "fictional", "kind": TrustKind.ACUTE, "rating": RatingValue.GOOD},
        {"kind": "", "region": "", "rating": ""},  # the home page's form sends empty values for "any"
    ],
)
def test_api_lists_the_trusts_the_home_page_lists(client, trusts, params):
    listed = [item["provider_id"] for item in items(client, "/trusts", **params)]
    assert listed == home_lists(client, **params)


@pytest.mark.parametrize(
    ("params", "named"),
    [({"rating": "awful"}, "rating"), ({"kind": "hospital"}, "kind")],
)
def test_a_filter_value_that_makes_no_sense_is_a_422_naming_it(client, trusts, params, named):
    response = client.get("/api/v1/trusts", params)
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    assert [error["loc"] for error in response.json()["detail"]] == [["query", named]]


def test_a_region_no_trust_held_is_in_lists_none_as_the_schema_allows(client, trusts):
    response = client.get("/api/v1/trusts", {"region": "Atlantis"})
    assert response.status_code == 200
    assert (response.json()["count"], response.json()["items"]) == (0, [])
    assert [item["region"] for item in items(client, "/trusts", region="North")] == ["North"]


def test_trust_list_and_detail_say_since_and_last_confirmed_by_the_standing_rule(client, trusts):
    valley = next(item for item in items(client, "/trusts") if item["provider_id"] == "ZZ1")
    assert (valley["current_overall"], valley["since"], valley["last_confirmed"]) == ("good", "2015-07-10", "2022-02")
    assert "current_overall_published" not in valley
    detail = client.get("/api/v1/trusts/fictional-valley").json()
    assert (detail["since"], detail["last_confirmed"]) == ("2015-07-10", "2022-02")
    cells = {(cell["scope"], cell["key_question"]): cell for cell in detail["current_ratings"]}
    overall = cells["trust", "overall"]
    assert (overall["rating"], overall["since"], overall["last_confirmed"]) == ("good", "2015-07-10", "2022-02")
    site = cells["location", "overall"]
    assert (site["scope_name"], site["since"], site["last_confirmed"]) == (
        "Fictional Brookmere Hospital",
        "2015-07-10",
        "2015-07-10",
    )
    safe = cells["trust", "safe"]  # only ever "not inspected": an entry, but no rating stands
    assert (safe["rating"], safe["since"], safe["last_confirmed"], safe["published"]) == (
        "not_inspected",
        None,
        None,
        "2022-02",
    )


def test_ratings_carry_the_inspection_its_cqc_report_and_the_location_rated(client, trusts):
    rows = items(client, "/trusts/fictional-valley/ratings", page_size=500)
    assert list(rows[0]) == list(exports.RATINGS_HEADER)
    assert list(exports.RATINGS_HEADER)[11:] == [
        "inspection",
        "cqc_report_id",
        "location_id",
        "service_area_id",
        "inherited",
        "inherited_from",
    ]  # columns are only appended
    found = {(row["inspection"], row["scope"], row["key_question"]): row for row in rows}
    assert found["2015-07", "trust", "overall"]["cqc_report_id"] == "ZZ-REPORT-1"
    assert found["2015-07", "trust", "overall"]["location_id"] == ""
    assert found["2015-07", "location", "overall"]["location_id"] == "ZZ1AA"
    assert found["2022-02", "trust", "overall"]["cqc_report_id"] == ""
    assert {(row["inherited"], row["inherited_from"], row["service_area_id"]) for row in rows} == {("false", "", "")}


def test_citations_say_whether_the_passage_is_the_sources_words_or_our_note(client, trusts):
    valley, _ = trusts
    finding = FindingFactory(inspection=valley.inspections.get(slug="2015-07"))
    FindingSource.objects.filter(finding=finding).update(passage="Too few nurses.", passage_kind=PassageKind.QUOTE)
    inspection = next(
        item for item in items(client, "/trusts/fictional-valley/inspections") if item["slug"] == "2015-07"
    )
    assert inspection["cqc_report_id"] == "ZZ-REPORT-1"
    assert inspection["findings"][0]["citations"] == [
        {"source": "TEST-SRC", "passage": "Too few nurses.", "passage_kind": "quote"}
    ]
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "Citation" not in schemas  # the model is called Citation; the API's shape has its own name
    assert "CitedPassage" in schemas


@pytest.mark.parametrize(
    "path",
    ["/trusts", "/sources", "/trusts/fictional-valley/ratings", "/trusts/fictional-valley/locations",
     "/trusts/fictional-valley/inspections"],
)  # fmt: skip
def test_every_list_is_paged_the_same_way(client, trusts, path):
    whole = client.get(f"/api/v1{path}", {"page_size": 500}).json()
    assert list(whole) == ["count", "page", "page_size", "items"]
    assert whole["count"] == len(whole["items"]) > 0
    pages = [client.get(f"/api/v1{path}", {"page": n, "page_size": 1}).json() for n in range(1, whole["count"] + 2)]
    assert [item for page in pages for item in page["items"]] == whole["items"]
    assert pages[-1]["items"] == []
    assert {page["page_size"] for page in pages} == {1}


@pytest.mark.parametrize(
    "path",
    ["/", "/trusts", "/trusts/fictional-valley", "/trusts/fictional-valley/ratings",
     "/trusts/fictional-valley/locations", "/trusts/fictional-valley/inspections", "/sources"],
)  # fmt: skip
def test_head_answers_wherever_get_does_with_the_same_etag_and_304(client, trusts, path):
    got = client.get(f"/api/v1{path}")
    head = client.head(f"/api/v1{path}")
    assert (got.status_code, head.status_code) == (200, 200)
    assert head["ETag"] == got["ETag"]
    assert head.content == b""
    assert client.head(f"/api/v1{path}", HTTP_IF_NONE_MATCH=got["ETag"]).status_code == 304
    assert client.get(f"/api/v1{path}", HTTP_IF_NONE_MATCH=got["ETag"]).status_code == 304


def test_the_api_root_is_a_json_index_of_its_resources_and_docs(client):
    index = client.get("/api/v1/").json()
    assert index["resources"]["trusts"] == "/api/v1/trusts"
    assert index["documentation"] == {"openapi": "/api/v1/openapi.json", "docs": "/api/v1/docs"}
    assert index["open_data"] == "/data/"
    for address in [*index["resources"].values(), *index["documentation"].values()]:
        assert client.get(address.replace("{slug}", "no-such-trust")).status_code in (200, 404)


@pytest.mark.parametrize(
    ("path", "status"),
    [("/api/v1/no-such-thing", 404), ("/api/v1/trusts/no-such-trust/locations", 404), ("/api/v1/trusts/x/y/z", 404),
     ("/api/v1/trusts?page=0", 422), ("/api/v1/trusts?q=a%00b", 400)],
)  # fmt: skip
def test_errors_are_json(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
