"""A page cache keyed on a data version that every change to the record replaces.

Any save or delete of an inspections model (admin edit, import, fixture load: loaddata and
load_curated save through the ORM too) and any change to its many-to-many links replaces the
version, so a cached page is never served after the data it shows has changed. The version is
replaced at once and again when the transaction commits: a page rendered in between, from data
not yet committed, is stored under a version that is dead by the time anyone asks for it.
Bulk writes send no signals: code that writes with bulk_create or update() calls
`bump_data_version()` itself. Pages are cached whole (their HTML); the middleware adds headers
on every response as usual. With several worker processes the cache must be shared
(CACHE_URL file:// or redis://), or an edit shows only in the worker that saved it; a system check says so.
"""

import uuid
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

VERSION_KEY = "inspections:data-version"
PAGE_SECONDS = 24 * 60 * 60  # a day: the version, not the clock, decides when a page is stale


def bump_data_version() -> str:
    """A fresh random version (never a counter: a lost key must not bring back pages cached before)."""
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, None)
    return version


def data_version() -> str:
    return cache.get(VERSION_KEY) or bump_data_version()


def cached_page(key: str, build: Callable[[], HttpResponse]) -> HttpResponse:
    """The page stored for `key` at the current data version, or `build()` stored when it answers 200.

    The version is read before building, so a page built while the data changes is filed under the
    old version and never served.
    """
    page_key = f"page:{data_version()}:{key}"
    content = cache.get(page_key)
    if content is not None:
        return HttpResponse(content)
    response = build()
    if response.status_code == 200:
        cache.set(page_key, response.content, PAGE_SECONDS)
    return response


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


@checks.register(checks.Tags.caches)
def shared_cache_check(app_configs=None, **kwargs):
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or not backend.endswith("LocMemCache") or not apps.is_installed("inspections"):
        return []
    return [
        checks.Warning(
            "The page cache is in each process's memory: with several gunicorn workers an edit shows only "
            "in the worker that saved it.",
            hint="Set CACHE_URL=file:///var/tmp/cqc-cache (one machine) or redis://127.0.0.1:6379/0.",
            id="inspections.W001",
        )
    ]
