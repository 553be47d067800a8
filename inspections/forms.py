"""Query parameters read through forms: bounds and errors in one place, never hand parsing."""

import datetime
from collections.abc import Mapping

from django import forms

from .timeline import DEFAULT_WINDOW, Window

EARLIEST_ALLOWED_YEAR = 2000


def latest_allowed_year(today: datetime.date) -> int:
    return today.year + 1


class WindowForm(forms.Form):
    """The years a timeline shows: `from` and `to`, each optional, the first not after the second.

    The fields are added by name in __init__ because `from` is a Python keyword.
    """

    def __init__(self, data: Mapping[str, str], *, today: datetime.date):
        super().__init__(data)
        bounds = {"min_value": EARLIEST_ALLOWED_YEAR, "max_value": latest_allowed_year(today), "required": False}
        self.fields["from"] = forms.IntegerField(**bounds)
        self.fields["to"] = forms.IntegerField(**bounds)

    def clean(self):
        cleaned = super().clean()
        from_year = cleaned.get("from") or DEFAULT_WINDOW.from_year
        to_year = cleaned.get("to") or DEFAULT_WINDOW.to_year
        if not self.errors and from_year > to_year:
            raise forms.ValidationError("The first year must not be after the last.")
        cleaned["window"] = Window(from_year, to_year)
        return cleaned


def window_from_query(params: Mapping[str, str], today: datetime.date) -> tuple[Window, bool]:
    """The window asked for, or the default with True when the parameters were not valid (the page says so)."""
    if not params.get("from") and not params.get("to"):
        return DEFAULT_WINDOW, False
    form = WindowForm(params, today=today)
    if form.is_valid():
        return form.cleaned_data["window"], False
    return DEFAULT_WINDOW, True
