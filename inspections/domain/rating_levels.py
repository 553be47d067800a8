"""The ratings, in one table: each rating's code, word, place on the scale and how it looks.

Everything that names, orders or draws a rating reads `LEVELS`: the `RatingValue` choices (and so the
database's check constraints), the scale's order, the chart's band colours and patterns, the badges' and
bands' CSS (`rating_levels.css`, written from this table), and the key under every chart. Adding a level
is one entry here plus the migration `makemigrations` writes for the new choice.

Colours meet WCAG AA for their text; each level on the scale also has a fill pattern, so a band never
relies on colour alone.
"""

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class RatingLevel:
    code: str
    word: str
    position: int  # place on CQC's four-point scale, higher is better; 0 for states off the scale
    colour: str = "#ffffff"  # background of its badge and band
    text: str = "#1b1b1b"  # text on that background
    chart_pattern: str = ""  # plotly's fill pattern shape for its band
    css_pattern: str = "none"  # the same pattern as a CSS background-image, for the chart drawn in HTML
    css_pattern_size: str = "auto"

    @property
    def is_on_scale(self) -> bool:
        return self.position > 0

    @property
    def name(self) -> str:
        """The enum member's name, e.g. REQUIRES_IMPROVEMENT."""
        return self.code.upper()


_LIGHT_LINES = "rgba(255, 255, 255, 0.35) 0 1px, transparent 1px 7px"

#: Best first on the scale, then the states off it (which keep the rating before them standing); a table, one
#: level a line, so the formatter leaves it alone. "Inspected but not rated" is CQC's word for a report that looked
#: at a service or key question and set no rating (a focused inspection): the earlier rating stands.
LEVELS = (
    RatingLevel("outstanding", "Outstanding", 4, "#0b4f8a", "#ffffff", ".",
                "radial-gradient(rgba(255, 255, 255, 0.35) 1px, transparent 1.5px)", "6px 6px"),
    RatingLevel("good", "Good", 3, "#1d6b39", "#ffffff"),
    RatingLevel("requires_improvement", "Requires improvement", 2, "#ffbf47", "#1b1b1b", "/",
                "repeating-linear-gradient(-45deg, rgba(27, 27, 27, 0.35) 0 1px, transparent 1px 7px)"),
    RatingLevel("inadequate", "Inadequate", 1, "#b3261e", "#ffffff", "x",
                f"repeating-linear-gradient(45deg, {_LIGHT_LINES}), repeating-linear-gradient(-45deg, {_LIGHT_LINES})"),
    RatingLevel("not_rated", "Not rated", 0),
    RatingLevel("not_inspected", "Not inspected (earlier rating stands)", 0),
    RatingLevel("inspected_not_rated", "Inspected but not rated", 0),
    RatingLevel("suspended", "Rating suspended or under appeal", 0),
    RatingLevel("insufficient_evidence", "Insufficient evidence to rate", 0),
)  # fmt: skip

BY_CODE = {level.code: level for level in LEVELS}

RatingValue = models.TextChoices(
    "RatingValue", [(level.name, (level.code, level.word)) for level in LEVELS], module=__name__
)
RatingValue.__doc__ = "The four-point scale, best first, then states that are not on the scale (from LEVELS)."

#: Position on the ordinal scale (higher is better); states off the scale are absent.
SCALE_POSITION = {level.code: level.position for level in LEVELS if level.is_on_scale}
#: The codes on the scale, best first, as readers expect a scale to read.
ON_SCALE = [level.code for level in LEVELS if level.is_on_scale]
ON_SCALE_LEVELS = [level for level in LEVELS if level.is_on_scale]
#: Words by code, looked up once: a page asks for thousands.
RATING_WORDS = {level.code: level.word for level in LEVELS}


def is_on_scale(code: str) -> bool:
    return code in SCALE_POSITION
