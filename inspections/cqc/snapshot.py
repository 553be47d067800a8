"""Where provider and location JSON comes from: the live API or a snapshot directory.

A snapshot keeps every body exactly as fetched: DIR/providers/<providerId>.json and
DIR/locations/<locationId>.json, plus DIR/retrieved.json mapping each provider id to the date
it was fetched (the `retrieved` date of the sources the import cites). Tests, CI and offline
deployments import a snapshot with no network; `--save-dir` writes one during a live import.
"""

import datetime
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from inspections.cqc.body_reader import shown
from inspections.cqc.client import ID_PATTERN, CqcClient, Fetched, check_id, parse_json_object
from inspections.cqc.errors import CqcDataError, CqcError, CqcNotFound
from inspections.cqc.mapped import UnreadPart

RETRIEVED_FILE = "retrieved.json"


@dataclass
class ProviderData:
    """One provider's body and the bodies of the locations it names, with the date they were fetched.

    `problems` says which of its sites could not be read (a missing or broken file, a 404); the rest imports.
    `skipped` says why the provider was left out on purpose (e.g. not an NHS body), with no sites fetched.
    """

    provider_id: str
    provider: dict
    locations: dict[str, dict] = field(default_factory=dict)
    retrieved: datetime.date | None = None
    problems: list[UnreadPart] = field(default_factory=list)
    skipped: str = ""


def location_ids_of(provider: dict, *, record: str, problems: list[UnreadPart]) -> list[str]:
    """The provider's `locationIds` that are CQC ids, each once; anything else is a problem (an absent list: none)."""
    ids = provider.get("locationIds")
    file = f"providers/{provider.get('providerId')}.json"
    if ids is None:
        return []
    if not isinstance(ids, list):
        problems.append(UnreadPart(record, file, "locationIds", shown(ids), "not a list; no sites imported"))
        return []
    found = []
    for index, value in enumerate(ids):
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            problems.append(
                UnreadPart(
                    record, file, f"locationIds[{index}]", shown(value), "not a CQC location id; this site not imported"
                )
            )
        elif value not in found:
            found.append(value)
    return found


def _site_problem(record: str, location_id: str, error: CqcError) -> UnreadPart:
    message = str(error).removeprefix(f"{error.record}: ") if error.record else str(error)
    return UnreadPart(
        record, f"locations/{location_id}.json", "locationIds", location_id, f"{message}; this site not imported"
    )


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
        handle.write(data)
    os.replace(handle.name, path)


class SnapshotWriter:
    """Saves bodies as fetched; the retrieved dates are written as each provider completes."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self._retrieved = self._read_retrieved()

    def _read_retrieved(self) -> dict[str, str]:
        path = self.directory / RETRIEVED_FILE
        if not path.exists():
            return {}
        return json.loads(path.read_text(encoding="utf-8"))

    def save(self, kind: str, record_id: str, raw: bytes) -> None:
        check_id(record_id, kind=kind)
        _write_atomically(self.directory / f"{kind}s" / f"{record_id}.json", raw)

    def mark_retrieved(self, provider_id: str, day: datetime.date) -> None:
        self._retrieved[provider_id] = day.isoformat()
        data = json.dumps(dict(sorted(self._retrieved.items())), indent=1).encode()
        _write_atomically(self.directory / RETRIEVED_FILE, data + b"\n")


class ApiFeed:
    """Fetches a provider and every location it names, saving the bodies when given a writer.

    `prefetched` holds location bodies fetched already (the changes feed fetches a changed site to learn
    its provider), so they are not asked for twice.
    """

    def __init__(self, client: CqcClient, *, writer: SnapshotWriter | None = None, today=datetime.date.today):
        self.client = client
        self.writer = writer
        self.today = today
        self.prefetched: dict[str, Fetched] = {}

    def fetch(self, provider_id: str, *, keep: Callable[[dict], str] | None = None) -> ProviderData:
        """The provider and its sites; `keep` may return why a provider is left out before its sites are fetched."""
        record = f"provider {provider_id}"
        fetched = self.client.provider(provider_id)
        data = ProviderData(provider_id, fetched.body, retrieved=self.today())
        if keep and (reason := keep(fetched.body)):
            data.skipped = reason
            return data
        raws = {("provider", provider_id): fetched.raw}
        for location_id in location_ids_of(fetched.body, record=record, problems=data.problems):
            try:
                location = self.prefetched.pop(location_id, None) or self.client.location(location_id)
            except (CqcNotFound, CqcDataError) as error:
                data.problems.append(_site_problem(record, location_id, error))
                continue
            data.locations[location_id] = location.body
            raws[("location", location_id)] = location.raw
        if self.writer:
            for (kind, record_id), raw in raws.items():
                self.writer.save(kind, record_id, raw)
            self.writer.mark_retrieved(provider_id, data.retrieved)
        return data


class SnapshotFeed:
    """Reads a snapshot directory: every provider file in DIR/providers/ and the locations each names."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        if not (self.directory / "providers").is_dir():
            raise CqcDataError(f"{self.directory} has no providers/ folder; is it a snapshot made with --save-dir?")
        retrieved_path = self.directory / RETRIEVED_FILE
        self._retrieved = self._read_json(retrieved_path, record=str(retrieved_path)) if retrieved_path.exists() else {}

    def provider_ids(self) -> list[str]:
        return sorted(path.stem for path in (self.directory / "providers").glob("*.json"))

    @staticmethod
    def _read_json(path: Path, *, record: str) -> dict:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise CqcDataError(f"file {path} is missing", record=record) from None
        return parse_json_object(raw, record=f"{record} ({path})")

    def fetch(self, provider_id: str, *, keep: Callable[[dict], str] | None = None) -> ProviderData:
        record = f"provider {provider_id}"
        check_id(provider_id, kind="provider")
        path = self.directory / "providers" / f"{provider_id}.json"
        provider = self._read_json(path, record=record)
        data = ProviderData(provider_id, provider, retrieved=self._retrieved_date(provider_id, path))
        if keep and (reason := keep(provider)):
            data.skipped = reason
            return data
        for location_id in location_ids_of(provider, record=record, problems=data.problems):
            location_path = self.directory / "locations" / f"{location_id}.json"
            try:
                data.locations[location_id] = self._read_json(location_path, record=f"{record}, location {location_id}")
            except CqcDataError as error:
                data.problems.append(_site_problem(record, location_id, error))
        return data

    def _retrieved_date(self, provider_id: str, path: Path) -> datetime.date:
        """The date in retrieved.json, else the provider file's modification date."""
        value = self._retrieved.get(provider_id)
        if value:
            try:
                return datetime.date.fromisoformat(value)
            except (TypeError, ValueError):
                raise CqcDataError(
                    f"retrieved.json has {value!r}, not a date", record=f"provider {provider_id}"
                ) from None
        return datetime.date.fromtimestamp(path.stat().st_mtime)
