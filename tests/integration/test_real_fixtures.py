"""The real fixtures in fixtures/ pass every rule, and loading them twice changes nothing."""

import io
import json

import pytest
from django.core.management import call_command

from inspections.curation import check_fixtures, fixture_paths
from inspections.models import Finding, Inspection, Rating, Statement, Trust

pytestmark = pytest.mark.django_db


def dump() -> list[dict]:
    """Every inspections row by natural key; many-to-many lists sorted, as databases return them in any order."""
    out = io.StringIO()
    call_command("dumpdata", "inspections", natural_primary=True, natural_foreign=True, stdout=out)
    records = json.loads(out.getvalue())
    for record in records:
        for name, value in record["fields"].items():
            if isinstance(value, list) and value and isinstance(value[0], list):
                record["fields"][name] = sorted(value)
    return records


def test_real_fixtures_pass_the_source_rules():
    problems = check_fixtures(paths=fixture_paths())
    assert problems == [], "\n".join(map(str, problems))


def test_loading_twice_changes_nothing():
    call_command("load_curated", verbosity=0)
    first = dump()
    call_command("load_curated", verbosity=0)
    assert dump() == first


def test_every_fact_cites_a_source_and_every_trust_has_history(curated_readonly):
    for model in (Rating, Finding, Statement, Inspection):
        uncited = model.objects.filter(sources=None)
        assert not uncited.exists(), f"{model.__name__} without a source: {list(uncited[:5])}"
    assert set(Trust.objects.values_list("provider_id", flat=True)) == {"RT5", "RWE"}


def test_no_invented_days(curated_readonly):
    for inspection in Inspection.objects.all():
        for field in ("published", "visit_start", "visit_end"):
            value, precision = getattr(inspection, field), getattr(inspection, f"{field}_precision")
            if value and precision == "month":
                assert value.day == 1, (inspection, field)
