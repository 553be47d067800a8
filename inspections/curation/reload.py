"""Matching fixture records to stored rows and deciding what a reload does with each; the one write plan writes it.

A load never overwrites an edit. For every fixture record it writes, `LoadedRecord` keeps the row's
pk and the values written. On the next load a record is:

- *created* when no row holds it;
- *unchanged* when its row already holds the fixture's values (nothing is written);
- *updated* when its row still holds what the last load wrote and the fixture now says otherwise;
- *kept: edited* when its row differs from what the last load wrote (an editor changed it), and
- *kept: deleted* when its row is gone since the last load (an editor deleted it; its children too).

`force` turns the two "kept" outcomes into updates and re-creations. A row is found by the pk
the last load wrote, not only by natural key, so an editor renaming a slug never leads to a copy.
A row that no load recorded but that matches by natural key (a database loaded before this
bookkeeping) is adopted, unless a person edited it in the admin, which keeps it.

Models are handled parents first. Each model's records are validated in Python (fields, `clean()`,
check and unique constraints; `changes.validation`), then said to the write plan (`fixture_writes`) and
written (with history, change reason "load_curated"), so the next model's records can point at them.
The caller runs all of it in one transaction and rolls back on any problem.
"""

import json
from collections import defaultdict
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from simple_history.utils import get_history_model_for_model

from inspections.changes import validation
from inspections.changes.edits import last_change
from inspections.changes.write_plan import WritePlan
from inspections.curation import fixture_writes
from inspections.curation.planned import (
    DELETED,
    FAILED,
    LOAD_REASON,
    Action,
    Item,
    Outcome,
    PlannedRecord,
    citation_code,
    citation_passage,
    cited_value,
    freeze,
    jsonable,
    shown,
)
from inspections.models import LoadedRecord

#: Parents before children; the only models a fixture may hold.
LOAD_MODELS = (
    "inspections.source",
    "inspections.coreservice",
    "inspections.person",
    "inspections.trust",
    "inspections.location",
    "inspections.leadership",
    "inspections.inspection",
    "inspections.rating",
    "inspections.finding",
    "inspections.statement",
)


def key_fields(label: str) -> tuple[str, ...]:
    """The fields of a model's natural key, as its manager declares them."""
    return apps.get_model(label)._default_manager.key_fields


class Reload:
    """One load: reads what is stored, then handles each model's records in turn (see the module docstring)."""

    def __init__(self, *, force: bool):
        self.force = force
        self.writes = WritePlan(reason=LOAD_REASON, force=force, theirs="fixture")
        self.problems: list[tuple[Item, str, str]] = []
        self.outcomes: list[Outcome] = []
        self.rows: dict[str, dict[int, models.Model]] = {}
        self.key_of: dict[str, dict[int, tuple]] = {}
        self.target: dict[str, dict[tuple, Any]] = {}
        self.m2m_now: dict[tuple[str, str], dict[int, set[int]]] = {}
        self.citations_now: dict[str, dict[int, dict[int, tuple[int, str]]]] = {}
        self.loaded: dict[tuple, LoadedRecord] = {}
        self.edited_by_people: dict[str, set[int]] = {}
        self.overridden: list[Outcome] = []  # edited or deleted since loaded, overwritten with --force

    def run(self, items: list[Item]) -> None:
        by_model = defaultdict(list)
        for item in items:
            by_model[str(item.record.get("model", ""))].append(item)
        for item in items:
            model_label = str(item.record.get("model", ""))
            if model_label not in LOAD_MODELS:
                self.problems.append((item, "model", _model_problem(model_label)))
        for label in LOAD_MODELS:
            self._handle_model(label, apps.get_model(label), by_model.get(label, []))
        self.writes.write(LoadedRecord)

    # Reading what is stored

    def _read_stored(self, label: str, model: type[models.Model]) -> None:
        rows = {row.pk: row for row in model._default_manager.order_by("pk")}
        self.rows[label] = rows
        self.key_of[label] = {pk: self._stored_key(label, row) for pk, row in rows.items()}
        target = {key: pk for pk, key in self.key_of[label].items()}
        self.loaded = {
            freeze(json.loads(record.natural_key)): record for record in LoadedRecord.objects.filter(model=label)
        }
        for key, record in self.loaded.items():
            target[key] = record.object_pk if record.object_pk in rows else DELETED
        self.target[label] = target
        for many in model._meta.many_to_many:
            through = many.remote_field.through
            owner = through._meta.get_field(many.m2m_field_name()).attname
            other = through._meta.get_field(many.m2m_reverse_field_name()).attname
            if through._meta.auto_created:
                current = defaultdict(set)
                for owner_pk, other_pk in through.objects.values_list(owner, other):
                    current[owner_pk].add(other_pk)
                self.m2m_now[(label, many.name)] = current
            else:
                citations = defaultdict(dict)
                for pk, owner_pk, source_pk, *passage in through.objects.values_list(
                    "pk", owner, other, "passage", "passage_kind"
                ):
                    citations[owner_pk][source_pk] = (pk, *passage)
                self.citations_now[label] = citations

    def _stored_key(self, label: str, row: models.Model) -> tuple:
        parts = []
        for name in key_fields(label):
            model_field = row._meta.get_field(name)
            value = getattr(row, model_field.attname)
            if model_field.is_relation and value is not None:
                parts.extend(self.key_of[model_field.related_model._meta.label_lower][value])
            else:
                parts.append(None if value is None else str(value))
        return tuple(parts)

    @staticmethod
    def _values(instance, m2m: dict[str, list[int]], citations: dict[int, str] | None) -> dict:
        """What is compared between loads: concrete fields, the fixture's many-to-many ids, citations."""
        values = {  # derived columns (not editable, e.g. the search form of names) follow the others
            f.attname: jsonable(getattr(instance, f.attname)) for f in instance._meta.concrete_fields if f.editable
        }
        values.pop(instance._meta.pk.attname)
        values.update({name: sorted(pks) for name, pks in m2m.items()})
        if citations is not None:
            values["citations"] = sorted(cited_value(pk, *passage) for pk, passage in citations.items())
        return values

    def _stored_values(self, label: str, row, planned: "PlannedRecord") -> dict:
        m2m = {name: self.m2m_now[(label, name)].get(row.pk, ()) for name in planned.m2m}
        cited = self.citations_now[label].get(row.pk, {}) if planned.citations is not None else None
        return self._values(row, m2m, None if cited is None else {pk: stored[1:] for pk, stored in cited.items()})

    # Building and checking one model's records

    def _handle_model(self, label: str, model: type[models.Model], items: list[Item]) -> None:
        self._read_stored(label, model)
        planned, first_of_key = [], {}
        for item in items:
            key = self._fixture_key(label, model, item.record.get("fields") or {})
            if key in first_of_key:
                other = first_of_key[key]
                message = f"repeats the natural key of {other.path}, record {other.number} ({other.label}); keep one"
                self.problems.append((item, "-", message))
                continue
            first_of_key[key] = item
            built = self._build(label, model, item, key)
            if built is not None:
                planned.append(built)
        planned = self._without_unique_clashes(label, model, planned)
        written = [p for p in planned if p.action in (Action.CREATE, Action.UPDATE)]
        self._write(label, model, written)
        for p in planned:
            if p.action is Action.KEPT_DELETED:
                self.target[label][p.key] = DELETED
                continue
            self.target[label][p.key] = p.instance.pk
            self.rows[label][p.instance.pk] = p.instance if p in written else self.rows[label][p.instance.pk]
            self.key_of[label][p.instance.pk] = p.key
            if p.action is Action.UNCHANGED:
                self._outcome(p.item, label, p.action, "", p.instance.pk)
        fixture_writes.plan_loaded_records(self.writes, label, planned)

    def _write(self, label: str, model, written: list[PlannedRecord]) -> None:
        """The records to write, said to the write plan and written, each with its outcome."""
        held = {name: links for (owner, name), links in self.m2m_now.items() if owner == label}
        fixture_writes.plan_rows(self.writes, model, written, rows=self.rows[label], links_held=held)
        self.writes.write(model)
        citation_model = fixture_writes.plan_citations(self.writes, model, written, self.citations_now.get(label, {}))
        if citation_model is not None:
            self.writes.write(citation_model)
        for p in written:
            detail = "" if p.action is Action.CREATE else self._differences(p, "was", "now")
            self._outcome(p.item, label, p.action, detail, p.instance.pk)

    def _fixture_key(self, label, model, fields: dict) -> tuple:
        parts = []
        for name in key_fields(label):
            value = fields.get(name)
            if model._meta.get_field(name).is_relation and isinstance(value, list):
                parts.extend(freeze(value))  # a foreign key stands for its target's natural key, as in Django
            elif model._meta.get_field(name).is_relation:
                parts.append(value)
            else:
                parts.append(None if value is None else str(value))
        return tuple(parts)

    def _build(self, label, model, item: Item, key: tuple) -> PlannedRecord | None:
        fields = item.record.get("fields") or {}
        problems = []  # references that cannot be resolved; the record cannot be validated without them
        attrs, related, m2m, citations, deleted_parent = {}, {}, {}, None, None
        for name, raw in fields.items() if isinstance(fields, dict) else ():
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist:
                model_field = None
            if model_field is None or not model_field.concrete and not model_field.many_to_many:
                problems.append((name, f"{model._meta.label_lower} has no field {name!r}"))
            elif model_field.many_to_many:
                target_label = model_field.related_model._meta.label_lower
                entries = raw if isinstance(raw, list) else []
                resolved = {}
                for entry in entries:
                    code_key = [citation_code(entry)] if isinstance(entry, dict) else entry
                    pk, message = self._resolve(target_label, code_key)
                    if message:
                        problems.append((name, message))
                    elif pk != DELETED:  # a target deleted in the admin is left out, as the deletion left it
                        resolved[pk] = citation_passage(entry)
                if model_field.remote_field.through._meta.auto_created:
                    m2m[name] = sorted(resolved)
                else:
                    citations = resolved
            elif model_field.is_relation:
                if raw is None:
                    attrs[model_field.attname] = None
                    continue
                target_label = model_field.related_model._meta.label_lower
                pk, message = self._resolve(target_label, raw)
                if message:
                    problems.append((name, message))
                elif pk == DELETED:
                    deleted_parent = f"its {model_field.verbose_name} {shown(raw)} was deleted since loaded"
                else:
                    related[model_field.name] = self.rows[target_label][pk]
            else:
                attrs[model_field.attname] = raw
        instance = model(**attrs)
        for name, row in related.items():
            setattr(instance, name, row)
        if not problems and not deleted_parent:
            problems += validation.problems(instance, exclude=related)
        problems = item.problems + problems
        if problems:
            self.problems += [(item, name, message) for name, message in problems]
            self.target[label][key] = FAILED
            return None
        if deleted_parent:  # only without --force: with it, the parent was made again above
            self._outcome(item, label, Action.KEPT_DELETED, deleted_parent)
            self.outcomes[-1].with_parent = True
            self.target[label][key] = DELETED
            return None
        planned = PlannedRecord(item, key, instance, m2m, citations)
        planned.new = self._values(instance, m2m, citations)
        self._decide(label, planned)
        return planned

    def _resolve(self, target_label: str, raw) -> tuple[Any, str]:
        if not isinstance(raw, list):
            return None, f"give the natural key as a list, e.g. [{raw!r}]"
        found = self.target.get(target_label, {}).get(freeze(raw))
        if found is None:
            return None, f"refers to {target_label} {raw}, which neither the fixtures nor the database hold"
        if found == FAILED:
            return None, f"refers to {target_label} {raw}, which has problems of its own (see above)"
        return found, ""

    def _decide(self, label: str, planned: PlannedRecord) -> None:
        record = self.loaded.get(planned.key)
        pk = record.object_pk if record is not None else self.target[label].get(planned.key)
        row = self.rows[label].get(pk) if isinstance(pk, int) else None
        planned.loaded = record
        if row is None:
            planned.action = Action.CREATE
            if record is not None:  # loaded before and gone since: deleted in the admin
                self._kept(planned, label, Action.KEPT_DELETED, self._who(label, pk, "deleted"), pk)
            return
        planned.instance.pk = row.pk
        planned.instance._state.adding = False
        planned.current = self._stored_values(label, row, planned)
        if planned.current == planned.new:
            planned.action = Action.UNCHANGED
            return
        planned.action = Action.UPDATE
        if planned.current != record.values if record is not None else row.pk in self._edited_by_people(label):
            detail = f"{self._who(label, row.pk, 'edited')}; {self._differences(planned, 'database', 'fixture')}"
            self._kept(planned, label, Action.KEPT_EDITED, detail, row.pk)

    def _kept(self, planned: PlannedRecord, label: str, action: Action, detail: str, pk) -> None:
        """Keep the stored row as it is; with --force, overwrite it but list it all the same."""
        outcome = Outcome(planned.item.path, planned.item.number, planned.item.label, action, detail, label, pk)
        if self.writes.keep(outcome.as_kept()):
            planned.action = action
            self.outcomes.append(outcome)
        else:
            self.overridden.append(outcome)

    def _edited_by_people(self, label: str) -> set[int]:
        """Rows some signed-in person has saved in the admin (their history names a user); read once per model."""
        if label not in self.edited_by_people:
            history = get_history_model_for_model(apps.get_model(label))
            self.edited_by_people[label] = set(
                history.objects.filter(history_user__isnull=False).values_list("id", flat=True)
            )
        return self.edited_by_people[label]

    def _who(self, label: str, pk, verb: str) -> str:
        """Who last changed the row or one of its citations, and when, from their history."""
        return last_change(apps.get_model(label), pk, verb, writer_reason=LOAD_REASON)

    def _differences(self, planned: PlannedRecord, old_name: str, new_name: str) -> str:
        """Each differing value, with ids shown as the natural keys the fixtures use (sources by code)."""
        old, new = planned.current or {}, planned.new
        changed = [name for name in new if old.get(name) != new[name]]
        model = type(planned.instance)
        return "; ".join(
            f"{name.removesuffix('_id')}: {old_name} {self._readable(model, name, old.get(name))}, "
            f"{new_name} {self._readable(model, name, new[name])}"
            for name in changed
        )

    def _readable(self, model, name: str, value) -> str:
        def key(target, pk):
            found = self.key_of.get(target._meta.label_lower, {}).get(pk)
            return "/".join(map(str, found)) if found else pk

        if name == "citations":
            source = apps.get_model("inspections.source")
            value = {key(source, pk): passage for pk, passage, *_ in value or []}
        else:
            field = model._meta.get_field(name)
            if field.is_relation and isinstance(value, list):
                value = [key(field.related_model, pk) for pk in value]
            elif field.is_relation and value is not None:
                value = key(field.related_model, value)
        return shown(value)

    def _without_unique_clashes(self, label: str, model, planned: list[PlannedRecord]) -> list[PlannedRecord]:
        """The planned records less those whose write would break a unique field or constraint (each a problem)."""
        writing = [p for p in planned if p.action in (Action.CREATE, Action.UPDATE)]
        replaced = {p.instance.pk for p in writing}
        stored = [(("row", pk), row) for pk, row in self.rows[label].items() if pk not in replaced]
        failed = set()
        for (_, clashing), name, message, (kind, other) in validation.unique_clashes(
            model, stored + [(("record", p), p.instance) for p in writing]
        ):
            if kind == "row":
                where = f"the stored {model._meta.verbose_name} {self.rows[label][other]} (id {other})"
            else:
                where = f"{other.item.path}, record {other.item.number} ({other.item.label})"
            self.problems.append((clashing.item, name, f"{message}: {where}"))
            self.target[label][clashing.key] = FAILED
            failed.add(id(clashing))
        return [p for p in planned if id(p) not in failed]

    def _outcome(self, item: Item, label: str, action: Action, detail: str = "", pk=None) -> None:
        self.outcomes.append(Outcome(item.path, item.number, item.label, action, detail, label, pk))


def _model_problem(label: str) -> str:
    try:
        apps.get_model(label)
    except (LookupError, ValueError):
        return f"unknown model {label!r}"
    return f"only the curated models may appear in a fixture ({', '.join(LOAD_MODELS)}); not {label}"
