"""The charts of movements and ages on /national/ as plotly figures (dicts), drawn by the one static script
(charts.js); each has its text twin and table in the template."""

from inspections.domain.rating_levels import LEVELS
from inspections.reading.national_movements import Figures, age_bins

COLOURS = {level.code: level.colour for level in LEVELS}
DIRECTIONS = (("Improved", "good"), ("Unchanged", "requires_improvement"), ("Declined", "inadequate"))


def _layout(x_range: list[float], title_x: str, title_y: str, stacked: bool = True) -> dict:
    return {
        "barmode": "stack" if stacked else "group",
        "height": 320,
        "margin": {"l": 48, "r": 8, "t": 8, "b": 40},
        "xaxis": {"range": x_range, "title": {"text": title_x}, "fixedrange": False},
        "yaxis": {"title": {"text": title_y}, "rangemode": "tozero", "fixedrange": True},
        "legend": {"orientation": "h", "y": -0.25},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
    }


def movements_figure(figures: Figures) -> dict:
    """Stacked bars: reports each year that improved, restated or lowered a trust's (or a site's) overall rating."""
    rows = figures.by_year
    years = [year for year, *_ in rows]
    data = [
        {
            "type": "bar",
            "name": name,
            "x": years,
            "y": [row[index + 1] for row in rows],
            "marker": {"color": COLOURS.get(code, "#888888"), "line": {"color": "#0b0c0c", "width": 1}},
            "hovertemplate": f"%{{x}}: %{{y}} {name.lower()}<extra></extra>",
        }
        for index, (name, code) in enumerate(DIRECTIONS)
    ]
    x_range = [min(years, default=2013) - 0.5, max(years, default=2013) + 0.5]
    layout = _layout(x_range, "Year the later report was published", "Reports")
    return {"data": data, "layout": layout}


def ages_figure(figures: Figures) -> dict:
    """Bars by kind: open trusts (or sites) by whole years since their overall rating was last set or restated."""
    bins = age_bins()
    data = [
        {"type": "bar", "name": kind, "x": list(range(len(bins))), "y": counts, "text": bins, "textposition": "none",
         "hovertemplate": f"{kind}: %{{y}} last rated %{{text}} years ago<extra></extra>"}
        for kind, counts in figures.distribution
    ]  # fmt: skip
    title_y = figures.noun.many.capitalize()
    layout = _layout([-0.5, len(bins) - 0.5], "Whole years since the rating was last set or restated", title_y, False)
    short = [label.replace(" to ", "-").replace(" or more", "+") for label in bins]  # "0-1", ..., "10+"
    layout["xaxis"] |= {"tickmode": "array", "tickvals": list(range(len(bins))), "ticktext": short}
    return {"data": data, "layout": layout}
