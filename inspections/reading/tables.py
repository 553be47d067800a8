"""django-tables2 tables: the trust list, a location's inspections, an inspection's ratings, sources.

The trust page's inspections are a plain table in its template: nothing there sorts.
"""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from inspections.domain.dates import format_partial_date
from inspections.models import Inspection, Rating, RatingValue, Source, Trust


def rating_badge(value: str) -> str:
    """A rating word in its colour; the word itself carries the meaning, colour only repeats it.

    Built here rather than from a template: the trust list draws one per row, and a template render
    costs more than the rest of the row.
    """
    return format_html('<span class="rating rating--{}">{}</span>', value, RatingValue(value).label)


def _where(town: str, postcode: str) -> str:
    """' <span class="where">Town, POSTCODE</span>', or '' when neither is held."""
    place = ", ".join(part for part in (town, postcode) if part)
    return format_html(' <span class="where">{}</span>', place) if place else ""


class TrustTable(tables.Table):
    name = tables.Column(verbose_name="Trust")  # render_name links it
    provider_id = tables.Column(verbose_name="Provider id")
    kind = tables.Column(verbose_name="Kind of trust")
    current_overall = tables.Column(
        verbose_name="Current overall rating", order_by=("current_overall_position", "name"), empty_values=()
    )
    last_published = tables.Column(verbose_name="Last report published", empty_values=())
    inspection_count = tables.Column(verbose_name="Inspections")
    compare = tables.Column(verbose_name="Compare", empty_values=(), orderable=False)

    class Meta:
        model = Trust
        fields = ("name", "provider_id", "kind", "current_overall", "last_published", "inspection_count", "compare")
        order_by = ("name",)
        attrs = {"class": "data-table trust-table"}
        caption = "NHS trusts, their current overall CQC rating and inspection history"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.matched_locations = {}  # trust id -> locations a search matched, set by the view after paginating

    def row_cells(self, record) -> list:
        """The row's cells in column order, from the render methods below (see templatetags/table_rows.py)."""
        cell = {
            "name": lambda: self.render_name(record, record.name),
            "provider_id": lambda: record.provider_id,
            "kind": record.get_kind_display,
            "current_overall": lambda: self.render_current_overall(record),
            "last_published": lambda: self.render_last_published(record),
            "inspection_count": lambda: record.inspection_count,
            "compare": lambda: self.render_compare(record),
        }
        return [cell[column.name]() for column in self.columns]

    def render_name(self, record, value):
        """The trust, and under it the hospitals and sites a search matched (written here, not by a template:
        a search can list sites under every row of the page)."""
        link = format_html('<a href="{}">{}</a>', record.get_absolute_url(), value)
        locations = self.matched_locations.get(record.pk)
        if not locations:
            return link
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a>{}</li>',
            (
                (location.get_absolute_url(), location.name, _where(location.town, location.postcode))
                for location in locations
            ),
        )
        return format_html(
            '{}\n<span class="matched-lead">Matching hospitals and sites:</span>'
            '\n<ul class="matched-locations">{}</ul>',
            link,
            items,
        )

    def render_compare(self, record):
        """A tick box in the page's compare form (joined by the form attribute, as forms cannot nest)."""
        return format_html(
            '<input type="checkbox" name="trust" value="{}" form="compare-form" aria-label="Compare {}">',
            record.slug,
            record.name,
        )

    def render_current_overall(self, record):
        if not record.current_overall:
            return "Not published in our sources"
        when = format_partial_date(record.current_overall_published, record.current_overall_precision)
        return format_html("{} <span class='set-date'>set {}</span>", rating_badge(record.current_overall), when)

    def render_last_published(self, record):
        return format_partial_date(record.last_published, record.last_published_precision) or "Not known"

    def order_last_published(self, queryset, is_descending):
        return queryset.order_by(("-" if is_descending else "") + "last_published", "name"), True


class LocationInspectionTable(tables.Table):
    """Reports that rated or covered one location, with CQC's own report where its address is held."""

    title = tables.Column(linkify=True, verbose_name="Inspection")
    published = tables.Column(verbose_name="Report published", empty_values=())
    visit = tables.Column(verbose_name="Visit", accessor="visit_display")
    inspection_type = tables.Column(verbose_name="Type")
    report_url = tables.Column(verbose_name="CQC's report", empty_values=())

    class Meta:
        model = Inspection
        fields = ("title", "published", "visit", "inspection_type", "report_url")
        orderable = False
        attrs = {"class": "data-table"}

    def render_published(self, record):
        return record.published_display or "Not published in our sources"

    def render_report_url(self, record):
        if not record.report_url:
            return mark_safe('<span class="gap">Address not in our sources</span>')  # fixed text, nothing to escape
        return format_html(
            '<a href="{}">Report on CQC\'s website<span class="visually-hidden">: {}</span></a>',
            record.report_url,
            record.title,
        )


class RatingTable(tables.Table):
    subject = tables.Column(accessor="subject_name", verbose_name="Level")
    key_question = tables.Column(verbose_name="Key question")
    value = tables.Column(verbose_name="Rating")
    previous_value = tables.Column(verbose_name="Previous rating (as stated)", empty_values=())
    sources = tables.Column(empty_values=(), verbose_name="Source")
    note = tables.Column(verbose_name="Note")

    class Meta:
        model = Rating
        fields = ("subject", "key_question", "value", "previous_value", "sources", "note")
        orderable = False
        attrs = {"class": "data-table"}

    def render_value(self, record):
        return rating_badge(record.value)

    def render_previous_value(self, record):
        return rating_badge(record.previous_value) if record.previous_value else "Not stated"

    def render_sources(self, record):
        """Each citation with its supporting passage (the rating's `citations` prefetched with their sources)."""
        return render_to_string("_partials/source_citations.html", {"citations": record.citations.all()})


class SourceTable(tables.Table):
    """Every source, its kind in plain words, and what it supports; each row is the `#source-CODE` anchor
    that source links point to, though the code itself is not shown."""

    title = tables.Column(verbose_name="Source", empty_values=(), attrs={"td": {"class": "source-cell"}})
    published = tables.Column(verbose_name="Date", empty_values=())
    supports = tables.Column(verbose_name="Supports", empty_values=(), orderable=False)

    class Meta:
        model = Source
        fields = ("title", "published", "supports")
        orderable = False
        attrs = {"class": "data-table"}
        row_attrs = {"id": lambda record: f"source-{record.code}"}

    def render_title(self, record):
        return render_to_string("_partials/source_title.html", {"source": record})

    def render_published(self, record):
        return record.published_display or "Not stated"

    def render_supports(self, record):
        return render_to_string("_partials/source_supports.html", {"source": record})
