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
from dataclasses import dataclass, field
from pathlib import Path

from inspections.cqc.client import CqcClient, check_id, parse_json_object
from inspections.cqc.errors import CqcDataError

RETRIEVED_FILE = "retrieved.json"


@dataclass
class ProviderData:
    """One provider's body and the bodies of the locations it names, with the date they were fetched."""

    provider_id: str
    provider: dict
    locations: dict[str, dict] = field(default_factory=dict)
    retrieved: datetime.date | None = None


def location_ids_of(provider: dict, *, record: str) -> list[str]:
    """The provider's `locationIds`, checked: a list of CQC ids (an absent list means none)."""
    ids = provider.get("locationIds", [])
    if not isinstance(ids, list):
        raise CqcDataError("'locationIds' is not a list", record=record)
    return [check_id(value, kind="location") for value in ids]


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
    """Fetches a provider and every location it names, saving the bodies when given a writer."""

    def __init__(self, client: CqcClient, *, writer: SnapshotWriter | None = None, today=datetime.date.today):
        self.client = client
        self.writer = writer
        self.today = today

    def fetch(self, provider_id: str) -> ProviderData:
        record = f"provider {provider_id}"
        fetched = self.client.provider(provider_id)
        data = ProviderData(provider_id, fetched.body, retrieved=self.today())
        raws = {("provider", provider_id): fetched.raw}
        for location_id in location_ids_of(fetched.body, record=record):
            location = self.client.location(location_id)
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

    def fetch(self, provider_id: str) -> ProviderData:
        record = f"provider {provider_id}"
        check_id(provider_id, kind="provider")
        path = self.directory / "providers" / f"{provider_id}.json"
        provider = self._read_json(path, record=record)
        data = ProviderData(provider_id, provider, retrieved=self._retrieved_date(provider_id, path))
        for location_id in location_ids_of(provider, record=record):
            location_path = self.directory / "locations" / f"{location_id}.json"
            data.locations[location_id] = self._read_json(location_path, record=f"{record}, location {location_id}")
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
