"""The data version: a value that every change to the record replaces, so anything built from the data
(a cached page, an ETag, a download) can tell whether it is still current.

Any save or delete of an inspections model (admin edit, import, fixture load: loaddata and
load_curated save through the ORM too) and any change to its many-to-many links replaces the
version. The version is replaced at once and again when the transaction commits: anything built in
between, from data not yet committed, is filed under a version that is dead by the time anyone asks
for it. Bulk writes send no signals: code that writes with bulk_create or update() calls
`bump_data_version()` itself. With several worker processes the cache holding the version must be
shared (CACHE_URL file:// or redis://); a system check in `web.page_cache` says so.
"""

import uuid

from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "inspections:data-version"


def bump_data_version() -> str:
    """A fresh random version (never a counter: a lost key must not bring back what was built before)."""
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, None)
    return version


def data_version() -> str:
    return cache.get(VERSION_KEY) or bump_data_version()


def _data_changed(sender, **kwargs) -> None:
    bump_data_version()
    if connection.in_atomic_block and not any(item[1] is bump_data_version for item in connection.run_on_commit):
        transaction.on_commit(bump_data_version)


def connect_signals() -> None:
    """Called once from the app's ready(), for this app's models only (users and sessions do not bump).

    Receivers are connected per model, never globally: a delete receiver for every sender would stop
    Django from fast-deleting plain link rows, so deletes would load and history would meet them.
    """
    for model in apps.get_app_config("inspections").get_models(include_auto_created=True):
        signals = (m2m_changed,) if model._meta.auto_created else (post_save, post_delete, m2m_changed)
        for signal in signals:
            signal.connect(_data_changed, sender=model, dispatch_uid=f"cache-{signal!r}-{model._meta.label}")
