"""The national movements and ages, built once per data version and kept in the cache under it (the building is
reading's `movement_rows.build_figures`; keeping it is publishing's)."""

from django.core.cache import cache

from inspections.changes.version import data_version
from inspections.reading.movement_rows import build_figures
from inspections.reading.national_movements import NationalFigures

FIGURES_SECONDS = 24 * 60 * 60  # as the page cache: the data version, not the clock, decides when they are stale

# This process's copy, with the version it is of: every trust and site page reads one line of the figures, and
# unpickling all of them from the cache each time cost more than building the rest of a page (180 ms at 232 trusts).
_held: tuple[str, NationalFigures] | None = None


def forget_held_figures() -> None:
    """The next ask reads the cache (between tests, whose rolled-back data may leave the version where it was)."""
    global _held
    _held = None


def national_figures() -> NationalFigures:
    """The figures at the current data version, built on the first ask after the data changes (no query after),
    kept in the shared cache for other processes and held in this one until the version moves."""
    global _held
    version = data_version()
    held = _held
    if held is not None and held[0] == version:
        return held[1]
    key = f"national-figures:{version}"
    figures = cache.get(key)
    if figures is None:
        figures = build_figures()
        cache.set(key, figures, FIGURES_SECONDS)
    _held = (version, figures)
    return figures


def movement_records():
    return iter([found.record for found in national_figures().trusts.movements])


def age_records():
    return iter([found.record for found in national_figures().trusts.ages])


def site_movement_records():
    return iter([found.record for found in national_figures().sites.movements])


def site_age_records():
    return iter([found.record for found in national_figures().sites.ages])
