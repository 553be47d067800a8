"""History pages for every model admin: each change with who, when, why and its old and new values, and a revert.

django-simple-history gives the pages; here they read choice labels, refuse addresses that cannot name a record
(404, not a 500 from inside the library), and name the change reason of an edit saved in the admin.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_history_model_for_model

from inspections.changes.deletions import delete_with_snapshot
from inspections.changes.edits import citation_changes

#: The change reason of every history record written by a save, delete or revert in the admin.
ADMIN_EDIT_REASON = "Edited in the admin"


@receiver(pre_create_historical_record)
def _name_admin_edits(sender, history_instance, **kwargs):
    """An edit saved in the admin (the record, its inline rows, its citations) says so; commands give their own."""
    request = getattr(HistoricalRecords.context, "request", None)
    if history_instance.history_change_reason or request is None:
        return
    if request.resolver_match and request.resolver_match.namespace == admin.site.name:
        history_instance.history_change_reason = ADMIN_EDIT_REASON


def parsed_id(model, raw: str) -> str:
    """`raw` as the model's primary key would store it, by the field's own parsing and range; else 404.

    The history views pass ids straight to the database, so "abc", "²" or a number past the column's range
    were a 500 from inside django-simple-history.
    """
    field = model._meta.pk
    try:
        return str(field.clean(unquote(raw), None))
    except ValidationError:
        raise Http404(f"No {model._meta.verbose_name} has the id {raw!r}.") from None


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

    def history_view(self, request, object_id, extra_context=None):
        return super().history_view(request, parsed_id(self.model, object_id), extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        object_id = parsed_id(self.model, object_id)
        version_id = parsed_id(get_history_model_for_model(self.model), version_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def set_history_delta_changes(self, request, page_obj, *args, **kwargs):
        """Entries written before change reasons were kept show none rather than "None"; an entry with an
        editor and no reason can only have come from the admin."""
        super().set_history_delta_changes(request, page_obj, *args, **kwargs)
        for record in page_obj:
            if not record.history_change_reason:
                record.history_change_reason = ADMIN_EDIT_REASON if record.history_user_id else ""


class CitedHistoryAdmin(HistoryAdmin):
    """The history page of a record that cites sources also lists the changes to its citations and passages."""

    object_history_template = "admin/inspections/cited_object_history.html"
    citation_model = None

    def history_view(self, request, object_id, extra_context=None):
        object_id = parsed_id(self.model, object_id)
        context = {"citation_changes": citation_changes(self.citation_model, object_id), **(extra_context or {})}
        return super().history_view(request, object_id, extra_context=context)


class RestorableDeleteAdmin(HistoryAdmin):
    """Deletes keep everything deleted with the record (see `history.delete_with_snapshot`), to restore later."""

    def delete_model(self, request, obj):
        delete_with_snapshot(obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            delete_with_snapshot(obj, user=request.user)
