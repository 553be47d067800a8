"""Open data: whole-dataset downloads and the JSON API hold the same rows as the per-trust CSV and pages."""

import csv
import io
import json

import pytest
from django.urls import reverse

from inspections.models import Finding, Rating, Source, Trust
from inspections.reading import exports
from tests.searchable import fill_search_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def downloads_of_this_test(settings, tmp_path):
    """Whole-dataset files are built in a directory of the test's own."""
    settings.DOWNLOADS_DIR = tmp_path


def body(response) -> str:
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response))))


def test_all_ratings_csv_is_every_trust_csv_in_provider_order(client, curated_readonly):
    whole = csv_rows(client.get("/ratings.csv"))
    assert whole[0] == list(exports.RATINGS_HEADER)
    per_trust = []
    for trust in Trust.objects.order_by("provider_id"):
        rows = csv_rows(client.get(reverse("inspections:trust_ratings_csv", args=[trust.slug])))
        assert rows[0] == whole[0]
        per_trust.extend(rows[1:])
    assert whole[1:] == per_trust
    assert len(per_trust) == Rating.objects.count()


def test_downloads_are_files_of_known_length_with_their_names(client, curated_readonly):
    for dataset in ("ratings", "findings"):
        for extension, content_type in (("csv", "text/csv"), ("jsonl", "application/x-ndjson")):
            response = client.get(f"/{dataset}.{extension}")
            assert response.status_code == 200
            assert response.streaming, f"{dataset}.{extension} is read into memory to be sent"
            assert int(response["Content-Length"]) == len(body(response))
            assert response["Content-Type"].startswith(content_type)
            assert f'filename="{dataset}.{extension}"' in response["Content-Disposition"]


def test_jsonl_twins_hold_the_same_rows_as_the_csv(client, curated_readonly):
    for dataset, header in (("ratings", exports.RATINGS_HEADER), ("findings", exports.FINDINGS_HEADER)):
        rows = csv_rows(client.get(f"/{dataset}.csv"))
        records = [json.loads(line) for line in body(client.get(f"/{dataset}.jsonl")).splitlines()]
        assert [list(record) for record in records[:1]] == [list(header)]
        assert [[record[name] for name in header] for record in records] == rows[1:]


def test_findings_csv_has_one_row_per_finding_with_its_sources(client, curated_readonly):
    rows = [dict(zip(exports.FINDINGS_HEADER, row, strict=True)) for row in csv_rows(client.get("/findings.csv"))[1:]]
    assert len(rows) == Finding.objects.count()
    finding = Finding.objects.select_related("inspection__trust").order_by("pk").first()
    row = next(r for r in rows if r["summary"] == finding.summary)
    assert row["provider_id"] == finding.inspection.trust.provider_id
    assert row["sources"] == "; ".join(sorted(s.code for s in finding.sources.all()))


def test_download_queries_do_not_grow_per_row(client, django_assert_max_num_queries, curated_readonly):
    # Two trusts, about 200 ratings and 200 findings: a per-row query would show as hundreds.
    for url in ("/ratings.csv", "/findings.jsonl"):
        with django_assert_max_num_queries(7):  # 6 and the data version's row (issue 31)
            body(client.get(url))


def test_data_page_documents_every_field_and_links_every_download(client):
    content = client.get("/data/").content.decode()
    for name in (*exports.RATINGS_HEADER, *exports.FINDINGS_HEADER):
        assert f"<code>{name}</code>" in content, name
    for url in ("/ratings.csv", "/ratings.jsonl", "/findings.csv", "/findings.jsonl"):
        assert f'href="{url}"' in content
    assert "Open Government Licence v3.0" in content


def api(client, path, **params):
    response = client.get(f"/api/v1{path}", params)
    return response.status_code, response.json()


def test_api_trust_ratings_are_the_rows_of_ratings_csv(client, curated_readonly):
    for trust in Trust.objects.all():
        rows = csv_rows(client.get(reverse("inspections:trust_ratings_csv", args=[trust.slug])))
        status, page = api(client, f"/trusts/{trust.slug}/ratings", page_size=500)
        assert status == 200
        assert page["count"] == len(rows) - 1
        assert [[item[name] for name in rows[0]] for item in page["items"]] == rows[1:]


def test_api_pages_are_stable_and_cover_every_row_once(client, curated_readonly):
    _, whole = api(client, "/trusts/leicestershire-partnership/ratings", page_size=500)
    paged = []
    for number in range(1, 100):
        _, page = api(client, "/trusts/leicestershire-partnership/ratings", page=number, page_size=7)
        if not page["items"]:
            break
        paged.extend(page["items"])
    assert paged == whole["items"]


def test_api_trust_list_and_detail_match_the_home_page_and_grid(client, curated_readonly):
    home = {row.record.provider_id: row.record for row in client.get("/").context["table"].rows}
    _, trusts = api(client, "/trusts")
    assert {t["provider_id"]: t["current_overall"] for t in trusts["items"]} == {
        provider: record.current_overall for provider, record in home.items()
    }
    _, detail = api(client, "/trusts/leicestershire-partnership")
    grid = client.get("/trusts/leicestershire-partnership/").context["grid"]
    shown = {(row.subject_name, cell.key_question, cell.value) for row in grid for cell in row.cells if cell}
    held = {(r["scope_name"] if r["scope"] != "trust" else "Whole trust", r["key_question"], r["rating"])
            for r in detail["current_ratings"]}  # fmt: skip
    assert held == shown


def test_api_inspections_carry_findings_with_their_passages(client, curated_readonly):
    _, page = api(client, "/trusts/university-hospitals-leicester/inspections", page_size=500)
    assert page["count"] == Trust.objects.get(provider_id="RWE").inspections.count()
    findings = [f for inspection in page["items"] for f in inspection["findings"]]
    assert len(findings) == Finding.objects.filter(inspection__trust__provider_id="RWE").count()
    assert all(f["citations"] for f in findings)


def test_api_sources_and_search(client, curated_readonly):
    fill_search_text()
    _, sources = api(client, "/sources", page_size=500)
    assert sources["count"] == Source.objects.count()
    _, found = api(client, "/trusts", q="RWE")
    assert [t["provider_id"] for t in found["items"]] == ["RWE"]
    _, found = api(client, "/trusts", q="glenfield")  # a hospital's name finds its trust, as on the home page
    assert [t["provider_id"] for t in found["items"]] == ["RWE"]


@pytest.mark.parametrize(
    "path", ["/trusts/no-such-trust", "/trusts/no-such-trust/ratings", "/trusts/no-such-trust/inspections"]
)
def test_api_unknown_trust_is_404_json(client, path):
    response = client.get(f"/api/v1{path}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("params", [{"page": "0"}, {"page": "abc"}, {"page_size": "100000"}, {"q": "x" * 500}])
def test_api_bad_parameters_are_422_not_500(client, params):
    response = client.get("/api/v1/trusts", params)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_api_schema_and_local_docs(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/trusts/{slug}/ratings" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "cdn." not in docs
    assert "/static/ninja/swagger-ui-bundle.js" in docs


def test_api_answers_carry_the_data_version_as_etag_and_revalidate_to_304(client):
    from tests.factories import SourceFactory

    first = client.get("/api/v1/sources")
    assert first.status_code == 200
    tag = first["ETag"]
    assert client.get("/api/v1/sources", HTTP_IF_NONE_MATCH=tag).status_code == 304
    SourceFactory(code="X9-NEW")  # any saved change replaces the data version
    again = client.get("/api/v1/sources", HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 200
    assert again["ETag"] != tag


def test_api_is_open_to_other_sites_for_reading_only(client):
    response = client.get("/api/v1/sources", HTTP_ORIGIN="https://news.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    page = client.get("/data/", HTTP_ORIGIN="https://news.example")
    assert "Access-Control-Allow-Origin" not in page


def test_api_rate_limit_answers_429_with_retry_after(client, settings):
    from django.core.cache import cache

    cache.clear()
    limit = int(settings.API_RATE_LIMIT.split("/")[0])
    statuses = [client.get("/api/v1/sources", {"page_size": 1}).status_code for _ in range(limit + 1)]
    assert statuses[:limit] == [200] * limit
    assert statuses[-1] == 429
    refused = client.get("/api/v1/sources")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["detail"]


def test_findings_csv_keeps_its_columns_and_joins_ratings_csv_on_the_inspection_slug(client, curated_readonly):
    """Issue 28: findings.csv's inspection is the title where ratings.csv's is the slug, so the two could not be
    joined; inspection_slug is added at the end, the nine columns before it unchanged."""
    findings = csv_rows(client.get("/findings.csv"))
    assert findings[0] == ["provider_id", "trust", "inspection", "published", "kind", "theme", "subject", "summary",
                           "sources", "inspection_slug"]  # fmt: skip
    ratings = csv_rows(client.get("/ratings.csv"))
    rated = {(row[0], row[ratings[0].index("inspection")]) for row in ratings[1:]}
    joined = [(row[0], row[-1]) in rated for row in findings[1:]]
    assert len(joined) == Finding.objects.count()
    assert sum(joined) > len(joined) * 0.9  # a finding of a report that rated nothing has no rating to join
    for finding in Finding.objects.select_related("inspection__trust"):
        row = next(r for r in findings[1:] if r[7] == finding.summary and r[0] == finding.inspection.trust.provider_id)
        assert (row[2], row[-1]) == (finding.inspection.title, finding.inspection.slug)
