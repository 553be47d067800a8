"""Query parameters read through forms: bounds and errors in one place, never hand parsing."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms

from inspections.domain.timeline import SEED_WINDOW, Window

EARLIEST_ALLOWED_YEAR = 2000


def latest_allowed_year(today: datetime.date) -> int:
    return today.year + 1


class WindowForm(forms.Form):
    """The years a timeline shows: `from` and `to`, each optional (the default's year where missing), the
    first not after the second.

    The fields are added by name in __init__ because `from` is a Python keyword.
    """

    def __init__(self, data: Mapping[str, str], *, today: datetime.date, default: Window):
        super().__init__(data)
        self.default = default
        bounds = {"min_value": EARLIEST_ALLOWED_YEAR, "max_value": latest_allowed_year(today), "required": False}
        self.fields["from"] = forms.IntegerField(label="From year", **bounds)
        self.fields["to"] = forms.IntegerField(label="To year", **bounds)

    def clean(self):
        cleaned = super().clean()
        from_year = cleaned.get("from") or self.default.from_year
        to_year = cleaned.get("to") or self.default.to_year
        if not self.errors and from_year > to_year:
            raise forms.ValidationError(f"The first year ({from_year}) is after the last ({to_year}).")
        cleaned["window"] = Window(from_year, to_year)
        return cleaned

    def problem(self) -> str:
        """What was wrong, in one sentence naming the field ('' when valid)."""
        parts = []
        for name, errors in self.errors.items():
            label = "" if name == "__all__" else f"{self.fields[name].label}: "
            parts += [f"{label}{error}" for error in errors]
        return " ".join(parts)


@dataclass(frozen=True)
class WindowChoice:
    """The years a page's timelines show, and the other views it offers one click away."""

    window: Window
    default: Window
    full_history: Window | None
    problem: str  # what was wrong with the years asked for ('' when nothing); the default is shown then
    limits: tuple[int, int]
    kept: tuple[tuple[str, str], ...] = ()  # other parameters the page's views keep (compare: the trusts)

    @property
    def links(self) -> list[tuple[str, str]]:
        """(words, query) of the other views: the default, the years 2015 to 2024, the full history."""
        offered = [("Default view", self.default, None), ("Years", SEED_WINDOW, ""), ("Full history", None, "")]
        found, seen = [], {self.window}
        for words, window, years in offered:
            window = window or self.full_history
            if window is None or window in seen:
                continue
            seen.add(window)
            wanted = [*self.kept, *([] if years is None else [("from", window.from_year), ("to", window.to_year)])]
            found.append((f"{words} ({window.words})", f"?{urlencode(wanted)}"))
        return found


def cache_name(params: Mapping[str, str]) -> str | None:
    """Which cached copy of a page these parameters ask for: the default view or the years 2015 to 2024;
    None for any other window, which is built each time (a bounded cache, whatever years are asked for)."""
    from_year, to_year = params.get("from", ""), params.get("to", "")
    if not from_year and not to_year:
        return "default"
    if (from_year, to_year) == (str(SEED_WINDOW.from_year), str(SEED_WINDOW.to_year)):
        return "seed"
    return None


def window_from_query(
    params: Mapping[str, str], *, today: datetime.date, default: Window, full_history=None, kept=()
) -> WindowChoice:
    """The window asked for (or the default, saying what was wrong with the parameters)."""
    limits = (EARLIEST_ALLOWED_YEAR, latest_allowed_year(today))
    window, problem = default, ""
    if params.get("from") or params.get("to"):
        form = WindowForm(params, today=today, default=default)
        if form.is_valid():
            window = form.cleaned_data["window"]
        else:
            problem = form.problem()
    return WindowChoice(
        window=window, default=default, full_history=full_history, problem=problem, limits=limits, kept=kept
    )


class SpanForm(forms.Form):
    """?from=YYYY&to=YYYY on /national/: the years of later reports the from-to table counts (clean fallback:
    every year held, when a year is missing, not held or the span runs backwards)."""

    start = forms.IntegerField(required=False, min_value=1900, max_value=2100)
    end = forms.IntegerField(required=False, min_value=1900, max_value=2100)

    def span(self, years: list[int]) -> tuple[int, int] | None:
        """(first, last) chosen, within the years held; None when no movement is held."""
        if not years:
            return None
        first, last = years[0], years[-1]
        if not self.is_valid():
            return first, last
        start = self.cleaned_data["start"] or first
        end = self.cleaned_data["end"] or last
        start, end = max(start, first), min(end, last)
        return (start, end) if start <= end else (first, last)
