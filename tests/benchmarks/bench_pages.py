"""`make bench`: page timings, query counts and memory, on the real fixtures and a synthetic large trust.

Runs against a throwaway SQLite file so it never touches db.sqlite3. Prints medians and the
ratio large/real, which stays meaningful on a noisy machine where absolute times do not.
"""

import datetime
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqc_site.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ["CACHE_URL"] = "dummy://"  # time the pages, not the page cache (a cached page runs no query)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

REPEATS = 25


def synthetic_trust(inspections: int):
    """A trust with `inspections` yearly reports, each rating six key questions at trust, 3 services and 2 sites."""
    from inspections.models import CoreService, Inspection, Location, Rating, Source, Trust

    source = Source.objects.create(code="BENCH", publisher="Bench", title="Synthetic")
    trust = Trust.objects.create(provider_id="BIG", slug="big", name="Big Synthetic Trust", kind="acute")
    services = [CoreService.objects.create(slug=f"bench-{n}", name=f"Bench service {n}") for n in range(3)]
    sites = [Location.objects.create(trust=trust, slug=f"site-{n}", name=f"Site {n}") for n in range(2)]
    values = ["good", "requires_improvement", "inadequate", "outstanding"]
    for index in range(inspections):
        year = 1990 + index
        inspection = Inspection.objects.create(
            trust=trust, slug=f"{year}", title=f"Inspection {year}", inspection_type="comprehensive",
            visit_start=datetime.date(year, 1, 1), published=datetime.date(year, 6, 1), scope="All",
        )  # fmt: skip
        inspection.sources.add(source)
        subjects = (
            [("trust", None, None)]
            + [("service", s, None) for s in services]
            + [("location", None, site) for site in sites]
        )
        for scope, service, location in subjects:
            for q_index, question in enumerate(["overall", "safe", "effective", "caring", "responsive", "well_led"]):
                rating = Rating.objects.create(
                    inspection=inspection, key_question=question, scope=scope, service=service, location=location,
                    value=values[(index + q_index) % 4],
                )  # fmt: skip
                rating.sources.add(source)
    return trust


def fetch(client: Client, url: str) -> bytes:
    """The whole body: streamed downloads (the CSVs) are read to the end, so their time counts."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return b"".join(response.streaming_content) if response.streaming else response.content


def measure(client: Client, url: str) -> dict:
    fetch(client, url)  # warm caches
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        body = fetch(client, url)
        times.append((time.perf_counter() - start) * 1000)
    reset_queries()  # a full query log (9000 entries, e.g. after loading fixtures) would make the count read 0
    with CaptureQueriesContext(connection) as queries:
        fetch(client, url)
    assert queries.final_queries > queries.initial_queries, "no queries captured: the count would be meaningless"
    tracemalloc.start()
    fetch(client, url)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "median_ms": statistics.median(times),
        "p95_ms": sorted(times)[int(0.95 * len(times)) - 1],
        "queries": len(queries),
        "peak_kib": peak / 1024,
        "bytes": len(body),
    }


def main():
    setup_test_environment()
    # As in Django's TestCase: keep one connection across requests, so queries can be counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    call_command("load_curated", verbosity=0)
    load_seconds = time.perf_counter() - start
    start = time.perf_counter()
    call_command("load_curated", verbosity=0)
    reload_seconds = time.perf_counter() - start
    big = synthetic_trust(inspections=36)
    from inspections.models import Rating, Trust

    client = Client()
    pages = [("home", "/")]
    for trust in Trust.objects.order_by("provider_id"):
        count = Rating.objects.filter(inspection__trust=trust).count()
        pages.append((f"trust {trust.provider_id} ({count} ratings)", trust.get_absolute_url()))
        pages.append((f"csv {trust.provider_id}", f"{trust.get_absolute_url()}ratings.csv"))
    pages.append(("hospital site-0 of BIG (36 reports)", "/trusts/big/locations/site-0/"))
    pages.append(("inspection BIG 2025", "/trusts/big/inspections/2025/"))
    pages.append(("compare RT5 + BIG", "/compare/?trust=leicestershire-partnership&trust=big"))
    pages.append(("sources", "/sources/"))
    print(f"load_curated: first load {load_seconds:.2f}s, reload (idempotent) {reload_seconds:.2f}s")
    print(f"{'page':40} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'peak KiB':>9} {'KiB out':>8}")
    results = {}
    for name, url in pages:
        result = results[name] = measure(client, url)
        print(f"{name:40} {result['median_ms']:10.1f} {result['p95_ms']:8.1f} {result['queries']:8d} "
              f"{result['peak_kib']:9.0f} {result['bytes'] / 1024:8.0f}")  # fmt: skip
    lpt = next(v for k, v in results.items() if k.startswith("trust RT5"))
    large = next(v for k, v in results.items() if k.startswith(f"trust {big.provider_id}"))
    print(f"ratio synthetic large trust / LPT trust page: time {large['median_ms'] / lpt['median_ms']:.2f}x, "
          f"queries {large['queries']} vs {lpt['queries']}")  # fmt: skip


if __name__ == "__main__":
    main()
