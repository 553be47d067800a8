"""The fixture check names file, record and field; only curated models, each key once; bad fixtures change nothing."""

import textwrap

import pytest
from django.contrib.auth import get_user_model

from inspections.curation import FixtureError, check_fixtures, load_curated_fixtures
from inspections.models import Inspection, LoadedRecord, Rating, Source, Trust

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


def test_repeated_natural_key_is_an_error_naming_both_records(tmp_path):
    paths = write_fixtures(tmp_path)
    text = paths[2].read_text()
    rating = text[text.index("- model: inspections.rating") :]
    paths[2].write_text(text + rating.replace("value: inadequate", "value: good"))

    problems = check_fixtures(paths=paths)

    assert [(p.record, p.field) for p in problems] == [(3, "-")]
    assert problems[0].message.startswith(f"repeats the natural key of {tmp_path}/lpt/inspections.yaml, record 2 (")


@pytest.mark.parametrize("model", ["auth.user", "contenttypes.contenttype", "inspections.loadedrecord"])
def test_only_curated_models_may_appear_in_a_fixture(tmp_path, model):
    paths = write_fixtures(tmp_path)
    paths[1].write_text(
        paths[1].read_text() + f"- model: {model}\n  fields: {{username: intruder, is_superuser: true}}\n"
    )

    problems = problems_for(paths)

    assert [(name, record, field) for name, record, field, _ in problems] == [("trust.yaml", 2, "model")]
    assert "only the curated models may appear in a fixture" in problems[0][3]
    with pytest.raises(FixtureError):
        load_curated_fixtures(paths=paths)
    assert not get_user_model().objects.exists()


def test_unknown_field_is_named(tmp_path):
    paths = write_fixtures(tmp_path)
    paths[1].write_text(paths[1].read_text().replace("kind: mental_health_community", "kind: acute, colour: red"))
    assert ("trust.yaml", 1, "colour", "inspections.trust has no field 'colour'") in problems_for(paths)


def test_check_constraint_is_checked_without_the_database(tmp_path):
    paths = write_fixtures(tmp_path)
    paths[2].write_text(paths[2].read_text().replace("scope: trust", "scope: location"))
    problems = problems_for(paths)
    assert any(record == 2 and "a location rating names a location" in message for _, record, _, message in problems)


def test_unique_clash_with_a_stored_row_names_it(tmp_path):
    Trust.objects.create(provider_id="X9Z", slug="other", name="Leicestershire Partnership NHS Trust", kind="acute")
    problems = problems_for(write_fixtures(tmp_path))
    assert problems[0][:3] == ("trust.yaml", 1, "name")
    assert "refers to inspections.trust ['RT5'], which has problems of its own" in problems[1][3]
    assert "stored trust Leicestershire Partnership NHS Trust" in problems[0][3]


def test_check_fixtures_writes_nothing(tmp_path):
    check_fixtures(paths=write_fixtures(tmp_path))
    assert (Trust.objects.count(), LoadedRecord.objects.count(), Rating.history.count()) == (0, 0, 0)
