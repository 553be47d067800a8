"""Whole-dataset files (ratings and findings, as CSV and JSON Lines, each also gzipped), written once per
data version and then served as files.

Building ratings.csv for 230 trusts takes seconds; built on every request, two downloads at once held both
workers. Here the first request after the data changes builds a dataset's four files in one pass over its
rows, under a file lock (so two requests, or two workers, never build at once: the second is told to come
back), into temporary files renamed into place only when complete. Every later request is served the
finished file, with its length, so a download cut off on the way is visible to the client.

Files are named by the data version (`changes.version`), read before the rows are: files built while the
data changed are filed under the old version and never served for the new one. Older versions' files are
removed by the next build of the same dataset (a file being served stays readable until it is closed).

With the database down, a worker may hold a version older than the one another worker built a file for, or
none (it has not read the version since the database came back, or ever). Its own version's file is gone and
cannot be built, so it serves the newest file whose version changed no earlier than its own: a file's time is
set to when its version's change was made (its Last-Modified), so that file is of its version or a newer one.

The directory is settings.DOWNLOADS_DIR (default `cqc-downloads` in the system's temporary directory).
With several app servers, each builds its own files (or share the directory).
"""

import fcntl
import gzip
import hashlib
import io
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import DatabaseError

from inspections.changes.version import Version, current_version
from inspections.database.timeouts import statement_timeout
from inspections.publishing import national_figures
from inspections.reading import exports, national_movements

EXTENSIONS = ("csv", "jsonl")
GZIP_LEVEL = 6  # most of level 9's saving (the CSV shrinks about 25 times) for a fraction of its time


@dataclass(frozen=True)
class Dataset:
    records: Callable[[], Iterator[dict]]  # every record, read a chunk at a time
    header: tuple[str, ...]
    prefix: str = ""  # where its address sits: "national/" for /national/movements.csv


DATASETS = {
    "ratings": Dataset(lambda: exports.streamed_ratings(exports.ratings_for_export()), exports.RATINGS_HEADER),
    "findings": Dataset(
        lambda: exports.streamed(exports.findings_for_export(), exports.finding_record), exports.FINDINGS_HEADER
    ),
    "movements": Dataset(national_figures.movement_records, national_movements.MOVEMENTS_HEADER, "national/"),
    "ages": Dataset(national_figures.age_records, national_movements.AGES_HEADER, "national/"),
    "site_movements": Dataset(
        national_figures.site_movement_records, national_movements.SITE_MOVEMENTS_HEADER, "national/"
    ),
    "site_ages": Dataset(national_figures.site_age_records, national_movements.SITE_AGES_HEADER, "national/"),
}


class StillBuilding(Exception):
    """Another request or worker is building this dataset's files now."""


@dataclass(frozen=True)
class BuiltFile:
    file: BinaryIO  # open: a newer build may remove the name, never what is already open
    version: str
    size: int
    modified: float  # seconds since the epoch


#: How long one statement of a build may run (the site's usual limit, DB_STATEMENT_TIMEOUT, is for pages).
BUILD_STATEMENT_MS = 120_000


def downloads_dir() -> Path:
    return Path(settings.DOWNLOADS_DIR)


def _columns(dataset: str) -> str:
    return hashlib.blake2b(",".join(DATASETS[dataset].header).encode(), digest_size=4).hexdigest()


def file_version(dataset: str, version: Version | None = None) -> str:
    """What a built file is of: the data version and the dataset's columns (a deploy that adds a column builds the
    file again, though no data changed; its ETag moves with it)."""
    return f"{(version or current_version()).value}-{_columns(dataset)}"


def file_name(dataset: str, extension: str, version: str, *, gzipped: bool = False) -> str:
    return f"{dataset}-{version}.{extension}" + (".gz" if gzipped else "")


def _all_names(dataset: str, version: str) -> list[str]:
    return [file_name(dataset, ext, version, gzipped=gz) for ext in EXTENSIONS for gz in (False, True)]


def open_built_file(dataset: str, extension: str, *, gzipped: bool = False) -> BuiltFile:
    """The dataset's file at the current data version, open for reading; built first (with its three twins)
    when it is not yet.

    Raises StillBuilding while another request builds it, and whatever the database raises if it cannot be
    read and no file built since the version's change is there (nothing partial is left behind).
    """
    directory = downloads_dir() / dataset
    for _ in range(2):  # a build for a newer version may remove the file between finding and opening it
        held = None
        try:
            held = current_version()
            version = file_version(dataset, held)
            path = directory / file_name(dataset, extension, version, gzipped=gzipped)
            if not path.exists():
                directory.mkdir(parents=True, exist_ok=True)
                with _build_lock(directory):
                    if not all((directory / name).exists() for name in _all_names(dataset, version)):
                        _write_files(dataset, version, directory, held.changed_at.timestamp())
                        _remove_other_versions(dataset, version, directory)
        except DatabaseError:
            newer = _built_since(dataset, extension, gzipped, held)
            if newer is None:
                raise
            version, path = newer
        try:
            file = open(path, "rb")  # noqa: SIM115 (the response closes it when sent)
        except FileNotFoundError:
            continue
        stat = os.fstat(file.fileno())
        return BuiltFile(file=file, version=version, size=stat.st_size, modified=stat.st_mtime)
    raise StillBuilding


def _built_since(dataset: str, extension: str, gzipped: bool, held: Version | None) -> tuple[str, Path] | None:
    """The newest complete file of these columns whose version is `held` or newer (any, if no version was ever
    read here), and that version, if any."""
    suffix = f"-{_columns(dataset)}.{extension}" + (".gz" if gzipped else "")
    since = held.changed_at.timestamp() if held else 0.0
    found = []
    for path in (downloads_dir() / dataset).glob(f"{dataset}-*{suffix}"):
        try:
            modified = path.stat().st_mtime
        except FileNotFoundError:  # removed by a build meanwhile
            continue
        if modified >= since:
            found.append((modified, path))
    if not found:
        return None
    path = max(found)[1]
    return path.name[len(dataset) + 1 : -len(suffix)] + f"-{_columns(dataset)}", path


@contextmanager
def _build_lock(directory: Path):
    """Held while one request builds; any other asking meanwhile gets StillBuilding at once, not a wait."""
    with open(directory / ".build.lock", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StillBuilding from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write_files(dataset: str, version: str, directory: Path, changed_at: float) -> None:
    """Write the four files in one pass over the rows, as temporary files renamed into place when all are done,
    each dated `changed_at` (when its version's change was made)."""
    spec = DATASETS[dataset]
    final = {(ext, gz): directory / file_name(dataset, ext, version, gzipped=gz) for ext in EXTENSIONS for gz in (0, 1)}
    temporary = {key: path.with_name(f".{path.name}.{os.getpid()}.tmp") for key, path in final.items()}
    try:
        with (
            statement_timeout(BUILD_STATEMENT_MS),  # a read of every rating may take longer than a page's limit
            open(temporary["csv", 0], "w", encoding="utf-8", newline="") as csv_file,
            open(temporary["jsonl", 0], "w", encoding="utf-8") as jsonl_file,
            _gzip_text(temporary["csv", 1]) as csv_gz,
            _gzip_text(temporary["jsonl", 1]) as jsonl_gz,
        ):
            writer = exports.csv_writer()
            header_line = writer.writerow(spec.header)
            csv_file.write(header_line)
            csv_gz.write(header_line)
            for record in spec.records():
                line = writer.writerow([record[name] for name in spec.header])
                csv_file.write(line)
                csv_gz.write(line)
                line = exports.jsonl_line(record)
                jsonl_file.write(line)
                jsonl_gz.write(line)
        for key, path in temporary.items():
            os.utime(path, (changed_at, changed_at))
            path.replace(final[key])
    finally:
        for path in temporary.values():
            path.unlink(missing_ok=True)


@contextmanager
def _gzip_text(path: Path):
    """A gzip file for text, with no name or time inside, so the same rows always make the same bytes."""
    with (
        open(path, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", compresslevel=GZIP_LEVEL, fileobj=raw, mtime=0) as packed,
    ):
        text = io.TextIOWrapper(packed, encoding="utf-8", newline="")
        yield text
        text.flush()
        text.detach()


def _remove_other_versions(dataset: str, version: str, directory: Path) -> None:
    keep = set(_all_names(dataset, version))
    for path in directory.glob(f"{dataset}-*"):
        if path.name not in keep:
            path.unlink(missing_ok=True)
    for path in directory.glob(f".{dataset}-*.tmp"):  # left by a build that was killed
        path.unlink(missing_ok=True)
