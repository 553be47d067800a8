"""Refreshing from CQC's changes feed against a local stand-in for the API: what changed is re-imported, every
run is recorded, and 'last' starts where the last successful refresh ended."""

import datetime
import json
import time

import pytest
from django.core.management import CommandError
from werkzeug import Response

from inspections.cqc.client import KEY_HEADER
from inspections.models import Location, LocationMove, RefreshRun
from tests.cqc.conftest import LATER, SAMPLE, run

AGENT = "fictional-site.example (contact: data@fictional-site.example)"

pytestmark = pytest.mark.django_db


class StandIn:
    """CQC's API as the later snapshot has it, with a changes feed of two pages; it notes every request."""

    def __init__(self, httpserver):
        self.server = httpserver
        self.seen: list[tuple[str, bytes, str]] = []
        httpserver.expect_request("/public/v1/changes/provider").respond_with_handler(self.provider_changes)
        httpserver.expect_request("/public/v1/changes/location").respond_with_handler(self.location_changes)
        for path in [*LATER.glob("providers/*.json"), *LATER.glob("locations/*.json")]:
            httpserver.expect_request(f"/public/v1/{path.parent.name}/{path.stem}").respond_with_handler(
                self.body(path.read_bytes())
            )

    def note(self, request):
        self.seen.append((request.path, request.query_string, request.headers.get("User-Agent", "")))
        assert request.headers.get(KEY_HEADER) == "test-key"

    def body(self, raw: bytes):
        def answer(request):
            self.note(request)
            return Response(raw, content_type="application/json")

        return answer

    def provider_changes(self, request):
        self.note(request)
        if request.args.get("page") == "2":
            return Response(json.dumps({"changes": ["1-000000001"], "page": 2, "totalPages": 2,
                                        "nextPageUri": None}), content_type="application/json")  # fmt: skip
        query = request.query_string.decode()
        return Response(json.dumps({"changes": ["ZZ2"], "page": 1, "totalPages": 2,
                                    "nextPageUri": f"/changes/provider?page=2&{query}"}),
                        content_type="application/json")  # fmt: skip

    def location_changes(self, request):
        self.note(request)
        return Response(json.dumps({"changes": ["ZZ1AD", "1-000000002"], "page": 1, "totalPages": 1}),
                        content_type="application/json")  # fmt: skip

    def paths(self) -> list[str]:
        return [path for path, _, _ in self.seen]


@pytest.fixture
def api(httpserver, settings):
    settings.CQC_API_URL = httpserver.url_for("/public/v1")
    settings.CQC_API_KEY = "test-key"
    settings.CQC_USER_AGENT = AGENT
    run("--from-dir", str(SAMPLE))  # the database as the sample left it: the clinic still with ZZ1
    return StandIn(httpserver)


def test_changes_since_reimports_the_nhs_trusts_that_changed(api):
    started = time.perf_counter()
    out, err = run("--changes-since", "2026-11-01T00:00:00Z")
    seconds = time.perf_counter() - started
    assert "Changes from 2026-11-01T00:00:00Z to " in out
    assert "2 provider(s) and 2 location(s); 1 NHS provider(s) to re-import." in out
    assert "moved: provider ZZ2: site Fictional Riverside Clinic (ZZ1AD) moved here" in out
    assert Location.objects.get(cqc_location_id="ZZ1AD").trust.provider_id == "ZZ2"
    assert LocationMove.objects.count() == 1
    # The changed location was fetched once, to learn its provider, and not again; no '1-...' record was fetched.
    assert api.paths().count("/public/v1/locations/ZZ1AD") == 1
    assert not [path for path in api.paths() if "/1-" in path]
    assert api.paths()[:3] == ["/public/v1/changes/provider"] * 2 + ["/public/v1/changes/location"]
    assert seconds < 30  # a few hundred milliseconds here; generous for a busy machine


def test_timestamps_are_sent_with_their_colons_as_they_are(api):
    run("--changes-since", "2026-11-01T00:00:00Z")
    first = api.seen[0][1].decode()
    assert first.startswith("startTimestamp=2026-11-01T00:00:00Z&endTimestamp=20")
    assert "%3A" not in first


def test_every_request_names_the_site_and_a_contact(api):
    run("--changes-since", "2026-11-01T00:00:00Z")
    assert {agent for _, _, agent in api.seen} == {AGENT}


def test_the_refresh_is_recorded_and_last_starts_where_it_ended(api):
    run("--changes-since", "2026-11-01T00:00:00Z")
    (refresh,) = RefreshRun.objects.filter(mode="changes")
    assert refresh.succeeded
    assert refresh.finished_at >= refresh.started_at
    assert refresh.changes_from == datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    assert (refresh.providers_listed, refresh.providers_imported, refresh.failures) == (1, 1, 0)
    api.seen.clear()
    run("--changes-since", "last")
    assert (
        api.seen[0][1]
        .decode()
        .startswith(f"startTimestamp={refresh.changes_to.astimezone(datetime.UTC):%Y-%m-%dT%H:%M:%SZ}&")
    )


def test_a_failed_refresh_is_not_where_last_starts(api, httpserver):
    httpserver.clear()
    httpserver.expect_request("/public/v1/changes/provider").respond_with_json({"changes": ["ZZ2"], "totalPages": 1})
    httpserver.expect_request("/public/v1/changes/location").respond_with_json({"changes": [], "totalPages": 1})
    httpserver.expect_request("/public/v1/providers/ZZ2").respond_with_json({"message": "not found"}, status=404)
    with pytest.raises(CommandError, match="provider ZZ2: not found"):
        run("--changes-since", "2026-11-01T00:00:00Z")
    assert not RefreshRun.objects.get(mode="changes").succeeded
    with pytest.raises(CommandError, match="no successful refresh is recorded yet"):
        run("--changes-since", "last")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("last", "no successful refresh is recorded yet"),
        ("yesterday", "'yesterday' is not a date or time"),
        ("2999-01-01T00:00:00Z", "is not in the past"),
    ],
)
def test_changes_since_refuses_what_it_cannot_use(api, value, message):
    with pytest.raises(CommandError, match=message):
        run("--changes-since", value)


def test_a_full_pass_counts_as_a_refresh_from_its_start(api, httpserver):
    httpserver.expect_request("/public/v1/providers").respond_with_json({"providers": [], "totalPages": 1})
    run("--all-nhs-trusts")
    full = RefreshRun.objects.get(mode="all NHS trusts")
    assert full.succeeded
    assert full.changes_to == full.started_at
    api.seen.clear()
    run("--changes-since", "last")
    assert (
        api.seen[0][1]
        .decode()
        .startswith(f"startTimestamp={full.changes_to.astimezone(datetime.UTC):%Y-%m-%dT%H:%M:%SZ}&")
    )


def test_changes_since_and_all_nhs_trusts_are_not_combined(api):
    with pytest.raises(CommandError, match="use one"):
        run("--changes-since", "last", "--all-nhs-trusts")
