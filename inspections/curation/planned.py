"""What a fixture load plans, record by record: shared by the matching (`reload`) and the writing (`fixture_writes`)."""

import enum
from dataclasses import dataclass, field

from django.db import models

from inspections.changes.write_plan import Kept, KeptAction
from inspections.domain.codes import PassageKind
from inspections.models import LoadedRecord

LOAD_REASON = "load_curated"
DELETED, FAILED = "deleted", "failed"  # what a natural key resolves to besides a pk


class Action(enum.StrEnum):
    CREATE = "created"
    UPDATE = "updated"
    UNCHANGED = "unchanged"
    KEPT_EDITED = "kept: edited since loaded"
    KEPT_DELETED = "kept: deleted since loaded"


@dataclass
class Item:
    """One fixture record with where it came from and the problems the raw-record rules found."""

    path: str
    number: int
    record: dict
    label: str
    problems: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Outcome:
    path: str
    record: int
    label: str
    action: Action
    detail: str = ""
    model: str = ""
    pk: int | None = None
    with_parent: bool = False  # kept because its parent was deleted, not itself

    def __str__(self):
        return str(self.as_kept())

    def as_kept(self) -> Kept:
        """The outcome as the write plan lists what editors changed ('edited' or 'deleted' since loaded)."""
        action = KeptAction.DELETED if self.action is Action.KEPT_DELETED else KeptAction.EDITED
        return Kept(f"{self.path}, record {self.record}", self.label, action, self.detail, self.with_parent)


@dataclass(eq=False)
class PlannedRecord:
    """One fixture record as a load plans it: the row it will be, its links and citations, what is stored now."""

    item: Item
    key: tuple
    instance: models.Model
    m2m: dict[str, list[int]]
    citations: dict[int, tuple[str, str]] | None  # source pk -> (passage, passage kind)
    new: dict = field(default_factory=dict)
    current: dict | None = None
    loaded: LoadedRecord | None = None
    action: Action = Action.CREATE
    changed_fields: list[str] = field(default_factory=list)


def citation_code(entry) -> str:
    """The source code of one `sources` entry: `[CODE]` (a natural key) or `{source: CODE, passage: TEXT}`."""
    if isinstance(entry, dict):
        return str(entry.get("source"))
    return str(entry[0] if isinstance(entry, list) and entry else entry)


def citation_passage(entry) -> tuple[str, str]:
    """(passage, passage kind) of one `sources` entry; `kind: quote` marks the source's own words, else our note."""
    if not isinstance(entry, dict):
        return "", PassageKind.NOTE
    return entry.get("passage") or "", entry.get("kind") or PassageKind.NOTE


def cited_value(source_pk: int, passage: str, kind: str) -> list:
    """A citation as a load compares it. Our note (the default) is written without its kind, as loads before
    passage kinds wrote it, so a database loaded then is not taken for one edited since."""
    return [source_pk, passage] if kind == PassageKind.NOTE else [source_pk, passage, kind]


def freeze(value):
    return tuple(freeze(part) for part in value) if isinstance(value, list | tuple) else value


def jsonable(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 70 else text[:67] + "..."
