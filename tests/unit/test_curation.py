"""The fixture check names file, record and field, and a bad fixture leaves the database unchanged."""

import textwrap

import pytest

from inspections.curation import FixtureError, check_fixtures, load_curated_fixtures
from inspections.models import Inspection, Rating, Source, Trust

pytestmark = pytest.mark.django_db

SOURCES = """
- model: inspections.source
  fields: {code: SEED-003, publisher: CQC, title: Press release, published: 2015-07-10, published_precision: day}
"""
TRUST = """
- model: inspections.trust
  fields: {provider_id: RT5, slug: lpt, name: Leicestershire Partnership NHS Trust, kind: mental_health_community,
           sources: [[SEED-003]]}
"""
INSPECTION = """
- model: inspections.inspection
  fields:
    trust: [RT5]
    slug: "2015-07"
    title: Core services
    inspection_type: core_services
    visit_start: 2015-03-09
    published: {published}
    published_precision: {precision}
    scope: Core services
    sources: [[SEED-003]]
- model: inspections.rating
  fields:
    inspection: [RT5, "2015-07"]
    key_question: safe
    scope: trust
    value: {value}
    previous_value: "{previous}"
    note: ""
    sources: {rating_sources}
"""


def write_fixtures(tmp_path, published="2015-07-10", precision="day", value="inadequate", previous="",
                   rating_sources="[[SEED-003]]"):  # fmt: skip
    folder = tmp_path / "lpt"
    folder.mkdir()
    (folder / "sources.yaml").write_text(textwrap.dedent(SOURCES))
    (folder / "trust.yaml").write_text(textwrap.dedent(TRUST))
    inspection = INSPECTION.format(
        published=published, precision=precision, value=value, previous=previous, rating_sources=rating_sources
    )
    (folder / "inspections.yaml").write_text(inspection)
    return [folder / "sources.yaml", folder / "trust.yaml", folder / "inspections.yaml"]


def problems_for(paths):
    return [(p.path.rsplit("/", 1)[-1], p.record, p.field, p.message) for p in check_fixtures(paths=paths)]


def test_valid_fixtures_have_no_problems_and_load_idempotently(tmp_path):
    paths = write_fixtures(tmp_path)
    assert check_fixtures(paths=paths) == []
    load_curated_fixtures(paths=paths)
    load_curated_fixtures(paths=paths)
    assert (Trust.objects.count(), Inspection.objects.count(), Rating.objects.count()) == (1, 1, 1)
    assert Rating.objects.get().sources.get().code == "SEED-003"


def test_rating_without_source_is_refused(tmp_path):
    problems = problems_for(write_fixtures(tmp_path, rating_sources="[]"))
    assert ("inspections.yaml", 2, "sources", "must cite at least one source") in problems


def test_citing_a_missing_source_is_refused(tmp_path):
    problems = problems_for(write_fixtures(tmp_path, rating_sources="[[L-NOWHERE]]"))
    assert ("inspections.yaml", 2, "sources", "cites source 'L-NOWHERE', which no sources file defines") in problems


def test_previous_equal_to_new_without_note_is_refused(tmp_path):
    problems = problems_for(write_fixtures(tmp_path, value="good", previous="good"))
    fields = {(record, field) for _, record, field, _ in problems}
    assert (2, "previous_value") in fields


def test_day_given_where_source_has_only_a_month_is_refused(tmp_path):
    problems = problems_for(write_fixtures(tmp_path, published="2015-07-10", precision="month"))
    assert any(record == 1 and field == "published" and "precision is only 'month'" in message
               for _, record, field, message in problems)  # fmt: skip


def test_bad_code_is_reported_by_field(tmp_path):
    problems = problems_for(write_fixtures(tmp_path, value="excellent"))
    assert any(record == 2 and field == "value" for _, record, field, _ in problems)


def test_problem_message_names_file_record_and_field(tmp_path):
    problem = check_fixtures(paths=write_fixtures(tmp_path, rating_sources="[]"))[0]
    assert str(problem).startswith(f"{tmp_path}/lpt/inspections.yaml, record 2 (inspections.rating RT5/2015-07 safe")
    assert "field 'sources'" in str(problem)


def test_bad_fixture_leaves_database_unchanged(tmp_path):
    Source.objects.create(code="KEEP", publisher="x", title="Existing")
    with pytest.raises(FixtureError):
        load_curated_fixtures(paths=write_fixtures(tmp_path, value="excellent"))
    assert list(Source.objects.values_list("code", flat=True)) == ["KEEP"]
    assert not Trust.objects.exists()


def test_unreadable_yaml_is_reported(tmp_path):
    paths = write_fixtures(tmp_path)
    paths[1].write_text("- model: [unclosed")
    problems = problems_for(paths)
    assert problems[0][:3] == ("trust.yaml", 0, "-")


def test_unmigrated_database_gets_one_message_saying_to_migrate(tmp_path, monkeypatch):
    from django.db import connection

    monkeypatch.setattr(connection.introspection, "table_names", lambda *args, **kwargs: ["django_migrations"])
    problems = check_fixtures(paths=write_fixtures(tmp_path))
    assert len(problems) == 1
    assert "inspections_rating" in problems[0].message
    assert "manage.py migrate" in problems[0].message
