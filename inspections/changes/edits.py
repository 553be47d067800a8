"""Editors' work, read from the record's history: rows someone changed or deleted since a writer wrote them, who
did it and when, and the history of a record's citations.

A writer that must not overwrite people's edits (a fixture load, the CQC import) asks which of its rows someone
else changed since it wrote them (`edited_since`), and which rows it wrote were deleted since (`deleted_rows`).
"""

from django.db import models
from django.db.models import Max, Q
from django.utils import timezone
from simple_history.utils import get_history_model_for_model

from inspections.models import Deletion


def edited_since(model: type[models.Model], pks, *, reason: str | tuple[str, ...], prefix: bool = False) -> set[int]:
    """Of these rows, those changed by anyone or anything else since a writer with `reason` last wrote them.

    A row counts as changed when its latest history record was not written with that change reason (one of them,
    when several are given; with `prefix`, a reason starting with one) and no user: an edit or a revert in the
    admin, a deletion, another command. Rows with no history at all are not counted. For example the CQC import,
    whose reasons name each run ("import_cqc: snapshot ..."), asks
    `edited_since(Rating, pks, reason="import_cqc", prefix=True)`.
    """
    history = get_history_model_for_model(model)
    latest = history.objects.filter(id__in=list(pks)).values("id").annotate(last=Max("history_id")).values("last")
    lookup = "history_change_reason__startswith" if prefix else "history_change_reason"
    written = Q()
    for each in (reason,) if isinstance(reason, str) else reason:
        written |= Q(**{lookup: each})
    untouched = history.objects.filter(written, history_id__in=latest, history_user=None)
    changed = history.objects.filter(history_id__in=latest).exclude(pk__in=untouched.values("pk"))
    return set(changed.values_list("id", flat=True))


def when(record) -> str:
    return f"{timezone.localtime(record.history_date):%Y-%m-%d %H:%M}"


def who(verb: str, record, user=None) -> str:
    """'edited by alice on 2026-12-03 10:15', from a history record (and the user of a Deletion, if given)."""
    if record is None:
        return verb
    user = user or record.history_user
    by = f" by {user}" if user else f" by {record.history_change_reason!r}" if record.history_change_reason else ""
    return f"{verb}{by} on {when(record)}"


def edited_by(model: type[models.Model], pks, *, reason: tuple[str, ...]) -> dict[int, str]:
    """Of these rows, those changed by someone since a writer whose reasons start with one of `reason` wrote them,
    each with who changed it and when."""
    edited = edited_since(model, pks, reason=reason, prefix=True)
    if not edited:
        return {}
    history = get_history_model_for_model(model)
    latest = {}
    for record in history.objects.filter(id__in=edited).select_related("history_user").order_by("id", "history_id"):
        latest[record.id] = record
    return {pk: who("edited", latest.get(pk)) for pk in edited}


def deleted_rows(model: type[models.Model], **filters) -> dict[int, object]:
    """The last history record of each row matching `filters` that was deleted and is not there now, by its pk.

    The record keeps the row's values as they were, so the caller can tell which record it held.
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


def last_change(model: type[models.Model], pk, verb: str, *, writer_reason: str) -> str:
    """Who last changed the row or one of its citations, and when ('edited by alice on ...'); the bare verb when the
    last change left no history of a person (e.g. it was made in the database directly)."""
    histories = [get_history_model_for_model(model).objects.filter(id=pk)]
    for many in model._meta.many_to_many:
        through = many.remote_field.through
        if not through._meta.auto_created:
            owner = through._meta.get_field(many.m2m_field_name()).attname
            histories.append(get_history_model_for_model(through).objects.filter(**{owner: pk}))
    found = [h.select_related("history_user").order_by("-history_date").first() for h in histories]
    found = [record for record in found if record is not None]
    last = max(found, key=lambda record: record.history_date, default=None)
    if last is None or (last.history_change_reason == writer_reason and last.history_user is None):
        return verb
    by = f" by {last.history_user}" if last.history_user else ""
    return f"{verb}{by} on {when(last)}"


def citation_changes(citation_model: type[models.Model], owner_pk) -> list[dict]:
    """Each change to a record's citations, newest first: when, who, what, source code, passage before and after.

    A citation (a source with its supporting passage) has its own history; the record's history
    page shows it beside the record's own changes.
    """
    owner = next(f.attname for f in citation_model._meta.concrete_fields if f.name != "source" and f.is_relation)
    history = get_history_model_for_model(citation_model)
    records = history.objects.filter(**{owner: owner_pk}).select_related("history_user").order_by("history_id")
    codes = dict(citation_model._meta.get_field("source").related_model.objects.values_list("pk", "code"))
    previous: dict[int, str] = {}
    changes = []
    for record in records:
        before = previous.get(record.id, "")
        changes.append(
            {
                "date": record.history_date,
                "user": record.history_user,
                "reason": record.history_change_reason or "",
                "action": record.get_history_type_display(),
                "source": codes.get(record.source_id, f"source {record.source_id}"),
                "old": before if record.history_type != "+" else "",
                "new": record.passage if record.history_type != "-" else "",
            }
        )
        previous[record.id] = record.passage
    return changes[::-1]
