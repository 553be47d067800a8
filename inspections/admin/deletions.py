"""Recently deleted trusts and inspections, each with a button that puts back everything deleted with it."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from inspections.changes.deletions import RestoreError, restore_deletion
from inspections.models import Deletion


@admin.register(Deletion)
class DeletionAdmin(admin.ModelAdmin):
    """Recently deleted trusts and inspections, each with a button that puts back everything deleted with it."""

    list_display = ("label", "summary", "deleted_at", "deleted_by", "restored_at", "restore_button")
    list_filter = ("model",)
    search_fields = ("label",)
    fields = ("label", "summary", "deleted_at", "deleted_by", "restored_at", "restored_by")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_restore_permission(self, request, deletion) -> bool:
        return request.user.has_perm(f"{deletion.model.replace('.', '.add_', 1)}")

    @admin.display(description="Restore")
    def restore_button(self, deletion):
        if deletion.restored_at:
            return "restored"
        url = reverse("admin:inspections_deletion_restore", args=[deletion.pk])
        return format_html('<a class="button" href="{}">Restore…</a>', url)

    def get_urls(self):
        restore = self.admin_site.admin_view(self.restore_view)
        return [path("<int:pk>/restore/", restore, name="inspections_deletion_restore"), *super().get_urls()]

    def restore_view(self, request, pk):
        """GET asks to confirm; POST restores, or shows why it cannot."""
        deletion = get_object_or_404(Deletion, pk=pk)
        if not self.has_restore_permission(request, deletion):
            raise PermissionDenied
        if request.method == "POST":
            try:
                count = restore_deletion(deletion, user=request.user)
            except RestoreError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, f"Restored {deletion.label} and {count - 1} record(s) deleted with it.")
            return redirect("admin:inspections_deletion_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": f"Restore {deletion.label}?",
            "deletion": deletion,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/inspections/deletion/restore.html", context)
