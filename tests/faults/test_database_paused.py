"""A hung database stalls nothing else: PostgreSQL's processes paused (SIGSTOP) for 40 s under gunicorn.

A paused server keeps its connections open and answers nothing, as a stuck disk or a frozen host
does; the server's own statement_timeout cannot fire. While it hangs, three clients keep asking for
pages that read the database and one for a static file and cached pages (a trust, the home page, the
sources). Static files and cached pages must keep answering at once (the data version is asked for
again beside the request, never in its way); database pages must answer 503 (JSON under /api/) within
the time-outs; no worker may be killed. Once resumed (SIGCONT) every page answers 200 again.
"""

import json
import logging
import statistics
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

PAUSE_SECONDS = 40
DATABASE_CLIENTS = 3
# Searches and a filtered API list: built each time. The unfiltered API list is kept as pages are (api/versioned.py).
DATABASE_PAGES = ["/?q=leicester", "/?q=hospital", "/api/v1/trusts?q=leicester"]
# (The unfiltered API list is left out: asked as fast as these, it would meet the API's limit per address.)
CACHED_PAGES = ["/trusts/leicestershire-partnership/", "/", "/sources/"]
FAST_SECONDS = 2.0  # a static file or cached page while the database hangs (a busy 2-core machine)
# The production defaults: a kept connection's health check gives up after 2 s and a new connection
# after DB_CONNECT_TIMEOUT (5 s); a statement after DB_STATEMENT_TIMEOUT (5 s) + 2 s. 3 s of slack.
DATABASE_ANSWER_SECONDS = 10.0
RECOVERY_SECONDS = 60
CLIENT_TIMEOUT = 90  # long enough to see how long a stalled answer really takes

logging.getLogger("httpx").setLevel(logging.WARNING)


@dataclass
class Answer:
    path: str
    status: int | None  # None: the connection was dropped without an answer
    seconds: float
    finished: float  # time.monotonic() when the answer arrived
    content_type: str = ""


def ask(site, path: str) -> Answer:
    started = time.monotonic()
    try:
        response = httpx.get(site.url + path, timeout=CLIENT_TIMEOUT)
    except httpx.TransportError:
        return Answer(path, None, time.monotonic() - started, time.monotonic())
    finished = time.monotonic()
    return Answer(path, response.status_code, finished - started, finished, response.headers.get("Content-Type", ""))


def keep_asking(site, paths: list[str], until: float) -> list[Answer]:
    answers = []
    while time.monotonic() < until:
        answers.append(ask(site, paths[len(answers) % len(paths)]))
    return answers


def static_file(site) -> str:
    manifest = json.loads((site.static_root / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["inspections/site.css"]


def summary(answers: list[Answer]) -> str:
    if not answers:
        return "none"
    times = sorted(answer.seconds for answer in answers)
    statuses = dict(Counter(answer.status for answer in answers))
    by_path = dict(Counter(f"{answer.path} {answer.status}" for answer in answers))
    return f"{len(answers)} answers {statuses}, p50 {statistics.median(times):.2f} s, max {times[-1]:.2f} s; {by_path}"


def test_a_paused_database_stalls_nothing_else(site, cluster):
    fast_paths = [static_file(site), *CACHED_PAGES]
    for path in fast_paths + DATABASE_PAGES:  # warms the page cache and each worker's connection
        assert ask(site, path).status == 200, path
    workers_before = site.worker_pids()

    cluster.pause()
    try:
        until = time.monotonic() + PAUSE_SECONDS
        with ThreadPoolExecutor(DATABASE_CLIENTS + 1) as pool:
            database_runs = [
                pool.submit(keep_asking, site, DATABASE_PAGES[n:] + DATABASE_PAGES[:n], until)
                for n in range(DATABASE_CLIENTS)
            ]
            fast_run = pool.submit(keep_asking, site, fast_paths, until)
            fast = fast_run.result()
            resumed_at = time.monotonic()  # the fast client stops at `until`; resume before waiting for the rest
            cluster.resume()
            database = [answer for run in database_runs for answer in run.result()]
    finally:
        cluster.resume()

    deadline, recovered = time.monotonic() + RECOVERY_SECONDS, []
    while time.monotonic() < deadline:
        recovered = [ask(site, path) for path in DATABASE_PAGES * 2]
        if all(answer.status == 200 for answer in recovered):
            break

    print(f"paused {PAUSE_SECONDS} s: static and cached: {summary(fast)}")
    print(f"paused {PAUSE_SECONDS} s: database pages: {summary(database)}")
    print(f"after resuming: {summary(recovered)}")
    killed = site.error_log.read_text().count("WORKER TIMEOUT")
    print(f"workers killed: {killed}; workers before {sorted(workers_before)}, after {sorted(site.worker_pids())}")

    assert all(answer.status == 200 for answer in fast), summary(fast)
    assert max(answer.seconds for answer in fast) < FAST_SECONDS, summary(fast)
    answered_while_paused = [answer for answer in database if answer.finished < resumed_at]
    assert answered_while_paused, "no database page answered while the database was paused"
    assert {answer.status for answer in answered_while_paused} == {503}, summary(answered_while_paused)
    assert {answer.status for answer in database} <= {200, 503}, summary(database)
    assert max(answer.seconds for answer in database) < DATABASE_ANSWER_SECONDS, summary(database)
    for answer in database:
        if answer.path.startswith("/api/") and answer.status == 503:
            assert answer.content_type == "application/json", answer
    assert killed == 0
    assert site.worker_pids() == workers_before
    assert all(answer.status == 200 for answer in recovered), summary(recovered)
