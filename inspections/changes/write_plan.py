"""The one way a writer changes many records: what to create, update, move, delete and link, diffed against what
is held, written in bulk with a history record for every row (and for its links), editors' work kept.

Every writer that changes many records at once (the curated loader, the CQC import, restoring a deletion) says
only *what* to write, record by record, then asks `write()` for each model, parents first; how it is written is
here, once:

- `update()` sets only values that differ from the row held, and nothing at all is written when none does, so
  writing the same data again writes nothing;
- a row an editor changed since this writer last wrote it is kept as the editor left it and listed (`kept`),
  unless `force` (then it is overwritten and listed in `overridden`). Writers that know by themselves what an
  editor changed (the loader remembers what it wrote) say so with `keep()`; writers that do not (the import) give
  an `edited` rule, asked at write time for the rows an update would touch;
- a row deleted since it was written is the writer's to notice (it knows what it wrote); `keep()` lists it;
- links (many-to-many) are added, and with `replace` removed, against the links held; a record's links are
  versioned with it: every history record written here carries the record's links as they now stand, and a record
  whose links changed while its own values did not gets a history record of its own;
- rows go through the one bulk writer (`changes.bulk`), which keeps derived columns in step and replaces the
  data version.
"""

import datetime
import enum
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

from inspections.changes import bulk
from inspections.changes.version import bump_data_version

#: The rule of a writer that does not remember what it wrote: of these rows, {pk: who edited it} for those an
#: editor changed since the writer wrote them.
EditedRule = Callable[[type[models.Model], list[int]], dict[int, str]]


class KeptAction(enum.StrEnum):
    EDITED = "edited"
    DELETED = "deleted"


@dataclass(frozen=True)
class Kept:
    """A record an editor changed or deleted since a writer wrote it, which the write left as it is (or, with
    force, did not)."""

    where: str  # "provider ZZ1", "fixtures/lpt/inspections.yaml, record 7"
    label: str  # "inspections.rating ZZ1 2023-09-14-00000103 safe trust"
    action: KeptAction
    detail: str = ""  # "edited by alice on 2026-12-03 10:15; value: database 'outstanding', CQC 'good'"
    with_parent: bool = False  # kept because the record above it was deleted, not itself

    def __str__(self):
        return f"{self.where} ({self.label})" + (f": {self.detail}" if self.detail else "")


@dataclass
class RowChange:
    """Values a write sets on a stored row: what it held before, what it will hold."""

    obj: models.Model
    before: dict
    after: dict
    label: str


def shown(value) -> str:
    """A value as a listing shows it (codes as they are stored, dates in ISO form), shortened."""
    if isinstance(value, str):
        value = str(value)  # a TextChoices member as its code
    text = repr(value.isoformat() if hasattr(value, "isoformat") else value)
    return text if len(text) <= 70 else text[:67] + "..."


def differences(before: dict, after: dict, *, ours: str, theirs: str) -> str:
    """'value: database 'outstanding', CQC 'good'' for each value that differs."""
    return "; ".join(
        f"{name.removesuffix('_id')}: {ours} {shown(before.get(name))}, {theirs} {shown(after[name])}"
        for name in after
        if before.get(name) != after[name]
    )


def kept_listing(
    kept: list[Kept], *, written: str, theirs: str, force: bool, verbosity: int, would: str = ""
) -> list[str]:
    """What a command says of records editors changed since it wrote them: a heading, then a line each (records
    deleted only because the record above them was, counted in one line below verbosity 2)."""
    if not kept:
        return []
    verb = f"{would}overwritten by --force" if force else "kept as they are"
    advice = "" if force else f"; run with --force to overwrite them with {theirs}"
    lines = [f"{len(kept)} record(s) changed in the admin since they were {written}, {verb}{advice}:"]
    under_parents = [item for item in kept if item.with_parent]
    for item in kept if verbosity > 1 else [item for item in kept if not item.with_parent]:
        lines.append(f"  {item.action} since {written}: {item}")
    if under_parents and verbosity < 2:
        lines.append(f"  and {len(under_parents)} record(s) deleted with those (listed with -v 2)")
    return lines


@dataclass
class _Links:
    """Links of one many-to-many field to write: wanted other pks per owner (the owner's pk may come later)."""

    owners: dict[int, models.Model] = field(default_factory=dict)  # id(owner) -> owner
    wanted: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    held: dict[int, set[int] | None] = field(default_factory=dict)
    replace: dict[int, bool] = field(default_factory=dict)


class WritePlan:
    """Records to create, update, move, delete and link, by model, checked by the writer before `write()`."""

    def __init__(
        self,
        *,
        reason: str,
        when: datetime.datetime | None = None,
        user=None,
        force: bool = False,
        where: str = "",
        theirs: str = "",
        edited: EditedRule | None = None,
    ):
        self.reason = reason
        self.when = when or timezone.now()
        self.user = user
        self.force = force
        self.where = where  # names the writer's input in what it keeps ("provider ZZ1")
        self.theirs = theirs  # names the writer's values beside the database's ("CQC", "fixture")
        self.edited = edited
        self.created: Counter = Counter()
        self.updated: Counter = Counter()
        self.deleted: Counter = Counter()
        self.kept: list[Kept] = []
        self.overridden: list[Kept] = []
        self.kept_updates: dict[type, list[RowChange]] = defaultdict(list)
        self._create: dict[type, list] = defaultdict(list)
        self._update: dict[type, list[RowChange]] = defaultdict(list)
        self._move: dict[type, list[RowChange]] = defaultdict(list)
        self._delete: dict[type, list] = defaultdict(list)
        self._links: dict[tuple[type, str], _Links] = {}
        self._created_now: set[tuple[type, int]] = set()  # (model, id(obj)): nothing of theirs is held yet
        self._history_written: dict[type, set[int]] = defaultdict(set)  # pks with a history record written here
        self._created_pks: dict[type, set[int]] = defaultdict(set)
        self._links_recorded: dict[type, set[int]] = defaultdict(set)  # pks whose links their history carries

    @property
    def changed(self) -> bool:
        return bool(+self.created or +self.updated or +self.deleted)

    # What to write ------------------------------------------------------------------------------------------------

    def create(self, obj: models.Model) -> None:
        self._create[type(obj)].append(obj)
        self._created_now.add((type(obj), id(obj)))

    def update(self, obj: models.Model, values: dict, *, label: str = "") -> bool:
        """Set `values` on a held row; written (unless an editor changed the row since) when any differs."""
        before = {name: getattr(obj, name) for name in values}
        if before == values:
            return False
        for name, value in values.items():
            setattr(obj, name, value)
        if obj.pk is not None and (type(obj), id(obj)) not in self._created_now:
            self._update[type(obj)].append(RowChange(obj, before, values, label))
        return True

    def move(self, obj: models.Model, values: dict, *, label: str = "") -> None:
        """Set `values` that follow the writer's data whatever an editor did (a site moving to another trust)."""
        before = {name: getattr(obj, name) for name in values}
        for name, value in values.items():
            setattr(obj, name, value)
        self._move[type(obj)].append(RowChange(obj, before, values, label))

    def delete(self, obj: models.Model) -> None:
        self._delete[type(obj)].append(obj)

    def link(self, owner: models.Model, name: str, others: Iterable[int], *, replace: bool = False, held=None) -> None:
        """Link `owner` to `others` by its many-to-many field `name`; with `replace`, unlink the rest. `held` (the
        other pks linked now) spares a query where the writer has read them already."""
        links = self._links.setdefault((type(owner), name), _Links())
        key = id(owner)
        links.owners[key] = owner
        links.wanted[key].update(others)
        links.replace[key] = replace or links.replace.get(key, False)
        if held is not None or (type(owner), key) in self._created_now:
            links.held[key] = set(held or ())

    def keep(self, kept: Kept) -> bool:
        """List a record an editor changed or deleted; True when it stays as the editor left it (without force)."""
        (self.overridden if self.force else self.kept).append(kept)
        return not self.force

    # Writing ------------------------------------------------------------------------------------------------------

    def write(self, *model_list: type[models.Model], counted: bool = True) -> None:
        """Each model's creates, moves, updates, deletes, then its links, through the one bulk writer; counted in
        `created`, `updated` and `deleted` (not bookkeeping, written with `counted=False`)."""
        for model in model_list:
            created = self._create.pop(model, [])
            bulk.create(created, model, reason=self.reason, user=self.user, when=self.when)
            self.created[model.__name__] += len(created) if counted else 0
            moves = self._move.pop(model, [])
            changes = self._without_edited(model, self._update.pop(model, []))
            for group in (moves, changes):
                for same_fields in _by_fields(group):
                    rows = [change.obj for change in same_fields]
                    bulk.update(
                        rows, model, _fields(model, same_fields), reason=self.reason, user=self.user, when=self.when
                    )
            self.updated[model.__name__] += len({id(change.obj) for change in moves + changes}) if counted else 0
            deleted = self._write_deletes(model, self._delete.pop(model, []))
            self.deleted[model.__name__] += deleted if counted else 0
            self._created_pks[model].update(obj.pk for obj in created)
            if bulk.has_history(model):
                self._history_written[model].update(obj.pk for obj in created)
                self._history_written[model].update(change.obj.pk for change in moves + changes)
            self._write_links(model)

    def _write_deletes(self, model: type, objs: list) -> int:
        """Rows with history one by one (their history records the deletion and who made it); others at once."""
        if not objs:
            return 0
        if bulk.has_history(model):
            for obj in objs:
                obj._change_reason = self.reason
                if self.user is not None:
                    obj._history_user = self.user
                obj.delete()
        else:
            model._default_manager.filter(pk__in=[obj.pk for obj in objs]).delete()
            bump_data_version()
        return len(objs)

    def _without_edited(self, model: type, changes: list[RowChange]) -> list[RowChange]:
        """The changes less those of rows an editor changed since (kept and put back as they were in memory)."""
        if not changes or self.edited is None or not bulk.has_history(model):
            return changes
        edited = self.edited(model, [change.obj.pk for change in changes])
        writing = []
        for change in changes:
            if change.obj.pk not in edited:
                writing.append(change)
                continue
            what = differences(change.before, change.after, ours="database", theirs=self.theirs)
            detail = f"{edited[change.obj.pk]}; {what}"
            if not self.keep(Kept(self.where, change.label, KeptAction.EDITED, detail)):
                writing.append(change)
                continue
            for name, value in change.before.items():
                setattr(change.obj, name, value)
            self.kept_updates[model].append(change)
        return writing

    def _write_links(self, model: type) -> None:
        """The links queued for owners of `model`, then the history of those links."""
        linked: set[int] = set()
        for (owner_model, name), links in list(self._links.items()):
            if owner_model is not model:
                continue
            del self._links[(owner_model, name)]
            many = model._meta.get_field(name)
            through = many.remote_field.through
            owner_column = through._meta.get_field(many.m2m_field_name()).attname
            other_column = through._meta.get_field(many.m2m_reverse_field_name()).attname
            unread = [links.owners[key].pk for key in links.owners if links.held.get(key) is None]
            held = defaultdict(set)
            if unread:
                for owner_pk, other_pk in through.objects.filter(**{f"{owner_column}__in": unread}).values_list(
                    owner_column, other_column
                ):
                    held[owner_pk].add(other_pk)
            diffs = {}  # owner key -> (links to add, links to remove)
            for key, owner in links.owners.items():
                have = links.held[key] if links.held.get(key) is not None else held[owner.pk]
                want = links.wanted[key]
                adding, removing = want - have, (have - want if links.replace[key] else set())
                if adding or removing:
                    diffs[key] = (adding, removing)
            adds = []
            for key in self._linkable(model, links, list(diffs)):
                owner, (adding, removing) = links.owners[key], diffs[key]
                adds += [through(**{owner_column: owner.pk, other_column: pk}) for pk in sorted(adding)]
                if removing:
                    through.objects.filter(**{owner_column: owner.pk, f"{other_column}__in": removing}).delete()
                linked.add(owner.pk)
            bulk.insert_plain(adds, through)
            self.created[through.__name__] += len(adds)
        if bulk.has_history(model):
            self._link_history(model, linked)

    def _linkable(self, model: type, links: _Links, keys: list[int]) -> list[int]:
        """Of the owners whose links would change, those whose links may be written: not those an editor changed
        since (their links stay as the editor left them, unless force)."""
        if self.force or self.edited is None:
            return keys
        stored = [links.owners[key].pk for key in keys if (model, key) not in self._created_now]
        edited = set(self.edited(model, stored)) if stored else set()
        return [key for key in keys if links.owners[key].pk not in edited]

    def _link_history(self, model: type, linked: set[int]) -> None:
        """The links of the records whose history was written here, on those history records: each update's, and
        each record's whose links changed (a record whose links alone changed gets a history record of its own
        first). A record created here without links needs none."""
        history = bulk.history_model(model)
        versioned = getattr(history, "_history_m2m_fields", [])
        if not versioned:
            return
        written, recorded = self._history_written[model], self._links_recorded[model]
        only_links = linked - written
        if only_links:
            rows = list(model._default_manager.filter(pk__in=only_links))
            bulk.update(rows, model, [], reason=self.reason, user=self.user, when=self.when)
            written |= only_links
        targets = {pk for pk in written - recorded if pk not in self._created_pks[model]} | linked
        if not targets:
            return
        records = list(
            history.objects.filter(id__in=targets, history_date=self.when, history_change_reason=self.reason)
        )
        for many in versioned:
            through = many.remote_field.through
            owner = through._meta.get_field(many.m2m_field_name()).attname
            other = through._meta.get_field(many.m2m_reverse_field_name()).attname
            link_history = getattr(history, many.name).model
            if targets & recorded:  # recorded earlier in this write, before these links changed
                link_history.objects.filter(history__in=[r for r in records if r.id in recorded]).delete()
            links = defaultdict(list)
            for link_pk, owner_pk, other_pk in through.objects.filter(**{f"{owner}__in": targets}).values_list(
                "pk", owner, other
            ):
                links[owner_pk].append((link_pk, other_pk))
            rows = [
                link_history(history=record, id=link_pk, **{owner: record.id, other: other_pk})
                for record in records
                for link_pk, other_pk in links[record.id]
            ]
            bulk.insert_plain(rows, link_history)
        recorded |= targets


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
