"""Which rating is in force at a date: the carry-forward rule, on plain data.

CQC re-inspects only some services and key questions, so the grid at any moment mixes
ratings set by different reports. A rating stays in force until a later report sets a
value on the four-point scale for the same subject and key question. Entries off the scale
(not inspected, not rated, suspended, insufficient evidence) are shown as events but leave
the earlier rating standing. Reports with no known publication date cannot be placed in
time, so they never take part in "in force" and are listed separately.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from .models import SCALE_POSITION, KeyQuestion, RatingValue
from .partial_dates import format_partial_date

# Labels by code, looked up once: a page asks for thousands, and building the enum member each time added up.
RATING_LABELS = dict(RatingValue.choices)
QUESTION_LABELS = dict(KeyQuestion.choices)


@dataclass(frozen=True)
class CitedSource:
    """A source as a fact's citation shows it: named by its publisher, linked into /sources/ by its code
    (readers see names, never register codes)."""

    code: str
    publisher: str
    title: str
    published: datetime.date | None = None


@dataclass  # not frozen, though treated as a value: a frozen dataclass costs six times as much to build,
# and a large trust's page builds thousands of these (and of Change)
class RatingEvent:
    """One stored rating, flattened with what a page needs to show and link it."""

    subject_key: str
    subject_name: str
    key_question: str
    value: str
    previous_value: str
    published: datetime.date | None
    published_precision: str
    inspection_title: str
    inspection_url: str
    sources: tuple[CitedSource, ...]  # heaviest kind first
    note: str = ""
    origin: str = ""  # where the rating came from (curated, or CQC's data, whose licence asks for attribution)

    @property
    def is_on_scale(self) -> bool:
        return self.value in SCALE_POSITION

    @property
    def value_label(self) -> str:
        return RATING_LABELS[self.value]

    @property
    def previous_label(self) -> str:
        return RATING_LABELS[self.previous_value] if self.previous_value else ""

    @property
    def key_question_label(self) -> str:
        return QUESTION_LABELS[self.key_question]

    @cached_property  # a page asks for it several times an event (band, marker, table row, grid cell)
    def published_display(self) -> str:
        return format_partial_date(self.published, self.published_precision) or "publication date not known"

    @property
    def off_scale_summary(self) -> str:
        """What a grid cell says when the latest entry held is off the scale: what is known, never a guess."""
        if self.value == RatingValue.NOT_INSPECTED:
            return "Not re-inspected; the rating that stands is not in our sources"
        return f"{self.value_label}; no rating on the scale in our sources"


def undated_reports(events: Iterable[RatingEvent]) -> list[tuple[str, str]]:
    """(title, url) of each report whose ratings cannot be placed in time: no known publication date."""
    return list(dict.fromkeys((e.inspection_title, e.inspection_url) for e in events if e.published is None))


def chronological(events: Iterable[RatingEvent]) -> list[RatingEvent]:
    """Dated events oldest first (stable for reports published the same day)."""
    return sorted((e for e in events if e.published is not None), key=lambda e: e.published)


def in_force(events: Iterable[RatingEvent], at: datetime.date) -> RatingEvent | None:
    """The on-scale rating in force at `at` among events for one subject and key question."""
    return in_force_on(events, [at])[0]


def in_force_on(events: Iterable[RatingEvent], dates: list[datetime.date]) -> list[RatingEvent | None]:
    """The on-scale rating in force on each of `dates`, in their order, from one pass over the events."""
    history = chronological(events)
    found: list[RatingEvent | None] = [None] * len(dates)
    current, next_event = None, 0
    for index in sorted(range(len(dates)), key=dates.__getitem__):
        while next_event < len(history) and history[next_event].published <= dates[index]:
            if history[next_event].is_on_scale:
                current = history[next_event]
            next_event += 1
        found[index] = current
    return found


def current_rating(events: Iterable[RatingEvent]) -> RatingEvent | None:
    """What the grid shows: the latest on-scale rating, or else the latest event of any kind."""
    dated = chronological(events)
    on_scale = [e for e in dated if e.is_on_scale]
    if on_scale:
        return on_scale[-1]
    return dated[-1] if dated else None


def group_by_subject_and_question(events: Iterable[RatingEvent]) -> dict[tuple[str, str], list[RatingEvent]]:
    grouped: dict[tuple[str, str], list[RatingEvent]] = defaultdict(list)
    for event in events:
        grouped[(event.subject_key, event.key_question)].append(event)
    return grouped


@dataclass  # not frozen: see RatingEvent
class Change:
    """A point on a timeline: the event and the value in force just before it."""

    event: RatingEvent
    before: RatingEvent | None

    @property
    def description(self) -> str:
        """Says what changed, preferring the previous value our own data holds."""
        new = self.event.value_label
        if not self.event.is_on_scale:
            standing = f"; {self.before.value_label} still stands" if self.before else ""
            return f"{new}{standing}"
        before_label = self.before.value_label if self.before else self.event.previous_label
        if not before_label:
            return f"First rating held: {new}"
        if before_label == new:
            return f"Unchanged: {new}"
        return f"Changed from {before_label} to {new}"


def changes(events: Iterable[RatingEvent]) -> list[Change]:
    """Every dated event of one subject and key question, each with the rating in force before it."""
    result = []
    standing = None
    for event in chronological(events):
        result.append(Change(event=event, before=standing))
        if event.is_on_scale:
            standing = event
    return result


def summary_sentence(label: str, events: Iterable[RatingEvent]) -> str:
    """E.g. 'Safe: Inadequate from July 2015, Requires improvement from February 2017.'"""
    steps = []
    last_value = None
    for change in changes(events):
        event = change.event
        if not event.is_on_scale or event.value == last_value:
            continue
        when = format_partial_date(event.published, event.published_precision)
        if event.published_precision == "day":
            when = event.published.strftime("%B %Y")
        steps.append(f"{event.value_label} from {when}")
        last_value = event.value
    if not steps:
        return f"{label}: no rating on the scale in our sources."
    return f"{label}: {', '.join(steps)}."


# What a year window of a timeline holds: one home for it, so a chart only draws what it is given.

DEFAULT_FROM_YEAR = 2015
DEFAULT_TO_YEAR = 2024


@dataclass(frozen=True)
class Window:
    """Whole years, first to last, that a timeline shows."""

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


DEFAULT_WINDOW = Window(DEFAULT_FROM_YEAR, DEFAULT_TO_YEAR)


@dataclass(frozen=True)
class Band:
    """A stretch in which one rating stood; consecutive reports that set the same value make one band."""

    start: datetime.date
    end: datetime.date
    rating: RatingEvent


@dataclass(frozen=True)
class Series:
    """One subject and key question inside a window: what a chart draws and what its twins say.

    `bands` are the ratings standing, clipped to the window; `reports` every report published inside
    it (restatements and entries off the scale included), each drawn as a marker; `table` the rating
    standing as the window opens, then those reports; `summary` is built from the table's rows.
    """

    subject_key: str
    subject_name: str
    key_question: str
    bands: tuple[Band, ...]
    reports: tuple[Change, ...]
    table: tuple[Change, ...]
    summary: str
    undated: tuple[RatingEvent, ...] = field(default=())


def series(events: Iterable[RatingEvent], window: Window, label: str = "") -> Series:
    """The window's view of one subject and key question (all `events` share both); "what changed" is
    worked out over the whole history, so a report inside the window knows the rating before it."""
    events = list(events)
    history = changes(events)
    standing = in_force(events, window.start - datetime.timedelta(days=1))
    reports = tuple(change for change in history if window.start <= change.event.published <= window.end)
    table = tuple(change for change in history if change.event is standing) + reports
    bands: list[Band] = []
    for change in history:
        event = change.event
        if event.published > window.end:
            break
        if event.is_on_scale and (not bands or bands[-1].rating.value != event.value):
            start = max(event.published, window.start)
            if bands:
                bands[-1] = Band(bands[-1].start, start, bands[-1].rating)
            bands.append(Band(start, window.end, event))
    first = events[0] if events else None
    return Series(
        subject_key=first.subject_key if first else "",
        subject_name=first.subject_name if first else "",
        key_question=first.key_question if first else "",
        bands=tuple(band for band in bands if band.end > band.start),
        reports=reports,
        table=table,
        summary=summary_sentence(label or (first.subject_name if first else ""), [c.event for c in table]),
        undated=tuple(event for event in events if event.published is None),
    )


def standing_since(events: Iterable[RatingEvent]) -> tuple[RatingEvent, RatingEvent] | None:
    """(latest on-scale rating, first report of the unbroken run that set that same value), or None."""
    run: list[RatingEvent] = []
    for event in chronological(events):
        if not event.is_on_scale:
            continue
        if run and run[-1].value != event.value:
            run = []
        run.append(event)
    return (run[-1], run[0]) if run else None
