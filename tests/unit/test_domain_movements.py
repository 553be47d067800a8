"""Movements and ages (domain/movements.py), pinned against hand-computed histories: same-day reports, entries off
the scale, inherited ratings and a subject with one rated report."""

import datetime

import pytest

from inspections.domain.movements import Age, Direction, median_years, movements, place_among, whole_years
from inspections.domain.standing import standing
from tests.events import rating_event

D = datetime.date


def overall(value, day, **kwargs):
    return rating_event(value, day, question="overall", **kwargs)


def test_each_rated_report_after_the_first_is_a_movement_from_the_rating_in_force_before_it():
    history = [
        overall("inadequate", D(2015, 7, 10)),
        overall("requires_improvement", D(2017, 2, 8)),
        overall("requires_improvement", D(2019, 5, 1)),
        overall("good", D(2022, 3, 1)),
        overall("requires_improvement", D(2024, 5, 30)),
    ]
    found = [(m.year, m.before.value, m.after.value, m.direction, m.steps) for m in movements(history)]
    assert found == [
        (2017, "inadequate", "requires_improvement", Direction.IMPROVED, 1),
        (2019, "requires_improvement", "requires_improvement", Direction.UNCHANGED, 0),
        (2022, "requires_improvement", "good", Direction.IMPROVED, 1),
        (2024, "good", "requires_improvement", Direction.DECLINED, -1),
    ]


def test_entries_off_the_scale_are_no_movement_and_the_next_moves_from_the_rating_before_them():
    history = [
        overall("good", D(2016, 1, 1)),
        overall("not_inspected", D(2017, 1, 1)),
        overall("inspected_not_rated", D(2018, 1, 1)),
        overall("outstanding", D(2019, 1, 1)),
    ]
    (movement,) = movements(history)
    assert (movement.before.value, movement.after.value, movement.steps) == ("good", "outstanding", 1)


def test_two_reports_the_same_day_move_in_report_order():
    history = [
        overall("requires_improvement", D(2016, 1, 1)),
        overall("inadequate", D(2018, 6, 1), slug="2018-06-01-b"),
        overall("good", D(2018, 6, 1), slug="2018-06-01-a"),
    ]
    found = [(m.before.value, m.after.value) for m in movements(history)]
    assert found == [("requires_improvement", "good"), ("good", "inadequate")]  # "-b" is the later report


def test_an_inherited_rating_stands_but_is_no_movement_of_the_site():
    history = [
        overall("requires_improvement", D(2018, 2, 14), inherited_from="ZZ3AA"),
        overall("good", D(2021, 5, 20), inherited_from="ZZ3AA"),
        overall("requires_improvement", D(2024, 1, 9)),
    ]
    (movement,) = movements(history)
    assert (movement.before.value, movement.after.value, movement.direction) == (
        "good", "requires_improvement", Direction.DECLINED,
    )  # fmt: skip


def test_a_subject_with_one_rated_report_has_no_movement_and_an_age():
    history = [overall("good", D(2015, 7, 10))]
    assert movements(history) == []
    age = Age(standing(history), D(2026, 12, 7))
    assert (whole_years(age.years_since), whole_years(age.years_since_confirmed)) == (11, 11)


def test_the_age_since_set_and_since_last_confirmed():
    history = [
        overall("requires_improvement", D(2015, 7, 10)),
        overall("requires_improvement", D(2022, 2, 1)),
        overall("inspected_not_rated", D(2024, 5, 30)),  # sets nothing: no confirmation
    ]
    age = Age(standing(history), D(2026, 12, 7))
    assert (whole_years(age.years_since), whole_years(age.years_since_confirmed)) == (11, 4)
    assert age.years_since == pytest.approx(11.41, abs=0.01)


def test_a_place_among_ages_says_how_many_are_older_and_which_fifth():
    ages = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]
    assert (place_among(10.0, ages).older, place_among(10.0, ages).fifth) == (0, 1)
    assert place_among(1.0, ages).fifth == 5
    assert place_among(6.0, ages).fifth == 3
    assert median_years(ages) == 5.5
    assert median_years([]) is None
