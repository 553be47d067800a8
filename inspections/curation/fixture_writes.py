"""What a fixture load writes for one model's planned records, said to the one write plan (`changes.write_plan`):
rows to create and update, their links and citations, and the bookkeeping of what each fixture record wrote.

The write plan diffs each value against the row held, so only what differs is written, with a history record
whose change reason is "load_curated"; how it is written is not this module's business.
"""

import json

from inspections.changes.write_plan import WritePlan
from inspections.curation.planned import Action, PlannedRecord
from inspections.models import LoadedRecord


def _key_json(key: tuple) -> str:
    return json.dumps(key, ensure_ascii=False, separators=(",", ":"))


def plan_rows(writes: WritePlan, model, written: list[PlannedRecord], *, rows: dict, links_held: dict) -> None:
    """Each planned record's row (created, or the held row updated) and its links.

    `rows` are the held rows by pk, `links_held` {field name: {pk: other pks}}, as the load read them.
    """
    editable = [f.attname for f in model._meta.concrete_fields if f.editable and not f.primary_key]
    for p in written:
        if p.action is Action.CREATE:
            writes.create(p.instance)
            row = p.instance
        else:
            row = rows[p.instance.pk]
            writes.update(row, {name: getattr(p.instance, name) for name in editable}, label=p.item.label)
            p.instance = row
        for name, others in p.m2m.items():
            writes.link(row, name, others, replace=True, held=links_held[name].get(row.pk, set()))


def plan_citations(writes: WritePlan, model, written: list[PlannedRecord], citations_held: dict):
    """Citations (a source with its passage and its kind) added, changed and removed as the fixtures say, once the
    records citing them are written; the citation model, for the caller to write. `citations_held`: {pk: {source pk:
    (citation pk, passage, kind)}}."""
    many = next((m for m in model._meta.many_to_many if not m.remote_field.through._meta.auto_created), None)
    if many is None:
        return None
    through = many.remote_field.through
    owner = through._meta.get_field(many.m2m_field_name()).attname
    other = through._meta.get_field(many.m2m_reverse_field_name()).attname
    changes, removes = {}, []
    for p in written:
        if p.citations is None:
            continue
        have = citations_held.get(p.instance.pk, {})
        for source_pk, (passage, kind) in p.citations.items():
            if source_pk not in have:
                values = {owner: p.instance.pk, other: source_pk, "passage": passage, "passage_kind": kind}
                writes.create(through(**values))
            elif have[source_pk][1:] != (passage, kind):
                changes[have[source_pk][0]] = {"passage": passage, "passage_kind": kind}
        removes += [pk for source_pk, (pk, *_) in have.items() if source_pk not in p.citations]
    for citation in through.objects.filter(pk__in=[*changes, *removes]) if changes or removes else ():
        if citation.pk in changes:
            writes.update(citation, changes[citation.pk])
        else:
            writes.delete(citation)
    return through


def plan_loaded_records(writes: WritePlan, label: str, planned: list[PlannedRecord]) -> None:
    """What each fixture record wrote (its row's pk and values), for the next load to tell an edit from a change."""
    for p in planned:
        if p.action not in (Action.CREATE, Action.UPDATE, Action.UNCHANGED):
            continue
        record = p.loaded
        if record is None:
            writes.create(
                LoadedRecord(
                    model=label,
                    natural_key=_key_json(p.key),
                    object_pk=p.instance.pk,
                    values=p.new,
                    loaded_at=writes.when,
                )
            )
        elif record.object_pk != p.instance.pk or record.values != p.new:
            writes.update(record, {"object_pk": p.instance.pk, "values": p.new, "loaded_at": writes.when})
