"""Source links written in Python: a page cites sources under nearly every fact, and an include per
fact cost the trust page about a third of its rendering time."""

from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from ..models import source_url, sources_page_url

register = template.Library()

NO_SOURCE = mark_safe('<span class="gap">No source</span>')  # noqa: S308 (a constant)


@register.simple_tag
def source_links(sources, page: str = "") -> SafeString:
    """Compact links (publisher names, the title on hover) into /sources/, for lists where passages would
    crowd the page: Source records or the CitedSource a rating event carries. `page` (sources_page_url())
    saves reversing the sources page again when a caller writes many rows. The standard library's
    `html.escape` (quotes included) does what Django's `escape` does at a quarter of its cost per call."""
    page = page or sources_page_url()
    links = "; ".join(
        f'<a class="source-link" href="{escape(source_url(source.code, page))}" title="{escape(source.title)}">'
        f"{escape(source.publisher)}</a>"
        for source in sources
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
