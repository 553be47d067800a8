import datetime

import pytest

from inspections.domain.dates import format_partial_date, is_truncated_to_precision, iso_partial_date


@pytest.mark.parametrize(
    ("precision", "human", "iso"),
    [("day", "10 July 2015", "2015-07-10"), ("month", "July 2015", "2015-07"), ("year", "2015", "2015")],
)
def test_partial_date_shows_only_known_precision(precision, human, iso):
    value = datetime.date(2015, 7, 10)
    assert format_partial_date(value, precision) == human
    assert iso_partial_date(value, precision) == iso


def test_partial_date_unknown_is_empty():
    assert format_partial_date(None, "day") == ""
    assert iso_partial_date(None, "month") == ""


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [
        (datetime.date(2019, 2, 1), "month", True),
        (datetime.date(2019, 2, 14), "month", False),
        (datetime.date(2019, 1, 1), "year", True),
        (datetime.date(2019, 2, 1), "year", False),
        (datetime.date(2019, 2, 14), "day", True),
    ],
)
def test_truncated_to_precision_rejects_invented_days(value, precision, expected):
    assert is_truncated_to_precision(value, precision) is expected
