"""Checking and loading the curated fixtures: every record is checked, then all or nothing is written.

A problem is reported by file, record number and field, so an editor of the YAML can go
straight to it. The source rules (every rating, finding and statement cites a source that
exists; no invented days; an unchanged previous rating needs a note; no address is a redirect wrapper around
another) are checked here on the
raw records; fields, references, `clean()` and constraints in `reload`, which also decides
what a reload does with records edited or deleted in the admin since they were loaded. All of it
runs in one transaction, which the check and a dry run always roll back and the load commits only
when no record has a problem.
"""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

from inspections.changes.write_plan import Kept
from inspections.curation.planned import Action, Item, Outcome, citation_code
from inspections.curation.reload import Reload
from inspections.domain.addresses import wrapped_address
from inspections.domain.dates import is_truncated_to_precision

__all__ = [
    "Action",
    "FixtureError",
    "FixtureProblem",
    "LoadReport",
    "Outcome",
    "check_fixtures",
    "citation_code",
    "fixture_paths",
    "load_curated_fixtures",
]

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"
LOAD_ORDER = ("sources.yaml", "trust.yaml", "inspections.yaml")
MUST_CITE = {
    "inspections.inspection",
    "inspections.rating",
    "inspections.finding",
    "inspections.statement",
    "inspections.leadership",
}
LABEL_FIELDS = (
    "code",
    "provider_id",
    "inspection",
    "trust",
    "slug",
    "ref",
    "key_question",
    "scope",
    "service",
    "location",
)
DATE_FIELDS = ("published", "visit_start", "visit_end")
ADDRESS_FIELDS = ("url", "report_url")


@dataclass(frozen=True)
class FixtureProblem:
    path: str
    record: int
    label: str
    field: str
    message: str

    def __str__(self):
        return f"{self.path}, record {self.record} ({self.label}), field '{self.field}': {self.message}"


class FixtureError(Exception):
    def __init__(self, problems: list[FixtureProblem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def fixture_paths(directory: Path = FIXTURE_DIR) -> list[Path]:
    """Fixture files in load order: every sources file, then every trust file, then every inspections file."""
    return [path for name in LOAD_ORDER for path in sorted(directory.glob(f"*/{name}"))]


def _label(record: dict) -> str:
    fields = record.get("fields") or {}
    parts = []
    for name in LABEL_FIELDS:
        value = fields.get(name)
        if value and len(str(value)) <= 60:
            parts.append("/".join(map(str, value)) if isinstance(value, list) else str(value))
    return " ".join([str(record.get("model", "?")), *parts])


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


def _load_yaml(path: Path) -> list:
    # libyaml's C loader is ten times faster than the pure-Python one; Django's serializer uses it too.
    safe_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # both are the safe loader
    return yaml.load(path.read_text(encoding="utf-8"), Loader=safe_loader) or []  # noqa: S506


def _read(path: Path) -> tuple[list[dict], list[FixtureProblem]]:
    try:
        records = _load_yaml(path)
    except (OSError, yaml.YAMLError) as error:
        return [], [FixtureProblem(_display_path(path), 0, "whole file", "-", f"cannot be read as YAML: {error}")]
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        return [], [FixtureProblem(_display_path(path), 0, "whole file", "-", "must be a list of records")]
    return records, []


def _source_rule_problems(record: dict, known_sources: set[str]) -> list[tuple[str, str]]:
    """(field, message) pairs for the curation rules that the database cannot express."""
    model = str(record.get("model", ""))
    fields = record.get("fields") or {}
    problems = []
    if "pk" in record:
        problems.append(("pk", "fixtures use natural keys; remove the pk"))
    cited = fields.get("sources")
    if model in MUST_CITE and not cited:
        problems.append(("sources", "must cite at least one source"))
    for key in cited or []:
        code = citation_code(key)
        if isinstance(key, dict) and not isinstance(key.get("passage", ""), str):
            problems.append(("sources", f"the passage for {code!r} must be text"))
        if code not in known_sources:
            problems.append(("sources", f"cites source {code!r}, which no sources file defines"))
    for name in DATE_FIELDS:
        value, precision = fields.get(name), fields.get(f"{name}_precision", "day")
        if value and not hasattr(value, "year"):
            problems.append((name, f"{value!r} is not a date (write YYYY-MM-DD)"))
        elif not is_truncated_to_precision(value, precision):
            problems.append((name, f"gives a day or month ({value}) but its precision is only '{precision}'"))
    for name in ADDRESS_FIELDS:
        if isinstance(fields.get(name), str) and (wrapped := wrapped_address(fields[name])):
            problems.append((name, f"is a redirect wrapper; give the address it leads to ({wrapped})"))
    previous = fields.get("previous_value")
    if model == "inspections.rating" and previous and previous == fields.get("value") and not fields.get("note"):
        problems.append(("previous_value", "equals the new rating; add a note saying the source states no change"))
    return problems


def _unmigrated_problem() -> list[FixtureProblem]:
    """One clear message for a database that has not been migrated, instead of one per record."""
    existing = set(connection.introspection.table_names())
    missing = [model._meta.db_table for model in apps.get_app_config("inspections").get_models()]
    missing = [table for table in missing if table not in existing]
    if not missing:
        return []
    message = f"tables {', '.join(missing)} do not exist: run `python manage.py migrate` first"
    return [FixtureProblem(str(connection.settings_dict["NAME"]), 0, "database", "-", message)]


@dataclass
class LoadReport:
    """What a load did (or, in a dry run, would do) with each fixture record."""

    outcomes: list[Outcome]
    overridden: list[Outcome] = field(default_factory=list)  # edited or deleted since loaded; --force overwrote them

    def of(self, *actions: Action) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.action in actions]

    @property
    def kept(self) -> list[Kept]:
        """Records editors changed or deleted since loaded, kept as they are (or, with --force, overwritten)."""
        listed = self.overridden or self.of(Action.KEPT_EDITED, Action.KEPT_DELETED)
        return [outcome.as_kept() for outcome in listed]

    @property
    def counts(self) -> Counter:
        """Fixture records per model."""
        return Counter(outcome.model for outcome in self.outcomes)


def _plan(paths: list[Path], *, force: bool) -> tuple[list[FixtureProblem], LoadReport]:
    """Check every record and write what the plan decides, in the caller's transaction."""
    if unmigrated := _unmigrated_problem():
        return unmigrated, LoadReport([])
    loaded: list[tuple[Path, list[dict]]] = []
    problems: list[FixtureProblem] = []
    for path in paths:
        records, read_problems = _read(path)
        problems.extend(read_problems)
        loaded.append((path, records))
    known_sources = {
        str((r.get("fields") or {}).get("code"))
        for _, records in loaded
        for r in records
        if r.get("model") == "inspections.source"
    }
    shown = {path: _display_path(path) for path, _ in loaded}
    items = [
        Item(shown[path], number, record, _label(record), _source_rule_problems(record, known_sources))
        for path, records in loaded
        for number, record in enumerate(records, start=1)
    ]
    plan = Reload(force=force)
    plan.run(items)
    file_order = {name: position for position, name in enumerate(shown.values())}
    found = sorted(plan.problems, key=lambda problem: (file_order.get(problem[0].path, 0), problem[0].number))
    problems += [FixtureProblem(item.path, item.number, item.label, name, message) for item, name, message in found]
    outcomes = sorted(plan.outcomes, key=lambda outcome: (file_order.get(outcome.path, 0), outcome.record))
    overridden = sorted(plan.overridden, key=lambda outcome: (file_order.get(outcome.path, 0), outcome.record))
    return problems, LoadReport(outcomes, overridden)


def check_fixtures(*, paths: list[Path]) -> list[FixtureProblem]:
    """Every problem in the given fixture files; the database is left exactly as it was."""
    with transaction.atomic():
        problems, _ = _plan(paths, force=False)
        transaction.set_rollback(True)
    return problems


def load_curated_fixtures(*, paths: list[Path] | None = None, dry_run: bool = False, force: bool = False) -> LoadReport:
    """Check every record, then write all or nothing in one transaction; what was done with each record.

    Raises FixtureError and writes nothing on any problem. Records edited or deleted in the admin
    since they were loaded are kept as they are unless `force`; `dry_run` reports and writes nothing.
    """
    paths = fixture_paths() if paths is None else paths
    if not paths:
        raise FixtureError([FixtureProblem(str(FIXTURE_DIR), 0, "folder", "-", "no fixture files found")])
    with transaction.atomic():
        problems, report = _plan(paths, force=force)
        if problems:
            raise FixtureError(problems)  # leaving the block by an exception rolls everything back
        if dry_run:
            transaction.set_rollback(True)
    return report
