import datetime

import pytest

from inspections.forms import window_from_query
from inspections.timeline import DEFAULT_WINDOW, Window

TODAY = datetime.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("params", "window", "ignored"),
    [
        ({}, DEFAULT_WINDOW, False),
        ({"from": "2013", "to": "2025"}, Window(2013, 2025), False),
        ({"from": "2019"}, Window(2019, 2024), False),
        ({"to": "2016"}, Window(2015, 2016), False),
        ({"from": "2027"}, DEFAULT_WINDOW, True),  # after next year
        ({"from": "abc", "to": "2025"}, DEFAULT_WINDOW, True),
        ({"from": "2025", "to": "2013"}, DEFAULT_WINDOW, True),
        ({"from": "1066"}, DEFAULT_WINDOW, True),
        ({"to": "99999"}, DEFAULT_WINDOW, True),
        ({"from": "2016.5"}, DEFAULT_WINDOW, True),
    ],
)
def test_window_from_query_validates_years_and_falls_back(params, window, ignored):
    assert window_from_query(params, TODAY) == (window, ignored)
