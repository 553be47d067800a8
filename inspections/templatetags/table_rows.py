"""Table bodies written in Python, where a template loop cost more than the rest of the page.

django-tables2 works out each render method's signature again for every cell (about 30 µs a cell), so
a page of 25 trusts spent half its time there. A table that defines `row_cells(record)` (its cells in
column order, from its own render methods) has its body written from that; any other table through
django-tables2's own cells, as before. The current-ratings grid and the shares of a kind are written
here too (a template cost about 30 µs a grid cell). Every value is escaped; `html.escape` with quotes
does what Django's `escape` does.
"""

from html import escape

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from inspections.models import sources_page_url
from inspections.templatetags.citing import source_links

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


def _grid_cell(cell, page: str) -> str:
    event = cell.event
    span = f' colspan="{cell.span}"' if cell.span > 1 else ""
    opening = f'<td{span} data-label="{escape(cell.label)}">'
    if event is None:
        return f'{opening}<span class="gap">Not in our sources</span></td>'
    if event.is_on_scale:
        said = f'<span class="rating rating--{escape(event.value)}">{escape(event.value_label)}</span>'
        when = f"set {escape(event.published_display)}"
    else:
        note = f' <span class="cell-note">{escape(event.note)}</span>' if event.note else ""
        said = f'<span class="gap">{escape(event.off_scale_summary)}.</span>{note}'
        when = f"report of {escape(event.published_display)}"
    return (
        f'{opening}{said}\n<a class="set-date" href="{escape(event.inspection_url)}">{when}</a>\n'
        f'<span class="cite">{source_links(event.sources, page)}</span></td>'
    )


@register.simple_tag
def grid_rows(rows) -> SafeString:
    """The rows of a current-ratings grid (grid.Row): the subject and its level, then a cell per key
    question or run of key questions: the rating, when it was set (linked to the report) and its sources."""
    page = sources_page_url()
    written = [
        f'<tr><th scope="row">{escape(row.subject_name)} <span class="level">{escape(row.level)}</span></th>'
        + "".join(_grid_cell(cell, page) for cell in row.cells)
        + "</tr>"
        for row in rows
    ]
    return mark_safe("\n".join(written))  # noqa: S308 (every value escaped; sources by source_links)


@register.simple_tag
def share_rows(now, by_year) -> SafeString:
    """The table of a kind's shares (comparison.Shares): now, then each year's end, latest first; counts with
    their percentages, the trusts with no rating yet, and a bar per row (hidden from screen readers)."""
    latest_first = sorted(by_year, key=lambda shares: shares.when, reverse=True)
    written = []
    for label, shares in [("Now", now), *((str(shares.when.year), shares) for shares in latest_first)]:
        counts = "".join(f'<td>{count} <span class="sub">({percent}%)</span></td>' for _, count, percent in shares.rows)
        bar = "".join(
            f'<span class="share share--{number}" style="width: {percent}%"></span>'
            for number, (_, _, percent) in enumerate(shares.rows, start=1)
            if percent
        )
        written.append(
            f'<tr><th scope="row">{escape(label)}</th>{counts}<td>{shares.unrated}</td>'
            f'<td aria-hidden="true" class="share-bar">{bar}</td></tr>'
        )
    return mark_safe("\n".join(written))  # noqa: S308 (labels escaped; counts and percentages are integers)
