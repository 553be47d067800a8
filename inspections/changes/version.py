"""The data version: a value that every change to the record replaces, so anything built from the data
(a cached page, an ETag, a download) can tell whether it is still current.

It lives in one database row (`models.DataVersion`), replaced in the same transaction as the change, so
every process and server sees the new version exactly when it sees the new data, whatever cache is
configured. Reading it is one primary-key query, held in the process for at most
`DATA_VERSION_SECONDS` (default 1 s); a change made in this process forgets the held value at once.
Once a version is held, asking again never blocks a request on the database: the read runs on a
thread of its own (its own connection, closed after each read) and the request waits at most
`DATA_VERSION_WAIT_SECONDS` for it, else serves under the held version. A hung database thus delays
no cached page, and a healthy one answers long before the wait ends.

Any save or delete of an inspections model (admin edit, import, fixture load: loaddata and load_curated
save through the ORM too) and any change to its many-to-many links replaces the version. Bulk writes
send no signals: code that writes with bulk_create or update() calls `bump_data_version()` itself
(`changes.bulk` does). Inside a transaction the version is replaced again when it commits, so a page
built by the writer's own connection from its uncommitted data is filed under a version that is dead by
the time anyone else can ask for it; other connections see neither the change nor its version until
the commit.
"""

import datetime
import os
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as WaitEnded
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone


@dataclass(frozen=True)
class Version:
    """The current version and when the data last changed (a page's ETag part and Last-Modified)."""

    value: str
    changed_at: datetime.datetime


_held: tuple[Version, float] | None = None  # this process's last read and when (time.monotonic())
_forgotten = 0  # how often this process forgot what it held: a read begun before a change is not kept after it


def _model():
    return apps.get_model("inspections", "DataVersion")


def _fresh() -> Version:
    """A random version (never a counter: a lost row must not bring back what was built before)."""
    return Version(uuid.uuid4().hex, timezone.now())


def _write(version: Version) -> None:
    model = _model()
    fields = {"version": version.value, "changed_at": version.changed_at}
    if not model.objects.filter(pk=model.ONE).update(**fields):
        model.objects.bulk_create([model(pk=model.ONE, **fields)], ignore_conflicts=True)
        model.objects.filter(pk=model.ONE).update(**fields)  # another process may have inserted first


def forget_held_version() -> None:
    """The next read asks the database (after a change here, and between tests)."""
    global _held, _forgotten
    _forgotten += 1
    _held = None


def bump_data_version() -> str:
    """Replace the version in this connection's transaction (or at once outside one)."""
    version = _fresh()
    _write(version)
    forget_held_version()
    return version.value


def _read() -> Version | None:
    row = _model().objects.filter(pk=_model().ONE).values_list("version", "changed_at").first()
    return None if row is None else Version(*row)


def _read_on_own_connection() -> Version | None:
    try:
        return _read()
    finally:
        connections.close_all()  # this thread's own; a paused server must not keep it for the next read


_reader: tuple[int, ThreadPoolExecutor] | None = None  # (pid, one thread): a forked worker starts its own
_reading = threading.Lock()  # held while a read beside the requests is under way: one at a time


def _read_beside(held: Version) -> Version:
    """The version read on the reader's thread, or `held` if it does not answer within the wait."""
    global _reader, _held
    if not _reading.acquire(blocking=False):
        return held  # a read is under way (the database is slow): it refreshes what is held when it can
    try:
        if _reader is None or _reader[0] != os.getpid():
            _reader = (os.getpid(), ThreadPoolExecutor(1, thread_name_prefix="data-version"))
        asked_after = _forgotten
        read = _reader[1].submit(_read_on_own_connection)
    except BaseException:
        _reading.release()
        raise

    def finished(future) -> None:
        global _held
        try:
            version = future.result()
            if asked_after != _forgotten:
                pass  # this process changed the data meanwhile: the read may predate it
            elif version is not None:
                _held = (version, time.monotonic())
        except DatabaseError:
            # The database cannot be read: nothing can change in it through this process either, so what
            # was built under the version last read is served (cached pages, built files) until it answers.
            if asked_after == _forgotten:
                _held = (held, time.monotonic())
        finally:
            _reading.release()

    read.add_done_callback(finished)
    try:
        version = read.result(timeout=settings.DATA_VERSION_WAIT_SECONDS)
    except (WaitEnded, DatabaseError):
        return held
    if asked_after != _forgotten:
        return current_version()  # changed here meanwhile: read again, on this connection
    return held if version is None else version


def current_version() -> Version:
    """The version as the database holds it, read at most once a `DATA_VERSION_SECONDS` in this process."""
    global _held
    now = time.monotonic()
    held = _held
    if held is not None and now - held[1] < settings.DATA_VERSION_SECONDS:
        return held[0]
    # Inside a transaction the version is read on its own connection, as only it sees its own changes (and
    # tests run in one); elsewhere, with a version held, on the reader's thread.
    if held is not None and not connection.in_atomic_block:
        return _read_beside(held[0])
    try:
        version = _read()
    except DatabaseError:
        if held is None:
            raise
        _held = (held[0], time.monotonic())  # tried again a DATA_VERSION_SECONDS later, not by every request
        return held[0]
    if version is None:  # a new (or flushed) database: the first reader writes the first version
        _write(_fresh())
        version = _read()
    # Held even when read inside a writer's transaction: its version is replaced again at commit, and a
    # rolled-back one never comes back, so nothing filed under it is ever served.
    _held = (version, now)
    return version


def data_version() -> str:
    return current_version().value


def _replace_after_commit() -> None:
    bump_data_version()


def _data_changed(sender, **kwargs) -> None:
    bump_data_version()
    if connection.in_atomic_block and not any(item[1] is _replace_after_commit for item in connection.run_on_commit):
        transaction.on_commit(_replace_after_commit)


def connect_signals() -> None:
    """Called once from the app's ready(), for this app's models only (users and sessions do not bump;
    nor does the version's own row).

    Models that say `bumps_data_version = False` (alert sign-ups) are not the record and leave the version.
    Receivers are connected per model, never globally: a delete receiver for every sender would stop
    Django from fast-deleting plain link rows, so deletes would load and history would meet them.
    """
    for model in apps.get_app_config("inspections").get_models(include_auto_created=True):
        if model is _model() or not getattr(model, "bumps_data_version", True):  # the version itself; sign-ups
            continue
        signals = (m2m_changed,) if model._meta.auto_created else (post_save, post_delete, m2m_changed)
        for signal in signals:
            signal.connect(_data_changed, sender=model, dispatch_uid=f"cache-{signal!r}-{model._meta.label}")
