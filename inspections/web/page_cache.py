"""Public pages cached whole under the data version (`changes.version`), stored compressed, and answered
with validators so browsers and a CDN can keep them.

`@cached_page(name_of)` wraps a view. `name_of(request, *args, **kwargs)` says which copy of the page the
request asks for (e.g. "default", or the page number), or None for one that is built each time (any other
window, a search): what is stored is bounded by the pages the site has, not by what is asked.

- The key holds the data version, read before building, so a page built while the data changes is filed
  under the old version, and a page is never served after the data it shows has changed. A change not yet
  committed is invisible to other connections, and so is its version (one database row).
- A stored page keeps the plain body with its gzip and brotli bodies, so a cached answer is one lookup and
  one write: no compression per request (the GZip middleware leaves an encoded answer alone).
- Every answer carries an ETag (data version, page, day) and Last-Modified (the data's last change, or the
  day's start: pages say what stands "now"), and `Cache-Control: public, max-age=PAGE_MAX_AGE,
  stale-while-revalidate=PAGE_STALE_SECONDS`; If-None-Match answers 304 before any lookup
  (If-Modified-Since alone does not: a page can change within the second the data did). No purge is
  needed in front: the ETag moves with the data.
- A page that set a cookie, used the session or holds a CSRF token (a form) is never stored and is sent
  `private, no-store` (`cqc_site.middleware.PrivateByDefaultMiddleware` does the same for the admin and posts).
"""

import datetime
import gzip
import hashlib
from collections.abc import Callable
from functools import wraps

import brotli
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from inspections.changes.version import Version, current_version

PAGE_SECONDS = 24 * 60 * 60  # a day: the version, not the clock, decides when a page is stale
PRIVATE = "private, no-store"
_KEPT_HEADERS = ("Content-Type", "Content-Language")  # the view's own headers a stored page keeps

NameOf = Callable[..., str | None]


def no_query(request: HttpRequest, *args, **kwargs) -> str | None:
    """The one copy of a page that reads no parameters; with any query string it is built each time."""
    return "page" if not request.GET else None


def list_page(request: HttpRequest, *args, **kwargs) -> str | None:
    """The pages of an unfiltered list (?page=N, each one stored); a search or filter is built each time."""
    page = request.GET.get("page", "1")
    return f"list:{page}" if set(request.GET) <= {"page"} and page.isdigit() and len(page) < 5 else None


def public_headers() -> str:
    return f"public, max-age={settings.PAGE_MAX_AGE}, stale-while-revalidate={settings.PAGE_STALE_SECONDS}"


def _validators(request: HttpRequest, version: Version, name: str | None, today: datetime.date) -> tuple[str, float]:
    page = name if name is not None else request.get_full_path()
    digest = hashlib.blake2b(f"{request.path}\n{page}\n{today.isoformat()}".encode(), digest_size=8).hexdigest()
    day_start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    return f'W/"{version.value[:16]}-{digest}"', max(version.changed_at, day_start).timestamp()


def _stored(response: HttpResponse) -> dict:
    body = response.content
    return {
        "status": response.status_code,
        "headers": {name: response[name] for name in _KEPT_HEADERS if response.has_header(name)},
        "plain": body,
        # Levels that cost a page's miss a few milliseconds (brotli 9 took 25 ms on a 184 KB trust page, 5 takes
        # about 3 ms for a body some 5% larger): a page is stored once a data version, but that once is a request.
        "gzip": gzip.compress(body, compresslevel=6, mtime=0),
        "br": brotli.compress(body, quality=5),
    }


def _encoding(request: HttpRequest) -> str | None:
    accepted = {part.split(";")[0].strip().lower() for part in request.headers.get("Accept-Encoding", "").split(",")}
    return "br" if "br" in accepted else "gzip" if "gzip" in accepted else None


def _answer(request: HttpRequest, stored: dict) -> HttpResponse:
    encoding = _encoding(request)
    response = HttpResponse(stored[encoding or "plain"], status=stored["status"], headers=stored["headers"])
    if encoding:
        response["Content-Encoding"] = encoding
    response["Content-Length"] = str(len(response.content))
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def _is_private(request: HttpRequest, response: HttpResponse) -> bool:
    session = getattr(request, "session", None)
    return bool(
        response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or (session is not None and session.accessed)
        or "private" in response.get("Cache-Control", "")
    )


def _with_validators(response: HttpResponse, etag: str, last_modified: float) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = public_headers()
    return response


def cached_page(name_of: NameOf = no_query):
    """Decorate a view: its 200 answers stored under the data version and `name_of`'s name, with validators."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            today = timezone.localdate()
            name = name_of(request, *args, **kwargs)
            version = current_version()
            etag, last_modified = _validators(request, version, name, today)
            if request.headers.get("If-None-Match", "*") != "*":  # "*" matches only a page that exists
                not_modified = get_conditional_response(request, etag=etag)
                if not_modified is not None:
                    return _with_validators(not_modified, etag, last_modified)
            # The path is hashed: an address may hold spaces or other characters no cache key may.
            path = hashlib.blake2b(request.path.encode(), digest_size=12).hexdigest()
            key = f"page:{version.value}:{today.isoformat()}:{path}:{name}" if name is not None else None
            stored = cache.get(key) if key else None
            if stored is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200 or response.streaming:
                    return response
                if _is_private(request, response):
                    response["Cache-Control"] = PRIVATE
                    return response
                if key is None:  # built each time: compressed by the middleware as it goes
                    return _with_validators(
                        get_conditional_response(request, etag=etag) or response, etag, last_modified
                    )
                stored = _stored(response)
                cache.set(key, stored, PAGE_SECONDS)
            answer = get_conditional_response(request, etag=etag) or _answer(request, stored)
            return _with_validators(answer, etag, last_modified)

        return wrapper

    return decorate
