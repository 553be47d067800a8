"""What every step of one provider's import is given: a frozen context (the provider's mapped records, the write
plan, the result, and what the steps before have planned: the trust, its sources, sites, services and reports),
and what the import says of itself (its change reasons, its result).

Each step is a function of the context that returns what the next step needs; the importer puts it into a new
context (`dataclasses.replace`), so what a step may read is what its context holds, nothing set elsewhere.
"""

import datetime
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from inspections.changes import edits, validation
from inspections.changes.write_plan import Kept, KeptAction, WritePlan
from inspections.cqc.mapped import Notice, ProviderRecords, UnreadPart
from inspections.models import CoreService, Inspection, Location, Source, Trust

IMPORT_REASON = "import_cqc"
LEGACY_REASON = "Imported from CQC's public API"  # the change reason of imports before runs were named
REASON_LENGTH = 100  # django-simple-history's history_change_reason column
WRITTEN, THEIRS = "imported", "CQC's data"  # how listings of editors' work name this writer and its values


def snapshot_reason(run_pk: int, directory) -> str:
    """'import_cqc: snapshot run 12 (snapshots/2026-11-23)': the run first, so a long directory, shortened from
    the left to fit the column, never cuts off the run that wrote the history record."""
    head = f"{IMPORT_REASON}: snapshot run {run_pk} ("
    room = REASON_LENGTH - len(head) - 1
    where = str(directory)
    return f"{head}{where if len(where) <= room else '…' + where[-(room - 1) :]})"


def kept_action_words(action: KeptAction) -> str:
    """'kept: edited since imported', as the import's summary counts them."""
    return f"kept: {action} since {WRITTEN}"


def edited_by_editors(model, pks: list[int]) -> dict[int, str]:
    """The import's rule for editors' work: rows whose latest history was not written by an import."""
    return edits.edited_by(model, pks, reason=(IMPORT_REASON, LEGACY_REASON))


@dataclass
class ImportResult:
    """What one provider's import did: rows created and updated by model, what it kept, moved and could not read."""

    provider_id: str
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    warnings: list[Notice] = field(default_factory=list)
    problems: list[UnreadPart] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)  # edited or deleted by editors, left as they are
    overridden: list[Kept] = field(default_factory=list)  # the same, overwritten with --force
    moves: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(+self.created or +self.updated)


@dataclass(frozen=True)
class Sites:
    """The provider's sites as planned: by CQC location id, those moved here from another trust (with the trust
    they left), and those not imported (an editor deleted them, or they could not be)."""

    by_id: Mapping[str, Location]
    moved: Mapping[str, tuple[Location, Trust]] = field(default_factory=dict)
    skipped: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Reports:
    """The provider's reports as planned: the inspection of each (by CQC link id), those created now, and those an
    editor deleted since they were imported (their ratings stay deleted too)."""

    by_link: Mapping[str, Inspection]
    created: frozenset[int] = frozenset()  # id() of inspections created by this import
    deleted: frozenset[str] = frozenset()
    inherited: Mapping[str, str] = field(default_factory=dict)  # link id -> CQC id of the predecessor it is on


@dataclass(frozen=True)
class ImportContext:
    records: ProviderRecords
    retrieved: datetime.date
    plan: WritePlan
    result: ImportResult
    trust: Trust | None = None
    held_before: bool = False  # the trust held rows before this import (else there is nothing of it to read)
    sources: Mapping[str, Source] = field(default_factory=dict)  # by CQC provider or location id
    sites: Sites = Sites({})
    services: Mapping[str, CoreService] = field(default_factory=dict)  # by the service's key in the records
    reports: Reports = Reports({})

    @property
    def provider_id(self) -> str:
        return self.records.trust.provider_id

    @property
    def record(self) -> str:
        return f"provider {self.provider_id}"

    @property
    def force(self) -> bool:
        return self.plan.force

    def problem(self, field_name: str, value, message: str, *, record: str = "") -> None:
        self.result.problems.append(UnreadPart(record or self.record, "", field_name, str(value)[:300], message))

    def valid(self, obj, values: dict | None = None, *, what: str, exclude: tuple[str, ...] = ()) -> bool:
        """Whether `obj` (with `values`, when given) may be written; each reason it may not, a problem."""
        found = validation.problems(obj, values, exclude=exclude)
        candidate_values = values or {}
        for name, message in found:
            value = candidate_values.get(name, getattr(obj, name, "")) if name != "-" else ""
            self.problem(f"{what}: {name}", value, f"would be invalid ({message}); not stored")
        return not found

    def deletion_kept(self, label: str, detail: str, *, with_parent: bool = False) -> bool:
        """Lists a record an editor deleted since it was imported; True when it stays deleted (without --force)."""
        return self.plan.keep(Kept(self.record, label, KeptAction.DELETED, detail, with_parent=with_parent))
