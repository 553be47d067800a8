"""The client's address when requests come through proxies: one rule for the sign-in lockout (django-axes),
the API rate limit (django-ninja's throttles, which read NINJA_NUM_PROXIES: the same count) and the access log.

Each proxy appends the address it got the request from to `X-Forwarded-For`; anything left of what our own
proxies appended is the client's word and can be anything. So with TRUSTED_PROXY_COUNT=n the client is the
n-th entry from the right, and with 0 (gunicorn reached directly) the header is ignored. The count is only
as good as the rule that gunicorn cannot be reached except through those proxies (README binds it to
127.0.0.1 or a Unix socket): reached directly, a client writes the whole header itself.
"""

from collections.abc import Mapping

from django.conf import settings


def client_address(meta: Mapping[str, str]) -> str:
    """The client's address from a request's META (or a WSGI environ), by TRUSTED_PROXY_COUNT."""
    remote = meta.get("REMOTE_ADDR") or ""
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted == 0 or not forwarded:
        return remote
    entries = forwarded.split(",")
    # as django-ninja's throttles count: fewer entries than proxies means the first entry is the client
    return entries[-min(trusted, len(entries))].strip() or remote


def client_ip(request) -> str:
    """django-axes' hook (AXES_CLIENT_IP_CALLABLE): the address failed sign-ins are counted by."""
    return client_address(request.META)
