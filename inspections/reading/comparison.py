"""Trusts side by side, and one trust against all trusts of its kind.

The share of trusts at each rating is counted from each trust's whole-trust overall rating in force,
with the one rule for which rating stands (`domain.standing.in_force_on`), so a trust counts with the
rating that stood on the day, not with its latest report.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace

from django import forms
from django.contrib.humanize.templatetags.humanize import apnumber
from django.db.models import QuerySet

from inspections.domain.codes import KeyQuestion, Scope
from inspections.domain.rating_levels import ON_SCALE, RATING_WORDS
from inspections.domain.standing import RatingEvent, Standing, bare_event, current_rating, in_force_on, standing
from inspections.domain.subjects import TRUST
from inspections.domain.timeline import Window, default_window
from inspections.models import Rating, Trust
from inspections.models.trusts import Registered
from inspections.reading import selectors
from inspections.reading.forms import WindowChoice, window_from_query

MIN_TRUSTS, MAX_TRUSTS = 2, 4
REGISTER_FIELDS = ("pk", "deregistration_date", "registration_status")  # what `closing_dates` reads of each trust


class TrustsField(forms.ModelMultipleChoiceField):
    """The trusts asked for, by slug: too many is said first, before any address is checked (five addresses that
    are not trusts said "e is not one of the available choices"), and an address we hold no trust at is named."""

    default_error_messages = {
        "invalid_choice": "We hold no trust with the address “%(value)s”: choose each trust from the list.",
    }

    def clean(self, value):
        if value and len(value) > MAX_TRUSTS:
            raise forms.ValidationError(
                f"Compare at most {apnumber(MAX_TRUSTS)} trusts: you chose {len(value)}.", code="too_many"
            )
        return super().clean(value)


class CompareForm(forms.Form):
    """?trust=<slug>&trust=<slug>: two to four distinct trusts we hold."""

    trust = TrustsField(queryset=Trust.objects.all(), to_field_name="slug")

    def clean_trust(self):
        trusts = list(self.cleaned_data["trust"])
        if len(trusts) < MIN_TRUSTS and self._chosen_twice():
            name = trusts[0].name if trusts else "one trust"
            raise forms.ValidationError(
                f"You chose the same trust twice ({name}): a trust cannot be compared with itself. "
                "Choose a different trust to compare it with."
            )
        if not MIN_TRUSTS <= len(trusts) <= MAX_TRUSTS:
            raise forms.ValidationError(f"Choose between {MIN_TRUSTS} and {MAX_TRUSTS} trusts to compare.")
        return trusts

    def _chosen_twice(self) -> bool:
        """Whether a trust was chosen more than once (the field itself keeps each trust once)."""
        chosen = self.fields["trust"].widget.value_from_datadict(self.data, self.files, self.add_prefix("trust"))
        return len(chosen) > len(set(chosen))


@dataclass(frozen=True)
class Shares:
    """How many trusts of a kind stood at each rating on one date; `unrated` had none on the scale yet."""

    when: datetime.date
    counts: dict[str, int]
    unrated: int
    closed: int = 0  # held, but deregistered by `when`: counted in no share

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    @property
    def total(self) -> int:
        """The trusts counted: those open on the day, rated or not."""
        return self.rated + self.unrated

    @property
    def closed_note(self) -> str:
        """' (2 more closed, not counted)', or '' when none of those held had closed by then."""
        return f" ({self.closed} more closed, not counted)" if self.closed else ""

    def percent(self, value: str) -> int:
        return round(100 * self.counts.get(value, 0) / self.rated) if self.rated else 0

    @property
    def rows(self) -> list[tuple[str, int, int]]:
        """(rating label, trusts, percent of rated trusts), best first."""
        return [(RATING_WORDS[value], self.counts.get(value, 0), self.percent(value)) for value in ON_SCALE]

    @property
    def counted(self) -> list[tuple[str, int, int]]:
        """(rating code, trusts, percent of rated trusts), best first."""
        return [(value, self.counts.get(value, 0), self.percent(value)) for value in ON_SCALE]


def overall_events_by_trust(trusts: QuerySet[Trust] | None = None) -> dict[int, list[RatingEvent]]:
    """Every dated whole-trust overall rating on the scale of `trusts` (every trust held when None), as events
    grouped by trust (one query). Entries off the scale and undated reports never decide what was in force on a
    day, so are not read."""
    ratings = Rating.objects.filter(
        scope=Scope.TRUST, key_question=KeyQuestion.OVERALL, value__in=ON_SCALE, inspection__published__isnull=False
    )
    if trusts is not None:
        ratings = ratings.filter(inspection__trust__in=trusts)
    ratings = ratings.values_list(
        "inspection__trust_id", "value", "inspection__published", "inspection__published_precision", "inspection__slug"
    )
    grouped: dict[int, list[RatingEvent]] = defaultdict(list)
    for trust_id, value, published, precision, slug in ratings:
        grouped[trust_id].append(bare_event(TRUST, KeyQuestion.OVERALL, value, published, precision, slug))
    return grouped


def shares_on(
    events_by_trust: dict[int, list[RatingEvent]],
    trust_count: int,
    dates: list[datetime.date],
    closed_on: dict[int, datetime.date] | None = None,
) -> list[Shares]:
    """The share of trusts at each rating on each of `dates`; trusts of the kind with no rating then count as
    unrated. A trust closed on or before a date (`closed_on`, by trust: `Registered.closed_on`) is counted in
    none of that date's shares: its last rating no longer stands anywhere. Each trust's history is read once."""
    closed_on = closed_on or {}
    counts = [Counter() for _ in dates]
    for pk, events in events_by_trust.items():
        closed = closed_on.get(pk)
        for when, counter, stood in zip(dates, counts, in_force_on(events, dates), strict=True):
            if stood is not None and (closed is None or when < closed):
                counter[stood.value] += 1
    shares = []
    for when, counter in zip(dates, counts, strict=True):
        closed = sum(1 for day in closed_on.values() if day <= when)
        rated = sum(counter.values())
        shares.append(Shares(when=when, counts=dict(counter), unrated=trust_count - closed - rated, closed=closed))
    return shares


def shares_at(
    events_by_trust: dict[int, list[RatingEvent]],
    trust_count: int,
    when: datetime.date,
    closed_on: dict[int, datetime.date] | None = None,
) -> Shares:
    """The share of trusts at each rating on `when` (see `shares_on`)."""
    return shares_on(events_by_trust, trust_count, [when], closed_on)[0]


def closing_dates(rows, today: datetime.date) -> dict[int, datetime.date]:
    """{pk: the day it closed} for the closed ones among `rows` (dicts with pk, deregistration_date and
    registration_status), by the one rule (`Registered.closed_on`)."""
    found = {
        row["pk"]: Registered.closed_on(row["deregistration_date"], row["registration_status"], today) for row in rows
    }
    return {pk: day for pk, day in found.items() if day is not None}


@dataclass(frozen=True)
class PeerShares:
    """All trusts of a kind: the shares now, and at the end of each year, latest first, labelled by year."""

    now: Shares
    by_year: list[tuple[str, Shares]]


def peer_shares_of_kind(kind: str, years: range, today: datetime.date) -> PeerShares:
    """All trusts of `kind`: the shares today, and at the end of each year of `years` (to today), read afresh
    (publishing/kept_shares.py keeps them in the cache)."""
    events = overall_events_by_trust(Trust.objects.filter(kind=kind))
    held = list(Trust.objects.filter(kind=kind).values(*REGISTER_FIELDS))
    ends = [min(datetime.date(year, 12, 31), today) for year in years if datetime.date(year, 1, 1) <= today]
    now, *by_year = shares_on(events, len(held), [today, *ends], closing_dates(held, today))
    latest_first = sorted(by_year, key=lambda shares: shares.when, reverse=True)
    return PeerShares(now, [(str(shares.when.year), shares) for shares in latest_first])


@dataclass(frozen=True)
class Compared:
    """One trust on the compare page: its whole-trust events (named after the trust), and for each key question in
    CQC's order what its grid cell shows (`current`) and the rating that stands with since when and last confirmed
    when (`standings`, None where none on the scale), as on the trust page's grid."""

    trust: Trust
    events: list[RatingEvent]
    current: list[RatingEvent | None]
    standings: list[Standing | None]

    def cell(self, index: int) -> tuple[Trust, RatingEvent | None, Standing | None]:
        """The key question at `index`: the trust, what its cell shows, and its standing."""
        return self.trust, self.current[index], self.standings[index]


def compare_window(compared: list["Compared"], params: Mapping[str, str], *, today: datetime.date) -> WindowChoice:
    """The years asked for (`from`, `to`) or the default, running to the latest year any of the trusts compared has
    a report, saying what was wrong with years that cannot be used, as the trust page does; the views one click
    away keep the trusts compared."""
    years = [event.published.year for item in compared for event in item.events if event.published]
    return window_from_query(
        params,
        today=today,
        default=default_window(max(years, default=None)),
        full_history=Window(min(years), max(years)) if years else None,
        kept=tuple(("trust", item.trust.slug) for item in compared),
    )


def compared_trusts(trusts: list[Trust]) -> list[Compared]:
    """Each trust's whole-trust ratings, labelled with the trust's name so a shared chart or table says whose."""
    found = []
    for trust in trusts:
        events = [
            replace(event, subject_name=trust.name)
            for event in selectors.rating_events(trust)
            if event.subject.is_trust
        ]
        held = [[e for e in events if e.key_question == question] for question in KeyQuestion.values]
        found.append(
            Compared(
                trust=trust,
                events=events,
                current=[current_rating(e) for e in held],
                standings=[standing(e) for e in held],
            )
        )
    return found
