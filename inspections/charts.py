"""Plotly timelines of ratings in force, built in Python and sent to the page as JSON.

Each chart comes with a text summary and a table of the same values (its twins), so
nothing is told by the chart alone. Key questions differ by colour, line dash and marker
symbol, never by colour only. Lines of different key questions are nudged apart a little
on the y axis so equal ratings do not hide each other; the axis labels stay on the scale.
"""

import datetime
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

import plotly.graph_objects as go

from .models import SCALE_POSITION, KeyQuestion, RatingValue
from .timeline import (
    Change,
    RatingEvent,
    changes,
    group_by_subject_and_question,
    in_force,
    summary_sentence,
    undated_reports,
)

DEFAULT_FROM_YEAR = 2015
DEFAULT_TO_YEAR = 2024
EARLIEST_ALLOWED_YEAR = 2000

# Colours keep at least 3:1 contrast on white (WCAG 1.4.11); dash and symbol repeat the distinction.
KEY_QUESTION_STYLE = {
    KeyQuestion.OVERALL: {"color": "#1b1b1b", "dash": "solid", "symbol": "circle"},
    KeyQuestion.SAFE: {"color": "#b5370d", "dash": "dash", "symbol": "square"},
    KeyQuestion.EFFECTIVE: {"color": "#0b5fa5", "dash": "dot", "symbol": "diamond"},
    KeyQuestion.CARING: {"color": "#1f7a4d", "dash": "dashdot", "symbol": "triangle-up"},
    KeyQuestion.RESPONSIVE: {"color": "#7a3d8f", "dash": "longdash", "symbol": "triangle-down"},
    KeyQuestion.WELL_LED: {"color": "#6b5a00", "dash": "longdashdot", "symbol": "star"},
}
TICKS = sorted((position, RatingValue(code).label) for code, position in SCALE_POSITION.items())


@dataclass(frozen=True)
class ChartWindow:
    from_year: int
    to_year: int

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.from_year, 1, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.to_year, 12, 31)

    @property
    def is_default(self) -> bool:
        return (self.from_year, self.to_year) == (DEFAULT_FROM_YEAR, DEFAULT_TO_YEAR)


DEFAULT_WINDOW = ChartWindow(DEFAULT_FROM_YEAR, DEFAULT_TO_YEAR)


def latest_allowed_year(today: datetime.date) -> int:
    return today.year + 1


def parse_window(params: Mapping[str, str], today: datetime.date) -> tuple[ChartWindow, bool]:
    """Window from `from`/`to` query parameters; anything invalid falls back to the default.

    Returns the window and whether the parameters were ignored, so the page can say so.
    """
    raw_from, raw_to = params.get("from", ""), params.get("to", "")
    if not raw_from and not raw_to:
        return DEFAULT_WINDOW, False
    try:
        from_year = int(raw_from) if raw_from else DEFAULT_FROM_YEAR
        to_year = int(raw_to) if raw_to else DEFAULT_TO_YEAR
    except ValueError:
        return DEFAULT_WINDOW, True
    if not (EARLIEST_ALLOWED_YEAR <= from_year <= to_year <= latest_allowed_year(today)):
        return DEFAULT_WINDOW, True
    return ChartWindow(from_year, to_year), False


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


def _offsets(count: int, spread: float = 0.3) -> list[float]:
    if count == 1:
        return [0.0]
    step = 2 * spread / (count - 1)
    return [spread - i * step for i in range(count)]


def _step_trace(name: str, events: list[RatingEvent], window: ChartWindow, offset: float, style: dict) -> dict | None:
    """One step line for one subject and key question; markers only where a report set a value."""
    xs, ys, sizes, texts, urls = [], [], [], [], []

    def add(x, position, size, text, url):
        xs.append(x.isoformat())
        ys.append(position + offset)
        sizes.append(size)
        texts.append(text)
        urls.append(url)

    # What stood just before the view opens: a report published on its first day (a year-precision
    # date is stored as 1 January) is a change inside the view, with its own marker.
    standing = in_force(events, window.start - datetime.timedelta(days=1))
    if standing:
        add(window.start, SCALE_POSITION[standing.value], 0,
            f"{name}: {standing.value_label} in force from the start of the view "
            f"(set {standing.published_display})", standing.inspection_url)  # fmt: skip
    for change in changes(events):
        event = change.event
        if not (window.start <= event.published <= window.end):
            continue
        shown = event if event.is_on_scale else change.before
        if shown is None:
            continue
        add(event.published, SCALE_POSITION[shown.value], 11,
            f"{name}: {change.description}<br>Report published {event.published_display}<br>{event.inspection_title}",
            event.inspection_url)  # fmt: skip
        standing = shown
    if not xs:
        return None
    add(window.end, SCALE_POSITION[standing.value], 0, f"{name}: {standing.value_label} still in force", "")
    return go.Scatter(
        name=name,
        x=xs,
        y=ys,
        mode="lines+markers",
        line={"shape": "hv", "color": style["color"], "dash": style["dash"], "width": 2.5},
        marker={
            "symbol": style["symbol"],
            "size": sizes,
            "color": style["color"],
            "line": {"width": 1, "color": "#fff"},
        },
        hovertext=texts,
        hovertemplate="%{hovertext}<extra></extra>",
        customdata=urls,
    ).to_plotly_json()


GRID_COLOUR = "#d9d9d9"  # light guide lines; the data never relies on them
AXIS_COLOUR = "#4a4a4a"


def _figure(traces: list[dict], window: ChartWindow, title: str) -> dict:
    figure = go.Figure(
        data=traces,
        layout={
            # No theme: plotly's default one adds about 10 KB of settings per chart that these charts override.
            "template": "none",
            "title": {"text": title, "font": {"size": 15}},
            "xaxis": {
                "type": "date",
                "range": [window.start.isoformat(), window.end.isoformat()],
                "title": "Report published",
                "gridcolor": GRID_COLOUR,
                "linecolor": AXIS_COLOUR,
            },
            "yaxis": {
                "gridcolor": GRID_COLOUR,
                "range": [0.5, 4.5],
                "tickvals": [position for position, _ in TICKS],
                "ticktext": [label for _, label in TICKS],
                "fixedrange": True,
                "automargin": True,
            },
            "legend": {"orientation": "h", "y": -0.25},
            "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
            "hovermode": "closest",
            "height": 440,
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "font": {"family": "system-ui, sans-serif", "color": "#1b1b1b"},
        },
    )
    return json.loads(figure.to_json())


def _in_view(events: list[RatingEvent], window: ChartWindow) -> list[RatingEvent]:
    """What a chart shows of one subject and key question: the rating standing as the view opens, then
    every report inside it. The chart's text summary and table are built from this, so they match it."""
    standing = in_force(events, window.start - datetime.timedelta(days=1))
    return [
        event
        for event in events
        if event.published and (event is standing or window.start <= event.published <= window.end)
    ]


def _changes_in_view(events: list[RatingEvent], window: ChartWindow) -> list[Change]:
    """Changes computed over the whole history (so "changed from" is right), kept where the chart shows them."""
    shown = {id(event) for event in _in_view(events, window)}
    return [change for change in changes(events) if id(change.event) in shown]


def trust_timeline(events: list[RatingEvent], window: ChartWindow) -> Chart:
    """Trust-level rating in force for each key question, one trace per key question."""
    grouped = group_by_subject_and_question(e for e in events if e.subject_key == "trust")
    traces, summary, table = [], [], []
    for question, offset in zip(KeyQuestion, _offsets(len(KeyQuestion), 0.22), strict=True):
        question_events = grouped.get(("trust", question.value), [])
        trace = _step_trace(question.label, question_events, window, offset, KEY_QUESTION_STYLE[question])
        if trace:
            traces.append(trace)
        summary.append(summary_sentence(question.label, _in_view(question_events, window)))
        table.extend(_changes_in_view(question_events, window))
    table.sort(key=lambda change: change.event.published)
    title = f"Trust-level ratings in force, {window.from_year} to {window.to_year}"
    return Chart(
        element_id="chart-trust",
        title=title,
        figure=_figure(traces, window, title),
        summary=summary,
        table=table,
        undated=[e for e in events if e.subject_key == "trust" and e.published is None],
    )


RATING_BAND_STYLE = {
    RatingValue.OUTSTANDING: {"color": "#0b4f8a", "text": "#ffffff", "pattern": "."},
    RatingValue.GOOD: {"color": "#1d6b39", "text": "#ffffff", "pattern": ""},
    RatingValue.REQUIRES_IMPROVEMENT: {"color": "#ffbf47", "text": "#1b1b1b", "pattern": "/"},
    RatingValue.INADEQUATE: {"color": "#b3261e", "text": "#ffffff", "pattern": "x"},
}


def _wrap(label: str, width: int = 28) -> str:
    lines, line = [], ""
    for word in label.split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def _bands(events: list[RatingEvent], window: ChartWindow) -> list[tuple[datetime.date, datetime.date, Change]]:
    """(start, end, change) for each on-scale rating, clipped to the window."""
    on_scale = [change for change in changes(events) if change.event.is_on_scale]
    bands = []
    for index, change in enumerate(on_scale):
        start = change.event.published
        end = on_scale[index + 1].event.published if index + 1 < len(on_scale) else window.end
        if end <= window.start or start > window.end:
            continue
        bands.append((max(start, window.start), min(end, window.end), change))
    return bands


def subject_timeline(events: list[RatingEvent], window: ChartWindow, level: str, title: str) -> Chart | None:
    """Overall rating in force for each core service or location: one band per subject, split where it changed.

    A band chart rather than lines: with many services, lines on one scale overlap and cannot be told apart.
    The rating word is written in each band; colour and fill pattern only repeat it.
    """
    subject_events = [e for e in events if e.subject_key.startswith(f"{level}:")]
    if not subject_events:
        return None
    overall = group_by_subject_and_question(e for e in subject_events if e.key_question == KeyQuestion.OVERALL)
    names = {key: items[0].subject_name for (key, _), items in overall.items()}
    bars = {value: {"y": [], "base": [], "x": [], "hovertext": [], "customdata": []} for value in RATING_BAND_STYLE}
    summary = []
    for key in sorted(names, key=lambda k: names[k]):
        subject = overall[(key, KeyQuestion.OVERALL)]
        summary.append(summary_sentence(f"{names[key]} (overall)", _in_view(subject, window)))
        for start, end, change in _bands(subject, window):
            bar = bars[change.event.value]
            bar["y"].append(_wrap(names[key]))
            bar["base"].append(start.isoformat())
            bar["x"].append((end - start).days * 86_400_000)
            bar["hovertext"].append(
                f"{names[key]}: {change.description}<br>Report published {change.event.published_display}"
                f"<br>{change.event.inspection_title}"
            )
            bar["customdata"].append(change.event.inspection_url)
    traces = [
        go.Bar(
            name=RatingValue(value).label, orientation="h", text=[RatingValue(value).label] * len(bar["y"]),
            textposition="inside", insidetextanchor="middle", textfont={"color": style["text"]},
            marker={"color": style["color"], "line": {"color": "#ffffff", "width": 1},
                    "pattern": {"shape": style["pattern"], "fgcolor": style["text"], "fgopacity": 0.35,
                                "fillmode": "overlay"}},
            hovertemplate="%{hovertext}<extra></extra>", **bar,
        ).to_plotly_json()
        for value, style in RATING_BAND_STYLE.items()
        if (bar := bars[value])["y"]
    ]  # fmt: skip
    table = sorted(
        (change for items in overall.values() for change in _changes_in_view(items, window)),
        key=lambda change: (change.event.published, change.event.subject_name),
    )
    full_title = f"{title}: overall rating in force, {window.from_year} to {window.to_year}"
    figure = _figure(traces, window, full_title)
    figure["layout"]["yaxis"] = {
        "automargin": True,
        "autorange": "reversed",
        "fixedrange": True,
        "type": "category",
        "categoryorder": "array",
        "categoryarray": [_wrap(names[key]) for key in sorted(names, key=lambda k: names[k])],
    }
    figure["layout"]["barmode"] = "overlay"
    figure["layout"]["height"] = 140 + 56 * max(len(names), 1)
    # Keep the legend just under the axis whatever the chart's height (plotly places it in fractions).
    figure["layout"]["legend"]["y"] = -80 / figure["layout"]["height"]
    # A band too short for its word shows none (rather than an unreadable speck); hover and table carry it.
    figure["layout"]["uniformtext"] = {"mode": "hide", "minsize": 10}
    figure["layout"]["legend"]["traceorder"] = "normal"
    return Chart(
        element_id=f"chart-{level}",
        title=full_title,
        figure=figure,
        summary=summary or ["No overall rating for any single service or location in our sources."],
        table=table,
        undated=[e for e in subject_events if e.published is None],
    )
