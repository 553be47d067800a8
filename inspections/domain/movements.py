"""What changed and how old it is: movements of a rating on the scale, and the age of the rating in force, from the
one rule for which rating stands (`standing`), on plain data.

- A **movement** is a report that set or restated a subject's rating on the scale for a key question, after its
  first: from the rating in force just before it to the one it set, improved, declined or unchanged, by how many
  steps of the scale. An entry off the scale ("not inspected", "inspected but not rated") is no movement: it sets no
  rating and leaves the one before standing. A report that only carried a predecessor's rating over to a site (an
  inherited rating) is no movement of the site's either, though the rating it carried stands until the site's own.
- The **age** of the rating in force: years since the report that set it (the first of its unbroken run) and since
  the latest that set or restated it, on a given day.
"""

import bisect
import datetime
import enum
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from inspections.domain.rating_levels import SCALE_POSITION
from inspections.domain.standing import RatingEvent, Standing, changes

DAYS_A_YEAR = 365.2425


class Direction(enum.StrEnum):
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    DECLINED = "declined"


@dataclass(frozen=True)
class Movement:
    """A report that set or restated a rating on the scale, and the rating in force before it."""

    before: RatingEvent
    after: RatingEvent

    @cached_property
    def steps(self) -> int:
        """Steps up the scale (negative: down), e.g. Requires improvement to Outstanding is 2."""
        return SCALE_POSITION[self.after.value] - SCALE_POSITION[self.before.value]

    @cached_property
    def direction(self) -> Direction:
        if self.steps > 0:
            return Direction.IMPROVED
        return Direction.DECLINED if self.steps < 0 else Direction.UNCHANGED

    @property
    def year(self) -> int:
        return self.after.published.year


def movements(events: Iterable[RatingEvent]) -> list[Movement]:
    """The movements of one subject and key question, oldest first (an inherited rating stands, but is no movement
    of the site's)."""
    found = []
    for change in changes(events):
        after = change.event
        if change.before is None or not after.is_on_scale or after.inherited_from:
            continue
        found.append(Movement(before=change.before, after=after))
    return found


@dataclass(frozen=True)
class Age:
    """How old the rating in force is on `day`: years since it was set, and since it was last set or restated."""

    standing: Standing
    day: datetime.date

    @property
    def years_since(self) -> float:
        return _years(self.standing.since.published, self.day)

    @property
    def years_since_confirmed(self) -> float:
        return _years(self.standing.confirmed.published, self.day)


def _years(start: datetime.date, day: datetime.date) -> float:
    return max((day - start).days, 0) / DAYS_A_YEAR


def whole_years(years: float) -> int:
    """Years as a reader counts them: whole years completed."""
    return int(years)


@dataclass(frozen=True)
class Place:
    """Where one age stands among others: how many are older, out of how many, and the fifth it falls in."""

    older: int
    of: int

    @property
    def fifth(self) -> int:
        """1 for the oldest fifth, ..., 5 for the newest (by the share of others older than it)."""
        if self.of <= 1:
            return 5
        return min(5, 1 + int(5 * self.older / self.of))


def place_among(years: float, all_years: list[float]) -> Place:
    """Where `years` falls among `all_years`, sorted oldest last (and including it): how many are older. A bisect,
    as a site's page places it among every open site of its kind (some 11,000 at national scale)."""
    return Place(older=len(all_years) - bisect.bisect_right(all_years, years), of=len(all_years))


def median_years(all_years: Iterable[float]) -> float | None:
    found = list(all_years)
    return statistics.median(found) if found else None
