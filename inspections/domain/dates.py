"""Dates known only to a month or a year.

Sources often give "February 2019" or "2013". We store the first day of that period
with a precision, and every place that shows or exports the date goes through these
helpers so the site never shows a day it does not know.
"""

import calendar
import datetime

from django.db import models


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


def format_partial_date(value: datetime.date | None, precision: str) -> str:
    """Human form: '10 July 2015', 'February 2019', '2019', or '' when unknown."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year}"
    if precision == DatePrecision.MONTH:
        return value.strftime("%B %Y")
    return f"{value.day} {value.strftime('%B %Y')}"


def iso_partial_date(value: datetime.date | None, precision: str) -> str:
    """ISO form truncated to the known precision: 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def is_truncated_to_precision(value: datetime.date | None, precision: str) -> bool:
    """True when the stored date carries no day (or month) beyond its precision."""
    if value is None:
        return True
    if precision == DatePrecision.MONTH:
        return value.day == 1
    if precision == DatePrecision.YEAR:
        return value.day == 1 and value.month == 1
    return True


def period_end(value: datetime.date, precision: str) -> datetime.date:
    """The last day the stored date could stand for: the end of its month or year at coarse precision."""
    if precision == DatePrecision.YEAR:
        return datetime.date(value.year, 12, 31)
    if precision == DatePrecision.MONTH:
        return datetime.date(value.year, value.month, calendar.monthrange(value.year, value.month)[1])
    return value


def month_year(value: datetime.date | None, precision: str) -> str:
    """'July 2015' for a date known to the day or month, '2015' for a year, '' when unknown."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year}"
    return value.strftime("%B %Y")
