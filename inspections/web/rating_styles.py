"""The stylesheet of rating levels, written once per process from the one table (domain/rating_levels.py)."""

import hashlib
from functools import cache

from django.template.loader import render_to_string

from inspections.domain.rating_levels import LEVELS


@cache
def rating_level_css() -> str:
    return render_to_string("inspections/rating_levels.css", {"levels": LEVELS})


@cache
def rating_level_css_version() -> str:
    """Changes whenever the table does, so browsers fetch the stylesheet again."""
    return hashlib.sha256(rating_level_css().encode()).hexdigest()[:12]
