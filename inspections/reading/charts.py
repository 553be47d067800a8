"""Timelines drawn as plain plotly figure dicts, sent to the page as JSON; charts.js draws them.

What a window holds (bands, reports, table, summary) is worked out once in `timeline.series`; this module
decides what each chart holds (which subjects and key questions, its title and twins) and `chart_drawing`
lays it out. Every chart is a strip of coloured bands per row (a key question of the trust, or a service or
hospital): a band is a rating that stood, split only where the rating changed, with a marker for each report
that set, restated or left it. The rating word is written in the band; colour and fill pattern repeat it, so
nothing relies on colour alone.

Figures are dicts, not `go.Figure`: its validation cost about 7 ms a chart on every request,
and plotly.js checks the figure anyway.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from inspections.domain.codes import QUALITY_QUESTIONS, RESOURCE_QUESTIONS, KeyQuestion
from inspections.domain.dates import format_partial_date
from inspections.domain.standing import Change, RatingEvent, group_by_subject_and_question, runs, undated_reports
from inspections.domain.subjects import TRUST, Subject
from inspections.domain.timeline import Series, Window, series, summary_sentence
from inspections.reading.chart_drawing import (
    Preview,
    band_figure,
    preview_of,
    strips_of,
)
from inspections.reading.grid import folds


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
    visited: list[RatingEvent] = field(default_factory=list)  # undated ratings marked at their visit (diamonds)

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


def _chart(element_id: str, title: str, rows: list[tuple[str, Series]], all_series: Iterable[Series], window) -> Chart:
    all_series = list(all_series)
    table = sorted(
        (change for s in all_series for change in s.table),
        key=lambda change: (change.event.published, change.event.subject_name),
    )
    strips, plot_px = strips_of(rows)
    return Chart(
        element_id=element_id,
        title=title,
        figure=band_figure(strips, plot_px, window),
        preview=preview_of(strips, plot_px, window),
        summary=[s.summary for s in all_series],
        table=table,
        undated=[event for s in all_series for event in s.undated],
        later=[event for s in all_series for event in s.later],
        window=window,
        visited=[event for _, row in rows for event in row.visited],
    )


Closures = Mapping[str, datetime.date]  # a location's key (or "" for the whole trust) -> its deregistration date


def _ended(subject: Subject, closures: Closures | None) -> datetime.date | None:
    """When a subject's ratings stopped: its site's deregistration, else the whole trust's (None while open)."""
    if not closures:
        return None
    return closures.get(subject.location) or closures.get("")


def key_question_timeline(
    events: list[RatingEvent],
    window: Window,
    *,
    subject: Subject,
    element_id: str,
    title: str,
    closures: Closures | None = None,
    questions: tuple[str, ...] = QUALITY_QUESTIONS,
) -> Chart:
    """One subject's rating in force for each of `questions` (the trust, or one location): a strip per key question."""
    grouped = group_by_subject_and_question(e for e in events if e.subject == subject)
    questions = [q for q in KeyQuestion if q in questions]
    ended = _ended(subject, closures)
    all_series = [series(grouped.get((subject, q.value), []), window, label=q.label, ended=ended) for q in questions]
    rows = [(question.label, s) for question, s in zip(questions, all_series, strict=True) if s.drawn]
    chart = _chart(element_id, title, rows, all_series, window)
    chart.undated = [e for e in events if e.subject == subject and e.published is None]
    # Key questions with no rating on the scale are named once, as the grid says a row's gaps once.
    unrated = [q.label for q, s in zip(questions, all_series, strict=True) if not runs(c.event for c in s.table)]
    if len(unrated) > 1:
        rated = [s.summary for q, s in zip(questions, all_series, strict=True) if q.label not in unrated]
        chart.summary = [*rated, summary_sentence(", ".join(unrated), [])]
    return chart


def trust_timeline(events: list[RatingEvent], window: Window, closures: Closures | None = None) -> Chart:
    """Trust-level rating in force for each key question: one strip per key question."""
    title = f"Trust-level ratings in force, {window.from_year} to {window.to_year}"
    return key_question_timeline(
        events, window, subject=TRUST, element_id="chart-trust", title=title, closures=closures
    )


def resources_timeline(events: list[RatingEvent], window: Window, closures: Closures | None = None) -> Chart | None:
    """The whole trust's use of resources and combined rating in force (NHS trusts only): None when none is held.
    A chart of their own, under the trust's key questions, so those stay in the first screen."""
    if not any(e.subject.is_trust and e.key_question in RESOURCE_QUESTIONS for e in events):
        return None
    title = f"Use of resources: ratings in force, {window.from_year} to {window.to_year}"
    return key_question_timeline(
        events,
        window,
        subject=TRUST,
        element_id="chart-resources",
        title=title,
        closures=closures,
        questions=RESOURCE_QUESTIONS,
    )


def subject_timeline(
    events: list[RatingEvent], window: Window, level: str, title: str, closures: Closures | None = None
) -> Chart | None:
    """Overall rating in force for each core service or location: one strip per subject, by name.

    Works on any set of events (a trust's, or one location's), keeping those of `level` (a Scope).
    """
    subject_events = [e for e in events if e.subject.scope == level]
    if not subject_events:
        return None
    overall = group_by_subject_and_question(e for e in subject_events if e.key_question == KeyQuestion.OVERALL)
    all_series = sorted(
        (
            series(items, window, label=f"{items[0].subject_name} (overall)", ended=_ended(subject, closures))
            for (subject, _), items in overall.items()
        ),
        key=lambda s: s.subject_name,
    )
    rows = [(s.subject_name, s) for s in all_series if s.drawn]
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
        rows = [(name, s) for (name, _), s in zip(compared, all_series, strict=True) if s.drawn]
        title = f"{question.label}: whole-trust rating in force, {window.from_year} to {window.to_year}"
        chart = _chart(f"chart-compare-{question.value}", title, rows, all_series, window)
        chart.undated = [e for _, events in compared for e in events if e.key_question == question and not e.published]
        found.append(chart)
    return found
