"""The writing half of a fixture load: one model's planned records in bulk, with their history.

Creates and updates go through the one bulk writer (`changes.bulk`), so every row written has a history
record with the change reason "load_curated"; citations (with passages and their kind) likewise; plain
many-to-many links are added and removed in bulk. Only what differs from the stored row is written,
so a load with nothing changed writes nothing.
"""

import json
from collections import defaultdict

from simple_history.utils import get_history_model_for_model

from inspections.changes import bulk
from inspections.curation.planned import LOAD_REASON, Action, PlannedRecord
from inspections.models import LoadedRecord


def _key_json(key: tuple) -> str:
    return json.dumps(key, ensure_ascii=False, separators=(",", ":"))


class BulkWrites:
    """Mixed into `plan.Plan`, whose state (stored links and citations, the time) it reads."""

    def _write(self, label: str, model, written: list[PlannedRecord]) -> None:
        creates = [p.instance for p in written if p.action is Action.CREATE]
        bulk.create(creates, model, reason=LOAD_REASON, when=self.now)
        updates = self._with_changes(model, written)
        names = sorted({name for p in updates for name in p.changed_fields})
        bulk.update([p.instance for p in updates], model, names, reason=LOAD_REASON, when=self.now)
        for p in written:
            detail = "" if p.action is Action.CREATE else self._differences(p, "was", "now")
            self._outcome(p.item, label, p.action, detail, p.instance.pk)
        self._write_m2m(label, model, written)
        self._write_link_history(model, creates + [p.instance for p in updates])
        self._write_citations(label, model, written)

    @staticmethod
    def _with_changes(model, written: list[PlannedRecord]) -> list[PlannedRecord]:
        """Updates that change a column or a versioned link (not only citations), with the columns they change."""
        names = {f.attname: f.name for f in model._meta.concrete_fields}
        versioned = [f.name for f in getattr(get_history_model_for_model(model), "_history_m2m_fields", [])]
        changing = []
        for p in written:
            p.changed_fields = [names[a] for a in names if a in p.new and (p.current or {}).get(a) != p.new[a]]
            links_changed = any((p.current or {}).get(name) != p.new.get(name) for name in versioned if name in p.m2m)
            if p.action is Action.UPDATE and (p.changed_fields or links_changed):
                changing.append(p)
        return changing

    def _write_link_history(self, model, instances: list) -> None:
        """The links (e.g. an inspection's sources) as they now stand, on the history records this load wrote."""
        history_model = get_history_model_for_model(model)
        versioned = getattr(history_model, "_history_m2m_fields", [])
        if not versioned or not instances:
            return
        pks = [instance.pk for instance in instances]
        records = list(
            history_model.objects.filter(id__in=pks, history_date=self.now, history_change_reason=LOAD_REASON)
        )
        for many in versioned:
            through = many.remote_field.through
            owner = through._meta.get_field(many.m2m_field_name()).attname
            other = through._meta.get_field(many.m2m_reverse_field_name()).attname
            links = defaultdict(list)
            for link_pk, owner_pk, other_pk in through.objects.filter(**{f"{owner}__in": pks}).values_list(
                "pk", owner, other
            ):
                links[owner_pk].append((link_pk, other_pk))
            link_history = getattr(history_model, many.name).model
            rows = [
                link_history(history=record, id=link_pk, **{owner: record.id, other: other_pk})
                for record in records
                for link_pk, other_pk in links[record.id]
            ]
            bulk.insert_plain(rows, link_history)

    def _write_m2m(self, label: str, model, written: list[PlannedRecord]) -> None:
        for many in model._meta.many_to_many:
            through = many.remote_field.through
            if not through._meta.auto_created:
                continue
            owner = through._meta.get_field(many.m2m_field_name()).attname
            other = through._meta.get_field(many.m2m_reverse_field_name()).attname
            current = self.m2m_now[(label, many.name)]
            adds = []
            for p in written:
                if many.name not in p.m2m:
                    continue
                have, want = current.get(p.instance.pk, set()), set(p.m2m[many.name])
                adds += [through(**{owner: p.instance.pk, other: pk}) for pk in sorted(want - have)]
                if have - want:
                    through.objects.filter(**{owner: p.instance.pk, f"{other}__in": have - want}).delete()
            bulk.insert_plain(adds, through)

    def _write_citations(self, label: str, model, written: list[PlannedRecord]) -> None:
        many = next((m for m in model._meta.many_to_many if not m.remote_field.through._meta.auto_created), None)
        if many is None:
            return
        through = many.remote_field.through
        owner = through._meta.get_field(many.m2m_field_name()).attname
        other = through._meta.get_field(many.m2m_reverse_field_name()).attname
        current = self.citations_now[label]
        adds, changes, removes = [], {}, []
        for p in written:
            if p.citations is None:
                continue
            have = current.get(p.instance.pk, {})
            for source_pk, (passage, kind) in p.citations.items():
                if source_pk not in have:
                    values = {owner: p.instance.pk, other: source_pk, "passage": passage, "passage_kind": kind}
                    adds.append(through(**values))
                elif have[source_pk][1:] != (passage, kind):
                    changes[have[source_pk][0]] = (passage, kind)
            removes += [pk for source_pk, (pk, *_) in have.items() if source_pk not in p.citations]
        bulk.create(adds, through, reason=LOAD_REASON)
        rows = list(through.objects.filter(pk__in=changes)) if changes else []  # whole rows, for their history
        for citation in rows:
            citation.passage, citation.passage_kind = changes[citation.pk]
        bulk.update(rows, through, ["passage", "passage_kind"], reason=LOAD_REASON)
        for citation in through.objects.filter(pk__in=removes):
            citation._change_reason = LOAD_REASON
            citation.delete()

    def _write_loaded_records(self, label: str, planned: list[PlannedRecord]) -> None:
        creates, updates = [], []
        for p in planned:
            if p.action not in (Action.CREATE, Action.UPDATE, Action.UNCHANGED):
                continue
            record = p.loaded
            if record is None:
                key = _key_json(p.key)
                creates.append(
                    LoadedRecord(
                        model=label, natural_key=key, object_pk=p.instance.pk, values=p.new, loaded_at=self.now
                    )
                )
            elif record.object_pk != p.instance.pk or record.values != p.new:
                record.object_pk, record.values, record.loaded_at = p.instance.pk, p.new, self.now
                updates.append(record)
        bulk.insert_plain(creates, LoadedRecord)
        bulk.update_plain(updates, LoadedRecord, ["object_pk", "values", "loaded_at"])
