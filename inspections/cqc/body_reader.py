"""Reading one CQC body field by field: what cannot be read becomes a `UnreadPart`, never an exception.

A provider is refused only when it cannot be identified (see `mapping`); anything else odd (a date
that is no date, a list that is not a list, a text longer than its column) is skipped, cut or kept
blank, and said as a problem naming the record, the file, the field and the value.
"""

import datetime
import json
import math

from inspections.cqc.mapped import UnreadPart

#: CQC began in April 2009; a report or visit dated before 2000 is a typing error, not history.
EARLIEST = datetime.date(2000, 1, 1)


def shown(value) -> str:
    """The value as CQC gives it, as text for a problem (strings as they are, anything else as JSON)."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            text = repr(value)
    return text if len(text) <= 300 else text[:297] + "..."


class Reader:
    """Reads the fields of one body (a provider's or a location's), collecting the problems it meets."""

    def __init__(self, *, record: str, file: str, problems: list[UnreadPart], latest: datetime.date):
        self.record = record
        self.file = file
        self.problems = problems
        self.latest = latest  # no report is dated after this (the date of the data, plus a year)

    def problem(self, field: str, value, message: str) -> None:
        self.problems.append(UnreadPart(self.record, self.file, field, shown(value), message))

    def text(self, body: dict, key: str, *, field: str = "", limit: int | None = None, cut: bool = False) -> str:
        """A string field, stripped; "" when absent. Longer than `limit`: cut (names) or left out, with a problem."""
        value = body.get(key)
        path = field or key
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problem(path, value, "not a text; left out")
            return ""
        value = value.strip()
        if limit is not None and len(value) > limit:
            if cut:
                self.problem(path, value, f"longer than {limit} characters; cut to fit")
                return value[: limit - 3].rstrip() + "..."
            self.problem(path, value, f"longer than {limit} characters; left out")
            return ""
        return value

    def date(self, value, *, field: str, missing_ok: bool = True) -> datetime.date | None:
        """A date given as YYYY-MM-DD (a time after it is ignored); None, with a problem, when it is not one."""
        if value is None or value == "":
            if not missing_ok:
                self.problem(field, value, "missing")
            return None
        try:
            day = datetime.date.fromisoformat(value[:10]) if isinstance(value, str) else None
        except ValueError:
            day = None
        if day is None:
            self.problem(field, value, "not a date (YYYY-MM-DD)")
            return None
        if not EARLIEST <= day <= self.latest:
            self.problem(field, value, f"not a plausible date (before {EARLIEST.year} or after {self.latest})")
            return None
        return day

    def moment(self, value, *, field: str) -> datetime.datetime | None:
        """A date and time (ISO 8601; UTC when no offset is given); None, with a problem, when it is not one."""
        if value is None or value == "":
            return None
        try:
            when = datetime.datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            when = None
        if when is None:
            self.problem(field, value, "not a date and time (ISO 8601)")
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.UTC)
        if not EARLIEST <= when.date() <= self.latest:
            self.problem(field, value, f"not a plausible date (before {EARLIEST.year} or after {self.latest})")
            return None
        return when

    def number(self, body: dict, key: str, *, low: float, high: float) -> float | None:
        """A number within [low, high]; None, with a problem, when it is something else."""
        value = body.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.problem(key, value, "not a number; left out")
            return None
        if not low <= value <= high:
            self.problem(key, value, f"outside {low} to {high}; left out")
            return None
        return float(value)

    def obj(self, body: dict, key: str, *, field: str = "") -> dict:
        """An object field; {} when absent, or, with a problem, when it is something else."""
        value = body.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(field or key, value, "not an object; left out")
            return {}
        return value

    def items(self, body: dict, key: str, *, field: str = "") -> list[tuple[str, dict]]:
        """(path, object) for each object of a list field; anything that is not a list or an object is a problem."""
        path = field or key
        value = body.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, value, "not a list; left out")
            return []
        found = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                found.append((f"{path}[{index}]", item))
            else:
                self.problem(f"{path}[{index}]", item, "not an object; left out")
        return found
