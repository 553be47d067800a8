"""The one write plan (`changes.write_plan`): what every writer (the curated loader, the CQC import, restoring a
deletion) relies on, proved here once on plain rows: a diff against what is held, editors' work kept, links
versioned with their record, and nothing written when nothing differs."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.changes.write_plan import Kept, KeptAction, WritePlan, kept_listing
from inspections.models import Inspection, Rating, Source, Trust
from tests.factories import InspectionFactory, RatingFactory, SourceFactory, TrustFactory

pytestmark = pytest.mark.django_db
WHEN = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]


def plan(**options) -> WritePlan:
    return WritePlan(reason="test writer", when=WHEN, where="test input", theirs="ours", **options)


def test_an_update_to_the_values_held_writes_nothing():
    trust = TrustFactory()
    writer = plan()
    assert writer.update(trust, {"name": trust.name, "region": trust.region}, label="trust") is False
    with CaptureQueriesContext(connection) as queries:
        writer.write(Trust)
    assert writes(queries) == []
    assert not writer.changed


def test_an_update_writes_only_what_differs_with_a_history_record_naming_the_writer():
    trust = TrustFactory(region="")
    writer = plan()
    writer.update(trust, {"name": trust.name, "region": "Midlands"}, label="trust")
    writer.write(Trust)
    trust.refresh_from_db()
    record = trust.changes.order_by("history_id").last()
    assert (trust.region, record.history_change_reason, record.history_date) == ("Midlands", "test writer", WHEN)
    assert writer.updated["Trust"] == 1


def test_a_row_an_editor_changed_since_is_kept_and_listed_unless_forced():
    rating = RatingFactory(value="good")

    def editor_changed(model, pks):
        return dict.fromkeys(pks, "edited by alice on 2026-12-01 09:00")

    writer = plan(edited=editor_changed)
    writer.update(rating, {"value": "inadequate"}, label="inspections.rating 1")
    writer.write(Rating)
    rating.refresh_from_db()
    assert rating.value == "good"
    (kept,) = writer.kept
    assert str(kept) == (
        "test input (inspections.rating 1): edited by alice on 2026-12-01 09:00; value: database 'good', ours "
        "'inadequate'"
    )
    assert [change.obj.pk for change in writer.kept_updates[Rating]] == [rating.pk]

    forced = plan(edited=editor_changed, force=True)
    forced.update(rating, {"value": "inadequate"}, label="inspections.rating 1")
    forced.write(Rating)
    rating.refresh_from_db()
    assert (rating.value, len(forced.overridden), forced.kept) == ("inadequate", 1, [])


def test_a_records_links_are_on_its_history_and_a_change_of_links_alone_gets_a_history_record():
    inspection = InspectionFactory(sources=[SourceFactory(code="TEST-A")])
    other = SourceFactory(code="TEST-B")
    before = inspection.history.count()
    writer = plan()
    writer.link(inspection, "sources", [other.pk], replace=True)
    writer.write(Inspection)
    assert list(inspection.sources.values_list("code", flat=True)) == ["TEST-B"]
    latest = inspection.history.order_by("history_id").last()
    assert inspection.history.count() == before + 1
    assert (latest.history_change_reason, [s.source_id for s in latest.sources.all()]) == ("test writer", [other.pk])


def test_links_created_with_their_record_are_on_its_first_history_record():
    trust = TrustFactory()
    source = SourceFactory(code="TEST-C")
    inspection = Inspection(trust=trust, slug="new", title="New", summary="", inspection_type="not_given")
    writer = plan()
    writer.create(inspection)
    writer.link(inspection, "sources", [source.pk])
    writer.write(Inspection)
    (record,) = inspection.history.all()
    assert (record.history_type, [s.source_id for s in record.sources.all()]) == ("+", [source.pk])


def test_links_held_are_not_written_again():
    inspection = InspectionFactory(sources=[SourceFactory(code="TEST-D")])
    writer = plan()
    writer.link(inspection, "sources", list(inspection.sources.values_list("pk", flat=True)))
    with CaptureQueriesContext(connection) as queries:
        writer.write(Inspection)
    assert writes(queries) == []


def test_deletes_of_rows_with_history_record_the_writer():
    source = SourceFactory(code="TEST-E")
    writer = plan()
    writer.delete(source)
    writer.write(Source)
    assert not Source.objects.filter(code="TEST-E").exists()
    record = Source.history.filter(code="TEST-E").order_by("history_id").last()
    assert (record.history_type, record.history_change_reason, writer.deleted["Source"]) == ("-", "test writer", 1)


def test_the_listing_of_kept_records_counts_those_deleted_with_their_parent():
    kept = [
        Kept("provider ZZ1", "inspections.inspection ZZ1 a", KeptAction.DELETED, "deleted by alice on 2026-12-01"),
        Kept("provider ZZ1", "inspections.rating ZZ1 a safe trust", KeptAction.DELETED, with_parent=True),
    ]
    assert kept_listing(kept, written="imported", theirs="CQC's data", force=False, verbosity=1) == [
        "2 record(s) changed in the admin since they were imported, kept as they are; run with --force to overwrite "
        "them with CQC's data:",
        "  deleted since imported: provider ZZ1 (inspections.inspection ZZ1 a): deleted by alice on 2026-12-01",
        "  and 1 record(s) deleted with those (listed with -v 2)",
    ]
