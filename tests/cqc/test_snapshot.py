"""Snapshots: bodies saved as fetched, read back with no network, bad files named."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from inspections.cqc.client import CqcClient
from inspections.cqc.errors import CqcDataError
from inspections.cqc.snapshot import ApiFeed, SnapshotFeed, SnapshotWriter
from inspections.cqc.synthetic import synthetic_trust, write_snapshot

PROVIDER = {"providerId": "ZZ1", "name": "Fictional Valley NHS Trust", "locationIds": ["ZZ1AA"]}
LOCATION = {"locationId": "ZZ1AA", "providerId": "ZZ1", "name": "Fictional Valley Hospital"}


def test_api_feed_saves_every_body_byte_for_byte(httpserver, tmp_path):
    provider_raw = json.dumps(PROVIDER, indent=3).encode()
    httpserver.expect_request("/providers/ZZ1").respond_with_data(provider_raw, content_type="application/json")
    httpserver.expect_request("/locations/ZZ1AA").respond_with_json(LOCATION)
    with CqcClient(base_url=httpserver.url_for("/"), api_key="k", min_interval=0) as client:
        feed = ApiFeed(client, writer=SnapshotWriter(tmp_path), today=lambda: datetime.date(2026, 11, 23))
        data = feed.fetch("ZZ1")
    assert data.locations == {"ZZ1AA": LOCATION}
    assert (tmp_path / "providers" / "ZZ1.json").read_bytes() == provider_raw
    assert json.loads((tmp_path / "locations" / "ZZ1AA.json").read_bytes()) == LOCATION
    assert json.loads((tmp_path / "retrieved.json").read_text()) == {"ZZ1": "2026-11-23"}

    again = SnapshotFeed(tmp_path).fetch("ZZ1")
    assert (again.provider, again.locations, again.retrieved) == (PROVIDER, data.locations, datetime.date(2026, 11, 23))


def _write(directory, kind, name, text):
    (directory / kind).mkdir(parents=True, exist_ok=True)
    (directory / kind / f"{name}.json").write_text(text)


def test_snapshot_feed_lists_provider_files_in_order(tmp_path):
    for name in ("ZZ2", "ZZ1"):
        _write(tmp_path, "providers", name, json.dumps({"providerId": name}))
    assert SnapshotFeed(tmp_path).provider_ids() == ["ZZ1", "ZZ2"]


def test_snapshot_feed_names_a_missing_location_file_and_reads_the_rest(tmp_path):
    _write(tmp_path, "providers", "ZZ1", json.dumps({**PROVIDER, "locationIds": ["ZZ1AA", "ZZ1AB"]}))
    _write(tmp_path, "locations", "ZZ1AB", json.dumps({**LOCATION, "locationId": "ZZ1AB"}))
    data = SnapshotFeed(tmp_path).fetch("ZZ1")
    assert list(data.locations) == ["ZZ1AB"]
    (problem,) = data.problems
    assert (problem.record, problem.file, problem.field, problem.value) == (
        "provider ZZ1", "locations/ZZ1AA.json", "locationIds", "ZZ1AA",
    )  # fmt: skip
    assert "ZZ1AA.json is missing; this site not imported" in problem.message


def test_snapshot_feed_names_a_broken_location_file(tmp_path):
    _write(tmp_path, "providers", "ZZ1", json.dumps(PROVIDER))
    _write(tmp_path, "locations", "ZZ1AA", '{"locationId": ')
    (problem,) = SnapshotFeed(tmp_path).fetch("ZZ1").problems
    assert "response is not valid JSON" in problem.message


def test_snapshot_feed_refuses_a_broken_provider_file(tmp_path):
    _write(tmp_path, "providers", "ZZ1", '{"providerId": "ZZ1",')
    with pytest.raises(CqcDataError, match=r"provider ZZ1 \(.*ZZ1.json\): response is not valid JSON"):
        SnapshotFeed(tmp_path).fetch("ZZ1")


@pytest.mark.parametrize(
    ("ids", "field", "value"),
    [("ZZ1AA", "locationIds", "ZZ1AA"), (["ZZ1AA", "../x", 7], "locationIds[1]", "../x")],
)
def test_snapshot_feed_names_location_ids_it_cannot_use(tmp_path, ids, field, value):
    _write(tmp_path, "providers", "ZZ1", json.dumps({"providerId": "ZZ1", "locationIds": ids}))
    _write(tmp_path, "locations", "ZZ1AA", json.dumps(LOCATION))
    data = SnapshotFeed(tmp_path).fetch("ZZ1")
    assert (data.problems[0].field, data.problems[0].value) == (field, value)


def test_snapshot_feed_needs_a_providers_folder(tmp_path):
    with pytest.raises(CqcDataError, match="has no providers/ folder"):
        SnapshotFeed(tmp_path)


def test_synthetic_trusts_are_deterministic_and_fictional():
    assert synthetic_trust(7) == synthetic_trust(7)
    provider, locations = synthetic_trust(7)
    assert provider["providerId"].startswith("X9")
    assert provider["name"].startswith("Fictional")
    assert 2 <= len(locations) <= 8
    assert 3 <= len(provider["reports"]) <= 6
    assert all(loc["locationId"].startswith("X9") and loc["name"].startswith("Fictional") for loc in locations)


def test_synthetic_current_key_questions_carry_the_date_of_the_report_that_set_them():
    provider, _ = synthetic_trust(1)
    overall = provider["currentRatings"]["overall"]
    dates = {kq["reportDate"] for kq in overall["keyQuestionRatings"]}
    assert max(dates) <= overall["reportDate"]
    report_dates = {r["linkId"]: r["reportDate"] for r in provider["reports"]}
    assert all(report_dates[kq["reportLinkId"]] == kq["reportDate"] for kq in overall["keyQuestionRatings"])


def test_write_snapshot_is_readable_by_the_snapshot_feed(tmp_path):
    write_snapshot(tmp_path, trusts=3)
    feed = SnapshotFeed(tmp_path)
    assert feed.provider_ids() == ["X9001", "X9002", "X9003"]
    data = feed.fetch("X9002")
    assert data.retrieved == datetime.date(2026, 11, 1)
    assert set(data.locations) == set(data.provider["locationIds"])


def test_make_synthetic_refuses_to_mix_snapshots(tmp_path):
    out = io.StringIO()
    call_command("make_synthetic", "--trusts", "2", "--out", str(tmp_path), stdout=out)
    assert "Wrote 2 fictional trusts" in out.getvalue()
    with pytest.raises(CommandError, match="is not empty"):
        call_command("make_synthetic", "--trusts", "2", "--out", str(tmp_path))
