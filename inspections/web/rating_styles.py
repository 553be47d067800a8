"""The stylesheet of rating levels, written once per process from the one table (domain/rating_levels.py), and
{% rating_level_stylesheet %}, its address with its version (loaded as `rating_styles`)."""

import hashlib
from functools import cache

from django import template
from django.template.loader import render_to_string
from django.urls import reverse

from inspections.domain.rating_levels import LEVELS

register = template.Library()


@cache
def rating_level_css() -> str:
    return render_to_string("inspections/rating_levels.css", {"levels": LEVELS})


@cache
def rating_level_css_version() -> str:
    """Changes whenever the table does, so browsers fetch the stylesheet again."""
    return hashlib.sha256(rating_level_css().encode()).hexdigest()[:12]


@register.simple_tag
def rating_level_stylesheet() -> str:
    return f"{reverse('inspections:rating_level_styles')}?v={rating_level_css_version()}"
