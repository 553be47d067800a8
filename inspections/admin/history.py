"""History pages for every model admin: each change with who, when and its old and new values, and a revert."""

from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from inspections.changes.history import citation_changes, delete_with_snapshot


class ReadableChanges(HistoricalRecordContextHelper):
    """The history page's "Changes" column with choice labels ("Requires improvement"), not stored codes."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.choices and not isinstance(value, list):
            return dict(field.flatchoices).get(value, value) if value != "" else "(blank)"
        return "(blank)" if value == "" else super().prepare_delta_change_value(change, value)


class HistoryAdmin(SimpleHistoryAdmin):
    """A model admin whose history page lists each change with old and new values, and can revert to any of them."""

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record)


class CitedHistoryAdmin(HistoryAdmin):
    """The history page of a record that cites sources also lists the changes to its citations and passages."""

    object_history_template = "admin/inspections/cited_object_history.html"
    citation_model = None

    def history_view(self, request, object_id, extra_context=None):
        context = {"citation_changes": citation_changes(self.citation_model, object_id), **(extra_context or {})}
        return super().history_view(request, object_id, extra_context=context)


class RestorableDeleteAdmin(HistoryAdmin):
    """Deletes keep everything deleted with the record (see `history.delete_with_snapshot`), to restore later."""

    def delete_model(self, request, obj):
        delete_with_snapshot(obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            delete_with_snapshot(obj, user=request.user)
