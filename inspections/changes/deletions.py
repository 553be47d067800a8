"""Undoing a deletion: deleting a trust or an inspection keeps the whole of what it removes, so it can be put back.

Deleting a trust or an inspection removes rows whose history alone cannot rebuild the whole: plain many-to-many
links (an inspection's sources, services, locations) have no history of their own. So the admin deletes through
`delete_with_snapshot()`, which first keeps every row the deletion removes, serialised with its primary key, in a
`Deletion`; `restore_deletion()` writes them all back in one transaction through the one write plan, with history
records (and their links) saying so.
"""

import json

from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, router, transaction
from django.db.models.deletion import Collector
from django.utils import timezone

from inspections.changes.write_plan import WritePlan
from inspections.models import Deletion


class RestoreError(Exception):
    """A deletion that cannot be undone as it stands, with a message for the editor."""


def _collect(obj) -> list:
    """Every row deleting `obj` would delete, parents first (the order they must be written back in)."""
    collector = Collector(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    collector.sort()  # children before parents, the order Django deletes in
    return [row for model in reversed(collector.data) for row in sorted(collector.data[model], key=lambda r: r.pk)]


def delete_with_snapshot(obj, *, user=None) -> Deletion:
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
            plan = WritePlan(reason=reason, user=user)
            for item in found:
                plan.create(item.object)
                for name, pks in item.m2m_data.items():
                    plan.link(item.object, name, pks, held=())
            plan.write(*dict.fromkeys(type(item.object) for item in found))  # parents first, as collected
            deletion.restored_at, deletion.restored_by = timezone.now(), user
            deletion.save(update_fields=["restored_at", "restored_by"])
    except IntegrityError as error:
        raise RestoreError(f"{deletion.label} cannot be restored: {error}") from error
    return len(found)
