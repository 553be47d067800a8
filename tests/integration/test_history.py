"""Every admin change is on the record with old and new values and can be reverted; deletions can be undone."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from inspections.changes.deletions import RestoreError, restore_deletion
from inspections.changes.edits import edited_since
from inspections.domain.codes import Scope
from inspections.models import (
    Deletion,
    Finding,
    Inspection,
    Location,
    Rating,
    RatingSource,
    Source,
    Statement,
    StatementSource,
    Trust,
)
from tests.admin_forms import rating_fields
from tests.factories import (
    FindingFactory,
    InspectionFactory,
    LocationFactory,
    RatingFactory,
    SourceFactory,
    StatementFactory,
    TrustFactory,
)

pytestmark = pytest.mark.django_db


def test_admin_edit_is_recorded_with_user_and_old_and_new_values(editor_client):
    rating = RatingFactory(value="requires_improvement")
    change_url = reverse("admin:inspections_rating_change", args=[rating.pk])

    assert editor_client.post(change_url, rating_fields(rating, value="good")).status_code == 302

    latest = rating.history.first()
    assert (latest.history_user.username, latest.history_type, latest.value) == ("editor", "~", "good")
    page = editor_client.get(reverse("admin:inspections_rating_history", args=[rating.pk]))
    assert page.status_code == 200
    changes = page.context["page_obj"][0].history_delta_changes
    assert changes == [{"field": "Rating", "old": "Requires improvement", "new": "Good"}]
    assert "Requires improvement" in page.text
    assert "editor" in page.text


def test_passage_edit_shows_on_the_rating_history_page(editor_client):
    rating = RatingFactory(sources=[SourceFactory(code="ZZ-CITED")])
    change_url = reverse("admin:inspections_rating_change", args=[rating.pk])
    data = rating_fields(rating, **{"citations-0-passage": "A corrected made-up passage."})

    assert editor_client.post(change_url, data).status_code == 302

    page = editor_client.get(reverse("admin:inspections_rating_history", args=[rating.pk]))
    change = page.context["citation_changes"][0]
    assert (change["user"].username, change["action"], change["source"]) == ("editor", "Changed", "ZZ-CITED")
    assert (change["old"], change["new"]) == ("", "A corrected made-up passage.")
    assert "A corrected made-up passage." in page.text


def test_an_edit_saved_in_the_admin_is_named_edited_in_the_admin(editor_client):
    rating = RatingFactory(value="requires_improvement", sources=[SourceFactory(code="ZZ-CITED")])
    change_url = reverse("admin:inspections_rating_change", args=[rating.pk])
    data = rating_fields(rating, value="good", **{"citations-0-passage": "A made-up passage."})

    assert editor_client.post(change_url, data).status_code == 302

    assert rating.history.first().history_change_reason == "Edited in the admin"
    assert RatingSource.history.first().history_change_reason == "Edited in the admin"  # its citation too
    page = editor_client.get(reverse("admin:inspections_rating_history", args=[rating.pk]))
    assert [record.history_change_reason for record in page.context["page_obj"]] == ["Edited in the admin", ""]
    assert page.context["citation_changes"][0]["reason"] == "Edited in the admin"


def test_entries_without_a_reason_show_none_rather_than_the_word_none(editor_client):
    """Entries written before reasons were kept: by an editor, "Edited in the admin"; by no one, nothing."""
    rating = RatingFactory()  # by no one, with no reason (as a script would)
    rating.value, rating._history_user = "good", get_user_model().objects.get(username="editor")
    rating.save()  # outside a request: an editor's entry with no reason, as the admin wrote them before
    page = editor_client.get(reverse("admin:inspections_rating_history", args=[rating.pk]))
    assert [record.history_change_reason for record in page.context["page_obj"]] == ["Edited in the admin", ""]


def test_a_command_keeps_its_own_reason(editor_client):
    rating = RatingFactory()
    rating._change_reason = "load_curated"
    rating.save()
    assert rating.history.first().history_change_reason == "load_curated"


def test_revert_from_history_puts_the_old_value_back(editor_client):
    rating = RatingFactory(value="requires_improvement")
    change_url = reverse("admin:inspections_rating_change", args=[rating.pk])
    editor_client.post(change_url, rating_fields(rating, value="good"))
    original = rating.history.earliest()
    revert_url = reverse("admin:inspections_rating_simple_history", args=[rating.pk, original.history_id])

    assert editor_client.get(revert_url).status_code == 200
    response = editor_client.post(revert_url, rating_fields(original.instance))

    assert response.status_code == 302
    rating.refresh_from_db()
    assert rating.value == "requires_improvement"
    assert rating.history.count() == 3  # created, edited, reverted: each on the record


def test_inspection_can_be_reverted_from_its_history(editor_client):
    inspection = InspectionFactory(title="First title")
    inspection.title = "Second title"
    inspection.save()
    original = inspection.history.earliest()
    revert_url = reverse("admin:inspections_inspection_simple_history", args=[inspection.pk, original.history_id])
    form = editor_client.get(revert_url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}

    assert editor_client.post(revert_url, data).status_code == 302
    inspection.refresh_from_db()
    assert inspection.title == "First title"


def test_link_changes_are_on_the_history_page_with_old_and_new_sources(editor_client):
    inspection = InspectionFactory(sources=[SourceFactory(code="ZZ-KEEP"), SourceFactory(code="ZZ-DROP")])
    inspection.sources.remove(Source.objects.get(code="ZZ-DROP"))

    page = editor_client.get(reverse("admin:inspections_inspection_history", args=[inspection.pk]))

    change = next(c for c in page.context["page_obj"][0].history_delta_changes if c["field"] == "Sources")
    assert "ZZ-DROP" in change["old"]
    assert "ZZ-DROP" not in change["new"]
    assert "ZZ-KEEP" in change["new"]


def test_trust_history_page_lists_changes_from_its_changes_manager(editor_client):
    trust = TrustFactory()
    trust.region = "Midlands"
    trust.save()
    page = editor_client.get(reverse("admin:inspections_trust_history", args=[trust.pk]))
    assert page.context["page_obj"][0].history_delta_changes == [
        {"field": "Region", "old": "(blank)", "new": "Midlands"}
    ]


def inspection_with_everything():
    location = LocationFactory(trust__provider_id="X9A", trust__slug="fictional-valley")
    inspection = InspectionFactory(
        trust=location.trust, sources=[SourceFactory(code="ZZ-A"), SourceFactory(code="ZZ-B")]
    )
    inspection.locations.set([location])
    rating = RatingFactory(inspection=inspection, scope=Scope.LOCATION, location=location)
    RatingSource.objects.filter(rating=rating).update(passage="A made-up passage.")
    FindingFactory(inspection=inspection)
    StatementFactory(inspection=inspection)
    return inspection


def test_deleted_inspection_is_restored_with_everything_deleted_with_it(editor_client):
    inspection = inspection_with_everything()
    before = {
        "ratings": list(Rating.objects.values()),
        "findings": list(Finding.objects.values()),
        "statements": list(Statement.objects.values()),
        "citations": list(RatingSource.objects.values()) + list(StatementSource.objects.values()),
        "sources": sorted(inspection.sources.values_list("code", flat=True)),
        "locations": list(inspection.locations.values_list("pk", flat=True)),
    }
    delete_url = reverse("admin:inspections_inspection_delete", args=[inspection.pk])

    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Inspection.objects.exists()
    assert (Rating.objects.count(), Finding.objects.count(), Statement.objects.count()) == (0, 0, 0)
    deletion = Deletion.objects.get()
    assert deletion.deleted_by.username == "editor"
    listing = editor_client.get(reverse("admin:inspections_deletion_changelist"))
    assert "Restore…" in listing.text
    assert deletion.label in listing.text

    restore_url = reverse("admin:inspections_deletion_restore", args=[deletion.pk])
    assert editor_client.get(restore_url).status_code == 200
    assert editor_client.post(restore_url).status_code == 302

    restored = Inspection.objects.get(pk=inspection.pk)
    assert {
        "ratings": list(Rating.objects.values()),
        "findings": list(Finding.objects.values()),
        "statements": list(Statement.objects.values()),
        "citations": list(RatingSource.objects.values()) + list(StatementSource.objects.values()),
        "sources": sorted(restored.sources.values_list("code", flat=True)),
        "locations": list(restored.locations.values_list("pk", flat=True)),
    } == before
    record = restored.history.first()
    assert record.history_change_reason.startswith("restored")
    assert record.history_user.username == "editor"
    deletion.refresh_from_db()
    assert deletion.restored_at is not None


def test_deleted_trust_with_location_ratings_is_restored(editor_client):
    inspection = inspection_with_everything()
    trust = inspection.trust
    delete_url = reverse("admin:inspections_trust_delete", args=[trust.pk])

    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Trust.objects.exists()
    assert not Location.objects.exists()

    restore_deletion(Deletion.objects.get())

    assert Trust.objects.get().provider_id == "X9A"
    assert Rating.objects.get().location == Location.objects.get()


def test_restore_is_refused_when_a_new_record_has_taken_its_place(editor_client):
    inspection = inspection_with_everything()
    editor_client.post(reverse("admin:inspections_inspection_delete", args=[inspection.pk]), {"post": "yes"})
    InspectionFactory(trust=Trust.objects.get(), slug=inspection.slug)
    deletion = Deletion.objects.get()

    with pytest.raises(RestoreError, match="cannot be restored"):
        restore_deletion(deletion)
    response = editor_client.post(reverse("admin:inspections_deletion_restore", args=[deletion.pk]), follow=True)

    assert "cannot be restored" in response.text
    assert Inspection.objects.count() == 1
    assert not Rating.objects.exists()
    deletion.refresh_from_db()
    assert deletion.restored_at is None


def test_restoring_twice_is_refused():
    inspection = inspection_with_everything()
    from inspections.changes.deletions import delete_with_snapshot

    deletion = delete_with_snapshot(inspection)
    restore_deletion(deletion)
    with pytest.raises(RestoreError, match="already restored"):
        restore_deletion(deletion)


def test_edited_since_load_names_rows_someone_else_changed(editor_client):
    kept, edited = RatingFactory(inspection__slug="a"), RatingFactory(inspection__slug="b")
    for rating in (kept, edited):
        rating._change_reason = "import_cqc"
        rating.save()
    response = editor_client.post(
        reverse("admin:inspections_rating_change", args=[edited.pk]), rating_fields(edited, value="good")
    )
    assert response.status_code == 302

    assert edited_since(Rating, [kept.pk, edited.pk], reason="import_cqc") == {edited.pk}
