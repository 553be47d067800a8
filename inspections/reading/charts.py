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

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from inspections.domain.codes import QUALITY_QUESTIONS, KeyQuestion
from inspections.domain.dates import format_partial_date
from inspections.domain.rating_levels import ON_SCALE_LEVELS
from inspections.domain.standing import Change, RatingEvent, group_by_subject_and_question, runs, undated_reports
from inspections.domain.subjects import TRUST, Subject
from inspections.domain.timeline import Series, Window, series, summary_sentence
from inspections.reading.grid import folds

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
# It fits a phone: 10 labels in 333 px. charts.js thins them further where a chart is narrower still.
YEARS_LABELLED_EACH = 10


@dataclass
class Chart:
    """A figure with its twins: text summary, table rows, and events it could not place."""

    element_id: str
    title: str
    figure: dict
    summary: list[str]
    table: list[Change]
    undated: list[RatingEvent] = field(default_factory=list)
    preview: "Preview | None" = None
    later: list[RatingEvent] = field(default_factory=list)  # published after the window ends: not shown
    window: Window | None = None

    @property
    def left_out(self) -> str:
        """What the chosen years leave out, said beside the chart ('' when nothing)."""
        dates = sorted({event.published for event in self.later})
        if not dates or self.window is None:
            return ""
        shown = ", ".join(format_partial_date(day, "day") for day in dates[:5])
        more = f" and {len(dates) - 5} more" if len(dates) > 5 else ""
        reports = "report" if len(dates) == 1 else "reports"
        return (
            f"This view ends in {self.window.to_year}, so it leaves out {len(dates)} later {reports} "
            f"(published {shown}{more}); choose later years to see them."
        )

    @property
    def undated_reports(self) -> list[tuple[str, str]]:
        """(title, url) of each report with ratings here but no known publication date."""
        return undated_reports(self.undated)

    @property
    def summary_folded(self) -> bool:
        return folds(self.summary)

    @property
    def data_id(self) -> str:
        """Id of the json_script element holding the figure."""
        return f"{self.element_id}-data"


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


def _strips(rows: list[tuple[str, Series]]) -> tuple[list[Strip], float]:
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
            "marker": {
                "color": level.colour,
                "line": {"color": "#ffffff", "width": 1},
                "pattern": {
                    "shape": level.chart_pattern,
                    "fgcolor": level.text,
                    "fgopacity": 0.35,
                    "fillmode": "overlay",
                },
            },
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
    its year (plotly's "period" labels, a grid line where each year begins), or every few years at its start."""
    step = _label_step(window)
    if step == 1:
        return {"tickmode": "linear", "tick0": window.start.isoformat(), "dtick": "M12", "ticklabelmode": "period"}
    first = datetime.date(window.from_year + 1, 1, 1).isoformat()
    return {"tickmode": "linear", "tick0": first, "dtick": f"M{12 * step}", "ticklabelmode": "instant"}


def _band_figure(strips: list[Strip], plot_px: float, window: Window) -> dict:
    return {
        "data": _band_traces(strips),
        "layout": {
            "xaxis": {
                "type": "date",
                "range": [window.start.isoformat(), window.end.isoformat()],
                **_year_axis(window),
                "gridcolor": GRID_COLOUR,
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


def _preview(strips: list[Strip], plot_px: float, window: Window) -> Preview:
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
            {"left": _percent(change.event.published, window), "open": not change.event.is_on_scale}
            for change in strip.series.reports
        ]
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
    years = range(window.from_year + 1, window.to_year + 1, step)
    return [(_percent(datetime.date(year, 1, 1), window), year) for year in years]


def _chart(element_id: str, title: str, rows: list[tuple[str, Series]], all_series: Iterable[Series], window) -> Chart:
    all_series = list(all_series)
    table = sorted(
        (change for s in all_series for change in s.table),
        key=lambda change: (change.event.published, change.event.subject_name),
    )
    strips, plot_px = _strips(rows)
    return Chart(
        element_id=element_id,
        title=title,
        figure=_band_figure(strips, plot_px, window),
        preview=_preview(strips, plot_px, window),
        summary=[s.summary for s in all_series],
        table=table,
        undated=[event for s in all_series for event in s.undated],
        later=[event for s in all_series for event in s.later],
        window=window,
    )


def key_question_timeline(
    events: list[RatingEvent], window: Window, *, subject: Subject, element_id: str, title: str
) -> Chart:
    """One subject's rating in force for each key question (the trust, or one location): a strip per key question."""
    grouped = group_by_subject_and_question(e for e in events if e.subject == subject)
    questions = [q for q in KeyQuestion if q in QUALITY_QUESTIONS or (subject, q.value) in grouped]
    all_series = [series(grouped.get((subject, q.value), []), window, label=q.label) for q in questions]
    rows = [(question.label, s) for question, s in zip(questions, all_series, strict=True) if s.bands or s.reports]
    chart = _chart(element_id, title, rows, all_series, window)
    chart.undated = [e for e in events if e.subject == subject and e.published is None]
    # Key questions with no rating on the scale are named once, as the grid says a row's gaps once.
    unrated = [q.label for q, s in zip(questions, all_series, strict=True) if not runs(c.event for c in s.table)]
    if len(unrated) > 1:
        rated = [s.summary for q, s in zip(questions, all_series, strict=True) if q.label not in unrated]
        chart.summary = [*rated, summary_sentence(", ".join(unrated), [])]
    return chart


def trust_timeline(events: list[RatingEvent], window: Window) -> Chart:
    """Trust-level rating in force for each key question: one strip per key question."""
    title = f"Trust-level ratings in force, {window.from_year} to {window.to_year}"
    return key_question_timeline(events, window, subject=TRUST, element_id="chart-trust", title=title)


def subject_timeline(events: list[RatingEvent], window: Window, level: str, title: str) -> Chart | None:
    """Overall rating in force for each core service or location: one strip per subject, by name.

    Works on any set of events (a trust's, or one location's), keeping those of `level` (a Scope).
    """
    subject_events = [e for e in events if e.subject.scope == level]
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


def compare_timelines(compared: list[tuple[str, list[RatingEvent]]], window: Window) -> list[Chart]:
    """One chart per key question, a strip per trust: (trust name, its whole-trust events) pairs."""
    found = []
    for question in KeyQuestion:
        if question not in QUALITY_QUESTIONS and not any(e.key_question == question for _, es in compared for e in es):
            continue  # use of resources: shown only where a trust compared holds it
        all_series = [
            series([e for e in events if e.key_question == question], window, label=f"{name}: {question.label}")
            for name, events in compared
        ]
        rows = [(name, s) for (name, _), s in zip(compared, all_series, strict=True) if s.bands or s.reports]
        title = f"{question.label}: whole-trust rating in force, {window.from_year} to {window.to_year}"
        chart = _chart(f"chart-compare-{question.value}", title, rows, all_series, window)
        chart.undated = [e for _, events in compared for e in events if e.key_question == question and not e.published]
        found.append(chart)
    return found
