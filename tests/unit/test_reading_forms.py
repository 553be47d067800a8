import datetime

import pytest

from inspections.domain.timeline import SEED_WINDOW, Window, default_window
from inspections.reading.forms import cache_name, window_from_query

TODAY = datetime.date(2026, 11, 23)
DEFAULT = Window(2015, 2026)  # a trust whose latest report came out in 2026


@pytest.mark.parametrize(
    ("params", "window", "problem"),
    [
        ({}, DEFAULT, ""),
        ({"from": "2013", "to": "2025"}, Window(2013, 2025), ""),
        ({"from": "2019"}, Window(2019, 2026), ""),
        ({"to": "2016"}, Window(2015, 2016), ""),
        ({"from": "2028"}, DEFAULT, "From year: Ensure this value is less than or equal to 2027."),
        ({"from": "abc", "to": "2025"}, DEFAULT, "From year: Enter a whole number."),
        ({"from": "2025", "to": "2013"}, DEFAULT, "The first year (2025) is after the last (2013)."),
        ({"from": "1066"}, DEFAULT, "From year: Ensure this value is greater than or equal to 2000."),
        ({"to": "99999"}, DEFAULT, "To year: Ensure this value is less than or equal to 2027."),
        ({"from": "2016.5"}, DEFAULT, "From year: Enter a whole number."),
    ],
)
def test_window_from_query_validates_years_and_names_what_was_wrong(params, window, problem):
    choice = window_from_query(params, today=TODAY, default=DEFAULT)
    assert (choice.window, choice.problem) == (window, problem)


def test_default_window_runs_to_the_latest_report_and_never_ends_before_2024():
    assert default_window(2026) == Window(2015, 2026)
    assert default_window(2019) == SEED_WINDOW
    assert default_window(None) == SEED_WINDOW


def test_the_other_views_are_offered_once_each_and_never_the_one_shown():
    choice = window_from_query({}, today=TODAY, default=DEFAULT, full_history=Window(2013, 2026))
    assert choice.links == [
        ("Years (2015 to 2024)", "?from=2015&to=2024"),
        ("Full history (2013 to 2026)", "?from=2013&to=2026"),
    ]
    seed = window_from_query({"from": "2015", "to": "2024"}, today=TODAY, default=SEED_WINDOW)
    assert seed.links == []  # the default is the seed's years: nothing else to offer


@pytest.mark.parametrize(
    ("params", "name"),
    [({}, "default"), ({"from": "2015", "to": "2024"}, "seed"), ({"from": "2016"}, None), ({"from": "x"}, None)],
)
def test_only_the_default_and_the_seed_years_have_a_cached_copy(params, name):
    assert cache_name(params) == name
