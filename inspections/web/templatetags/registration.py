"""{{ site|closed_words }}: what a page says of a deregistered trust or site (reading/selectors/sites.py)."""

from django import template

from inspections.reading.selectors import closed_words as closed_words_of

register = template.Library()


@register.filter
def closed_words(record) -> str:
    return closed_words_of(record)
