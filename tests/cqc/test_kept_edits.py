"""Imports keep editors' work: an imported record changed or deleted in the admin is kept and listed, with what CQC's
data now says beside it; --force overwrites after listing; deletions can still be restored after an import."""

import io
import json
import re
import shutil

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.changes.deletions import delete_with_snapshot, restore_deletion
from inspections.models import Deletion, Disagreement, Inspection, Rating, Trust
from tests.cqc.conftest import SAMPLE, link
from tests.cqc.conftest import run as import_cqc

WHEN = r"\d{4}-\d\d-\d\d \d\d:\d\d"

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return get_user_model().objects.create_user("alice")


def import_sample(*args) -> str:
    """The sample imported again (with `args`): what the command said on stdout."""
    return import_cqc("--from-dir", str(SAMPLE), *args)[0]


def safe_2025() -> Rating:
    return Rating.objects.get(inspection__cqc_report_link_id=link(104), scope="trust", key_question="safe")


def edit(instance, user, **values):
    """As the admin saves a change: the editor is the history record's user."""
    for name, value in values.items():
        setattr(instance, name, value)
    instance._history_user = user
    instance.save()


def test_an_edited_rating_is_kept_listed_and_disagrees(imported, alice):
    edit(safe_2025(), alice, value="outstanding")
    out = import_sample()
    assert "1 record(s) changed in the admin since they were imported, kept as they are; run with --force to " \
           "overwrite them with CQC's data:" in out  # fmt: skip
    assert re.search(
        rf"  edited since imported: provider ZZ1 \(inspections.rating ZZ1 2025-11-20-00000104 safe trust\): "
        rf"edited by alice on {WHEN}; value: database 'outstanding', CQC 'good'", out
    )  # fmt: skip
    assert "Records 1 kept: edited since imported." in out
    assert safe_2025().value == "outstanding"
    (disagreement,) = Disagreement.objects.all()
    assert (disagreement.rating, disagreement.source.code, disagreement.value) == (safe_2025(), "CQC-API-ZZ1", "good")

    with CaptureQueriesContext(connection) as queries:
        again = import_sample()
    assert "edited since imported" in again
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].startswith(("INSERT", "UPDATE", "DELETE")) and "refreshrun" not in q["sql"]]  # fmt: skip
    assert writes == []


def test_force_overwrites_an_edit_after_listing_it(imported, alice):
    edit(safe_2025(), alice, value="outstanding")
    import_sample()
    out = import_sample("--force")
    assert "1 record(s) changed in the admin since they were imported, overwritten by --force:" in out
    assert "edited since imported: provider ZZ1 (inspections.rating ZZ1 2025-11-20-00000104 safe trust)" in out
    assert safe_2025().value == "good"
    assert not Disagreement.objects.exists()
    latest = safe_2025().history.order_by("history_id").last()
    assert (latest.history_type, latest.history_user, latest.value) == ("~", None, "good")
    assert latest.history_change_reason.startswith("import_cqc: snapshot")


def test_edits_to_a_trust_and_a_report_are_kept(imported, alice):
    edit(Trust.objects.get(provider_id="ZZ1"), alice, name="Fictional Valley NHS Trust (editor's name)")
    inspection = Inspection.objects.get(cqc_report_link_id=link(113))
    edit(inspection, alice, title="An editor's title")
    out = import_sample()  # the same snapshot: without the editors' changes kept, it would set both back
    assert Trust.objects.get(provider_id="ZZ1").name == "Fictional Valley NHS Trust (editor's name)"
    assert Inspection.objects.get(pk=inspection.pk).title == "An editor's title"
    assert "name: database \"Fictional Valley NHS Trust (editor's name)\", CQC 'Fictional Valley NHS Trust'" in out
    assert "title: database \"An editor's title\", CQC 'CQC report on Fictional Valley General Hospital, " in out


def test_a_deleted_inspection_is_not_brought_back_and_can_still_be_restored(imported, alice):
    inspection = Inspection.objects.get(cqc_report_link_id=link(113))
    ratings = inspection.ratings.count()
    deletion = delete_with_snapshot(inspection, user=alice)
    out = import_sample()
    assert re.search(
        rf"  deleted since imported: provider ZZ1 \(inspections.inspection ZZ1 2023-09-14-00000113\): "
        rf"deleted by alice on {WHEN}", out
    )  # fmt: skip
    assert f"  and {ratings} record(s) deleted with those (listed with -v 2)" in out
    assert not Inspection.objects.filter(cqc_report_link_id=link(113)).exists()

    assert restore_deletion(deletion, user=alice) > ratings
    restored = Inspection.objects.get(cqc_report_link_id=link(113))
    assert restored.ratings.count() == ratings
    assert "kept" not in import_sample()


def test_a_rating_deleted_singly_is_not_brought_back(imported, alice):
    rating = safe_2025()
    rating._history_user = alice
    rating.delete()
    out = import_sample()
    assert re.search(
        rf"deleted since imported: provider ZZ1 \(inspections.rating ZZ1 2025-11-20-00000104 safe trust\): "
        rf"deleted by alice on {WHEN}", out
    )  # fmt: skip
    assert not Rating.objects.filter(inspection__cqc_report_link_id=link(104), key_question="safe").exists()
    import_sample("--force")
    assert safe_2025().value == "good"


def test_a_deleted_trust_is_not_brought_back_unless_forced(imported, alice):
    delete_with_snapshot(Trust.objects.get(provider_id="ZZ1"), user=alice)
    out = import_sample()
    assert re.search(
        rf"deleted since imported: provider ZZ1 \(inspections.trust ZZ1\): deleted by alice on {WHEN}", out
    )
    assert list(Trust.objects.values_list("provider_id", flat=True)) == ["ZZ2"]
    out = import_sample("--force")
    assert "overwritten by --force" in out
    assert Trust.objects.filter(provider_id="ZZ1").exists()
    with pytest.raises(Exception, match="cannot be restored"):
        restore_deletion(Deletion.objects.get())


def test_rows_imported_before_runs_were_named_still_follow_cqc(imported, tmp_path):
    """Imports before this one wrote "Imported from CQC's public API"; such rows are not editors' work."""
    rating = safe_2025()
    rating.history.update(history_change_reason="Imported from CQC's public API")
    sample = tmp_path / "snap"
    shutil.copytree(SAMPLE, sample)
    body = json.loads((sample / "providers" / "ZZ1.json").read_text())
    body["currentRatings"]["overall"]["keyQuestionRatings"][0]["rating"] = "Outstanding"
    (sample / "providers" / "ZZ1.json").write_text(json.dumps(body))
    out = io.StringIO()
    call_command("import_cqc", "--from-dir", str(sample), stdout=out, stderr=io.StringIO())
    assert "kept" not in out.getvalue()
    assert safe_2025().value == "outstanding"
