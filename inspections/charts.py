"""Timelines drawn as plain plotly figure dicts, sent to the page as JSON; charts.js draws them.

What a window holds (bands, reports, table, summary) is worked out once in `timeline.series`;
this module only draws it. Every chart is a strip of coloured bands per row (a key question of
the trust, or a service or hospital): a band is a rating that stood, split only where the rating
changed, with a marker for each report that set, restated or left it. The rating word is written
in the band; colour and fill pattern repeat it, so nothing relies on colour alone. Row names sit
above their strip rather than beside it, so the plot keeps the full width of a phone.

Figures are dicts, not `go.Figure`: its validation cost about 7 ms a chart on every request,
and plotly.js checks the figure anyway.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from .models import KeyQuestion, RatingValue
from .timeline import Change, RatingEvent, Series, Window, group_by_subject_and_question, series, undated_reports

RATING_BAND_STYLE = {
    RatingValue.OUTSTANDING: {"color": "#0b4f8a", "text": "#ffffff", "pattern": "."},
    RatingValue.GOOD: {"color": "#1d6b39", "text": "#ffffff", "pattern": ""},
    RatingValue.REQUIRES_IMPROVEMENT: {"color": "#ffbf47", "text": "#1b1b1b", "pattern": "/"},
    RatingValue.INADEQUATE: {"color": "#b3261e", "text": "#ffffff", "pattern": "x"},
}
MARKER_COLOUR = "#1b1b1b"
GRID_COLOUR = "#d9d9d9"  # light guide lines; the data never relies on them
AXIS_COLOUR = "#4a4a4a"
ROW_PX = 58  # one strip: its name above, the band, the report markers under it
BAR_WIDTH = 0.42  # of a row
LEGEND_PX = 70  # date ticks and the legend under the plot


@dataclass
class Chart:
    """A figure with its twins: text summary, table rows, and events it could not place."""

    element_id: str
    title: str
    figure: dict
    summary: list[str]
    table: list[Change]
    undated: list[RatingEvent] = field(default_factory=list)

    @property
    def undated_reports(self) -> list[tuple[str, str]]:
        """(title, url) of each report with ratings here but no known publication date."""
        return undated_reports(self.undated)

    @property
    def data_id(self) -> str:
        """Id of the json_script element holding the figure."""
        return f"{self.element_id}-data"


def _ms(start, end) -> int:
    return (end - start).days * 86_400_000


def _band_traces(rows: list[tuple[str, Series]]) -> list[dict]:
    """One bar trace per rating value (so the legend names each once), then one trace of report markers."""
    bars = {value: {"y": [], "base": [], "x": [], "hovertext": [], "customdata": []} for value in RATING_BAND_STYLE}
    marks = {"x": [], "y": [], "hovertext": [], "customdata": [], "symbol": []}
    for index, (label, row) in enumerate(rows):
        for band in row.bands:
            bar = bars[band.rating.value]
            bar["y"].append(index)
            bar["base"].append(band.start.isoformat())
            bar["x"].append(_ms(band.start, band.end))
            bar["hovertext"].append(f"{label}: {band.rating.value_label}, set {band.rating.published_display}")
            bar["customdata"].append(band.rating.inspection_url)
        for change in row.reports:
            event = change.event
            marks["x"].append(event.published.isoformat())
            marks["y"].append(index + BAR_WIDTH / 2 + 0.08)
            marks["hovertext"].append(
                f"{label}: {change.description}<br>"
                f"Report published {event.published_display}<br>{event.inspection_title}"
            )
            marks["customdata"].append(event.inspection_url)
            marks["symbol"].append("triangle-up" if event.is_on_scale else "triangle-up-open")
    traces = [
        {
            "type": "bar", "orientation": "h", "name": RatingValue(value).label, "width": BAR_WIDTH,
            "text": [RatingValue(value).label] * len(bar["y"]), "textposition": "inside",
            "insidetextanchor": "middle", "textfont": {"color": style["text"]},
            "marker": {"color": style["color"], "line": {"color": "#ffffff", "width": 1},
                       "pattern": {"shape": style["pattern"], "fgcolor": style["text"], "fgopacity": 0.35,
                                   "fillmode": "overlay"}},
            "hovertemplate": "%{hovertext}<extra></extra>", **bar,
        }
        for value, style in RATING_BAND_STYLE.items()
        if (bar := bars[value])["y"]
    ]  # fmt: skip
    if marks["x"]:
        symbols = marks.pop("symbol")
        traces.append({
            "type": "scatter", "mode": "markers", "name": "Report (select to open)", "cliponaxis": False,
            "marker": {"symbol": symbols, "size": 10, "color": MARKER_COLOUR,
                       "line": {"width": 1, "color": MARKER_COLOUR}},
            "hovertemplate": "%{hovertext}<extra></extra>", **marks,
        })  # fmt: skip
    return traces


def _band_figure(rows: list[tuple[str, Series]], window: Window) -> dict:
    count = max(len(rows), 1)
    plot_px = ROW_PX * (count + 0.3)
    return {
        "data": _band_traces(rows),
        "layout": {
            "xaxis": {
                "type": "date",
                "range": [window.start.isoformat(), window.end.isoformat()],
                "gridcolor": GRID_COLOUR,
                "linecolor": AXIS_COLOUR,
                "automargin": True,
            },
            # Reversed (first row on top); the room above each band holds the row's name.
            "yaxis": {
                "range": [count - 1 + 0.5, -0.8],
                "showticklabels": False,
                "showgrid": False,
                "zeroline": False,
                "fixedrange": True,
            },
            "annotations": [
                {
                    "text": label,
                    "x": 0,
                    "xref": "paper",
                    "xanchor": "left",
                    "y": index - BAR_WIDTH / 2 - 0.04,
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": {"size": 13},
                }  # fmt: skip
                for index, (label, _) in enumerate(rows)
            ],
            "barmode": "overlay",
            "legend": {
                "orientation": "h",
                "yref": "container",
                "y": 0,
                "yanchor": "bottom",
                "x": 0,
                "traceorder": "normal",
            },
            "margin": {"l": 4, "r": 4, "t": 4, "b": LEGEND_PX},
            "height": round(plot_px + LEGEND_PX + 4),
            "hovermode": "closest",
            # A band too short for its word shows none (rather than an unreadable speck); hover and table carry it.
            "uniformtext": {"mode": "hide", "minsize": 10},
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "font": {"family": "system-ui, sans-serif", "color": "#1b1b1b"},
        },
    }


def _chart(element_id: str, title: str, rows: list[tuple[str, Series]], all_series: Iterable[Series], window) -> Chart:
    all_series = list(all_series)
    table = sorted(
        (change for s in all_series for change in s.table),
        key=lambda change: (change.event.published, change.event.subject_name),
    )
    return Chart(
        element_id=element_id,
        title=title,
        figure=_band_figure(rows, window),
        summary=[s.summary for s in all_series],
        table=table,
        undated=[event for s in all_series for event in s.undated],
    )


def trust_timeline(events: list[RatingEvent], window: Window) -> Chart:
    """Trust-level rating in force for each key question: one strip per key question."""
    grouped = group_by_subject_and_question(e for e in events if e.subject_key == "trust")
    all_series = [
        series(grouped.get(("trust", question.value), []), window, label=question.label) for question in KeyQuestion
    ]
    rows = [(question.label, s) for question, s in zip(KeyQuestion, all_series, strict=True) if s.bands or s.reports]
    title = f"Trust-level ratings in force, {window.from_year} to {window.to_year}"
    chart = _chart("chart-trust", title, rows, all_series, window)
    chart.undated = [e for e in events if e.subject_key == "trust" and e.published is None]
    return chart


def subject_timeline(events: list[RatingEvent], window: Window, level: str, title: str) -> Chart | None:
    """Overall rating in force for each core service or location: one strip per subject, by name.

    Works on any set of events (a trust's, or one location's), keeping those of `level`.
    """
    subject_events = [e for e in events if e.subject_key.startswith(f"{level}:")]
    if not subject_events:
        return None
    overall = group_by_subject_and_question(e for e in subject_events if e.key_question == KeyQuestion.OVERALL)
    all_series = sorted(
        (series(items, window, label=f"{items[0].subject_name} (overall)") for items in overall.values()),
        key=lambda s: s.subject_name,
    )
    rows = [(s.subject_name, s) for s in all_series if s.bands or s.reports]
    full_title = f"{title}: overall rating in force, {window.from_year} to {window.to_year}"
    chart = _chart(f"chart-{level}", full_title, rows, all_series, window)
    chart.summary = chart.summary or ["No overall rating for any single service or location in our sources."]
    chart.undated = [e for e in subject_events if e.published is None]
    return chart
