"""Movements of every trust's whole-trust overall rating and of every hospital's or site's own overall rating, and the
age of the rating in force at each open trust and site, as plain data for /national/, the trust and site pages, the
open data and the API (issue 29).

Everything here rests on the pure rules of `domain.movements`, which sit on the one rule for which rating stands
(`domain.standing`): this module groups what those rules return, and `national_rows` reads the rows. The figures
are built once per data version (`publishing.national_figures`, cached under it), never per request.

Ages are counted as of the data's day (`as_of`): the latest publication date held, so a download built once per
data version says the same thing whichever day it is fetched. Closed trusts and sites are left out of ages, as in
the shares (`Registered.closed_on`; a site of a closed trust is closed too); their movements, which happened while
they were open, stay in. A site's "kind" is its trust's kind: sites of acute trusts are compared with each other.
"""

import datetime
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property

from inspections.domain.codes import TrustKind
from inspections.domain.dates import iso_partial_date
from inspections.domain.movements import Age, Direction, Movement, median_years, place_among, whole_years
from inspections.domain.rating_levels import ON_SCALE, RATING_WORDS

LATEST_MOVERS = 20
OLD_YEARS = 5
KIND_LABELS = dict(TrustKind.choices)
FIFTHS = ("in the oldest fifth", "in the second oldest fifth", "in the middle fifth", "in the second newest fifth",
          "in the newest fifth")  # fmt: skip

_CHANGE = ("from_rating", "from_published", "to_rating", "to_published", "change", "steps", "inspection")
_AGE = ("rating", "since", "last_confirmed", "years_since", "years_since_confirmed", "data_as_of")
MOVEMENTS_HEADER = ("provider_id", "trust", "kind", "region", *_CHANGE)
AGES_HEADER = ("provider_id", "trust", "kind", "region", *_AGE)
SITE_MOVEMENTS_HEADER = ("provider_id", "trust", "location_id", "site", "kind", "region", *_CHANGE)
SITE_AGES_HEADER = ("provider_id", "trust", "location_id", "site", "kind", "region", *_AGE)


@dataclass(frozen=True)
class Rated:
    """What is rated: a trust, or a hospital or site (with the trust that runs it). `kind` is the trust's kind."""

    pk: int
    provider_id: str
    trust: str
    trust_url: str
    kind: str
    region: str
    location_id: str = ""  # CQC's location id of a site; "" for a trust
    site: str = ""  # the site's name; "" for a trust
    site_url: str = ""

    @property
    def name(self) -> str:
        return self.site or self.trust

    @property
    def url(self) -> str:
        return self.site_url or self.trust_url

    @property
    def columns(self) -> dict[str, str]:
        found = {"provider_id": self.provider_id, "trust": self.trust}
        if self.site:
            found |= {"location_id": self.location_id, "site": self.site}
        return found | {"kind": self.kind, "region": self.region}


@dataclass(frozen=True)
class Moved:
    """One movement of a trust's or site's overall rating, with the report that made it."""

    rated: Rated
    movement: Movement
    report_url: str

    @property
    def record(self) -> dict[str, str]:
        before, after = self.movement.before, self.movement.after
        return self.rated.columns | {
            "from_rating": before.value,
            "from_published": iso_partial_date(before.published, before.published_precision),
            "to_rating": after.value,
            "to_published": iso_partial_date(after.published, after.published_precision),
            "change": str(self.movement.direction),
            "steps": str(self.movement.steps),
            "inspection": after.inspection_slug,
        }

    @property
    def words(self) -> str:
        """E.g. 'Requires improvement to Good (up 1 step)'."""
        steps = self.movement.steps
        way = "up" if steps > 0 else "down"
        return f"{self.movement.before.value_label} to {self.movement.after.value_label} ({way} {abs(steps)} step" + (
            "s)" if abs(steps) != 1 else ")"
        )


@dataclass(frozen=True)
class Aged:
    """The age of the overall rating in force at one open trust or site, as of the data's day."""

    rated: Rated
    age: Age

    @property
    def record(self) -> dict[str, str]:
        since, confirmed = self.age.standing.since, self.age.standing.confirmed
        return self.rated.columns | {
            "rating": self.age.standing.value,
            "since": iso_partial_date(since.published, since.published_precision),
            "last_confirmed": iso_partial_date(confirmed.published, confirmed.published_precision),
            "years_since": f"{self.age.years_since:.2f}",
            "years_since_confirmed": f"{self.age.years_since_confirmed:.2f}",
            "data_as_of": self.age.day.isoformat(),
        }


@dataclass(frozen=True)
class Noun:
    """How the figures name what they count: trusts, or hospitals and sites."""

    one: str  # "trust", "site"
    many: str  # "trusts", "hospitals and sites"
    everyone: str  # the from-to table's first group
    whose_rating: str  # what moves: "a trust's overall rating"


TRUSTS = Noun("trust", "trusts", "All trusts", "a trust's overall rating")
SITES = Noun("site", "hospitals and sites", "All hospitals and sites", "a hospital's or site's own overall rating")


@dataclass(frozen=True)
class FromTo:
    """Of the movements from one rating over a span of years: how many improved, stayed, declined."""

    group: str
    rating: str
    improved: int
    unchanged: int
    declined: int
    noun: Noun = TRUSTS

    @property
    def total(self) -> int:
        return self.improved + self.unchanged + self.declined

    @property
    def rating_word(self) -> str:
        return RATING_WORDS[self.rating]

    @property
    def sentence(self) -> str:
        """'Of 40 later rated reports on trusts rated Requires improvement, 22 improved, 15 stayed, 3 declined.'"""
        return (
            f"Of {self.total} later rated report{'s' if self.total != 1 else ''} on {self.noun.many} rated "
            f"{RATING_WORDS[self.rating]}, {self.improved} improved, {self.unchanged} stayed, "
            f"{self.declined} declined."
        )


@dataclass(frozen=True)
class Figures:
    """The movements and ages of one kind of subject (trusts, or hospitals and sites), as /national/ shows them.

    Built once a data version and read by a template many times: what it derives is worked out once (cached).
    """

    as_of: datetime.date
    noun: Noun
    movements: list[Moved]  # by provider id (then site), then oldest first
    ages: list[Aged]  # open ones with an overall rating on the scale, in the same order

    @cached_property
    def by_year(self) -> list[tuple[int, int, int, int]]:
        """(year, improved, unchanged, declined), oldest year first."""
        counts: dict[int, Counter] = defaultdict(Counter)
        for found in self.movements:
            counts[found.movement.year][found.movement.direction] += 1
        return [
            (year, c[Direction.IMPROVED], c[Direction.UNCHANGED], c[Direction.DECLINED])
            for year, c in sorted(counts.items())
        ]

    @cached_property
    def years(self) -> list[int]:
        return [year for year, *_ in self.by_year]

    def from_to(self, first: int, last: int) -> list[FromTo]:
        """From each rating, over reports published in `first`..`last`: all, then by kind, then by region."""
        chosen = [m for m in self.movements if first <= m.movement.year <= last]
        groups = [(self.noun.everyone, chosen)]
        kinds, regions = sorted({m.rated.kind for m in chosen}), sorted({m.rated.region for m in chosen})
        groups += [(self._kind_group(k), [m for m in chosen if m.rated.kind == k]) for k in kinds]
        groups += [(r or "Region not known", [m for m in chosen if m.rated.region == r]) for r in regions]
        found = []
        for name, members in groups:
            for rating in ON_SCALE:
                c = Counter(m.movement.direction for m in members if m.movement.before.value == rating)
                if c:
                    counts = (c[Direction.IMPROVED], c[Direction.UNCHANGED], c[Direction.DECLINED])
                    found.append(FromTo(name, rating, *counts, noun=self.noun))
        return found

    def _kind_group(self, kind: str) -> str:
        label = KIND_LABELS.get(kind, kind)
        return label if self.noun is TRUSTS else f"Sites of {_plural(label.lower())}"

    @cached_property
    def latest_movers(self) -> list[Moved]:
        """The LATEST_MOVERS most recent improvements and declines, newest first."""
        moved = [m for m in self.movements if m.movement.direction != Direction.UNCHANGED]
        moved.sort(key=lambda m: (m.movement.after.published, m.movement.after.inspection_slug), reverse=True)
        return moved[:LATEST_MOVERS]

    @cached_property
    def old_ratings(self) -> list[Aged]:
        """Those whose overall rating in force was set more than OLD_YEARS years ago, oldest first."""
        old = [found for found in self.ages if found.age.years_since > OLD_YEARS]
        return sorted(old, key=lambda found: -found.age.years_since)

    def median_by(self, field: str) -> list[tuple[str, int, float, float]]:
        """(group, how many, median years since set, median years since last confirmed) by 'kind' or 'region'."""
        groups: dict[str, list[Aged]] = defaultdict(list)
        for found in self.ages:
            groups[getattr(found.rated, field)].append(found)
        rows = []
        for name, members in sorted(groups.items()):
            label = self._kind_group(name) if field == "kind" else (name or "Region not known")
            since = median_years(m.age.years_since for m in members)
            confirmed = median_years(m.age.years_since_confirmed for m in members)
            rows.append((label, len(members), round(since, 1), round(confirmed, 1)))
        return rows

    @cached_property
    def median_by_kind(self) -> list[tuple[str, int, float, float]]:
        return self.median_by("kind")

    @cached_property
    def median_by_region(self) -> list[tuple[str, int, float, float]]:
        return self.median_by("region")

    @cached_property
    def distribution(self) -> list[tuple[str, list[int]]]:
        """(kind label, how many were last rated 0-1, 1-2, ... years ago, up to 10 and more)."""
        bins = age_bins()
        rows = []
        for kind in sorted({found.rated.kind for found in self.ages}):
            counts = [0] * len(bins)
            for found in self.ages:
                if found.rated.kind == kind:
                    counts[min(whole_years(found.age.years_since_confirmed), len(bins) - 1)] += 1
            rows.append((self._kind_group(kind), counts))
        return rows

    @cached_property
    def _aged_by_pk(self) -> dict[int, Aged]:
        found_by_pk: dict[int, Aged] = {}
        for found in self.ages:
            found_by_pk.setdefault(found.rated.pk, found)
        return found_by_pk

    @cached_property
    def _peers_by_kind(self) -> dict[str, tuple[list[float], float]]:
        """Each kind's years since last confirmed, sorted (as `place_among` takes them), with their median: built
        once with the figures, so a page's line reads no other trust's or site's age."""
        years: dict[str, list[float]] = defaultdict(list)
        for found in self.ages:
            years[found.rated.kind].append(found.age.years_since_confirmed)
        return {kind: (sorted(found), median_years(found)) for kind, found in years.items()}

    def age_line(self, pk: int) -> dict | None:
        """A trust's or site's page line: how old its rating is, and its place among open ones of its kind."""
        mine = self._aged_by_pk.get(pk)
        if mine is None:
            return None
        peers, median = self._peers_by_kind[mine.rated.kind]
        place = place_among(mine.age.years_since_confirmed, peers)
        set_years, confirmed_years = whole_years(mine.age.years_since), whole_years(mine.age.years_since_confirmed)
        text = f"Set {_years_ago(set_years)}"
        if mine.age.standing.reconfirmed:
            text += f" and last confirmed {_years_ago(confirmed_years)}"
        kind = _plural(KIND_LABELS.get(mine.rated.kind, mine.rated.kind).lower())
        if len(peers) == 1:  # no others to be placed among
            alone = kind[:-1] if self.noun is TRUSTS else f"hospital or site of {kind}"
            text += f"; it is the only open {alone} we hold with a rating in force"
        else:
            among = kind if self.noun is TRUSTS else f"hospitals and sites of {kind}"
            within = _years_word(math.ceil(median))  # "within": the whole years that hold the median
            text += f"; among the {len(peers)} open {among} we hold with a rating in force, half were "
            text += f"last rated within {within}"
        return {
            "text": text,
            "place": FIFTHS[place.fifth - 1] if len(peers) > 1 else "",
            "whose": f"this {self.noun.one}'s",
            "anchor": "ages" if self.noun is TRUSTS else "site-ages",
            "as_of": self.as_of,
        }


@dataclass(frozen=True)
class NationalFigures:
    """What /national/ shows of movements and ages, built once per data version: trusts, and hospitals and sites."""

    as_of: datetime.date
    trusts: Figures
    sites: Figures


def _plural(kind: str) -> str:
    """'mental health trust' -> 'mental health trusts'; 'other nhs trust' -> 'other NHS trusts'."""
    return kind.replace("nhs", "NHS") + "s"


def age_bins() -> list[str]:
    """The ages' columns, in whole years since last rated (short: eleven of them share a desktop table's width)."""
    return [f"{year} to {year + 1}" for year in range(10)] + ["10 or more"]


def _years_word(years: int) -> str:
    return "a year" if years == 1 else f"{years} years"


def _years_ago(years: int) -> str:
    return "less than a year ago" if years == 0 else f"{_years_word(years)} ago"
