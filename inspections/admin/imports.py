"""What the CQC import keeps beside the record: each run, the parts of CQC's data a run could not read, and the
newer assessments with their scores. Editors read them here; the import writes them."""

from django.contrib import admin

from inspections.admin.change_history import HistoryAdmin
from inspections.models import Assessment, AssessmentScore, ImportProblem, RefreshRun


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the import writes and replaces: shown, never edited by hand (an edit would be gone at the next run)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RefreshRun)
class RefreshRunAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "mode", "succeeded", "providers_listed", "providers_imported", "failures")
    list_filter = ("mode", "succeeded")
    date_hierarchy = "started_at"


@admin.register(ImportProblem)
class ImportProblemAdmin(ReadOnlyAdmin):
    list_display = ("trust", "record", "field", "value", "message", "seen")
    list_filter = ("trust",)
    search_fields = ("record", "field", "value", "message", "trust__name", "trust__provider_id")
    list_select_related = ("trust",)


class AssessmentScoreInline(admin.TabularInline):
    model = AssessmentScore
    extra = 0
    fields = ("key_question", "rating", "percentage")


@admin.register(Assessment)
class AssessmentAdmin(HistoryAdmin):
    list_display = ("title", "trust", "location", "assessed", "rating")
    list_filter = ("trust", "rating")
    search_fields = ("title", "group_name", "plan_id", "trust__name", "location__name")
    autocomplete_fields = ("trust", "location", "source")
    list_select_related = ("trust", "location")
    readonly_fields = ("origin",)
    inlines = (AssessmentScoreInline,)
