"""What a year window of a timeline holds, on plain data: one home for it, so a chart only draws what it is given.

The rule for which rating stands is `standing`'s; this module clips it to a window of whole years and
says what the window leaves out, so a chart, its text twin, its table and the page's headline agree.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from inspections.domain.dates import month_year
from inspections.domain.standing import Change, RatingEvent, changes, in_force, runs

#: The years the first version of this site showed; still offered one click away on every timeline.
SEED_FROM_YEAR = 2015
SEED_TO_YEAR = 2024


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

    def holds(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def words(self) -> str:
        return f"{self.from_year} to {self.to_year}"


SEED_WINDOW = Window(SEED_FROM_YEAR, SEED_TO_YEAR)


def default_window(latest_report_year: int | None) -> Window:
    """2015 to the later of 2024 and the latest year with a report held: the default view never ends
    before the rating that stands now."""
    return Window(SEED_FROM_YEAR, max(SEED_TO_YEAR, latest_report_year or SEED_TO_YEAR))


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
    standing as the window opens, then those reports; `summary` is built from the table's rows;
    `later` the reports published after the window ends, which it leaves out; `undated` the reports with no known
    publication date, and `visited` those of them whose visit falls in the window: a chart marks each at its visit,
    but places none of their ratings (which came last cannot be told).
    """

    subject_name: str
    key_question: str
    bands: tuple[Band, ...]
    reports: tuple[Change, ...]
    table: tuple[Change, ...]
    summary: str
    later: tuple[RatingEvent, ...] = field(default=())
    undated: tuple[RatingEvent, ...] = field(default=())
    visited: tuple[RatingEvent, ...] = field(default=())

    @property
    def drawn(self) -> bool:
        """Whether a chart has anything to draw in its strip: a band, a report, or an undated report's visit."""
        return bool(self.bands or self.reports or self.visited)


def summary_sentence(label: str, events: Iterable[RatingEvent], ended: datetime.date | None = None) -> str:
    """E.g. 'Safe: Inadequate from July 2015, Requires improvement from February 2017.' (and, for a site or trust
    that closed, 'until it closed in March 2021')."""
    steps = [f"{run.value_label} from {run.first.published_month}" for run in runs(events)]
    if not steps:
        return f"{label}: no rating on the scale in our sources."
    until = f", until it closed in {month_year(ended, 'day')}" if ended else ""
    return f"{label}: {', '.join(steps)}{until}."


def series(
    events: Iterable[RatingEvent], window: Window, label: str = "", ended: datetime.date | None = None
) -> Series:
    """The window's view of one subject and key question (all `events` share both); "what changed" is
    worked out over the whole history, so a report inside the window knows the rating before it. A subject that
    `ended` (a site or trust CQC deregistered) has no rating in force after that day."""
    events = list(events)
    history = changes(events)
    opening = in_force(events, window.start - datetime.timedelta(days=1))
    reports = tuple(change for change in history if window.holds(change.event.published))
    table = tuple(change for change in history if change.event is opening) + reports
    bands = []
    for run in runs(events):
        start = max(run.first.published, window.start)
        end = min(run.replaced_by.published, window.end) if run.replaced_by else window.end
        if ended is not None:
            end = min(end, ended)
        if end > start:
            bands.append(Band(start, end, run.first))
    first = events[0] if events else None
    undated = tuple(event for event in events if event.published is None)
    return Series(
        subject_name=first.subject_name if first else "",
        key_question=first.key_question if first else "",
        bands=tuple(bands),
        reports=reports,
        table=table,
        summary=summary_sentence(label or (first.subject_name if first else ""), [c.event for c in table], ended),
        later=tuple(change.event for change in history if change.event.published > window.end),
        undated=undated,
        visited=tuple(event for event in undated if event.visited and window.holds(event.visited)),
    )
