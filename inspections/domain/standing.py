"""Which rating stands: the carry-forward rule, on plain data, in one place.

CQC re-inspects only some services and key questions, so the grid at any moment mixes ratings set
by different reports. A rating stays in force until a later report sets a value on the four-point
scale for the same subject and key question. Entries off the scale (not inspected, not rated,
suspended, insufficient evidence) are shown as events but leave the earlier rating standing.
Reports with no known publication date cannot be placed in time, so they never take part in "in
force" and are listed separately.

Everything here answers for the events of one subject and key question, in `report_order`: by
publication date, and for two reports published the same day, by the inspection's slug (the later
slug counts as the later report). The trust list's SQL orders the same way and a property test
holds it to this module (tests/integration/test_standing_agreement.py).

- `in_force_on(events, dates)`: what stood on each date;
- `current_rating(events)`: what the grid shows now (the latest on the scale, else the latest entry);
- `standing(events)`: the rating that stands now, since when it has stood unbroken and when a report
  last confirmed it;
- `changes(events)`: each report with the rating in force just before it;
- `runs(events)`: the stretches of one unbroken rating, from which timelines draw their bands.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from inspections.domain.codes import KeyQuestion
from inspections.domain.dates import format_partial_date, month_year
from inspections.domain.rating_levels import RATING_WORDS, SCALE_POSITION, RatingValue
from inspections.domain.subjects import Subject

QUESTION_LABELS = dict(KeyQuestion.choices)


@dataclass(frozen=True)
class CitedSource:
    """A source as a fact's citation shows it: named by its publisher, linked into /sources/ by its code
    (readers see names, never register codes)."""

    code: str
    publisher: str
    title: str
    published: datetime.date | None = None


@dataclass(frozen=True)
class Formerly:
    """The service a rating was set for, where CQC has since superseded it at that place with the service the rating
    is now shown under (e.g. "Maternity and gynaecology", replaced by "Maternity" in August 2018): the two read as one
    line of service, and the rating is history there, not a current one."""

    name: str  # the superseded service's name, e.g. "Maternity and gynaecology"
    successor: str  # the service that replaced it there, e.g. "Maternity" ("" where CQC names none)
    ended: datetime.date | None  # when CQC ended it there, where CQC says

    @property
    def words(self) -> str:
        """'rated as Maternity and gynaecology, which Maternity replaced in August 2018' (as much as is known)."""
        when = f" in {month_year(self.ended, 'day')}" if self.ended else ""
        if self.successor:
            return f"rated as {self.name}, which {self.successor} replaced{when}"
        return f"rated as {self.name}, a service CQC has since retired here{when}"

    @property
    def replaced_words(self) -> str:
        """What the successor's row says: 'replaced Maternity and gynaecology in August 2018'."""
        when = f" in {month_year(self.ended, 'day')}" if self.ended else ""
        return f"replaced {self.name}{when}"


@dataclass  # not frozen, though treated as a value: a frozen dataclass costs six times as much to build,
# and a large trust's page builds thousands of these (and of Change)
class RatingEvent:
    """One stored rating, flattened with what a page needs to show and link it."""

    subject: Subject
    subject_name: str
    key_question: str
    value: str
    previous_value: str
    published: datetime.date | None
    published_precision: str
    inspection_slug: str  # orders two reports published the same day (see report_order)
    inspection_title: str
    inspection_url: str
    sources: tuple[CitedSource, ...]  # heaviest kind first
    note: str = ""
    origin: str = ""  # where the rating came from (curated, or CQC's data, whose licence asks for attribution)
    inherited_from: str = ""  # where a site's rating came from a report on its predecessor: that predecessor
    formerly: Formerly | None = None  # set for a service CQC has since superseded there: its rating is history
    # For a report whose publication date is not in our sources: the date (and precision) of the visit that places
    # it (`Inspection.placed_on`). Timelines mark the report there, but never place its rating in time.
    visited: datetime.date | None = None
    visited_precision: str = ""
    rating_id: int = 0  # the stored rating's id, where a page needs to find its own rows among the events

    @property
    def is_history(self) -> bool:
        """A rating of a service CQC has superseded at its place: on timelines, never in a current grid."""
        return self.formerly is not None

    @property
    def is_on_scale(self) -> bool:
        return self.value in SCALE_POSITION

    @property
    def value_label(self) -> str:
        return RATING_WORDS[self.value]

    @property
    def previous_label(self) -> str:
        return RATING_WORDS[self.previous_value] if self.previous_value else ""

    @property
    def key_question_label(self) -> str:
        return QUESTION_LABELS[self.key_question]

    @cached_property  # a page asks for it several times an event (band, marker, table row, grid cell)
    def published_display(self) -> str:
        return format_partial_date(self.published, self.published_precision) or "publication date not known"

    @property
    def visited_month(self) -> str:
        """'May 2025' (or the year): the visit that places an undated report; '' when none is held."""
        return month_year(self.visited, self.visited_precision)

    @property
    def published_month(self) -> str:
        """'July 2015' (or as much of it as is known); '' when the date is not known."""
        return month_year(self.published, self.published_precision)

    @property
    def off_scale_summary(self) -> str:
        """What a grid cell says when the latest entry held is off the scale: what is known, never a guess."""
        if self.value == RatingValue.NOT_INSPECTED:
            return "Not re-inspected; the rating that stands is not in our sources"
        return f"{self.value_label}; no rating on the scale in our sources"


def bare_event(
    subject: Subject,
    key_question: str,
    value: str,
    published: datetime.date | None,
    precision: str,
    slug: str,
    *,
    inherited_from: str = "",
) -> RatingEvent:
    """A rating with only what the rule for which rating stands reads (for counting trusts or sites at a rating, or
    their movements, which leave a site's inherited ratings out)."""
    return RatingEvent(
        subject=subject,
        subject_name="",
        key_question=key_question,
        value=value,
        previous_value="",
        published=published,
        published_precision=precision,
        inspection_slug=slug,
        inspection_title="",
        inspection_url="",
        sources=(),
        inherited_from=inherited_from,
    )


def report_key(published: datetime.date, slug: str) -> tuple[datetime.date, str]:
    """The order of dated reports, the one rule (the import's carry-forward and writes use it too): by
    publication date, then (same day) by the inspection's slug."""
    return published, slug


def report_order(event: RatingEvent) -> tuple[datetime.date, str]:
    return report_key(event.published, event.inspection_slug)


def undated_reports(events: Iterable[RatingEvent]) -> list[tuple[str, str]]:
    """(title, url) of each report whose ratings cannot be placed in time: no known publication date."""
    return list(dict.fromkeys((e.inspection_title, e.inspection_url) for e in events if e.published is None))


def chronological(events: Iterable[RatingEvent]) -> list[RatingEvent]:
    """Dated events in report order, oldest first."""
    return sorted((e for e in events if e.published is not None), key=report_order)


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


def in_force(events: Iterable[RatingEvent], at: datetime.date) -> RatingEvent | None:
    """The on-scale rating in force at `at`."""
    return in_force_on(events, [at])[0]


@dataclass
class Run:
    """An unbroken stretch of one rating: the report that set it, the last that restated it, and the
    report that replaced it with another rating on the scale (None while it stands)."""

    first: RatingEvent
    last: RatingEvent
    replaced_by: RatingEvent | None = None

    @property
    def value(self) -> str:
        return self.first.value

    @property
    def value_label(self) -> str:
        return self.first.value_label


def runs(events: Iterable[RatingEvent]) -> list[Run]:
    """The stretches of one unbroken rating, oldest first; reports off the scale neither break nor restate one."""
    found: list[Run] = []
    for event in chronological(events):
        if not event.is_on_scale:
            continue
        if found and found[-1].value == event.value:
            found[-1].last = event
            continue
        if found:
            found[-1].replaced_by = event
        found.append(Run(first=event, last=event))
    return found


@dataclass(frozen=True)
class Standing:
    """The rating that stands now: `since` is the report that set it (the first of its unbroken run),
    `confirmed` the latest report that set or restated it (the same report when none has since)."""

    since: RatingEvent
    confirmed: RatingEvent

    @property
    def value(self) -> str:
        return self.confirmed.value

    @property
    def value_label(self) -> str:
        return self.confirmed.value_label

    @property
    def inherited(self) -> RatingEvent | None:
        """The report on a predecessor site whose rating this site inherited, while it has none of its own since."""
        return self.confirmed if self.confirmed.inherited_from else None

    @property
    def reconfirmed(self) -> bool:
        return self.confirmed is not self.since

    @property
    def phrases(self) -> list[tuple[str, RatingEvent]]:
        """The one wording in its parts, each with the report it names, so a page can link each date to its report:
        [('since', first report), ('last confirmed', latest report)], the second only when it names another month."""
        found = [("since", self.since)]
        if self.reconfirmed and self.confirmed.published_month != self.since.published_month:
            found.append(("last confirmed", self.confirmed))
        return found

    @property
    def words(self) -> str:
        """The one wording for it, e.g. 'since July 2015, last confirmed February 2022' (or 'since July 2015')."""
        return ", ".join(f"{lead} {event.published_month}" for lead, event in self.phrases)


def standing(events: Iterable[RatingEvent]) -> Standing | None:
    """The rating that stands now, since when and last confirmed when; None when no report set one on the scale."""
    found = runs(events)
    return Standing(since=found[-1].first, confirmed=found[-1].last) if found else None


def current_rating(events: Iterable[RatingEvent]) -> RatingEvent | None:
    """What the grid shows: the rating that stands, or else the latest entry of any kind."""
    dated = chronological(events)
    for event in reversed(dated):
        if event.is_on_scale:
            return event
    return dated[-1] if dated else None


def group_by_subject_and_question(events: Iterable[RatingEvent]) -> dict[tuple[Subject, str], list[RatingEvent]]:
    grouped: dict[tuple[Subject, str], list[RatingEvent]] = defaultdict(list)
    for event in events:
        grouped[(event.subject, event.key_question)].append(event)
    return grouped


@dataclass  # not frozen: see RatingEvent
class Change:
    """A point on a timeline: the event and the value in force just before it."""

    event: RatingEvent
    before: RatingEvent | None

    @property
    def description(self) -> str:
        """Says what changed, preferring the previous value our own data holds, and for a service CQC has since
        superseded, under which name it was rated."""
        said = self._what_changed()
        return f"{said} ({self.event.formerly.words})" if self.event.formerly else said

    def _what_changed(self) -> str:
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
    """Every dated event, each with the rating in force before it."""
    result = []
    in_force_now = None
    for event in chronological(events):
        result.append(Change(event=event, before=in_force_now))
        if event.is_on_scale:
            in_force_now = event
    return result
