"""A reload never overwrites or brings back what an editor changed or deleted after the load; --force does."""

import io
import textwrap

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.curation import Action, load_curated_fixtures
from inspections.models import Finding, Inspection, LoadedRecord, Rating, RatingSource, Trust

pytestmark = pytest.mark.django_db

# A fictional trust: no real NHS trust has this provider id or name.
SOURCES = """
- model: inspections.source
  fields: {code: ZZ-SRC-1, publisher: Fictional Gazette, title: Made-up report, published: 2016-05-04}
- model: inspections.source
  fields: {code: ZZ-SRC-2, publisher: Fictional Gazette, title: Second made-up report, published: 2016-06-01}
"""
TRUST = """
- model: inspections.trust
  fields: {provider_id: ZZ1, slug: fictional-valley, name: Fictional Valley NHS Trust, kind: acute}
- model: inspections.location
  fields: {trust: [ZZ1], slug: hillside, name: Hillside Fictional Hospital}
"""
INSPECTIONS = """
- model: inspections.inspection
  fields:
    trust: [ZZ1]
    slug: "2016-05"
    title: Fictional comprehensive inspection
    inspection_type: comprehensive
    published: 2016-05-04
    scope: Everything, in this made-up example
    locations: [[ZZ1, hillside]]
    sources: [[ZZ-SRC-1]]
- model: inspections.rating
  fields:
    inspection: [ZZ1, "2016-05"]
    key_question: safe
    scope: trust
    value: {safe}
    sources: [{{source: ZZ-SRC-1, passage: "{passage}"}}]
- model: inspections.rating
  fields:
    inspection: [ZZ1, "2016-05"]
    key_question: overall
    scope: location
    location: [ZZ1, hillside]
    value: good
    sources: [[ZZ-SRC-1], [ZZ-SRC-2]]
- model: inspections.finding
  fields:
    inspection: [ZZ1, "2016-05"]
    ref: staffing
    kind: concern
    theme: staffing
    summary: Made-up finding about staffing.
    sources: [[ZZ-SRC-1]]
"""


def write(folder, safe="requires_improvement", passage="A made-up sentence."):
    folder.mkdir(exist_ok=True)
    (folder / "sources.yaml").write_text(textwrap.dedent(SOURCES))
    (folder / "trust.yaml").write_text(textwrap.dedent(TRUST))
    (folder / "inspections.yaml").write_text(INSPECTIONS.format(safe=safe, passage=passage))
    return [folder / "sources.yaml", folder / "trust.yaml", folder / "inspections.yaml"]


@pytest.fixture
def paths(tmp_path):
    paths = write(tmp_path / "zz")
    load_curated_fixtures(paths=paths)
    return paths


@pytest.fixture
def alice():
    return get_user_model().objects.create_user("alice")


def safe_rating():
    return Rating.objects.get(inspection__trust__provider_id="ZZ1", key_question="safe")


def edit(instance, user, **changes):
    """Save a change as the admin would: the history names the signed-in user."""
    for name, value in changes.items():
        setattr(instance, name, value)
    instance._history_user = user
    instance.save()


def run_load(*args):
    out = io.StringIO()
    call_command("load_curated", *map(str, args), stdout=out)
    return out.getvalue()


def test_edit_in_the_admin_survives_a_reload_and_is_listed(paths, alice):
    edit(safe_rating(), alice, value="good")

    output = run_load(*paths)

    assert safe_rating().value == "good"
    assert "1 record(s) changed in the admin since they were loaded, kept as they are" in output
    assert "edited by alice" in output
    assert "value: database 'good', fixture 'requires_improvement'" in output


def test_rating_deleted_in_the_admin_does_not_come_back(paths, alice):
    rating = safe_rating()
    rating._history_user = alice
    rating.delete()

    report = load_curated_fixtures(paths=paths)

    assert not Rating.objects.filter(key_question="safe").exists()
    assert [o.label for o in report.of(Action.KEPT_DELETED)] == ["inspections.rating ZZ1/2016-05 safe trust"]


def test_deleted_inspection_keeps_its_children_deleted_too(paths):
    Inspection.objects.get(slug="2016-05").delete()

    report = load_curated_fixtures(paths=paths)

    assert (Inspection.objects.count(), Rating.objects.count(), Finding.objects.count()) == (0, 0, 0)
    assert len(report.of(Action.KEPT_DELETED)) == 4
    assert sum(outcome.with_parent for outcome in report.of(Action.KEPT_DELETED)) == 3


def test_slug_renamed_in_the_admin_never_makes_a_duplicate(paths, alice):
    edit(Inspection.objects.get(slug="2016-05"), alice, slug="2016-05-renamed")

    report = load_curated_fixtures(paths=paths)

    assert list(Inspection.objects.values_list("slug", flat=True)) == ["2016-05-renamed"]
    assert Rating.objects.count() == 2
    assert [(o.model, o.record) for o in report.of(Action.KEPT_EDITED)] == [("inspections.inspection", 1)]


def test_fixture_change_reaches_records_nobody_edited(tmp_path, paths, alice):
    edit(Rating.objects.get(key_question="overall"), alice, note="An editor's note.")
    write(tmp_path / "zz", safe="inadequate")

    report = load_curated_fixtures(paths=paths)

    assert safe_rating().value == "inadequate"
    assert Rating.objects.get(key_question="overall").note == "An editor's note."
    assert [o.label for o in report.of(Action.UPDATE)] == ["inspections.rating ZZ1/2016-05 safe trust"]


def test_passage_edited_in_the_admin_is_kept(tmp_path, paths, alice):
    citation = RatingSource.objects.get(rating=safe_rating())
    edit(citation, alice, passage="The editor's corrected passage.")
    write(tmp_path / "zz", passage="A changed fixture passage.")

    report = load_curated_fixtures(paths=paths)

    assert RatingSource.objects.get(rating=safe_rating()).passage == "The editor's corrected passage."
    detail = report.of(Action.KEPT_EDITED)[0].detail
    assert detail.startswith("edited by alice on ")
    assert "citations: database {'ZZ-SRC-1': \"The editor's corrected passage.\"}" in detail


def test_force_overwrites_edits_and_restores_deletions_after_listing_them(paths, alice):
    edit(safe_rating(), alice, value="good")
    Inspection.objects.get(slug="2016-05").ratings.get(key_question="overall").delete()

    output = run_load("--force", *paths)

    assert "2 record(s) changed in the admin since they were loaded, overwritten by --force" in output
    assert output.index("overwritten by --force") < output.index("updated: ")
    assert safe_rating().value == "requires_improvement"
    assert Rating.objects.count() == 2
    assert run_load(*paths).splitlines()[-1] == "Loaded. Fixture records: 8 unchanged."


def test_dry_run_reports_and_writes_nothing(tmp_path, paths, alice):
    edit(safe_rating(), alice, value="good")
    write(tmp_path / "zz", passage="A changed fixture passage.")
    before = (Rating.history.count(), LoadedRecord.objects.count(), safe_rating().value)

    output = run_load("--dry-run", *paths)

    assert "Dry run, nothing written." in output
    assert "kept as they are" in output
    assert (Rating.history.count(), LoadedRecord.objects.count(), safe_rating().value) == before


def test_second_load_with_nothing_changed_writes_nothing(paths):
    with CaptureQueriesContext(connection) as queries:
        report = load_curated_fixtures(paths=paths)
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert {outcome.action for outcome in report.outcomes} == {Action.UNCHANGED}


def test_load_writes_history_with_the_load_as_reason(paths):
    assert Trust.changes.get().history_change_reason == "load_curated"
    assert set(Rating.history.values_list("history_change_reason", flat=True)) == {"load_curated"}
    assert RatingSource.history.count() == 3
    loaded = Inspection.history.get()
    assert [link.source.code for link in loaded.sources.all()] == ["ZZ-SRC-1"]
    assert [link.location.slug for link in loaded.locations.all()] == ["hillside"]


def test_rows_loaded_before_this_bookkeeping_are_adopted_unless_a_person_edited_them(paths, alice):
    edit(safe_rating(), alice, value="good")
    edit(Rating.objects.get(key_question="overall"), None, value="inadequate")  # e.g. an old raw load
    LoadedRecord.objects.all().delete()

    load_curated_fixtures(paths=paths)

    assert safe_rating().value == "good"
    assert Rating.objects.get(key_question="overall").value == "good"


@pytest.mark.usefixtures("curated_data")
def test_real_fixtures_reload_after_a_slug_rename_keeps_lpt_inspection_count():
    load_curated_fixtures()  # the bookkeeping of a first load
    lpt_count = Inspection.objects.filter(trust__provider_id="RT5").count()
    inspection = Inspection.objects.get(trust__provider_id="RT5", slug="2015-07")
    inspection.slug = "2015-07-core-services"
    inspection.save()

    load_curated_fixtures()

    assert Inspection.objects.filter(trust__provider_id="RT5").count() == lpt_count
