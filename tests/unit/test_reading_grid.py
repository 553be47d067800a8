import datetime

from inspections.domain.codes import KeyQuestion
from inspections.domain.standing import Formerly
from inspections.domain.subjects import TRUST, at_location, service
from inspections.reading.grid import grid_without_filler
from inspections.reading.selectors import GridRow, ratings_grid
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


def test_a_superseded_services_ratings_are_history_the_grid_shows_only_its_successors_own():
    """CQC's current ratings of a successor hold only its own ratings: the one it replaced lends it none, though both
    read as one line on the timelines."""
    maternity = service("maternity", "site")
    old = rating_event("good", datetime.date(2015, 7, 1), question="safe", subject=maternity, name="Maternity at Site")
    old.formerly = Formerly("Maternity and gynaecology", "Maternity", datetime.date(2018, 8, 15))
    new = rating_event("requires_improvement", datetime.date(2019, 1, 1), question="overall", subject=maternity)
    (row,) = ratings_grid([old, new])
    cells = dict(zip(KeyQuestion.values, row.cells, strict=True))
    assert cells["overall"] is new
    assert cells["safe"] is None  # not the superseded service's 2015 Good
    assert row.replaced == ("replaced Maternity and gynaecology in August 2018",)


def test_use_of_resources_names_the_later_whole_trust_report_that_did_not_reassess_it():
    """Issue 28: "Combined quality and use of resources: Good since February 2020" stood beside an overall rating
    set in 2022 with no word that the later report did not reassess it."""
    from inspections.reading.selectors import ratings_grid

    february_2020 = datetime.date(2020, 2, 13)
    combined = rating_event("good", february_2020, question="combined_quality_and_resources")
    resources = rating_event("requires_improvement", february_2020, question="use_of_resources")
    overall_2020 = rating_event("requires_improvement", february_2020, question="overall")
    overall_2022 = rating_event("requires_improvement", datetime.date(2022, 11, 4), question="overall", url="/r22/")
    site_2024 = rating_event("good", MAY_2024, question="overall", subject=at_location("a"), name="A")
    not_inspected = rating_event("not_inspected", MAY_2024, question="safe", note=NOTE)  # off the scale: no rating
    rows = ratings_grid([combined, resources, overall_2020, overall_2022, site_2024, not_inspected])
    cells = grid_without_filler(rows).resources
    assert [(c.label, c.later_report) for c in cells] == [
        ("Use of resources", overall_2022),
        ("Combined quality and use of resources", overall_2022),
    ]
    reassessed = rating_event("good", datetime.date(2022, 11, 4), question="combined_quality_and_resources")
    rows = ratings_grid([combined, reassessed, overall_2020, overall_2022])
    assert [c.later_report for c in grid_without_filler(rows).resources] == [None]
