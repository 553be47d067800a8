"""Source links written in Python: a page cites sources under nearly every fact, and an include per
fact cost the trust page about a third of its rendering time."""

from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from inspections.models import source_url, sources_page_url

register = template.Library()

NO_SOURCE = mark_safe('<span class="gap">No source</span>')  # noqa: S308 (a constant)


def link_names(sources) -> list[str]:
    """What each link says: the publisher, and where one publisher appears more than once in the list, the
    year it published (then a number), so no two links with the same words lead to different sources."""
    names = [source.publisher for source in sources]
    repeated = {name for name in names if names.count(name) > 1}
    if not repeated:
        return names
    dated = [
        f"{source.publisher}, {source.published.year}" if source.publisher in repeated and source.published else name
        for source, name in zip(sources, names, strict=True)
    ]
    seen: dict[str, int] = {}
    written = []
    for name in dated:
        seen[name] = seen.get(name, 0) + 1
        written.append(f"{name} ({seen[name]})" if dated.count(name) > 1 else name)
    return written


@register.simple_tag
def source_links(sources, page: str = "") -> SafeString:
    """Compact links (publisher names, the title on hover) into /sources/, for lists where passages would
    crowd the page: Source records or the CitedSource a rating event carries. `page` (sources_page_url())
    saves reversing the sources page again when a caller writes many rows. The standard library's
    `html.escape` (quotes included) does what Django's `escape` does at a quarter of its cost per call."""
    page = page or sources_page_url()
    links = "; ".join(
        f'<a class="source-link" href="{escape(source_url(source.code, page))}" title="{escape(source.title)}">'
        f"{escape(name)}</a>"
        for source, name in zip(sources, link_names(sources), strict=True)
    )
    return mark_safe(links) if links else NO_SOURCE  # noqa: S308 (every value escaped)


@register.simple_tag
def source_title(source) -> SafeString:
    """The source's title, linked to the source itself where we hold its address."""
    if source.url:
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', source.url, source.title)
    return format_html("{}", source.title)


@register.simple_tag
def source_item(source) -> SafeString:
    """One line of a list of sources: title (linked), publisher, date and kind."""
    published = format_html(" ({})", source.published_display) if source.published else ""
    return format_html(
        '{}, {}{} <span class="kind">({})</span>',
        source_title(source),
        source.publisher,
        published,
        source.get_kind_display(),
    )
