"""`make bench` (national): 230 fictional trusts imported into a throwaway PostgreSQL database.

Creates the database `bench_national` (or BENCH_NATIONAL_DB; dropped again at the end) on the server of
BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres), migrates, loads the
curated fixtures, then times `import_cqc --from-dir` on a synthetic snapshot (goal: under 60 s)
and the same import again (which must write nothing). With --pages it also serves the site with
gunicorn (DEBUG=false) and compares the home page, searches and trust pages at 2 and at 232 trusts:
median time over HTTP, and query counts in-process (goal: within 1.5x; trust page query count equal),
then Lighthouse's mobile performance score of `/national/` and trust pages at 232 trusts (goal: 95 or more;
issue 29), the server's page cache on as in production, so it scores what a reader is sent.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.benchmarks import http_load, lighthouse  # noqa: E402

ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get(
    "BENCH_DB_NAME", os.environ.get("BENCH_NATIONAL_DB", "bench_national")
)  # one of its own where benches share a server
DB_URL = ADMIN_URL.rsplit("/", 1)[0] + f"/{DB_NAME}"
TRUSTS = 230
REPEATS = 15

os.environ.update(
    DATABASE_URL=DB_URL,
    DEBUG="false",
    SECRET_KEY="bench-only-not-secret",  # noqa: S105
    ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
    DJANGO_SETTINGS_MODULE="cqc_site.settings",
    LOG_LEVEL="WARNING",
    CACHE_URL="dummy://",  # measure the database path, not the page cache
)


def recreate_database() -> None:
    http_load.recreate_database(ADMIN_URL, DB_NAME)


def drop_database() -> None:
    http_load.drop_database(ADMIN_URL, DB_NAME)


def timed(label: str, function) -> float:
    start = time.perf_counter()
    function()
    seconds = time.perf_counter() - start
    print(f"{label:58} {seconds:7.2f} s", flush=True)
    return seconds


def query_counts(urls: dict[str, str]) -> dict[str, int]:
    """Queries each page runs, counted in-process with Django's test client."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    client, counts = Client(), {}
    for name, url in urls.items():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[name] = len(queries)
    return counts


def served_times(urls: dict[str, str]) -> dict[str, float]:
    """Median milliseconds per page over HTTP from gunicorn (2 workers, DEBUG=false)."""
    with socket.socket() as probe:  # a port no other process on this shared machine is using
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "-c", "cqc_site/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--timeout", "120"],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            deadline = time.monotonic() + 300  # workers boot slowly on a busy shared machine
            while True:
                try:
                    client.get("/")
                    break
                except httpx.TransportError:
                    if server.poll() is not None:
                        raise RuntimeError(f"gunicorn exited with status {server.returncode}") from None
                    if time.monotonic() > deadline:
                        raise RuntimeError("gunicorn did not answer within 300 s") from None
                    time.sleep(0.2)
            medians = {}
            for name, url in urls.items():
                times = []
                for _ in range(REPEATS):
                    start = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                    if response.status_code != 200:
                        tail = Path(log.name).read_text(errors="replace")[-3000:]
                        raise RuntimeError(f"{url} answered {response.status_code}; gunicorn log ends:\n{tail}")
                medians[name] = statistics.median(times)
            return medians
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


LIGHTHOUSE_GOAL = 95


def lighthouse_scores(urls: dict[str, str]) -> None:
    """Lighthouse mobile for each page, from gunicorn with a page cache shared by its workers."""
    if not lighthouse.available():
        print("Lighthouse not run: node_modules/lighthouse or Chromium missing (make assets-dev)")
        return
    port = http_load.free_port()
    cache = {"CACHE_URL": f"file://{tempfile.mkdtemp(prefix='bench-national-cache-')}"}
    server = http_load.start_gunicorn(port, cache)
    try:
        for name, url in urls.items():
            httpx.get(f"http://127.0.0.1:{port}{url}", timeout=120)  # built once, as after a data change
            report = lighthouse.score(f"http://127.0.0.1:{port}{url}")
            if report is None:
                print(f"Lighthouse gave no report for {name}")
                continue
            performance = report["lighthouse_performance"]
            verdict = "met" if performance >= LIGHTHOUSE_GOAL else "NOT met"
            print(f"Lighthouse mobile {name}: performance {performance} (goal >= {LIGHTHOUSE_GOAL}: {verdict}), "
                  f"TBT {report['tbt_ms']:.0f} ms, LCP {report['lcp_ms']:.0f} ms")  # fmt: skip
    finally:
        http_load.stop(server)


def pages(trusts: int) -> dict[str, str]:
    """The pages timed at both sizes (the same names, so each gets a ratio), then those of an imported trust."""
    from inspections.models import Inspection, Location, Trust

    urls = {
        "home": "/",
        "search 'hospital' (many sites)": "/?q=hospital",
        "search 'leicester'": "/?q=leicester",
        "search miss 'nowhere'": "/?q=nowhere",
        "filter acute, rated good": "/?kind=acute&rating=good",
        "filter miss (ambulance)": "/?kind=ambulance",
        "trust RT5 (curated)": Trust.objects.get(provider_id="RT5").get_absolute_url(),
        "hospital LRI (curated)": Location.objects.get(slug="leicester-royal-infirmary").get_absolute_url(),
        "inspection RWE 2024-06": Inspection.objects.get(trust__provider_id="RWE", slug="2024-06").get_absolute_url(),
        "compare RT5 + RWE": "/compare/?trust=leicestershire-partnership&trust=university-hospitals-leicester",
        "sources": "/sources/",
        "data": "/data/",
    }
    synthetic = Trust.objects.filter(provider_id="X9001").first()
    if synthetic:
        urls["trust X9001 (imported)"] = synthetic.get_absolute_url()
        site = Location.objects.filter(trust=synthetic).order_by("slug").first()
        if site:
            urls["hospital of X9001 (imported)"] = site.get_absolute_url()
    return urls


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", action="store_true", help="Also time pages at 2 and 232 trusts with gunicorn.")
    parser.add_argument("--trusts", type=int, default=TRUSTS)
    options = parser.parse_args()
    recreate_database()
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from inspections.cqc.synthetic import write_snapshot
        from inspections.models import Rating, Trust

        timed("migrate", lambda: call_command("migrate", verbosity=0))
        timed("load_curated (2 trusts)", lambda: call_command("load_curated", verbosity=0))
        results = {}
        if options.pages:
            call_command("collectstatic", "--noinput", verbosity=0)
            connection.close()
            results[2] = (served_times(pages(2)), query_counts(pages(2)))
        snapshot = Path(tempfile.mkdtemp()) / "synthetic"
        timed(f"make_synthetic --trusts {options.trusts}", lambda: write_snapshot(snapshot, trusts=options.trusts))
        seconds = timed(
            f"import_cqc --from-dir ({options.trusts} trusts, PostgreSQL)",
            lambda: call_command("import_cqc", "--from-dir", str(snapshot), verbosity=0),
        )
        timed("import_cqc again (same data: no writes)",
              lambda: call_command("import_cqc", "--from-dir", str(snapshot), verbosity=0))  # fmt: skip
        print(f"trusts now {Trust.objects.count()}, ratings {Rating.objects.count()}; "
              f"import goal under 60 s: {'met' if seconds < 60 else 'NOT met'}")  # fmt: skip
        if options.pages:
            connection.close()
            total = Trust.objects.count()
            results[total] = (served_times(pages(total)), query_counts(pages(total)))
            print(
                f"{'page':32} {'ms at 2':>9} {'ms at ' + str(total):>11} {'ratio':>6} {'queries 2 / ' + str(total):>16}"
            )
            for name in pages(total):
                small = results[2][0].get(name)
                large = results[total][0][name]
                ratio = f"{large / small:6.2f}" if small else "     -"
                small_q = results[2][1].get(name, "-")
                print(f"{name:32} {small or 0:9.1f} {large:11.1f} {ratio} {small_q!s:>8} / {results[total][1][name]}")
            scored = {"/national/": "/national/"}
            scored.update({name: url for name, url in pages(total).items() if name.startswith("trust ")})
            lighthouse_scores(scored)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database()


if __name__ == "__main__":
    main()
