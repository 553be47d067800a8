"""The CQC client against a local HTTP server: retries, waits and errors, with no network."""

import datetime
import json
import time

import pytest
from werkzeug import Response

from inspections.cqc.client import DEFAULT_USER_AGENT, KEY_HEADER, CqcClient, retry_after_seconds
from inspections.cqc.errors import CqcAuthError, CqcDataError, CqcNotFound, CqcUnavailable

PROVIDER = {"providerId": "ZZ1", "name": "Fictional Valley NHS Trust", "locationIds": []}


class Sleeps(list):
    """Records each wait instead of sleeping."""

    def __call__(self, seconds):
        self.append(seconds)


@pytest.fixture
def sleeps():
    return Sleeps()


@pytest.fixture
def client(httpserver, sleeps):
    with CqcClient(
        base_url=httpserver.url_for("/public/v1"), api_key="test-key", sleep=sleeps, min_interval=0, timeout=2
    ) as client:
        yield client


def test_client_sends_the_key_and_returns_body_and_raw_bytes(httpserver, client):
    raw = json.dumps(PROVIDER).encode()
    httpserver.expect_request("/public/v1/providers/ZZ1", headers={KEY_HEADER: "test-key"}).respond_with_data(
        raw, content_type="application/json"
    )
    fetched = client.provider("ZZ1")
    assert fetched.body == PROVIDER
    assert fetched.raw == raw


def test_client_auth_failure_names_the_provider_and_does_not_retry(httpserver, client, sleeps):
    httpserver.expect_request("/public/v1/providers/ZZ1").respond_with_json({"message": "Access denied"}, status=401)
    with pytest.raises(CqcAuthError, match=r"provider ZZ1: .*HTTP 401.*CQC_API_KEY"):
        client.provider("ZZ1")
    assert len(httpserver.log) == 1
    assert sleeps == []


def test_client_not_found_names_the_location(httpserver, client):
    httpserver.expect_request("/public/v1/locations/ZZ1AA").respond_with_json({"message": "nope"}, status=404)
    with pytest.raises(CqcNotFound, match="location ZZ1AA"):
        client.location("ZZ1AA")


def test_client_429_then_success_waits_as_retry_after_asks(httpserver, client, sleeps):
    httpserver.expect_ordered_request("/public/v1/providers/ZZ1").respond_with_response(
        Response("slow down", status=429, headers={"Retry-After": "7"})
    )
    httpserver.expect_ordered_request("/public/v1/providers/ZZ1").respond_with_json(PROVIDER)
    assert client.provider("ZZ1").body == PROVIDER
    assert sleeps == [7]


def test_client_retry_after_is_capped(httpserver, sleeps):
    httpserver.expect_ordered_request("/p").respond_with_response(
        Response("", status=429, headers={"Retry-After": "3600"})
    )
    httpserver.expect_ordered_request("/p").respond_with_json({})
    with CqcClient(base_url=httpserver.url_for("/"), api_key="k", sleep=sleeps, min_interval=0, max_wait=30) as client:
        client.get("p", record="test")
    assert sleeps == [30]


def test_client_500_retries_with_exponential_backoff_then_gives_up(httpserver, client, sleeps):
    httpserver.expect_request("/public/v1/providers/ZZ1").respond_with_data("boom", status=500)
    with pytest.raises(CqcUnavailable, match=r"provider ZZ1: gave up after 5 attempts; last: HTTP 500"):
        client.provider("ZZ1")
    assert len(httpserver.log) == 5
    assert sleeps == [1, 2, 4, 8]


def test_client_500_then_success(httpserver, client, sleeps):
    httpserver.expect_ordered_request("/public/v1/providers/ZZ1").respond_with_data("boom", status=503)
    httpserver.expect_ordered_request("/public/v1/providers/ZZ1").respond_with_json(PROVIDER)
    assert client.provider("ZZ1").body == PROVIDER
    assert sleeps == [1]


def test_client_time_out_is_retried(httpserver, sleeps):
    def slow(request):
        time.sleep(0.6)
        return Response(json.dumps(PROVIDER), content_type="application/json")

    def wait_for_server(seconds):
        # The test server answers one request at a time: let it finish the slow one first.
        sleeps.append(seconds)
        time.sleep(0.6)

    httpserver.expect_ordered_request("/providers/ZZ1").respond_with_handler(slow)
    httpserver.expect_ordered_request("/providers/ZZ1").respond_with_json(PROVIDER)
    with CqcClient(
        base_url=httpserver.url_for("/"), api_key="k", sleep=wait_for_server, min_interval=0, timeout=0.2
    ) as client:
        assert client.provider("ZZ1").body == PROVIDER
    assert sleeps == [1]


def test_client_malformed_json_names_the_provider(httpserver, client):
    httpserver.expect_request("/public/v1/providers/ZZ1").respond_with_data(
        "{not json", content_type="application/json"
    )
    with pytest.raises(CqcDataError, match="provider ZZ1: response is not valid JSON"):
        client.provider("ZZ1")


def test_client_json_that_is_not_an_object_is_refused(httpserver, client):
    httpserver.expect_request("/public/v1/providers/ZZ1").respond_with_json(["ZZ1"])
    with pytest.raises(CqcDataError, match="expected a JSON object, got list"):
        client.provider("ZZ1")


def test_client_refuses_an_id_that_is_not_a_cqc_id(client):
    with pytest.raises(CqcDataError, match="not a CQC provider id"):
        client.provider("../etc/passwd")


def test_client_listing_follows_pages_with_filters(httpserver, client):
    httpserver.expect_request("/public/v1/providers", query_string="region=North&page=1&perPage=2").respond_with_json(
        {"providers": [{"providerId": "ZZ1"}, {"providerId": "1-000000001"}], "totalPages": 2}
    )
    httpserver.expect_request("/public/v1/providers", query_string="region=North&page=2&perPage=2").respond_with_json(
        {"providers": [{"providerId": "ZZ2"}], "totalPages": 2}
    )
    assert list(client.provider_ids(per_page=2, region="North")) == ["ZZ1", "1-000000001", "ZZ2"]


def test_client_spaces_requests_by_the_minimum_interval(httpserver, sleeps):
    httpserver.expect_request("/p").respond_with_json({})
    now = iter([100.0, 100.02, 100.5])
    with CqcClient(base_url=httpserver.url_for("/"), api_key="k", sleep=sleeps, clock=lambda: next(now)) as client:
        for _ in range(3):
            client.get("p", record="test")
    assert sleeps == [pytest.approx(0.08)]


def test_retry_after_accepts_an_http_date():
    assert retry_after_seconds("Thu, 01 Jan 1970 00:00:10 GMT", now=4.0) == 6.0
    assert retry_after_seconds("soon", now=0.0) is None


def test_client_names_the_site_from_the_setting(httpserver, settings, sleeps):
    """settings.CQC_USER_AGENT comes from the environment variable of the same name (cqc_site/settings.py)."""
    httpserver.expect_request("/p").respond_with_json({})
    for configured, expected in [
        ("site.example (ops@site.example)", "site.example (ops@site.example)"),
        ("", DEFAULT_USER_AGENT),
    ]:
        settings.CQC_USER_AGENT = configured
        with CqcClient(base_url=httpserver.url_for("/"), api_key="k", sleep=sleeps, min_interval=0) as client:
            client.get("p", record="test")
        assert httpserver.log[-1][0].headers["User-Agent"] == expected


def test_client_giving_up_on_429_says_what_cqc_said(httpserver, client):
    httpserver.expect_request("/public/v1/providers/ZZ1").respond_with_json(
        {"statusCode": 429, "message": "Rate limit is exceeded. Try again in 7 seconds."}, status=429
    )
    with pytest.raises(
        CqcUnavailable, match=r"gave up after 5 attempts; last: HTTP 429 \(Rate limit is exceeded. Try again in 7"
    ):
        client.provider("ZZ1")


def test_client_changes_follow_pages_and_send_colons_as_they_are(httpserver, client):
    start = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    end = datetime.datetime(2026, 11, 2, 6, 30, tzinfo=datetime.UTC)
    queries = []

    def page(request):
        queries.append(request.query_string.decode())
        number = int(request.args.get("page", "1"))
        body = {"changes": [f"ZZ{number}"], "page": number, "totalPages": 3}
        if number == 1:
            body["nextPageUri"] = "/changes/location?page=2&startTimestamp=x"
        if number == 2:
            body["nextPageUri"] = "https://elsewhere.example/changes/location?page=3"  # another host: not followed
        return Response(json.dumps(body), content_type="application/json")

    httpserver.expect_request("/public/v1/changes/location").respond_with_handler(page)
    assert list(client.changes("location", start=start, end=end)) == ["ZZ1", "ZZ2", "ZZ3"]
    assert queries == [
        "startTimestamp=2026-11-01T00:00:00Z&endTimestamp=2026-11-02T06:30:00Z",
        "page=2&startTimestamp=x",
        "startTimestamp=2026-11-01T00:00:00Z&endTimestamp=2026-11-02T06:30:00Z&page=3",
    ]


def test_client_changes_refuse_an_answer_with_no_list(httpserver, client):
    httpserver.expect_request("/public/v1/changes/provider").respond_with_json({"total": 0})
    with pytest.raises(CqcDataError, match="provider changes page 1: the answer has no 'changes' list"):
        list(client.changes("provider", start=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
                            end=datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC)))  # fmt: skip
