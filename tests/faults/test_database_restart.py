"""A real PostgreSQL restart and outage under gunicorn (2 workers): 503 while down, 200 on every worker after.

Phases: warm both workers (each keeps a connection); restart the server with no request in between
(kept connections are now dead: without CONN_HEALTH_CHECKS each worker's first request was a 500);
stop it (503 with Retry-After); start it (200 again, on both workers). No 500 at any point.
"""

import logging
import re
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx

PAGES = ["/", "/sources/"]  # both read the database (the sign-in form alone does not)
BURST = 6  # concurrent requests, so both workers take some
PHASE_SECONDS = 90
ACCESS_LINE = re.compile(r'"GET (?P<path>\S+) HTTP/1\.[01]" (?P<status>\d{3}) .* pid=<?(?P<pid>\d+)>?$')


logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request would bury the summary


def get(url: str) -> httpx.Response:
    return httpx.get(url, timeout=30)


def served(site, phase: str) -> list[tuple[str, str]]:
    """(worker pid, status) of every logged request of this phase, in the order answered."""
    entries = []
    for line in site.access_lines():
        match = ACCESS_LINE.search(line)
        if match and f"phase={phase}&" in match["path"]:
            entries.append((match["pid"], match["status"]))
    return entries


def burst_until_both_workers_answer(site, phase: str) -> tuple[list[httpx.Response], list[tuple[str, str]]]:
    responses, round_number = [], 0
    deadline = time.monotonic() + PHASE_SECONDS
    with ThreadPoolExecutor(BURST) as pool:
        while True:
            urls = [f"{site.url}{PAGES[n % len(PAGES)]}?phase={phase}&n={round_number}-{n}" for n in range(BURST)]
            responses += pool.map(get, urls)
            round_number += 1
            entries = served(site, phase)
            if {pid for pid, _ in entries} == site.worker_pids() or time.monotonic() > deadline:
                return responses, entries


def first_status_per_worker(entries: list[tuple[str, str]]) -> dict[str, str]:
    first = {}
    for pid, status in entries:
        first.setdefault(pid, status)
    return first


def test_database_restart_and_outage_never_answer_500(site, cluster):
    seen = {}

    def phase(name: str):
        responses, entries = burst_until_both_workers_answer(site, name)
        seen[name] = Counter(response.status_code for response in responses)
        print(f"{name}: {dict(seen[name])}; first status per worker {first_status_per_worker(entries)}")
        assert {pid for pid, _ in entries} == site.worker_pids(), f"{name}: not every worker answered"
        return responses, entries

    phase("warm")
    assert set(seen["warm"]) == {200}

    cluster.restart()  # no request in between: both workers hold a connection the server has dropped
    _, entries = phase("restarted")
    assert set(first_status_per_worker(entries).values()) == {"200"}
    assert set(seen["restarted"]) == {200}

    cluster.stop()
    responses, _ = phase("down")
    assert set(seen["down"]) == {503}
    for response in responses:
        assert response.headers["Retry-After"] == "30"
        assert "This site is briefly unavailable" in response.text

    cluster.start()
    _, entries = phase("up")
    assert set(first_status_per_worker(entries).values()) == {"200"}
    assert set(seen["up"]) == {200}

    statuses = Counter(match["status"] for line in site.access_lines() if (match := ACCESS_LINE.search(line)))
    assert "500" not in statuses, statuses
