"""django-tables2 tables: the trust list (sortable).

Tables that never sort (a trust's or a location's inspections, an inspection's ratings) are plain tables in
their templates.
"""

import django_tables2 as tables

from inspections.models import Trust


class TrustTable(tables.Table):
    """The trust list's columns, headers and sorting; its rows are written by _partials/trust_rows.jinja."""

    name = tables.Column(verbose_name="Trust")
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

    def order_last_published(self, queryset, is_descending):
        return queryset.order_by(("-" if is_descending else "") + "last_published", "name"), True
