"""The API's limit is shared by every worker: each address's requests are counted in the shared cache with atomic
operations (add, then incr on a fixed window's key), so N workers allow API_RATE_LIMIT requests between them.

The windows here are a day long, so a test never straddles two (it waits for the next one if it would).
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory

from inspections.api.throttle import SharedWindowThrottle
from tests.integration.test_page_cache import redis_url  # noqa: F401 (a Redis server of the test's own)

ROOT = Path(__file__).resolve().parents[2]
DAY = 24 * 60 * 60


def away_from_a_window_edge(period: int = DAY, margin: int = 120) -> None:
    """Wait until at least `margin` seconds remain in the current window (at most `margin` seconds)."""
    remaining = period - time.time() % period
    if remaining < margin:
        time.sleep(remaining + 1)


def request_from(address: str):
    return RequestFactory().get("/api/v1/", REMOTE_ADDR=address)


def test_two_workers_with_their_own_cache_clients_share_one_limit(redis_url):  # noqa: F811
    away_from_a_window_edge()
    worker_caches = [RedisCache(redis_url, {}) for _ in range(2)]  # two connections, as two processes have
    throttles = [SharedWindowThrottle("5/d", cache_backend=cache) for cache in worker_caches]
    allowed = [throttles[n % 2].allow_request(request_from("192.0.2.7")) for n in range(12)]
    assert allowed == [True] * 5 + [False] * 7
    assert throttles[0].allow_request(request_from("192.0.2.8"))  # another address counts alone
    assert 0 < throttles[1].wait() <= DAY


WORKER = """
import django, pathlib, sys, time
django.setup()
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")  # an allowed host outside the test runner
ready, go, count = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), int(sys.argv[3])
ready.touch()
deadline = time.monotonic() + 120
while not go.exists() and time.monotonic() < deadline:  # start together, once both are set up
    time.sleep(0.01)
statuses = [client.get("/api/v1/").status_code for _ in range(count)]
print(statuses.count(200), statuses.count(429))
"""


def test_two_processes_at_once_allow_the_limit_between_them(redis_url, tmp_path):  # noqa: F811
    away_from_a_window_edge()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cqc_site.settings",
        "PYTHONPATH": str(ROOT),
        "CACHE_URL": redis_url,
        "API_RATE_LIMIT": "50/d",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'api.sqlite3'}",  # the API index reads only the data version's row
    }
    migrate = [sys.executable, "manage.py", "migrate", "--noinput", "-v0"]
    subprocess.run(migrate, cwd=ROOT, env=env, check=True, timeout=300)  # noqa: S603 (this interpreter, our script)
    go = tmp_path / "go"
    ready = [tmp_path / f"ready-{number}" for number in range(2)]
    workers = [
        subprocess.Popen(  # noqa: S603 (this interpreter, our script)
            [sys.executable, "-c", WORKER, str(flag), str(go), "100"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        for flag in ready
    ]
    deadline = time.monotonic() + 120
    while not all(flag.exists() for flag in ready) and time.monotonic() < deadline:
        time.sleep(0.05)
    go.touch()
    answers = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err.decode()[-2000:]
        answers.append([int(count) for count in out.split()])
    assert sum(ok for ok, _ in answers) == 50, answers
    assert sum(refused for _, refused in answers) == 150, answers


def test_a_refused_request_says_when_to_come_back(client, settings, db, monkeypatch):  # the index reads the version
    from django.core.cache import cache

    from inspections.api import throttle

    # The clock held mid-window: on a busy machine the requests could run past a minute's end, and count anew.
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: 1_800_000_030.0))
    cache.clear()
    limit = int(settings.API_RATE_LIMIT.split("/")[0])
    for _ in range(limit):
        client.get("/api/v1/")
    refused = client.get("/api/v1/")
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/json")
    assert 0 < int(refused["Retry-After"]) <= 60


def test_a_cache_that_keeps_nothing_lets_every_request_through():
    """CACHE_URL=dummy:// turns caching off: the throttle cannot count, so it allows rather than failing (was a 500)."""
    from django.core.cache.backends.dummy import DummyCache

    throttle = SharedWindowThrottle("1/d", cache_backend=DummyCache("dummy", {}))
    request = RequestFactory().get("/api/v1/trusts")
    assert all(throttle.allow_request(request) for _ in range(3))


def test_stored_answers_are_throttled_and_each_request_counted_once(client, db, django_assert_num_queries):
    """The first answer is built (django-ninja's own check meets the throttle again), the rest come from the
    page cache, which no query reaches (the data version is held): each counts once, and the limit holds."""
    from unittest import mock

    from django.core.cache import cache

    from inspections.api import api
    from inspections.changes.version import data_version

    cache.clear()
    (throttle,) = api.throttle  # the API's one throttle, made from the setting when the API was built
    with mock.patch.object(throttle, "num_requests", 5), mock.patch("django.conf.settings.DATA_VERSION_SECONDS", 60):
        data_version()
        statuses = [client.get("/api/v1/trusts").status_code]
        with django_assert_num_queries(0):
            statuses += [client.get("/api/v1/trusts").status_code for _ in range(5)]
    assert statuses == [200] * 5 + [429]
