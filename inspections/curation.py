"""Checking and loading the curated fixtures: everything is validated first, then all or nothing is written.

A problem is reported by file, record number and field, so an editor of the YAML can go
straight to it. The source rules (every rating, finding and statement cites a source that
exists; no invented days; an unchanged previous rating needs a note) are checked on the raw
records; everything else (codes, constraints, references) by deserialising, validating and
saving each record inside one transaction, which the check always rolls back and the load
commits only when no record has a problem.
"""

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from .partial_dates import is_truncated_to_precision

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
#: Records whose citations carry a supporting passage: `sources: [{source: CODE, passage: TEXT}, ...]`.
CITES_WITH_PASSAGE = {"inspections.rating", "inspections.finding", "inspections.statement"}


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
    previous = fields.get("previous_value")
    if model == "inspections.rating" and previous and previous == fields.get("value") and not fields.get("note"):
        problems.append(("previous_value", "equals the new rating; add a note saying the source states no change"))
    return problems


def citation_code(entry) -> str:
    """The source code of one `sources` entry: `[CODE]` (a natural key) or `{source: CODE, passage: TEXT}`."""
    if isinstance(entry, dict):
        return str(entry.get("source"))
    return str(entry[0] if isinstance(entry, list) and entry else entry)


def _split_passages(record: dict) -> tuple[dict, dict[str, str]]:
    """The record as Django's deserialiser reads it (sources as natural keys), and each cited code's passage."""
    fields = record.get("fields") or {}
    cited = fields.get("sources")
    if not isinstance(cited, list) or not any(isinstance(entry, dict) for entry in cited):
        return record, {}
    passages = {citation_code(entry): entry.get("passage") or "" for entry in cited if isinstance(entry, dict)}
    plain = {**record, "fields": {**fields, "sources": [[citation_code(entry)] for entry in cited]}}
    return plain, passages


def _validation_problems(record: dict) -> list[tuple[str, str]]:
    """Deserialise and save one record (inside the caller's rolled-back transaction)."""
    model = str(record.get("model", ""))
    try:
        apps.get_model(model)
    except (LookupError, ValueError):
        return [("model", f"unknown model {model!r}")]
    record, passages = _split_passages(record)
    try:
        for deserialized in serializers.deserialize("python", [record]):
            instance = deserialized.object
            # A natural key that matches a stored row makes this an update, not a duplicate.
            instance._state.adding = not type(instance)._default_manager.filter(pk=instance.pk).exists()
            instance.full_clean()
            with transaction.atomic():
                deserialized.save()
                for citation in instance.citations.select_related("source") if model in CITES_WITH_PASSAGE else ():
                    if citation.passage != passages.get(citation.source.code, ""):
                        citation.passage = passages.get(citation.source.code, "")
                        citation.save(update_fields=["passage"])
    except ValidationError as error:
        return [(field, " ".join(messages)) for field, messages in error.message_dict.items()]
    except (serializers.base.DeserializationError, DatabaseError, ValueError, TypeError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        return [("-", f"cannot be loaded: {message}")]
    return []


def _unmigrated_problem() -> list[FixtureProblem]:
    """One clear message for a database that has not been migrated, instead of one per record."""
    existing = set(connection.introspection.table_names())
    missing = [model._meta.db_table for model in apps.get_app_config("inspections").get_models()]
    missing = [table for table in missing if table not in existing]
    if not missing:
        return []
    message = f"tables {', '.join(missing)} do not exist: run `python manage.py migrate` first"
    return [FixtureProblem(str(connection.settings_dict["NAME"]), 0, "database", "-", message)]


def _save_checking_each_record(paths: list[Path]) -> tuple[list[FixtureProblem], Counter]:
    """Save every record in the caller's transaction, collecting every problem rather than stopping at the first."""
    if unmigrated := _unmigrated_problem():
        return unmigrated, Counter()
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
    for path, records in loaded:
        for number, record in enumerate(records, start=1):
            found = _source_rule_problems(record, known_sources) + _validation_problems(record)
            problems.extend(
                FixtureProblem(_display_path(path), number, _label(record), field, message) for field, message in found
            )
    counts = Counter(str(record.get("model")) for _, records in loaded for record in records)
    return problems, counts


def check_fixtures(*, paths: list[Path]) -> list[FixtureProblem]:
    """Every problem in the given fixture files; the database is left exactly as it was."""
    with transaction.atomic():
        problems, _ = _save_checking_each_record(paths)
        transaction.set_rollback(True)
    return problems


def load_curated_fixtures(*, paths: list[Path] | None = None) -> Counter:
    """Validate and save every record in one transaction; records per model.

    Raises FixtureError and writes nothing on any problem. Natural keys make loading
    idempotent: a second load updates the same rows.
    """
    paths = fixture_paths() if paths is None else paths
    if not paths:
        raise FixtureError([FixtureProblem(str(FIXTURE_DIR), 0, "folder", "-", "no fixture files found")])
    with transaction.atomic():
        problems, counts = _save_checking_each_record(paths)
        if problems:
            raise FixtureError(problems)  # leaving the block by an exception rolls everything back
    return counts
