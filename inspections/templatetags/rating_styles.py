"""{% rating_level_stylesheet %}: the address of the rating levels' stylesheet, with its version."""

from django import template
from django.urls import reverse

from inspections.web.rating_styles import rating_level_css_version

register = template.Library()


@register.simple_tag
def rating_level_stylesheet() -> str:
    return f"{reverse('inspections:rating_level_styles')}?v={rating_level_css_version()}"
