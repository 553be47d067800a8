import datetime

from inspections.domain.subjects import TRUST, at_location, service
from inspections.reading.grid import grid_without_filler
from inspections.reading.selectors import GridRow
from tests.events import rating_event

RESOURCES = [None, None]  # use of resources and the combined rating, held for no row here
NOTE = "Not re-inspected in 2024; the earlier ratings are not in our sources."


MAY_2024 = datetime.date(2024, 5, 30)


def cell(value, note=""):
    return rating_event(value, MAY_2024, title="R", note=note)


def test_gaps_and_repeated_entries_off_the_scale_are_said_once_per_row():
    off = cell("not_inspected", NOTE)
    rows = [
        GridRow(TRUST, "Whole trust", [cell("good"), None, None, off, off, cell("good"), *RESOURCES]),
        GridRow(at_location("a"), "A", [cell("good")] * 6 + RESOURCES),  # every column holds a rating somewhere
    ]
    grid = grid_without_filler(rows)
    cells = grid.rows[0].cells
    assert [c.span for c in cells] == [1, 2, 2, 1]
    assert cells[1].event is None
    assert cells[1].label == "Safe, Effective"
    assert cells[2].event is off  # the note is shown once, over Caring and Responsive
    assert cells[2].label == "Caring, Responsive"


def test_ratings_on_the_scale_keep_a_cell_each_even_when_equal():
    rows = [GridRow(TRUST, "Whole trust", [cell("good")] * 6 + RESOURCES)]
    assert [c.span for c in grid_without_filler(rows).rows[0].cells] == [1] * 6


def test_a_key_question_no_row_rates_is_left_out_and_named_once():
    rows = [
        GridRow(TRUST, "Whole trust", [cell("good"), None, None, None, None, None, *RESOURCES]),
        GridRow(at_location("a"), "A", [cell("good"), cell("good"), None, None, None, None, *RESOURCES]),
    ]
    grid = grid_without_filler(rows)
    assert grid.columns == ("Overall", "Safe")
    assert grid.unrated_columns == ("Effective", "Caring", "Responsive", "Well-led")
    assert [c.span for c in grid.rows[0].cells] == [1, 1]


def test_core_services_are_a_group_of_their_own_folded_when_long():
    services = [GridRow(service(f"s{n}"), f"S{n}", [cell("good")] + [None] * 5 + RESOURCES) for n in range(7)]
    groups = grid_without_filler([GridRow(TRUST, "Whole trust", [cell("good")] * 6 + RESOURCES), *services]).groups
    assert [(g.title, len(g.rows), g.folded) for g in groups] == [
        ("whole trust and locations", 1, False),
        ("core services", 7, True),
    ]


def test_each_rating_carries_its_standing_and_a_merged_gap_none():
    from inspections.domain.standing import standing
    from inspections.reading.selectors import ratings_grid

    first = rating_event("good", datetime.date(2016, 3, 1), question="overall", title="First")
    again = rating_event("good", MAY_2024, question="overall", title="Again")
    off = rating_event("not_inspected", MAY_2024, question="safe", note=NOTE)
    (row,) = ratings_grid([first, again, off])
    assert row.cells[0] is again  # what the cell shows: the latest report to confirm it
    assert (row.standings[0].since, row.standings[0].confirmed) == (first, again)
    assert row.standings[1] is None  # off the scale: nothing stands
    cells = grid_without_filler([row]).rows[0].cells
    assert cells[0].standing == standing([first, again])
    assert cells[0].standing.words == "since March 2016, last confirmed May 2024"
    assert cells[1].standing is None
