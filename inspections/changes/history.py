"""Edit history beyond what django-simple-history gives: who wrote a row last, and undoing a deletion.

Every model keeps its history (who, when, old and new values; `changes` on Trust). Two things
need more than that:

- A writer that must not overwrite people's edits (a fixture load, the CQC import) asks
  `edited_since_load()` which of its rows someone else changed since it wrote them.
- Deleting a trust or an inspection removes rows whose history alone cannot rebuild the whole:
  plain many-to-many links (an inspection's sources, services, locations) have no history. So the
  admin deletes through `delete_with_snapshot()`, which first keeps every row the deletion removes,
  serialised with its primary key, in a `Deletion`; `restore_deletion()` writes them all back in one
  transaction, with history records saying so.
"""

import json

from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models import Max, Q
from django.db.models.deletion import Collector
from django.utils import timezone
from simple_history.utils import get_history_model_for_model

from inspections.changes import bulk
from inspections.models import Deletion


class RestoreError(Exception):
    """A deletion that cannot be undone as it stands, with a message for the editor."""


def edited_since_load(
    model: type[models.Model], pks, *, reason: str | tuple[str, ...], prefix: bool = False
) -> set[int]:
    """Of these rows, those changed by anyone or anything else since a writer with `reason` last wrote them.

    A row counts as changed when its latest history record was not written with that change
    reason (one of them, when several are given; with `prefix`, a reason starting with one) and no
    user: an edit or a revert in the admin, a deletion, another command. Rows with no history at
    all are not counted. For example the CQC import, whose reasons name each run
    ("import_cqc: snapshot ..."), skips `edited_since_load(Rating, pks, reason="import_cqc", prefix=True)`.
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


def _collect(obj: models.Model) -> list[models.Model]:
    """Every row deleting `obj` would delete, parents first (the order they must be written back in)."""
    collector = Collector(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    collector.sort()  # children before parents, the order Django deletes in
    return [row for model in reversed(collector.data) for row in sorted(collector.data[model], key=lambda r: r.pk)]


def delete_with_snapshot(obj: models.Model, *, user=None) -> Deletion:
    """Delete `obj` and everything deleted with it, keeping them all in a `Deletion` to restore later."""
    with transaction.atomic():
        rows = _collect(obj)
        counts: dict[str, int] = {}
        for row in rows[1:]:
            name = str(row._meta.verbose_name_plural)
            counts[name] = counts.get(name, 0) + 1
        deletion = Deletion.objects.create(
            model=obj._meta.label_lower,
            object_pk=obj.pk,
            label=f"{obj._meta.verbose_name.capitalize()}: {obj}"[:300],
            summary=", ".join(f"{count} {name}" for name, count in counts.items())[:300],
            records=json.loads(serializers.serialize("json", rows)),
            deleted_by=user,
        )
        obj.delete()
    return deletion


def restore_deletion(deletion: Deletion, *, user=None) -> int:
    """Write back every row of a deletion, with their links, in one transaction; the number of rows.

    Raises RestoreError, writing nothing, when the deletion was already undone or when the rows no
    longer fit (e.g. a new inspection has taken the slug, or a source they cite has gone).
    """
    if deletion.restored_at:
        raise RestoreError(f"{deletion.label} was already restored on {deletion.restored_at:%Y-%m-%d %H:%M}.")
    reason = f"restored (deleted {timezone.localtime(deletion.deleted_at):%Y-%m-%d %H:%M})"
    try:
        with transaction.atomic():
            found = list(serializers.deserialize("json", json.dumps(deletion.records)))
            top = found[0].object
            try:
                top.full_clean()
            except ValidationError as error:
                raise RestoreError(f"{deletion.label} cannot be restored: {' '.join(error.messages)}") from error
            groups: list[list] = []
            for item in found:
                if groups and type(groups[-1][0].object) is type(item.object):
                    groups[-1].append(item)
                else:
                    groups.append([item])
            for group in groups:
                instances = [item.object for item in group]
                bulk.create(instances, type(instances[0]), reason=reason, user=user)
            for item in found:
                item.object._change_reason = reason  # for the history record each link change writes
                if user is not None:
                    item.object._history_user = user
                for name, pks in item.m2m_data.items():
                    getattr(item.object, name).set(pks)
            deletion.restored_at, deletion.restored_by = timezone.now(), user
            deletion.save(update_fields=["restored_at", "restored_by"])
    except IntegrityError as error:
        raise RestoreError(f"{deletion.label} cannot be restored: {error}") from error
    return len(found)


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
