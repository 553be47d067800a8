"""The body of a django-tables2 table, written in Python.

django-tables2 works out each render method's signature again for every cell (about 30 µs a cell), so
a page of 25 trusts spent half its time there. A table that defines `row_cells(record)` (its cells in
column order, from its own render methods) has its body written from that; any other table through
django-tables2's own cells, as before.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def table_rows(table) -> SafeString:
    """<tr> rows for the table's current page: the first cell a row header, the others data cells."""
    columns = list(table.columns)
    write_cells = getattr(table, "row_cells", None)
    if write_cells:  # a table that writes its own cells declares no per-record cell attributes
        td_attrs = [column.attrs["td"].as_html() for column in columns]
    rows = []
    for row in table.paginated_rows:
        if write_cells:
            # As django-tables2 does: the column's default where the value is one of its empty values
            # (a column with a render method of ours declares none).
            cells = [
                (attrs, column.default if value in column.column.empty_values else value)
                for column, attrs, value in zip(columns, td_attrs, write_cells(row.record), strict=True)
            ]
        else:
            cells = [(column.attrs["td"].as_html(), value) for column, value in row.items()]
        written = []
        for index, (attrs, value) in enumerate(cells):
            tag, scope = ("th", ' scope="row"') if index == 0 else ("td", "")
            written.append(f"<{tag}{scope} {attrs}>{conditional_escape(value)}</{tag}>")
        rows.append(f"<tr {row.attrs.as_html()}>{''.join(written)}</tr>")
    if not rows:
        empty = conditional_escape(table.empty_text or "Nothing held in our sources.")
        rows.append(f'<tr><td colspan="{len(columns)}">{empty}</td></tr>')
    return mark_safe("\n".join(rows))  # noqa: S308 (cells escaped unless already safe; attributes from tables2)
