"""Request plumbing around the app: refuse malformed input, answer 503 while the database is down,
send the Permissions-Policy header, and the lockout page django-axes shows (its client address: proxies.py).

Each response here is rendered without a request context, so it never touches the database.
"""

import logging
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
FORM_ENCODED = "application/x-www-form-urlencoded"


def _page(template: str, status: int, context: dict | None = None) -> HttpResponse:
    return HttpResponse(render_to_string(template, context or {}), status=status)


class PermissionsPolicyMiddleware:
    """Switch off the browser features named in settings.PERMISSIONS_POLICY (Django has no setting for it)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


def _malformed(raw: bytes) -> str | None:
    """Why percent-encoded form data cannot be used ('NUL byte', 'not UTF-8'), or None if it can."""
    decoded = unquote_to_bytes(raw)
    if b"\x00" in decoded:
        return "NUL byte"
    try:
        decoded.decode("utf-8")
    except UnicodeDecodeError:
        return "not UTF-8"
    return None


class RejectMalformedInputMiddleware:
    """Answer 400 to a NUL byte or undecodable bytes in the path, query string, form post or cookies.

    PostgreSQL refuses NUL in text, so such values reached admin filters, searches and autocompletes
    as a 500. Django itself replaces undecodable bytes silently; refusing them says what went wrong.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self._problem(request)
        if problem:
            logger.warning("Refused %s %s: %s", request.method, request.path_info.replace("\x00", "\\x00"), problem)
            message = "The address or form data could not be understood."
            if request.path_info.startswith("/api/"):  # the API answers every error in JSON, as its schema says
                return JsonResponse({"detail": f"{message} ({problem})"}, status=400)
            return _page("400.html", 400, {"message": message})
        return self.get_response(request)

    @staticmethod
    def _problem(request) -> str | None:
        if "\x00" in request.path_info:
            return "NUL byte in the path"
        reason = _malformed(request.META.get("QUERY_STRING", "").encode("iso-8859-1", "replace"))
        if reason:
            return f"{reason} in the query string"
        if any("\x00" in key or "\x00" in value for key, value in request.COOKIES.items()):
            return "NUL byte in a cookie"
        if request.method == "POST":
            if request.content_type == FORM_ENCODED:
                reason = _malformed(request.body.replace(b"+", b" "))
            elif any("\x00" in key or "\x00" in value for key, values in request.POST.lists() for value in values):
                reason = "NUL byte"
            if reason:
                return f"{reason} in the form data"
        return None


#: SQLSTATE 57014: the server ended a statement that ran past DB_STATEMENT_TIMEOUT.
QUERY_CANCELED = "57014"


def database_unavailable(exception: Exception) -> bool:
    """True when the error means the database cannot answer now (unreachable, hung, or too slow),
    not that a query was wrong."""
    if not isinstance(exception, OperationalError | InterfaceError):
        return False
    if getattr(exception.__cause__, "sqlstate", None) == QUERY_CANCELED:
        return True
    connection = connections[DEFAULT_DB_ALIAS]
    return connection.connection is None or not connection.is_usable()


def wants_json(request) -> bool:
    """API addresses, and clients that prefer JSON to HTML, get errors as JSON."""
    if request.path_info.startswith("/api/"):
        return True
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


class DatabaseUnavailableMiddleware:
    """While the database cannot answer, reply 503 with Retry-After instead of 500: a plain page,
    or JSON in the API's error shape ({"detail": ...}) for the API and JSON clients.

    Nothing is lost: a form posted during the outage was not saved and the page says so. With
    CONN_HEALTH_CHECKS each request tests its kept connection first, so recovery needs no restart.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unavailable(exception):
            return None
        logger.error("Database unavailable; answered 503 to %s %s: %s", request.method, request.path, exception)
        if wants_json(request):
            detail = "The database is briefly unavailable; a change sent now was not saved. Try again in a minute."
            response = JsonResponse({"detail": detail}, status=503)
        else:
            response = _page("503.html", 503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response._has_been_logged = True  # the line above names the cause; Django's would repeat it without
        return response


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """The page shown instead of signing in while a user name or address is locked out."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    response = _page("lockout.html", settings.AXES_HTTP_RESPONSE_CODE, context)
    response["Retry-After"] = str(minutes * 60)
    return response


class PrivateByDefaultMiddleware:
    """`Cache-Control: private, no-store` on what no shared cache may keep: the admin, any answer to a post, and any
    answer that holds a CSRF token, set a cookie or read the session (a form, a signed-in page). Public pages say
    `public` themselves (inspections/web/page_cache.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        private = (
            request.path.startswith("/admin/")
            or request.method not in ("GET", "HEAD")
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or response.cookies
            or (session is not None and session.accessed)
        )
        if private:  # even over a page's own `public`: what carries something personal is never shared
            response["Cache-Control"] = "private, no-store"
        return response
