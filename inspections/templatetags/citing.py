"""Source links written in Python: a page cites sources under nearly every fact, and an include per
fact cost the trust page about a third of its rendering time."""

from html import escape

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from ..models import sources_page_url

register = template.Library()

NO_SOURCE = mark_safe('<span class="gap">No source</span>')  # noqa: S308 (a constant)


@register.simple_tag
def source_links(sources) -> SafeString:
    """Compact links (publisher names) into /sources/, for lists where passages would crowd the page."""
    links = format_html_join(
        "; ",
        '<a class="source-link" href="{}" title="{}">{}</a>',
        ((source.get_absolute_url(), source.title, source.publisher) for source in sources),
    )
    return links or NO_SOURCE


@register.simple_tag
def source_code_links(codes, page: str = "") -> SafeString:
    """Links to /sources/ entries for source codes (strings), as rating events carry them; `page` saves
    reversing the sources page's address again when a caller writes many rows. The standard library's
    `html.escape` (quotes included) does what Django's `escape` does at a quarter of its cost per call."""
    page = escape(page or sources_page_url())
    return mark_safe(  # noqa: S308 (every value escaped)
        " ".join(f'<a class="source-link" href="{page}#source-{escape(c)}">{escape(c)}</a>' for c in codes)
    )


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
