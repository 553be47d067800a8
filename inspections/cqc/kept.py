"""Editors' work on imported records: rows someone changed or deleted since an import wrote them.

An import never overwrites such a row or brings it back, as `load_curated` never does for fixture
records (README, "Reloading never loses an edit"): it keeps the row as the editor left it and lists it,
with what CQC's data now says beside it; `--force` overwrites after listing. A row counts as edited when
its latest history record was written by someone or something other than an import (change reasons
"import_cqc: ..." and, from imports before runs were named, "Imported from CQC's public API").
"""

import enum
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from simple_history.utils import get_history_model_for_model

from inspections.changes.history import edited_since_load
from inspections.models import Deletion

IMPORT_REASON = "import_cqc"
LEGACY_REASON = "Imported from CQC's public API"
REASON_LENGTH = 100  # django-simple-history's history_change_reason column


def snapshot_reason(run_pk: int, directory) -> str:
    """'import_cqc: snapshot run 12 (snapshots/2026-11-23)': the run first, so a long directory, shortened from
    the left to fit the column, never cuts off the run that wrote the history record."""
    head = f"{IMPORT_REASON}: snapshot run {run_pk} ("
    room = REASON_LENGTH - len(head) - 1
    where = str(directory)
    return f"{head}{where if len(where) <= room else '…' + where[-(room - 1) :]})"


class KeptAction(enum.StrEnum):
    EDITED = "kept: edited since imported"
    DELETED = "kept: deleted since imported"


@dataclass
class Kept:
    """An imported record an editor changed or deleted, which the import left as it is (or, with --force, did not)."""

    provider_id: str
    label: str  # "inspections.rating ZZ1 2023-09-14-00000103 safe trust"
    action: KeptAction
    detail: str = ""  # "edited by alice on 2026-12-03 10:15; value: database 'outstanding', CQC 'good'"
    with_parent: bool = False  # kept because the record above it was deleted, not itself

    def __str__(self):
        return f"provider {self.provider_id} ({self.label})" + (f": {self.detail}" if self.detail else "")


def shown(value) -> str:
    """A value as the listing shows it (codes as they are stored, dates in ISO form), shortened."""
    if isinstance(value, str):
        value = str(value)  # a TextChoices member as its code
    text = repr(value.isoformat() if hasattr(value, "isoformat") else value)
    return text if len(text) <= 70 else text[:67] + "..."


def _when(record) -> str:
    return f"{timezone.localtime(record.history_date):%Y-%m-%d %H:%M}"


def who(verb: str, record, user=None) -> str:
    """'edited by alice on 2026-12-03 10:15', from a history record (and the user of a Deletion, if given)."""
    if record is None:
        return verb
    user = user or record.history_user
    by = f" by {user}" if user else f" by {record.history_change_reason!r}" if record.history_change_reason else ""
    return f"{verb}{by} on {_when(record)}"


def edited_rows(model: type[models.Model], pks: list[int]) -> dict[int, str]:
    """Of these rows, those changed by someone since an import wrote them, each with who changed it and when."""
    edited = edited_since_load(model, pks, reason=(IMPORT_REASON, LEGACY_REASON), prefix=True)
    if not edited:
        return {}
    history = get_history_model_for_model(model)
    latest = {}
    for record in history.objects.filter(id__in=edited).select_related("history_user").order_by("id", "history_id"):
        latest[record.id] = record
    return {pk: who("edited", latest.get(pk)) for pk in edited}


def deleted_rows(model: type[models.Model], **filters) -> dict[int, object]:
    """The last history record of each row matching `filters` that was deleted and is not there now, by its pk.

    The record keeps the row's values as they were, so the caller can tell which CQC record it held.
    """
    history = get_history_model_for_model(model)
    found = {}
    for record in (
        history.objects.filter(history_type="-", **filters).select_related("history_user").order_by("history_id")
    ):
        found[record.id] = record
    if found:
        there = set(model._default_manager.filter(pk__in=found).values_list("pk", flat=True))
        found = {pk: record for pk, record in found.items() if pk not in there}
    return found


def deleted_by(model: type[models.Model], records: dict[int, object]) -> dict[int, str]:
    """'deleted by alice on ...' for each deleted row; the admin's Deletion names the editor when history cannot."""
    label = model._meta.label_lower
    users = dict(
        Deletion.objects.filter(model=label, object_pk__in=list(records), restored_at=None)
        .select_related("deleted_by")
        .values_list("object_pk", "deleted_by__username")
    )
    return {pk: who("deleted", record, users.get(pk)) for pk, record in records.items()}
