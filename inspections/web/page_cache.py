"""Pages cached whole (their HTML) under the data version (`changes.version`), so a cached page is never
served after the data it shows has changed. The middleware adds headers on every response as usual.
With several worker processes the cache must be shared (CACHE_URL file:// or redis://), or an edit shows
only in the worker that saved it; a system check says so.
"""

from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.http import HttpResponse

from inspections.changes.version import data_version

PAGE_SECONDS = 24 * 60 * 60  # a day: the version, not the clock, decides when a page is stale


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
