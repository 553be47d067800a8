"""The admins of the record's models: trusts, inspections, ratings, findings, statements, sources, locations,
core services and people. Each keeps its history (`change_history`); trusts and inspections delete restorably."""

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import ExtractYear

from inspections.admin.change_history import CitedHistoryAdmin, HistoryAdmin, RestorableDeleteAdmin
from inspections.admin.inlines import (
    FindingCitationInline,
    FindingInline,
    LeadershipInline,
    LocationInline,
    LocationMoveInline,
    LocationRelationshipInline,
    RatingCitationInline,
    RatingInline,
    ReportDocumentInline,
    StatementCitationInline,
    StatementInline,
)
from inspections.models import (
    CoreService,
    Finding,
    FindingSource,
    Inspection,
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


class PublishedYearFilter(admin.SimpleListFilter):
    title = "year published"
    parameter_name = "year"
    year_field = forms.IntegerField(min_value=1, max_value=9999)  # parses "٢٠١٩" as 2019, refuses "²"

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
        if not value:
            return queryset
        if value == "none":
            return queryset.filter(published=None)
        try:
            return queryset.filter(published__year=self.year_field.clean(value))
        except ValidationError as error:  # Django's admin answers this as it does any unusable filter: "?e=1"
            raise IncorrectLookupParameters(error) from None


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
    inlines = (RatingInline, FindingInline, StatementInline, ReportDocumentInline)
    fieldsets = (
        (None, {"fields": ("trust", "slug", "title", ("inspection_type", "notice"))}),
        (
            "Dates",
            {
                "fields": (
                    ("visit_start", "visit_start_precision"),
                    ("visit_end", "visit_end_precision"),
                    ("published", "published_precision"),
                )
            },
        ),
        ("Content", {"fields": ("scope", "services", "locations", "summary", "discrepancy_note", "sources")}),
        ("CQC report", {"fields": ("report_url", "cqc_report_link_id", "origin")}),
        ("For editors only", {"fields": ("editor_note",)}),
    )


@admin.register(Rating)
class RatingAdmin(CitedHistoryAdmin):
    citation_model = RatingSource
    list_display = ("inspection", "rated", "value", "previous_value")
    list_filter = ("inspection__trust", "scope", "key_question", "value")
    search_fields = ("inspection__title", "service__name", "location__name", "note")
    autocomplete_fields = ("inspection", "service", "location")
    list_select_related = ("inspection__trust", "service", "location")
    fields = (
        "inspection",
        ("key_question", "scope"),
        ("service", "location"),
        ("value", "previous_value"),
        "note",
        "editor_note",
        "origin",
    )
    readonly_fields = ("origin",)
    inlines = (RatingCitationInline,)

    @admin.display(description="What is rated", ordering="key_question")
    def rated(self, rating):
        """ "Caring: Glenfield Hospital": one column where four were (key question, scope, service, location),
        most of them empty, so the list fits a phone with the rating beside it."""
        return f"{rating.get_key_question_display()}: {rating.subject_name}"


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
    list_display = ("name", "trust", "cqc_location_id", "registration_status")
    list_filter = ("trust", "registration_status")
    search_fields = ("name", "cqc_location_id")
    autocomplete_fields = ("trust", "sources")
    inlines = (LocationRelationshipInline, LocationMoveInline)


@admin.register(CoreService)
class CoreServiceAdmin(HistoryAdmin):
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
