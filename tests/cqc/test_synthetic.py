"""Fictional trusts for benchmarks: plausible coordinates within England and the rest of CQC's record."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from inspections.cqc.synthetic import synthetic_trust, write_snapshot
from inspections.models import Assessment, ImportProblem, Location, LocationRelationship, Rating, ReportDocument

ROOT = Path(__file__).resolve().parents[2]
#: A box around England (a little of Wales and Scotland too; each region's sites stay well inside its part).
ENGLAND = {"lat": (49.9, 55.8), "lon": (-5.7, 1.8)}


@pytest.fixture(scope="module")
def trusts():
    return [synthetic_trust(index) for index in range(1, 231)]


def test_every_trust_and_site_has_deterministic_coordinates_within_england(trusts):
    assert synthetic_trust(5) == trusts[4]
    for provider, locations in trusts:
        for body in [provider, *locations]:
            assert ENGLAND["lat"][0] < body["onspdLatitude"] < ENGLAND["lat"][1]
            assert ENGLAND["lon"][0] < body["onspdLongitude"] < ENGLAND["lon"][1]


def test_some_trusts_have_each_part_of_the_national_record(trusts):
    providers = [provider for provider, _ in trusts]
    sites = [site for _, locations in trusts for site in locations]
    with_resources = [p for p in providers if "useOfResources" in p["currentRatings"]["overall"]]
    closed = [s for s in sites if s["registrationStatus"] == "Deregistered"]
    successors = [s for s in sites if s.get("relationships")]
    assessed = [s for s in sites if s.get("assessment")]
    rated_after_2024 = [p for p in providers if p["currentRatings"]["overall"]["reportDate"] >= "2025"]
    assert 0.3 < len(with_resources) / len(providers) < 0.9
    assert 20 < len(closed) == len(successors) < 115
    assert 0.05 < len(assessed) / len(sites) < 0.3
    assert len(rated_after_2024) > 20
    assert max(r["reportDate"] for p in providers for r in p["reports"]) <= "2026-10-31"
    assert all(s["name"].startswith("Fictional") and s["locationId"].startswith("X9") for s in sites)


@pytest.mark.django_db
def test_synthetic_trusts_import_with_every_part_and_no_problem(tmp_path):
    write_snapshot(tmp_path, trusts=12)
    call_command("import_cqc", "--from-dir", str(tmp_path), verbosity=0)
    assert not ImportProblem.objects.exists()
    assert Rating.objects.filter(key_question="use_of_resources").exists()
    assert ReportDocument.objects.exists()
    assert Location.objects.filter(deregistration_date__lte=datetime.date(2026, 11, 1)).count() == (
        LocationRelationship.objects.count()
    )
    assert Assessment.objects.filter(scores__statements__isnull=False).exists()
    assert not Location.objects.filter(latitude__isnull=True).exists()


def test_synthetic_trusts_are_the_same_in_every_process():
    """Python orders a set of strings differently in each process; the histories must not depend on it."""
    script = (
        "import hashlib, json; from inspections.cqc.synthetic import synthetic_trust; "
        "print(hashlib.sha256(json.dumps([synthetic_trust(i) for i in range(1, 31)]).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(  # noqa: S603
            [sys.executable, "-c", script], env={**os.environ, "PYTHONHASHSEED": seed}, cwd=ROOT,
            capture_output=True, text=True, check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }  # fmt: skip
    assert len(digests) == 1
