"""Answers that say which data they show, kept as the site's pages are.

Every GET and HEAD is decorated as a public page is (`web.page_cache.cached_page`): its answer stored under
the data version (a list's unfiltered pages and every detail; a filtered list is built each time), with an
ETag, Last-Modified and Cache-Control, and a client that sends the ETag back in If-None-Match gets 304 Not
Modified until the data changes. The throttle counts a stored answer as it counts a built one: the limit
is on requests, not on the work they cost.
"""

from functools import wraps

from ninja.decorators import decorate_view

from inspections.web.page_cache import cached_page, list_page

#: The methods of every read: HEAD answers as GET does, headers (ETag included) without the body.
READ = ["GET", "HEAD"]


def _stored_and_throttled(run):
    """Wrap an operation's `run` (django-ninja's bound method): throttled first, then the page cache."""
    operation = run.__self__
    page = cached_page(list_page)(run)

    @wraps(run)
    def answer(request, *args, **kwargs):
        # django-ninja checks its throttles inside `run`, which a stored answer never reaches; the throttle
        # counts each request once (SharedWindowThrottle remembers), so a built answer is not counted twice.
        refused = operation._check_throttles(request)
        if refused is not None:
            return refused
        return page(request, *args, **kwargs)

    return answer


revalidated = decorate_view(_stored_and_throttled)
