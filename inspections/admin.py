"""Admin for data editors: inspections with their ratings, findings and statements inline.

Impossible edits are refused as form errors: model `clean()` checks cross-row rules and
Django validates the named database constraints before saving. Every model admin keeps a
history page listing each change (who, when, old and new values) with a revert; deleting a
trust or an inspection can be undone from "Recently deleted" (see `history`).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.functions import ExtractYear
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from inspections.changes.history import RestoreError, citation_changes, delete_with_snapshot, restore_deletion
from inspections.models import (
    CoreService,
    Deletion,
    Finding,
    FindingSource,
    Inspection,
    Leadership,
    Location,
    Person,
    Rating,
    RatingSource,
    Source,
    Statement,
    StatementSource,
    Trust,
)

#: Addresses typed without a scheme are read as https (Django 6's default, chosen now).
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


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


class PublishedYearFilter(admin.SimpleListFilter):
    title = "year published"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (
            Inspection.objects.exclude(published=None)
            .annotate(year=ExtractYear("published"))
            .values_list("year", flat=True)
            .distinct()
            .order_by("-year")
        )
        return [(str(year), str(year)) for year in years] + [("none", "Not known")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(published=None)
        if value and value.isdigit() and 1 <= int(value) <= 9999:
            return queryset.filter(published__year=int(value))
        return queryset  # anything else (a hand-edited URL) shows every inspection rather than failing


class RatingFormSet(BaseInlineFormSet):
    """Refuses two ratings of one key question and level in a single save.

    The database's unique constraints are conditional, and Django validates those one form at
    a time against saved rows only, so two new duplicate rows would otherwise reach the database.
    """

    def clean(self):
        super().clean()
        first_row = {}
        for row, form in enumerate(self.forms, start=1):
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("key_question"):
                continue
            service, location = data.get("service"), data.get("location")
            key = (data["key_question"], data.get("scope"), service and service.pk, location and location.pk)
            if key in first_row:
                message = f"Rating row {first_row[key]} already rates this key question at this level; keep one."
                form.add_error("key_question", message)
            else:
                first_row[key] = row


class CitedSourcesForm(forms.ModelForm):
    """A record that must cite sources: pick them here; the passage of each citation is edited on the record's page.

    `sources` runs through a citation table that holds passages, which the admin cannot show as a plain field,
    so the form carries the choice as `cited_sources`. Citations kept keep their passages; new ones start empty.
    """

    cited_sources = forms.ModelMultipleChoiceField(
        queryset=Source.objects.all(),
        label="Sources",
        help_text="Every fact cites at least one source. Add the supporting passage on the record's own page.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        form_field = self.fields["cited_sources"]
        form_field.widget = AutocompleteSelectMultiple(self._meta.model._meta.get_field("sources"), admin.site)
        form_field.widget.choices = form_field.choices  # a widget set after the field is made has no choices yet
        if self.instance.pk:  # the rows' sources are prefetched by CitingInline / the admin's queryset
            self.initial.setdefault("cited_sources", [source.pk for source in self.instance.sources.all()])

    def _save_m2m(self):
        super()._save_m2m()
        self.instance.sources.set(self.cleaned_data["cited_sources"])


class CitingInline:
    """Inline rows fetched with what their form shows, so each row does not query its own sources."""

    form = CitedSourcesForm
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.related).prefetch_related("sources")


class CitationInline(admin.TabularInline):
    """A record's citations with their supporting passages, on the record's own page."""

    extra = 0
    min_num = 1  # every fact cites at least one source
    fields = ("source", "passage")
    autocomplete_fields = ("source",)

    def get_formset(self, request, obj=None, **kwargs):
        # The admin shows min_num blank rows but does not enforce them; deleting the last citation must fail.
        return super().get_formset(request, obj, validate_min=True, **kwargs)


class RatingInline(CitingInline, admin.TabularInline):
    model = Rating
    formset = RatingFormSet
    related = ("service", "location")
    extra = 0
    fields = ("key_question", "scope", "service", "location", "value", "previous_value", "note", "cited_sources")
    autocomplete_fields = ("service", "location")


class FindingInline(CitingInline, admin.StackedInline):
    model = Finding
    related = ("service", "location")
    extra = 0
    fields = (("ref", "kind", "theme"), ("service", "location"), "summary", "cited_sources")
    autocomplete_fields = ("service", "location")


class StatementInline(CitingInline, admin.StackedInline):
    model = Statement
    related = ("person",)
    extra = 0
    fields = (("ref", "person"), ("role", "organisation"), "summary", "cited_sources")
    autocomplete_fields = ("person",)


class InspectionAdminForm(forms.ModelForm):
    class Meta:
        model = Inspection
        fields = ("trust", "locations")  # the fields this form checks; the admin's fieldsets choose what it shows

    def clean(self):
        cleaned = super().clean()
        trust, locations = cleaned.get("trust"), cleaned.get("locations")
        if trust and locations:
            others = [location.name for location in locations if location.trust_id != trust.pk]
            if others:
                self.add_error("locations", f"These locations belong to another trust: {', '.join(others)}.")
        return cleaned


@admin.register(Inspection)
class InspectionAdmin(RestorableDeleteAdmin):
    form = InspectionAdminForm
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    readonly_fields = ("origin",)
    list_display = ("title", "trust", "published", "published_precision", "inspection_type")
    list_filter = ("trust", PublishedYearFilter, "inspection_type")
    search_fields = ("title", "slug", "scope", "summary", "trust__name", "trust__provider_id")
    autocomplete_fields = ("trust", "services", "locations", "sources")
    list_select_related = ("trust",)
    inlines = (RatingInline, FindingInline, StatementInline)
    fieldsets = (
        (None, {"fields": ("trust", "slug", "title", ("inspection_type", "notice"))}),
        ("Dates", {"fields": (("visit_start", "visit_start_precision"), ("visit_end", "visit_end_precision"),
                              ("published", "published_precision"))}),
        ("Content", {"fields": ("scope", "services", "locations", "summary", "discrepancy_note", "sources")}),
        ("CQC report", {"fields": ("report_url", "cqc_report_link_id", "origin")}),
        ("For editors only", {"fields": ("editor_note",)}),
    )  # fmt: skip


class RatingCitationInline(CitationInline):
    model = RatingSource


class FindingCitationInline(CitationInline):
    model = FindingSource


class StatementCitationInline(CitationInline):
    model = StatementSource


@admin.register(Rating)
class RatingAdmin(CitedHistoryAdmin):
    citation_model = RatingSource
    list_display = ("inspection", "scope", "service", "location", "key_question", "value", "previous_value")
    list_filter = ("inspection__trust", "scope", "key_question", "value")
    search_fields = ("inspection__title", "service__name", "location__name", "note")
    autocomplete_fields = ("inspection", "service", "location")
    list_select_related = ("inspection__trust", "service", "location")
    fields = (
        "inspection", ("key_question", "scope"), ("service", "location"), ("value", "previous_value"), "note",
        "editor_note", "origin",
    )  # fmt: skip
    readonly_fields = ("origin",)
    inlines = (RatingCitationInline,)


@admin.register(Finding)
class FindingAdmin(CitedHistoryAdmin):
    citation_model = FindingSource
    list_display = ("inspection", "kind", "theme", "summary")
    list_filter = ("inspection__trust", "kind", "theme")
    search_fields = ("summary", "inspection__title")
    autocomplete_fields = ("inspection", "service", "location")
    list_select_related = ("inspection__trust",)
    inlines = (FindingCitationInline,)


@admin.register(Statement)
class StatementAdmin(CitedHistoryAdmin):
    citation_model = StatementSource
    list_display = ("inspection", "person", "role", "summary")
    list_filter = ("inspection__trust",)
    search_fields = ("summary", "person__name", "inspection__title")
    autocomplete_fields = ("inspection", "person")
    list_select_related = ("inspection__trust", "person")
    inlines = (StatementCitationInline,)


class LocationInline(admin.TabularInline):
    model = Location
    extra = 0
    fields = ("name", "slug", "cqc_location_id", "town", "postcode", "description", "editor_note", "sources")
    autocomplete_fields = ("sources",)


class LeadershipInline(admin.TabularInline):
    model = Leadership
    extra = 0
    fields = ("person", "role", "first_stated_year", "last_stated_year", "note", "editor_note", "sources")
    autocomplete_fields = ("person", "sources")


@admin.register(Trust)
class TrustAdmin(RestorableDeleteAdmin):
    list_display = ("name", "provider_id", "kind", "region", "origin")
    list_filter = ("kind", "origin", "region")
    search_fields = ("name", "provider_id", "short_name")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("sources",)
    inlines = (LocationInline, LeadershipInline)


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ("code", "kind", "publisher", "title", "published", "is_seed")
    list_filter = ("kind", "origin", "publisher")
    search_fields = ("code", "title", "publisher", "url")

    @admin.display(boolean=True, description="Starting article")
    def is_seed(self, source):
        return source.is_seed


@admin.register(Location)
class LocationAdmin(HistoryAdmin):
    list_display = ("name", "trust", "cqc_location_id")
    list_filter = ("trust",)
    search_fields = ("name", "cqc_location_id")
    autocomplete_fields = ("trust", "sources")


@admin.register(CoreService)
class CoreServiceAdmin(HistoryAdmin):
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


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
