"""An HTTP client for CQC's public Syndication API (https://api.service.cqc.org.uk/public/v1).

CQC asks clients to stay under 600 requests a minute and answers 429 when they do not, so the
client spaces its requests and retries 429, 5xx and time-outs with exponential backoff,
waiting as long as a Retry-After header asks; when it gives up it shows what the last answer's
`message` said. 401/403 and 404 are not retried: they name the record and stop that provider
(401/403 stop the run, since every later request would fail too). Each response keeps its raw
bytes, so a snapshot holds the body exactly as fetched. Every request names the site and a contact
address in its User-Agent (setting CQC_USER_AGENT), as public clients of the API say it asks.
"""

import datetime
import email.utils
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
from django.conf import settings

from inspections.cqc.errors import CqcAuthError, CqcDataError, CqcError, CqcNotFound, CqcUnavailable

DEFAULT_BASE_URL = "https://api.service.cqc.org.uk/public/v1"
KEY_HEADER = "Ocp-Apim-Subscription-Key"
#: Used when CQC_USER_AGENT is not set; it names the project but no contact, so the command says to set it.
DEFAULT_USER_AGENT = "nhs-trust-inspection-histories (a public dashboard of NHS trusts' CQC ratings)"
CHANGE_KINDS = ("provider", "location")
#: CQC ids are short letters, digits and hyphens (RT5, RT5KF, 1-1016936648); anything else is refused
#: before it reaches a URL or a file name.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,19}$")
RETRY_STATUSES = {429, 500, 502, 503, 504}


def check_id(value: str, *, kind: str) -> str:
    """The id unchanged if it looks like a CQC id; otherwise a clear error naming it."""
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise CqcDataError(f"{value!r} is not a CQC {kind} id (letters, digits and hyphens, at most 20)")
    return value


@dataclass(frozen=True)
class Fetched:
    """One JSON object from the API, with the bytes it came as."""

    body: dict
    raw: bytes


def parse_json_object(raw: bytes, *, record: str) -> dict:
    """The body as a dict, or an error naming the record when it is not a JSON object."""
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CqcDataError(f"response is not valid JSON ({error})", record=record) from None
    if not isinstance(body, dict):
        raise CqcDataError(f"expected a JSON object, got {type(body).__name__}", record=record)
    return body


def user_agent() -> str:
    """The CQC_USER_AGENT setting, else the default naming the project."""
    return settings.CQC_USER_AGENT or DEFAULT_USER_AGENT


def timestamp(moment: datetime.datetime) -> str:
    """2026-11-01T00:00:00Z: the form the changes feed takes (UTC, to the second)."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def answer_message(response: httpx.Response) -> str:
    """The `message` of a JSON error body (CQC's 429 says when to try again), shortened; '' when there is none."""
    try:
        message = response.json().get("message")
    except (ValueError, AttributeError):
        return ""
    return " ".join(str(message).split())[:200] if message else ""


def retry_after_seconds(value: str | None, *, now: float) -> float | None:
    """Seconds asked for by a Retry-After header (a number or an HTTP date); None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


class CqcClient:
    """GET requests to the API with pacing and retries; use as a context manager to close the connection."""

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        api_key: str,
        timeout: float = 30.0,
        max_attempts: int = 5,
        backoff: float = 1.0,
        max_wait: float = 120.0,
        min_interval: float = 0.1,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        agent: str | None = None,
    ):
        self._http = httpx.Client(
            base_url=base_url.rstrip("/") + "/",
            headers={KEY_HEADER: api_key, "Accept": "application/json", "User-Agent": agent or user_agent()},
            timeout=timeout,
            transport=transport,
        )
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.max_wait = max_wait
        self.min_interval = min_interval
        self._sleep = sleep
        self._clock = clock
        self._last_request: float | None = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self) -> None:
        self._http.close()

    def provider(self, provider_id: str) -> Fetched:
        check_id(provider_id, kind="provider")
        return self.get(f"providers/{provider_id}", record=f"provider {provider_id}")

    def location(self, location_id: str) -> Fetched:
        check_id(location_id, kind="location")
        return self.get(f"locations/{location_id}", record=f"location {location_id}")

    def provider_ids(self, *, per_page: int = 1000, **filters: str) -> Iterator[str]:
        """Every providerId of the paged GET /providers listing, with the listing's filters."""
        page = 1
        while True:
            params = {**filters, "page": page, "perPage": per_page}
            body = self.get("providers", record=f"provider listing page {page}", params=params).body
            stubs = body.get("providers")
            if not isinstance(stubs, list):
                raise CqcDataError("listing has no 'providers' list", record=f"provider listing page {page}")
            for stub in stubs:
                if isinstance(stub, dict) and stub.get("providerId"):
                    yield stub["providerId"]
            total_pages = body.get("totalPages")
            if not stubs or not isinstance(total_pages, int) or page >= total_pages:
                return
            page += 1

    def changes(self, kind: str, *, start: datetime.datetime, end: datetime.datetime) -> Iterator[str]:
        """Ids of the providers or locations (`kind`) CQC's data changed between `start` and `end`, every page.

        The timestamps are sent with their colons as they are: public clients note the API wants them so.
        A page's `nextPageUri` is followed when given, else the next `page` up to `totalPages`.
        """
        if kind not in CHANGE_KINDS:
            raise ValueError(f"kind must be one of {CHANGE_KINDS}")
        path = f"changes/{kind}?startTimestamp={timestamp(start)}&endTimestamp={timestamp(end)}"
        page, target = 1, path
        while True:
            record = f"{kind} changes page {page}"
            body = self.get(target, record=record).body
            ids = body.get("changes")
            if not isinstance(ids, list):
                raise CqcDataError("the answer has no 'changes' list", record=record)
            yield from (value for value in ids if isinstance(value, str))
            total = body.get("totalPages")
            if not ids or not isinstance(total, int) or page >= total:
                return
            page += 1
            target = self._next_page(body.get("nextPageUri")) or f"{path}&page={page}"

    def _next_page(self, uri) -> str:
        """A `nextPageUri` to follow: relative to the API's address, or on its host (the key goes nowhere else)."""
        if not isinstance(uri, str) or not uri.strip():
            return ""
        url = httpx.URL(uri.strip())
        if url.is_relative_url:
            return uri.strip().lstrip("/")
        return uri.strip() if url.host == self._http.base_url.host else ""

    def get(self, path: str, *, record: str, params: dict | None = None) -> Fetched:
        """One JSON object from `path`, retrying what is worth retrying; errors name `record`."""
        problem = ""
        for attempt in range(1, self.max_attempts + 1):
            self._pace()
            wait = None
            try:
                response = self._http.get(path, params=params)
            except httpx.TimeoutException:
                problem = "timed out"
            except httpx.TransportError as error:
                problem = f"connection failed ({error.__class__.__name__})"
            else:
                status = response.status_code
                if status == 200:
                    return Fetched(parse_json_object(response.content, record=record), response.content)
                if status in (401, 403):
                    raise CqcAuthError(
                        f"the API refused the key (HTTP {status}); check CQC_API_KEY and the API subscription",
                        record=record,
                    )
                if status == 404:
                    raise CqcNotFound("not found in CQC's API (HTTP 404)", record=record)
                if status not in RETRY_STATUSES:
                    raise CqcError(f"unexpected HTTP {status}", record=record)
                message = answer_message(response)
                problem = f"HTTP {status}" + (f" ({message})" if message else "")
                wait = retry_after_seconds(response.headers.get("Retry-After"), now=time.time())
            if attempt < self.max_attempts:
                self._sleep(min(self.max_wait, wait if wait is not None else self.backoff * 2 ** (attempt - 1)))
        raise CqcUnavailable(f"gave up after {self.max_attempts} attempts; last: {problem}", record=record)

    def _pace(self) -> None:
        """At least `min_interval` seconds between request starts (CQC allows 600 a minute)."""
        now = self._clock()
        if self._last_request is not None:
            gap = self._last_request + self.min_interval - now
            if gap > 0:
                self._sleep(gap)
                now += gap
        self._last_request = now
