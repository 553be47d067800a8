"""The API's national figures (issue 29): movements and ages of trusts and of sites under /api/v1/national/, the rows
of the four national files, paged, documented, revalidated by the data version and limited like every endpoint."""

import csv
import io

import pytest
from django.core.cache import cache

from tests.integration.test_site_movements import fen_and_gorse
from tests.national_data import four_trusts

FILES = {
    "/api/v1/national/movements": "/national/movements.csv",
    "/api/v1/national/ages": "/national/ages.csv",
    "/api/v1/national/site-movements": "/national/site_movements.csv",
    "/api/v1/national/site-ages": "/national/site_ages.csv",
}


@pytest.fixture
def held(db, settings, tmp_path):
    settings.DOWNLOADS_DIR = tmp_path
    four_trusts()
    fen_and_gorse()


def _csv(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize("path", list(FILES))
def test_each_national_list_is_its_files_rows_paged(client, held, path):
    whole = client.get(path, {"page_size": 500}).json()
    assert list(whole) == ["count", "page", "page_size", "items"]
    assert whole["items"] == _csv(client, FILES[path])
    assert whole["count"] == len(whole["items"]) > 0
    pages = [client.get(path, {"page": n, "page_size": 2}).json()["items"] for n in range(1, whole["count"] // 2 + 3)]
    assert [item for page in pages for item in page] == whole["items"]


def test_the_trusts_movements_are_the_hand_computed_set(client, held):
    items = client.get("/api/v1/national/movements").json()["items"]
    assert [(row["provider_id"], row["from_rating"], row["to_rating"], row["steps"]) for row in items] == [
        ("ZZN01", "good", "requires_improvement", "-1"),
        ("ZZN02", "outstanding", "inadequate", "-3"),
        ("ZZN02", "inadequate", "good", "2"),
    ]


@pytest.mark.parametrize("path", list(FILES))
def test_a_page_at_a_warm_data_version_reads_only_the_version(client, held, path, django_assert_num_queries):
    client.get(path)  # builds the figures once for this data version
    with django_assert_num_queries(0):  # the version is held for DATA_VERSION_SECONDS; the figures are cached
        assert client.get(path, {"page": 2, "page_size": 1}).status_code == 200


@pytest.mark.parametrize("path", list(FILES))
def test_answers_carry_the_data_version_and_revalidate(client, held, path):
    got = client.get(path)
    assert got["ETag"]
    assert client.head(path)["ETag"] == got["ETag"]
    assert client.get(path, HTTP_IF_NONE_MATCH=got["ETag"]).status_code == 304


def test_the_national_lists_are_in_the_index_and_documented_once_each(client, held):
    resources = client.get("/api/v1/").json()["resources"]
    assert {resources[name] for name in resources if name.startswith("national_")} == set(FILES)
    schema = client.get("/api/v1/openapi.json").json()
    for path in FILES:
        operation = schema["paths"][path]["get"]
        assert operation["tags"] == ["national"]
        assert set(operation["responses"]) >= {"200", "422", "429"}
        assert {parameter["name"] for parameter in operation["parameters"]} == {"page", "page_size"}
    rows = schema["components"]["schemas"]["SiteMovementRow"]["properties"]
    assert list(rows)[:4] == ["provider_id", "trust", "location_id", "site"]
    assert rows["steps"]["description"].startswith("Steps up the scale")


def test_the_national_lists_share_the_apis_limit(client, held, settings):
    cache.clear()
    limit = int(settings.API_RATE_LIMIT.split("/")[0])
    for _ in range(limit):
        client.get("/api/v1/national/ages")
    refused = client.get("/api/v1/national/site-ages")
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/json")


def test_a_bad_page_is_a_422_naming_it(client, held):
    response = client.get("/api/v1/national/movements", {"page_size": 501})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "page_size"]
