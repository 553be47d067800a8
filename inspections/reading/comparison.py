"""Trusts side by side, and one trust against all trusts of its kind.

The share of trusts at each rating is counted from each trust's whole-trust overall rating in force,
with the one rule for which rating stands (`domain.standing.in_force_on`), so a trust counts with the
rating that stood on the day, not with its latest report.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

from django import forms
from django.db.models import QuerySet

from inspections.domain.codes import KeyQuestion, Scope
from inspections.domain.rating_levels import ON_SCALE, RATING_WORDS
from inspections.domain.standing import RatingEvent, current_rating, in_force_on
from inspections.domain.subjects import TRUST
from inspections.domain.timeline import Window, default_window
from inspections.models import Rating, Trust
from inspections.reading import selectors

MIN_TRUSTS, MAX_TRUSTS = 2, 4


class CompareForm(forms.Form):
    """?trust=<slug>&trust=<slug>: two to four distinct trusts we hold."""

    trust = forms.ModelMultipleChoiceField(queryset=Trust.objects.all(), to_field_name="slug")

    def clean_trust(self):
        trusts = list(self.cleaned_data["trust"])
        if not MIN_TRUSTS <= len(trusts) <= MAX_TRUSTS:
            raise forms.ValidationError(f"Choose between {MIN_TRUSTS} and {MAX_TRUSTS} trusts to compare.")
        return trusts


@dataclass(frozen=True)
class Shares:
    """How many trusts of a kind stood at each rating on one date; `unrated` had none on the scale yet."""

    when: datetime.date
    counts: dict[str, int]
    unrated: int

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    @property
    def total(self) -> int:
        return self.rated + self.unrated

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
    """Every whole-trust overall rating of `trusts` (every trust held when None), as events grouped by trust
    (one query)."""
    ratings = Rating.objects.filter(scope=Scope.TRUST, key_question=KeyQuestion.OVERALL)
    if trusts is not None:
        ratings = ratings.filter(inspection__trust__in=trusts)
    ratings = ratings.values_list(
        "inspection__trust_id", "value", "inspection__published", "inspection__published_precision", "inspection__slug"
    )
    grouped: dict[int, list[RatingEvent]] = defaultdict(list)
    for trust_id, value, published, precision, slug in ratings:
        grouped[trust_id].append(
            RatingEvent(
                subject=TRUST,
                subject_name="",
                key_question=KeyQuestion.OVERALL,
                value=value,
                previous_value="",
                published=published,
                published_precision=precision,
                inspection_slug=slug,
                inspection_title="",
                inspection_url="",
                sources=(),
            )
        )
    return grouped


def shares_on(
    events_by_trust: dict[int, list[RatingEvent]], trust_count: int, dates: list[datetime.date]
) -> list[Shares]:
    """The share of trusts at each rating on each of `dates`; trusts of the kind with no rating then count as
    unrated. Each trust's history is read once for all the dates."""
    counts = [Counter() for _ in dates]
    for events in events_by_trust.values():
        for counter, standing in zip(counts, in_force_on(events, dates), strict=True):
            if standing is not None:
                counter[standing.value] += 1
    return [
        Shares(when=when, counts=dict(counter), unrated=trust_count - sum(counter.values()))
        for when, counter in zip(dates, counts, strict=True)
    ]


def shares_at(events_by_trust: dict[int, list[RatingEvent]], trust_count: int, when: datetime.date) -> Shares:
    """The share of trusts at each rating on `when` (see `shares_on`)."""
    return shares_on(events_by_trust, trust_count, [when])[0]


@dataclass(frozen=True)
class PeerShares:
    """All trusts of a kind: the shares now, and at the end of each year, latest first, labelled by year."""

    now: Shares
    by_year: list[tuple[str, Shares]]


def peer_shares(trust: Trust, years: range, today: datetime.date) -> PeerShares:
    """All trusts of `trust`'s kind: the shares today, and at the end of each year of `years` (to today)."""
    events = overall_events_by_trust(Trust.objects.filter(kind=trust.kind))
    total = Trust.objects.filter(kind=trust.kind).count()
    ends = [min(datetime.date(year, 12, 31), today) for year in years if datetime.date(year, 1, 1) <= today]
    now, *by_year = shares_on(events, total, [today, *ends])
    latest_first = sorted(by_year, key=lambda shares: shares.when, reverse=True)
    return PeerShares(now, [(str(shares.when.year), shares) for shares in latest_first])


@dataclass(frozen=True)
class Compared:
    """One trust on the compare page: its whole-trust events (named after the trust) and current ratings."""

    trust: Trust
    events: list[RatingEvent]
    current: list[RatingEvent | None]  # one per key question, in CQC's order


def compare_window(compared: list["Compared"]) -> Window:
    """The default window, running to the latest year any of the trusts compared has a report."""
    years = [event.published.year for item in compared for event in item.events if event.published]
    return default_window(max(years, default=None))


def compared_trusts(trusts: list[Trust]) -> list[Compared]:
    """Each trust's whole-trust ratings, labelled with the trust's name so a shared chart or table says whose."""
    found = []
    for trust in trusts:
        events = [
            replace(event, subject_name=trust.name)
            for event in selectors.rating_events(trust)
            if event.subject.is_trust
        ]
        current = [current_rating([e for e in events if e.key_question == question]) for question in KeyQuestion.values]
        found.append(Compared(trust=trust, events=events, current=current))
    return found
