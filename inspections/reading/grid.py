"""What the current-ratings grid shows, without filler: each gap or repeated note said once.

Neighbouring cells of a row that hold nothing merge into one cell that says so; neighbouring
cells that hold the same entry off the scale from the same report (with its note) merge too. A
key question that no row rates is left out as a column and named once under the grid.
"""

from dataclasses import dataclass

from inspections.domain.codes import QUALITY_QUESTIONS, KeyQuestion
from inspections.domain.standing import RatingEvent, Standing, report_order
from inspections.domain.subjects import Subject

FOLD_OVER = 6  # a list longer than this starts folded: grid groups, chart summaries, locations, leaders, sources


def folds(items) -> bool:
    """Whether a list of this length starts folded (one rule for every long list on a page)."""
    return len(items) > FOLD_OVER


@dataclass(frozen=True)
class Cell:
    """What a cell shows: the entry (`event`), the rating that stands with since when and last confirmed when
    (`standing`, None off the scale or where never rated), and the key questions it stands for."""

    event: RatingEvent | None
    labels: tuple[str, ...]
    standing: Standing | None = None
    # A use of resources cell only: the latest report that rated the whole trust after this rating was last given
    # (so it was not reassessed there), None when there is none.
    later_report: RatingEvent | None = None

    @property
    def span(self) -> int:
        return len(self.labels)

    @property
    def label(self) -> str:
        return ", ".join(self.labels)


@dataclass(frozen=True)
class Row:
    subject: Subject
    subject_name: str
    cells: tuple[Cell, ...]
    replaced: tuple[str, ...] = ()  # what CQC superseded with this service here: 'replaced ... in August 2018'
    inherited_from: tuple[str, ...] = ()  # predecessor sites whose reports set ratings of the row (NHS transfers)

    @property
    def level(self) -> str:
        return self.subject.level_word


@dataclass(frozen=True)
class Group:
    """Rows of one kind shown as one table: the whole trust with its locations, or the core services."""

    title: str
    rows: tuple[Row, ...]
    folded: bool


@dataclass(frozen=True)
class Grid:
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    unrated_columns: tuple[str, ...]
    resources: tuple[Cell, ...] = ()  # use of resources and the combined rating, NHS trusts only: the trust's own

    @property
    def groups(self) -> list[Group]:
        """The whole trust and its locations first (what most readers look for), then the core services."""
        return self.grouped("whole trust and locations", "core services")

    def grouped(self, places_title: str, services_title: str) -> list[Group]:
        """The places (the trust, locations) first, then the core services, each group titled as the page needs."""
        places = tuple(row for row in self.rows if not row.subject.is_service)
        services = tuple(row for row in self.rows if row.subject.is_service)
        groups = [(places_title, places), (services_title, services)]
        return [Group(title, rows, folds(rows)) for title, rows in groups if rows]


def _merge_key(event: RatingEvent | None):
    if event is None:
        return ("gap",)
    if event.is_on_scale:
        return None  # every rating on the scale keeps its own cell
    return (event.value, event.note, event.inspection_url)


def _latest_report(standings) -> RatingEvent | None:
    """The latest dated report that set or restated one of these ratings."""
    dated = [found.confirmed for found in standings if found is not None and found.confirmed.published]
    return max(dated, key=report_order, default=None)


def _later(latest: RatingEvent | None, found: Standing | None) -> RatingEvent | None:
    """`latest` when it came after the report that last gave this rating: that report did not reassess it."""
    if latest is None or found is None or not found.confirmed.published:
        return None
    return latest if report_order(latest) > report_order(found.confirmed) else None


def grid_without_filler(rows) -> Grid:
    """From selectors.ratings_grid rows (cells in KeyQuestion order) to merged display rows."""
    labels = KeyQuestion.labels
    quality = [i for i, code in enumerate(KeyQuestion.values) if code in QUALITY_QUESTIONS]
    kept = [i for i in quality if any(row.cells[i] is not None for row in rows)]
    display_rows = []
    for row in rows:
        cells: list[Cell] = []
        standings = row.standings or [None] * len(row.cells)
        for i in kept:
            event = row.cells[i]
            key = _merge_key(event)
            if cells and key is not None and key == _merge_key(cells[-1].event):
                cells[-1] = Cell(cells[-1].event, (*cells[-1].labels, labels[i]), cells[-1].standing)
            else:
                cells.append(
                    Cell(event, (labels[i],), standings[i] if event is not None and event.is_on_scale else None)
                )
        display_rows.append(Row(row.subject, row.subject_name, tuple(cells), row.replaced, row.inherited_from))
    # Use of resources is rated for a whole NHS trust only: said under the grid, not as columns every site lacks.
    trust_row = next((row for row in rows if row.subject.is_trust), None)
    resources = ()
    if trust_row is not None:
        standings = trust_row.standings or [None] * len(trust_row.cells)
        latest = _latest_report(standings[i] for i in quality)
        resources = tuple(
            Cell(trust_row.cells[i], (labels[i],), standings[i], _later(latest, standings[i]))
            for i, code in enumerate(KeyQuestion.values)
            if code not in QUALITY_QUESTIONS and trust_row.cells[i] is not None
        )
    return Grid(
        columns=tuple(labels[i] for i in kept),
        rows=tuple(display_rows),
        resources=resources,
        unrated_columns=tuple(
            label for i, (code, label) in enumerate(KeyQuestion.choices) if i not in kept and code in QUALITY_QUESTIONS
        ),
    )
