"""import_cqc against a local stand-in for CQC's API: saving snapshots, listing trusts, refusing bad input."""

import json

import pytest
from django.core.management import CommandError

from inspections.cqc.client import KEY_HEADER
from inspections.models import Trust
from tests.cqc.conftest import SAMPLE, run

BODIES = [*SAMPLE.glob("providers/*.json"), *SAMPLE.glob("locations/*.json")]

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(httpserver, settings):
    """The sample snapshot served as CQC's API would serve it, answering only with the right key."""
    settings.CQC_API_URL = httpserver.url_for("/public/v1")
    settings.CQC_API_KEY = "test-key"
    for path in BODIES:
        url = f"/public/v1/{path.parent.name}/{path.stem}"
        httpserver.expect_request(url, headers={KEY_HEADER: "test-key"}).respond_with_data(
            path.read_bytes(), content_type="application/json"
        )
    return httpserver


def test_import_from_the_api_saves_a_snapshot_byte_for_byte(api, tmp_path):
    out, _ = run("--provider", "ZZ1", "ZZ2", "--save-dir", str(tmp_path))
    assert "Imported 2 of 2 providers" in out
    for path in BODIES:
        assert (tmp_path / path.parent.name / path.name).read_bytes() == path.read_bytes()
    assert set(json.loads((tmp_path / "retrieved.json").read_text())) == {"ZZ1", "ZZ2"}


def test_import_reads_a_providers_file(api, tmp_path):
    ids = tmp_path / "ids.txt"
    ids.write_text("# fictional trusts\nZZ2\n\n")
    run("--providers-file", str(ids))
    assert list(Trust.objects.values_list("provider_id", flat=True)) == ["ZZ2"]


def test_all_nhs_trusts_lists_providers_and_keeps_nhs_bodies(api, tmp_path):
    api.expect_request("/public/v1/providers").respond_with_json(
        {"providers": [{"providerId": "ZZ1"}, {"providerId": "1-000000001"}, {"providerId": "ZZ3"}], "totalPages": 1}
    )
    api.expect_request("/public/v1/providers/ZZ3").respond_with_json(
        {"providerId": "ZZ3", "name": "Fictional Private Clinic Ltd", "type": "Independent Healthcare Org"}
    )
    out, _ = run("--all-nhs-trusts")
    assert "skipped ZZ3: type is 'Independent Healthcare Org'" in out
    assert list(Trust.objects.values_list("provider_id", flat=True)) == ["ZZ1"]
    assert not any("1-000000001" in entry[0].path for entry in api.log)


def test_a_refused_key_stops_the_run_with_a_clear_message(httpserver, settings):
    settings.CQC_API_URL, settings.CQC_API_KEY = httpserver.url_for("/"), "wrong"
    httpserver.expect_request("/providers/ZZ1").respond_with_json({"message": "Access denied"}, status=401)
    with pytest.raises(CommandError, match=r"Stopped: provider ZZ1: the API refused the key \(HTTP 401\)"):
        run("--provider", "ZZ1", "ZZ2")
    assert len(httpserver.log) == 1


def test_a_provider_missing_from_the_api_is_named_and_the_others_import(api):
    api.expect_request("/public/v1/providers/ZZ4").respond_with_json({"message": "not found"}, status=404)
    with pytest.raises(CommandError, match=r"1 provider\(s\) failed(.|\n)*provider ZZ4: not found in CQC's API"):
        run("--provider", "ZZ4", "ZZ1")
    assert Trust.objects.filter(provider_id="ZZ1").exists()


def test_without_a_key_the_command_says_how_to_get_one(settings):
    settings.CQC_API_KEY = ""
    with pytest.raises(CommandError, match="CQC_API_KEY is not set. Get a key from CQC's API portal"):
        run("--provider", "ZZ1")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--provider", "../ZZ1"], "'../ZZ1' is not a CQC provider id"),
        ([], "Name providers with --provider"),
        (["--from-dir", "/nonexistent", "--save-dir", "/nonexistent/save"], "cannot be combined"),
        (["--from-dir", "/nonexistent"], "has no providers/ folder"),
        (["--providers-file", "/nonexistent/ids.txt"], "Cannot read --providers-file"),
    ],
)
def test_bad_arguments_are_refused_with_a_message(args, message, settings):
    settings.CQC_API_KEY = "k"
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_a_provider_body_with_a_missing_field_is_named(api):
    api.clear()
    api.expect_request("/public/v1/providers/ZZ5").respond_with_json({"providerId": "ZZ5", "locationIds": []})
    with pytest.raises(CommandError, match="provider ZZ5: provider has no name"):
        run("--provider", "ZZ5")
    assert not Trust.objects.exists()
