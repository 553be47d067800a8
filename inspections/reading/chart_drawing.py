"""How a timeline is drawn: its strips (a row's name above its band), the plotly figure (bands per rating level,
a marker per report, the date axis) and the same drawing in HTML and CSS shown until plotly takes over (`Preview`).
`charts` decides what each chart holds; this module only lays it out.
"""

import datetime
import math
from dataclasses import dataclass
from itertools import pairwise

from inspections.domain.rating_levels import ON_SCALE_LEVELS, RatingLevel
from inspections.domain.timeline import Series, Window

MARKER_COLOUR = "#1b1b1b"
GRID_COLOUR = "#d9d9d9"  # light guide lines; the data never relies on them
AXIS_COLOUR = "#4a4a4a"
# A strip, top to bottom, in px (the y axis is in px too): its name (one line or more), the band, the markers.
NAME_LINE_PX = 17
BAR_PX = 24
MARK_PX = 14
GAP_PX = 4
NAME_CHARS = 44  # a name wraps after this many characters, so it fits above its strip on a phone
AXIS_PX = 28  # date ticks under the plot; the key to colours and markers is HTML under the chart
# Up to this many years every year is labelled, centred on its own year, so the first year is labelled too (a label
# on its first day would be cut off at the left edge); a longer window is labelled every few years from the second.
# It fits a phone: 11 labels in 333 px. charts.js thins them further where a chart is narrower still.
YEARS_LABELLED_EACH = 11
UNDATED_SYMBOL = "diamond-open"  # a report whose publication date is not in our sources, at its visit
UNDATED_WORDS = "publication date not in our sources, so its ratings are not placed"


def band_marker(level: RatingLevel) -> dict:
    """How a band of a rating level is filled in a plotly bar: its colour, and its pattern in its text colour."""
    return {
        "color": level.colour,
        "line": {"color": "#ffffff", "width": 1},
        "pattern": {"shape": level.chart_pattern, "fgcolor": level.text, "fgopacity": 0.35, "fillmode": "overlay"},
    }


def _ms(start, end) -> int:
    return (end - start).days * 86_400_000


def _wrap(label: str, width: int = NAME_CHARS) -> list[str]:
    lines, line = [], ""
    for word in label.split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]


@dataclass(frozen=True)
class Strip:
    """Where one row sits (px from the top of the plot) and its name's lines."""

    label: str
    series: Series
    name_lines: tuple[str, ...]
    centre: float


def strips_of(rows: list[tuple[str, Series]]) -> tuple[list[Strip], float]:
    strips, cursor = [], 0.0
    for label, row in rows:
        lines = tuple(_wrap(label))
        centre = cursor + len(lines) * NAME_LINE_PX + BAR_PX / 2
        strips.append(Strip(label, row, lines, centre))
        cursor = centre + BAR_PX / 2 + MARK_PX + GAP_PX
    return strips, max(cursor, BAR_PX + MARK_PX)


def _band_traces(strips: list[Strip]) -> list[dict]:
    """One bar trace per rating value (its colour and pattern), then one trace of report markers."""
    bars = {level.code: {"y": [], "base": [], "x": [], "hovertext": [], "customdata": []} for level in ON_SCALE_LEVELS}
    marks = {"x": [], "y": [], "hovertext": [], "customdata": [], "symbol": []}
    for strip in strips:
        label, row = strip.label, strip.series
        for band in row.bands:
            bar = bars[band.rating.value]
            bar["y"].append(strip.centre)
            bar["base"].append(band.start.isoformat())
            bar["x"].append(_ms(band.start, band.end))
            bar["hovertext"].append(f"{label}: {band.rating.value_label}, set {band.rating.published_display}")
            bar["customdata"].append(band.rating.inspection_url)
        for change in row.reports:
            event = change.event
            marks["x"].append(event.published.isoformat())
            marks["y"].append(strip.centre + BAR_PX / 2 + MARK_PX / 2)
            marks["hovertext"].append(
                f"{label}: {change.description}<br>"
                f"Report published {event.published_display}<br>{event.inspection_title}"
            )
            marks["customdata"].append(event.inspection_url)
            marks["symbol"].append("triangle-up" if event.is_on_scale else "triangle-up-open")
        for event in row.visited:  # no publication date held: marked at its visit, its rating not placed
            marks["x"].append(event.visited.isoformat())
            marks["y"].append(strip.centre + BAR_PX / 2 + MARK_PX / 2)
            marks["hovertext"].append(
                f"{label}: {event.value_label}, not placed on the chart<br>"
                f"Visited {event.visited_month}; {UNDATED_WORDS}<br>{event.inspection_title}"
            )
            marks["customdata"].append(event.inspection_url)
            marks["symbol"].append(UNDATED_SYMBOL)
    traces = [
        {
            "type": "bar",
            "orientation": "h",
            "name": level.word,
            "width": BAR_PX,
            "text": [level.word] * len(bar["y"]),
            "textposition": "inside",
            "insidetextanchor": "middle",
            "textfont": {"color": level.text},
            "marker": band_marker(level),
            "hovertemplate": "%{hovertext}<extra></extra>",
            **bar,
        }
        for level in ON_SCALE_LEVELS
        if (bar := bars[level.code])["y"]
    ]
    if marks["x"]:
        symbols = marks.pop("symbol")
        marker = {"symbol": symbols, "size": 10, "color": MARKER_COLOUR, "line": {"width": 1, "color": MARKER_COLOUR}}
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "Report (select to open)",
                "cliponaxis": False,
                "marker": marker,
                "hovertemplate": "%{hovertext}<extra></extra>",
                **marks,
            }
        )
    return traces


def _label_step(window: Window) -> int:
    """Years between two labels of the date axis (1: every year, centred on it)."""
    years = window.to_year - window.from_year + 1
    return 1 if years <= YEARS_LABELLED_EACH else math.ceil(years / YEARS_LABELLED_EACH)


def _year_axis(window: Window) -> dict:
    """The date axis's labels, as the HTML drawing places them (`_preview`): each year's label in the middle of
    its year, a grid line where each year begins (plotly's "period" labels); for a long window a label every few
    years, still mid-year, and still a grid line every year (minor ticks). charts.js thins a narrow chart alike."""
    step = _label_step(window)
    if step == 1:
        return {"tickmode": "linear", "tick0": window.start.isoformat(), "dtick": "M12", "ticklabelmode": "period"}
    years = _labelled_years(window, step)  # the first year always labelled, every few after it, mid-year
    return {
        "tickmode": "array",
        "tickvals": [_mid_year(year).isoformat() for year in years],
        "ticktext": [str(year) for year in years],
        "ticklabelmode": "instant",
        "showgrid": False,
        "minor": {
            "tickmode": "linear",
            "tick0": window.start.isoformat(),
            "dtick": "M12",
            "showgrid": True,
            "gridcolor": GRID_COLOUR,
            "ticks": "",
        },
    }


def _labelled_years(window: Window, step: int) -> range:
    return range(window.from_year, window.to_year + 1, step)


def _mid_year(year: int) -> datetime.date:
    return datetime.date(year, 7, 2)


def band_figure(strips: list[Strip], plot_px: float, window: Window) -> dict:
    return {
        "data": _band_traces(strips),
        "layout": {
            "xaxis": {
                "type": "date",
                "range": [window.start.isoformat(), window.end.isoformat()],
                "gridcolor": GRID_COLOUR,
                **_year_axis(window),
                "linecolor": AXIS_COLOUR,
                "automargin": True,
            },
            # In px from the top (reversed), so every strip keeps its size whatever the number of rows.
            "yaxis": {
                "range": [plot_px, 0],
                "showticklabels": False,
                "showgrid": False,
                "zeroline": False,
                "fixedrange": True,
            },
            "annotations": [
                {
                    "text": "<br>".join(strip.name_lines),
                    "x": 0,
                    "xref": "paper",
                    "xanchor": "left",
                    "align": "left",
                    "y": strip.centre - BAR_PX / 2 - 1,
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": {"size": 13},
                }
                for strip in strips
            ],
            "barmode": "overlay",
            "showlegend": False,
            "margin": {"l": 4, "r": 4, "t": 4, "b": AXIS_PX},
            "height": round(plot_px + AXIS_PX + 4),
            "hovermode": "closest",
            # A band too short for its word shows none (rather than an unreadable speck); hover and table carry it.
            "uniformtext": {"mode": "hide", "minsize": 10},
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "font": {"family": "system-ui, sans-serif", "color": "#1b1b1b"},
        },
    }


@dataclass(frozen=True)
class Preview:
    """The chart drawn in HTML and CSS until plotly takes over: strips of bands in % of the window's width."""

    strips: list[dict]
    ticks: list[tuple[float, int]]
    plot_px: float


def _percent(date, window: Window) -> float:
    total = (window.end - window.start).days
    return round(100 * min(max((date - window.start).days, 0), total) / total, 3)


def preview_of(strips: list[Strip], plot_px: float, window: Window) -> Preview:
    rows = []
    for strip in strips:
        bands = [
            {
                "left": _percent(band.start, window),
                "width": round(_percent(band.end, window) - _percent(band.start, window), 3),
                "value": band.rating.value,
                "label": band.rating.value_label,
            }
            for band in strip.series.bands
        ]
        marks = [
            {"left": _percent(change.event.published, window), "open": not change.event.is_on_scale, "undated": False}
            for change in strip.series.reports
        ] + [{"left": _percent(event.visited, window), "open": True, "undated": True} for event in strip.series.visited]
        rows.append({"name_lines": strip.name_lines, "bands": bands, "marks": marks})
    return Preview(strips=rows, ticks=_preview_ticks(window), plot_px=plot_px)


def _preview_ticks(window: Window) -> list[tuple[float, int]]:
    """(% from the left, year) of each label of the HTML drawing's date axis, where plotly puts them (`_year_axis`)."""
    step = _label_step(window)
    if step == 1:
        starts = [_percent(datetime.date(year, 1, 1), window) for year in range(window.from_year, window.to_year + 2)]
        return [
            (round((left + right) / 2, 3), window.from_year + i) for i, (left, right) in enumerate(pairwise(starts))
        ]
    return [(_percent(_mid_year(year), window), year) for year in _labelled_years(window, step)]
