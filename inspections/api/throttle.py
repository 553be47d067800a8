"""The API's limit of requests per client address, counted in the shared cache so every worker shares it.

django-ninja's own throttle keeps a list of request times per address and writes it back (read, change,
write): each worker process, or each of two requests at once, can count alone, and the limit overshoots.
Here each address has one counter per fixed window (e.g. the current minute), created with `cache.add`
and raised with `cache.incr`, both single atomic operations in Redis (and within one process in
locmem), so N workers sharing the cache (CACHE_URL=redis://...) allow API_RATE_LIMIT requests in a window
between them.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string
from ninja.throttling import SimpleRateThrottle


def client_address(request) -> str:
    """The address the sign-in lockout counts by (settings.AXES_CLIENT_IP_CALLABLE): one rule for both."""
    return import_string(settings.AXES_CLIENT_IP_CALLABLE)(request) or "unknown"


class SharedWindowThrottle(SimpleRateThrottle):
    """At most `rate` requests ("120/m") per client address in each fixed window, counted atomically."""

    cache_format = "api-throttle:%(ident)s:%(window)d"

    def __init__(self, rate: str, *, cache_backend=None):
        super().__init__(rate)
        self.cache = cache_backend or cache

    def allow_request(self, request) -> bool:
        """Counted once a request, however often asked (a stored answer is throttled before django-ninja's
        own check, which a built answer then meets again)."""
        decided = request.__dict__.setdefault("_shared_window_throttle", {})
        if id(self) not in decided:
            decided[id(self)] = self._count(request)
        return decided[id(self)]

    def _count(self, request) -> bool:
        window = int(time.time() // self.duration)
        key = self.cache_format % {"ident": client_address(request), "window": window}
        self.cache.add(key, 0, self.duration + 1)  # no-op when another request or worker made it first
        try:
            count = self.cache.incr(key)
        except ValueError:  # the key expired between add and incr: a window has just ended
            self.cache.add(key, 0, self.duration + 1)
            try:
                count = self.cache.incr(key)
            except ValueError:  # a cache that keeps nothing (CACHE_URL=dummy://): nothing to count with
                return True
        return count <= self.num_requests

    def wait(self) -> float:
        """Seconds until the window ends and the count starts again (from the clock: the throttle keeps no
        state between calls, as worker threads share it)."""
        return max(self.duration - time.time() % self.duration, 1)
