"""Request plumbing around the app: refuse malformed input, answer 503 while the database is down,
send the Permissions-Policy header, and the two hooks django-axes calls (client address, lockout page).

Each response here is rendered without a request context, so it never touches the database.
"""

import logging
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpResponse
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
            return _page("400.html", 400, {"message": "The address or form data could not be understood."})
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


def database_unreachable(exception: Exception) -> bool:
    """True when the error means the database cannot be reached, not that a query was wrong."""
    if not isinstance(exception, OperationalError | InterfaceError):
        return False
    connection = connections[DEFAULT_DB_ALIAS]
    return connection.connection is None or not connection.is_usable()


class DatabaseUnavailableMiddleware:
    """While the database is unreachable, answer 503 with Retry-After and a plain page instead of 500.

    Nothing is lost: a form posted during the outage was not saved and the page says so. With
    CONN_HEALTH_CHECKS each request tests its kept connection first, so recovery needs no restart.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unreachable(exception):
            return None
        logger.error("Database unreachable; answered 503 to %s %s: %s", request.method, request.path, exception)
        response = _page("503.html", 503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response._has_been_logged = True  # the line above names the cause; Django's would repeat it without
        return response


def client_ip(request) -> str | None:
    """The address django-axes counts failures by.

    Behind our TLS proxy every request comes from the proxy, so the address is the last
    X-Forwarded-For entry: the one the proxy itself appended (earlier entries are the client's word).
    """
    if settings.BEHIND_TLS_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """The page shown instead of signing in while a user name or address is locked out."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    response = _page("lockout.html", settings.AXES_HTTP_RESPONSE_CODE, context)
    response["Retry-After"] = str(minutes * 60)
    return response
