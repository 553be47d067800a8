"""What one provider's import will write, model by model, and the writing of it through the one bulk writer.

Rows are created, or updated only where a value differs, so importing the same data again writes
nothing. Before an update is written, rows an editor changed since an import wrote them are taken
out (and put back as they were in memory): they are kept and listed (`kept`), unless `force`.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db import models

from inspections.changes import bulk
from inspections.cqc import kept
from inspections.cqc.kept import Kept, KeptAction
from inspections.cqc.records import UnreadPart


@dataclass
class ImportResult:
    """What one provider's import did: rows created and updated by model, what it kept, moved and could not read."""

    provider_id: str
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    problems: list[UnreadPart] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)  # edited or deleted by editors, left as they are
    overridden: list[Kept] = field(default_factory=list)  # the same, overwritten with --force
    moves: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(+self.created or +self.updated)


@dataclass
class RowChange:
    obj: models.Model
    before: dict
    after: dict
    label: str


class WritePlan:
    """Objects to create and update, by model, checked before anything is written."""

    def __init__(self, result: ImportResult, *, reason: str, force: bool, when: datetime.datetime, on_kept=None):
        self.result = result
        self.reason = reason
        self.force = force
        self.when = when
        self.on_kept = on_kept or (lambda change: None)
        self.create: dict[type, list] = {}
        self.update: dict[type, list[RowChange]] = {}
        self.moves: dict[type, list[RowChange]] = {}

    def add(self, obj) -> None:
        self.create.setdefault(type(obj), []).append(obj)
        self.result.created[type(obj).__name__] += 1

    def change(self, obj, values: dict, *, label: str) -> None:
        """Set `values` on a stored row; written (unless an editor changed the row since) when any differs."""
        before = {name: getattr(obj, name) for name in values}
        if before == values:
            return
        for name, value in values.items():
            setattr(obj, name, value)
        if obj.pk is not None:
            self.update.setdefault(type(obj), []).append(RowChange(obj, before, values, label))

    def move(self, obj, values: dict, *, label: str) -> None:
        """Set `values` that follow CQC whatever an editor did (a site moving to another trust)."""
        before = {name: getattr(obj, name) for name in values}
        for name, value in values.items():
            setattr(obj, name, value)
        self.moves.setdefault(type(obj), []).append(RowChange(obj, before, values, label))

    def write(self, *model_list: type) -> None:
        """Creates, moves, then updates, each model's rows through the one bulk writer (each with a history record)."""
        for model in model_list:
            bulk.create(self.create.pop(model, []), model, reason=self.reason, when=self.when)
            moves = self.moves.pop(model, [])
            for group in _by_fields(moves):
                bulk.update([c.obj for c in group], model, _fields(model, group), reason=self.reason, when=self.when)
            changes = self._without_edited(model, self.update.pop(model, []))
            for group in _by_fields(changes):
                bulk.update([c.obj for c in group], model, _fields(model, group), reason=self.reason, when=self.when)
            self.result.updated[model.__name__] += len({id(c.obj) for c in moves + changes})

    def _without_edited(self, model: type, changes: list[RowChange]) -> list[RowChange]:
        if not changes or not bulk.has_history(model):
            return changes
        edited = kept.edited_rows(model, [c.obj.pk for c in changes])
        writing = []
        for change in changes:
            if change.obj.pk not in edited:
                writing.append(change)
                continue
            differences = "; ".join(
                f"{name.removesuffix('_id')}: database {kept.shown(change.before[name])}, "
                f"CQC {kept.shown(change.after[name])}"
                for name in change.after
                if change.before[name] != change.after[name]
            )
            outcome = Kept(
                self.result.provider_id, change.label, KeptAction.EDITED, f"{edited[change.obj.pk]}; {differences}"
            )
            if self.force:
                self.result.overridden.append(outcome)
                writing.append(change)
                continue
            for name, value in change.before.items():
                setattr(change.obj, name, value)
            self.result.kept.append(outcome)
            self.on_kept(change)
        return writing


def _by_fields(changes: list[RowChange]) -> list[list[RowChange]]:
    """Changes grouped by the fields they set, so each bulk update writes only those columns."""
    groups: dict[tuple, list[RowChange]] = {}
    for change in changes:
        groups.setdefault(tuple(change.after), []).append(change)
    return list(groups.values())


def _fields(model: type, changes: list[RowChange]) -> list[str]:
    """Field names (not attnames) to write: a foreign key is set as `trust_id` and written as `trust`."""
    names = {f.attname: f.name for f in model._meta.concrete_fields}
    return [names.get(name, name) for name in changes[0].after]
