"""`make bench` (scale): every public page type on the production recipe at 232 trusts, then at 10x.

A throwaway PostgreSQL database (`bench_scale`, or BENCH_SCALE_DB, on BENCH_POSTGRES_URL's server; dropped
at the end) gets the curated fixtures and `--trusts` fictional ones (ids X9..., names "Fictional ..."),
imported by `import_cqc --from-dir` from a synthetic snapshot. Then:

1. Throughput: gunicorn (cqc_site/gunicorn.conf.py, 2 workers, DEBUG=false) with the Redis page cache
   (a database of its own, flushed first; a file cache if no Redis answers), `--clients` connections
   asking for one page for `--seconds`, gzip asked for; each page's requests a second as a share of a
   static file's from the same server in the same run (the ratio holds on a noisy machine). Goal: 0.3 or
   more for every default public page. A trust page must answer 304 to its own ETag.
2. Server time with each page built every time (in this process, median; what `publishing/` builds once a data
   version is kept, as on a server): goal 25 ms for a trust page, 15 ms for the rest.
3. With `--scale N` (default 2,300; 0 skips): the import to N trusts, its time and peak memory (a process of
   its own), and the same server times at N, as growth over those at 232 (goal: 1.5x or less).
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.benchmarks import http_load  # noqa: E402
from tests.benchmarks.http_load import free_port, load, start_gunicorn, stop  # noqa: E402

ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("BENCH_SCALE_DB", "bench_scale")
DB_URL = ADMIN_URL.rsplit("/", 1)[0] + f"/{DB_NAME}"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
GZIP = {"Accept-Encoding": "gzip"}
GOALS = {"share_of_static": 0.3, "trust_ms": 25.0, "other_ms": 15.0, "growth": 1.5}

os.environ.update(
    DATABASE_URL=DB_URL,
    DEBUG="false",
    SECRET_KEY="bench-only-secret-key-not-used-anywhere-else-0123456789",  # noqa: S105
    ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
    SECURE_COOKIES="false",
    LOG_LEVEL="WARNING",
    DJANGO_SETTINGS_MODULE="cqc_site.settings",
    CACHE_URL="locmem://",  # this process keeps what is built once a data version; pages are not stored (below)
)


def recreate_database() -> None:
    http_load.recreate_database(ADMIN_URL, DB_NAME)


def drop_database() -> None:
    http_load.drop_database(ADMIN_URL, DB_NAME)


def page_cache_url() -> tuple[str, str]:
    """The server's CACHE_URL and how it is described: Redis (flushed) if it answers, else a file cache."""
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.flushdb()
        return REDIS_URL, f"Redis ({REDIS_URL})"
    except Exception as error:  # noqa: BLE001 (any failure means: no Redis here)
        directory = tempfile.mkdtemp(prefix="cqc-bench-cache-")
        return f"file://{directory}", f"a file cache (Redis at {REDIS_URL} did not answer: {error})"


IMPORT = """
import resource, sys, django
django.setup()
from django.core.management import call_command
call_command("import_cqc", "--from-dir", sys.argv[1], verbosity=0)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def import_snapshot(trusts: int) -> tuple[float, float]:
    """Seconds and peak MiB of `import_cqc --from-dir` to `trusts` fictional trusts, in a process of its own."""
    from inspections.cqc.synthetic import write_snapshot

    snapshot = Path(tempfile.mkdtemp(prefix="cqc-bench-snapshot-"))
    write_snapshot(snapshot, trusts=trusts)
    start = time.perf_counter()
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", IMPORT, str(snapshot)], cwd=ROOT, check=True, env=os.environ.copy(),
        capture_output=True, text=True,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    shutil.rmtree(snapshot, ignore_errors=True)
    return seconds, int(done.stdout.split()[-1]) / 1024  # ru_maxrss is in KiB on Linux


def pages() -> dict[str, str]:
    """The default public pages, the downloads and API lists people fetch, by name."""
    from inspections.models import Inspection, Location, Trust

    synthetic = Trust.objects.get(provider_id="X9001")
    site = Location.objects.filter(trust=synthetic).order_by("slug").first()
    report = Inspection.objects.filter(trust=synthetic).order_by("-published").first()
    return {
        "trust LPT (curated)": Trust.objects.get(provider_id="RT5").get_absolute_url(),
        "trust X9001 (synthetic)": synthetic.get_absolute_url(),
        "hospital of X9001": site.get_absolute_url(),
        "inspection of X9001 (newest)": report.get_absolute_url(),
        "hospital LRI (curated)": Location.objects.get(slug="leicester-royal-infirmary").get_absolute_url(),
        "inspection UHL 2024-06 (curated)": Inspection.objects.get(
            trust__provider_id="RWE", slug="2024-06"
        ).get_absolute_url(),
        "home": "/",
        "/national/": "/national/",
        "compare LPT + UHL": "/compare/?trust=leicestershire-partnership&trust=university-hospitals-leicester",
        "sources": "/sources/",
        "data": "/data/",
        "ratings.csv": "/ratings.csv",
        "API trust list": "/api/v1/trusts",
        "search 'hospital' (built each time)": "/?q=hospital",
        # Years other than the default window are not stored: the trust page as it is built after a change.
        "trust LPT ?from=2016, built each time": Trust.objects.get(provider_id="RT5").get_absolute_url() + "?from=2016",
        "trust X9001 ?from=2016, built each time": synthetic.get_absolute_url() + "?from=2016",
    }


def throughput(urls: dict[str, str], clients: int, seconds: float) -> None:
    cache_url, described = page_cache_url()
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="bench-scale-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    # The API's limit per address would refuse a load from one address: raised, so the pages are measured.
    server = start_gunicorn(port, {"CACHE_URL": cache_url, "API_RATE_LIMIT": "1000000/m"}, log=log)
    try:
        base = f"http://127.0.0.1:{port}"
        html = httpx.get(base + urls["trust LPT (curated)"], timeout=120).text
        static_path = re.search(r'href="(/static/[^"]+\.css)"', html).group(1)
        trust = httpx.get(base + urls["trust LPT (curated)"], headers=GZIP, timeout=120)
        again = httpx.get(base + urls["trust LPT (curated)"], headers={"If-None-Match": trust.headers["ETag"]})
        print(f"\nThroughput: gunicorn 2 workers, DEBUG=false, PostgreSQL, page cache in {described};")
        print(f"{clients} connections for {seconds:g} s a page, gzip asked for. A trust page asked again with its "
              f"own ETag answers {again.status_code} ({'ok' if again.status_code == 304 else 'NOT 304'}).")  # fmt: skip
        static = load(port, static_path, clients, seconds, headers=GZIP)
        print(f"{'page':38} {'req/s':>7} {'share':>6} {'p50 ms':>7} {'p99 ms':>7} {'KiB':>6} {'errors':>6}")
        name = "static file " + Path(static_path).name[:24]
        print(f"{name:38} {static['rps']:7.0f} {1:6.2f} {static['p50_ms']:7.1f} {static['p99_ms']:7.1f} "
              f"{static['kib']:6.1f} {static['errors']:6d}")  # fmt: skip
        for name, path in urls.items():
            load(port, path, 4, 1, headers=GZIP)  # warm both workers and the page cache
            page = load(port, path, clients, seconds, headers=GZIP)
            share = page["rps"] / static["rps"]
            goal = "" if "built each time" in name else (" ok" if share >= GOALS["share_of_static"] else " UNDER 0.3")
            print(f"{name:38} {page['rps']:7.0f} {share:6.3f} {page['p50_ms']:7.1f} {page['p99_ms']:7.1f} "
                  f"{page['kib']:6.1f} {page['errors']:6d}{goal}")  # fmt: skip
    finally:
        stop(server)


def server_times(urls: dict[str, str], repeats: int) -> dict[str, float]:
    """Median milliseconds of each view in this process, the page built every time (the server's own time).

    What is built once a data version for every page (`publishing/`: the national figures, the shares of a
    kind, the download files) is kept, as on a server; only the page cache keeps nothing."""
    from django.core.cache import cache
    from django.core.cache.backends.dummy import DummyCache
    from django.db import connection
    from django.test import Client

    from inspections.web import page_cache

    connection.close()  # a fresh connection after the import's process changed the data
    cache.clear()
    page_cache.cache = DummyCache("pages-not-stored", {})
    client, medians = Client(), {}
    for name, path in urls.items():
        client.get(path)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            response = client.get(path)
            if response.streaming:
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        medians[name] = statistics.median(times)
    return medians


def goal_of(name: str) -> float:
    return GOALS["trust_ms"] if name.startswith("trust ") else GOALS["other_ms"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trusts", type=int, default=230, help="fictional trusts beside the curated two")
    parser.add_argument("--scale", type=int, default=2300, help="fictional trusts for the 10x run (0: skip)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--repeats", type=int, default=15)
    options = parser.parse_args()
    recreate_database()
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from inspections.models import Trust

        call_command("migrate", verbosity=0)
        call_command("load_curated", verbosity=0)
        call_command("collectstatic", "--noinput", verbosity=0)
        seconds, peak = import_snapshot(options.trusts)
        count = Trust.objects.count()
        print(f"import_cqc --from-dir, {options.trusts} fictional trusts: {seconds:.1f} s, peak {peak:.0f} MiB; "
              f"{count} trusts held")  # fmt: skip
        urls = pages()
        throughput(urls, options.clients, options.seconds)
        small = server_times(urls, options.repeats)
        if options.scale:
            seconds, peak = import_snapshot(options.scale)
            large_count = Trust.objects.count()
            print(f"\nimport_cqc --from-dir to {options.scale} fictional trusts (the first {options.trusts} "
                  f"unchanged): {seconds:.1f} s, peak {peak:.0f} MiB; {large_count} trusts held")  # fmt: skip
            large = server_times(urls, options.repeats)
        print(f"\nServer time, each page built every time, median of {options.repeats} (in process, PostgreSQL):")
        header = f"{'page':38} {'ms at ' + str(count):>10} {'goal':>6}"
        if options.scale:
            header += f" {'ms at ' + str(large_count):>11} {'growth':>7}"
        print(header)
        for name in urls:
            line = f"{name:38} {small[name]:10.1f} {'ok' if small[name] <= goal_of(name) else 'OVER':>6}"
            if options.scale:
                growth = large[name] / small[name]
                verdict = "ok" if growth <= GOALS["growth"] else "OVER 1.5x"
                line += f" {large[name]:11.1f} {growth:6.2f}x {verdict}"
            print(line)
    finally:
        from django.db import connections

        connections.close_all()
        drop_database()
        shutil.rmtree(ROOT / "staticfiles", ignore_errors=True)


if __name__ == "__main__":
    main()
