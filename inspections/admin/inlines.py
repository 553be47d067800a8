"""Rows edited inside a record's admin page: an inspection's ratings, findings and statements, a trust's
locations and leaders, a record's citations with their passages; and the form that picks a record's sources."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db import models
from django.forms.models import BaseInlineFormSet

from inspections.models import (
    Finding,
    FindingSource,
    Leadership,
    Location,
    LocationMove,
    LocationRelationship,
    Rating,
    RatingSource,
    ReportDocument,
    Source,
    Statement,
    StatementSource,
)


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
    """A record's citations with their supporting passages, on the record's own page, each with its kind: the source's
    own words (shown to readers as a quote) or our note of it."""

    extra = 0
    min_num = 1  # every fact cites at least one source
    fields = ("source", "passage", "passage_kind")
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


class RatingCitationInline(CitationInline):
    model = RatingSource


class FindingCitationInline(CitationInline):
    model = FindingSource


class StatementCitationInline(CitationInline):
    model = StatementSource


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


class ReportDocumentInline(admin.TabularInline):
    model = ReportDocument
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = ("url", "kind", "origin")
    readonly_fields = ("origin",)


class LocationRelationshipInline(admin.TabularInline):
    model = LocationRelationship
    extra = 0
    fields = ("related_cqc_id", "related_name", "kind", "reason", "origin")
    readonly_fields = ("origin",)


class LocationMoveInline(admin.TabularInline):
    model = LocationMove
    extra = 0
    fields = ("from_provider_id", "from_trust_name", "to_provider_id", "noticed")
