"""`make bench`: the trust page's performance budget (issue 11), measured on the production recipe.

gunicorn with 2 workers, DEBUG=false, PostgreSQL (BENCH_DATABASE_URL; a database of its own that this
script drops and re-creates), static files collected and served by whitenoise. The real fixtures are
loaded, plus a synthetic trust with 20 reports and 8 hospitals (fictional id and name; it lives only in
the bench database). Prints every budget figure with its limit. Throughput is compared with a static
file served by the same server in the same run, so the ratio means something on a busy machine.
Lighthouse (npm, run by Node from PyPI) needs `make assets-dev`; without it, TBT and LCP are measured
through Chromium's own performance APIs with the CPU slowed 4x, and the script says so.
"""

import datetime
import gzip
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.benchmarks import lighthouse  # noqa: E402
from tests.benchmarks.http_load import free_port, load, start_gunicorn  # noqa: E402

BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cqc_bench")
SERVER_ENV = {
    "DATABASE_URL": BENCH_DATABASE_URL,
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-not-used-anywhere-else-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_COOKIES": "false",
    "LOG_LEVEL": "WARNING",
    # Two workers share one page cache (locmem would give each its own, and miss edits made in the other).
    "CACHE_URL": f"file://{tempfile.mkdtemp(prefix='cqc-bench-cache-')}",
}
os.environ.update(SERVER_ENV)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqc_site.settings")
SYNTHETIC_SLUG = "fictional-valley"

BUDGET = {
    "lighthouse_performance": (">=", 90),
    "tbt_ms": ("<=", 200),
    "lcp_ms": ("<=", 2500),
    "first_visit_kb": ("<=", 500),
    "html_kb": ("<=", 40),
    "uncached_ms": ("<=", 40),
    "cached_vs_static": (">=", 0.25),
    "p99_over_p50_32": ("<=", 3),
    "errors_64": ("<=", 0),
}


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # PostgreSQL 13+: ends old sessions
        conn.execute(f'CREATE DATABASE "{name}"')


def synthetic_trust(reports: int = 20, hospitals: int = 8):
    """A fictional acute trust: `reports` yearly reports rating the trust, 3 services and `hospitals` sites."""
    from inspections.models import CoreService, Inspection, Location, Rating, Source, Trust

    source = Source.objects.create(code="X9-BENCH", publisher="Bench", title="Synthetic data for make bench")
    trust = Trust.objects.create(
        provider_id="X9B01", slug=SYNTHETIC_SLUG, name="Fictional Valley NHS Trust", kind="acute"
    )
    services = [CoreService.objects.create(slug=f"x9-service-{n}", name=f"Fictional service {n}") for n in range(3)]
    sites = [
        Location.objects.create(trust=trust, slug=f"x9-site-{n}", name=f"Fictional Valley Hospital {n}")
        for n in range(hospitals)
    ]
    values = ["good", "requires_improvement", "inadequate", "outstanding"]
    questions = ["overall", "safe", "effective", "caring", "responsive", "well_led"]
    subjects = (
        [("trust", None, None)] + [("service", s, None) for s in services] + [("location", None, s) for s in sites]
    )
    for index in range(reports):
        year = 2005 + index
        inspection = Inspection.objects.create(
            trust=trust, slug=f"{year}", title=f"Fictional inspection {year}", inspection_type="comprehensive",
            visit_start=datetime.date(year, 1, 1), published=datetime.date(year, 6, 1), scope="All services",
        )  # fmt: skip
        inspection.sources.add(source)
        ratings = Rating.objects.bulk_create(
            Rating(
                inspection=inspection,
                key_question=question,
                scope=scope,
                service=service,
                location=location,
                value=values[(index // 3 + q_index + s_index) % 4],
            )  # fmt: skip
            for s_index, (scope, service, location) in enumerate(subjects)
            for q_index, question in enumerate(questions)
        )
        Rating.sources.through.objects.bulk_create(
            Rating.sources.through(rating_id=rating.pk, source_id=source.pk) for rating in ratings
        )
    return trust


def uncached_server_ms(paths: list[str], repeats: int = 25) -> dict[str, dict]:
    """Median time of the view in this process with no page cache (wall clock, and this process's CPU time,
    which other load on the machine disturbs less), HTML size raw and gzipped."""
    from django.test import Client, override_settings

    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    results = {}
    with override_settings(CACHES=dummy):
        client = Client()
        for path in paths:
            client.get(path)
            times, cpu = [], []
            for _ in range(repeats):
                start, start_cpu = time.perf_counter(), time.process_time()
                response = client.get(path)
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
                assert response.status_code == 200, (path, response.status_code)
            results[path] = {
                "uncached_ms": statistics.median(times),
                "cpu_ms": statistics.median(cpu),
                "html_kb": len(response.content) / 1024,
                "html_gzip_kb": len(gzip.compress(response.content, 6)) / 1024,
            }
    return results


def start_server(port: int) -> subprocess.Popen:
    return start_gunicorn(port, SERVER_ENV)


TRANSFERRED = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  const total = nav.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0);
  const largest = resources.map(r => [r.name, r.transferSize]).sort((a, b) => b[1] - a[1]).slice(0, 3);
  return {html: nav.transferSize, total, largest};
}"""


LONG_TASKS = """() => { window.benchLongTasks = [];
  new PerformanceObserver((list) => list.getEntries().forEach((e) => window.benchLongTasks.push(e.duration)))
    .observe({type: 'longtask'}); }"""


def first_visit(url: str) -> tuple[dict, dict]:
    """Bytes a first visit moves (compressed as sent), through Chromium at phone size with a cold cache:
    as the page first shows, then after the reader's first move, once plotly.js has loaded and every
    chart is drawn (the budget applies to this, the whole visit). With the CPU slowed 4x, as Lighthouse's
    mobile run does, it also sums the main thread's blocking (long tasks beyond 50 ms) from that first move
    until every chart is drawn: the cost the first view does not pay."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=lighthouse.CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 375, "height": 812})
        page.goto(url, wait_until="load", timeout=60_000)
        page.wait_for_load_state("networkidle", timeout=60_000)
        first_view = page.evaluate(TRANSFERRED)
        page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
        page.evaluate(LONG_TASKS)
        page.mouse.move(2, 2)
        for chart in page.locator("[data-chart]").all():
            chart.scroll_into_view_if_needed()
            page.wait_for_function("(c) => c.dataset.drawn === 'true'", arg=chart.element_handle(), timeout=60_000)
        page.wait_for_load_state("networkidle", timeout=60_000)
        whole_visit = page.evaluate(TRANSFERRED)
        long_tasks = page.evaluate("() => window.benchLongTasks")
        whole_visit["blocking_ms"] = sum(max(0, duration - 50) for duration in long_tasks)
        whole_visit["longest_ms"] = max(long_tasks, default=0)
        browser.close()
    return first_view, whole_visit


def verdict(name: str, value: float) -> str:
    op, limit = BUDGET[name]
    ok = value >= limit if op == ">=" else value <= limit
    return f"{'ok ' if ok else 'OVER'} (budget {op} {limit})"


def report_uncached(pages: dict[str, str]) -> None:
    print("\nIn-process, no page cache (median of 25):")
    for provider, path in pages.items():
        r = uncached_server_ms([path])[path]
        print(f"  {provider:6} uncached {r['uncached_ms']:6.1f} ms {verdict('uncached_ms', r['uncached_ms'])}, "
              f"CPU {r['cpu_ms']:.1f} ms; HTML {r['html_kb']:5.1f} KB raw, {r['html_gzip_kb']:.1f} KB gzipped "
              f"{verdict('html_kb', r['html_gzip_kb'])}")  # fmt: skip


def report_browser(base: str, pages: dict[str, str]) -> None:
    for provider in ("RT5", "X9B01"):
        first_view, visit = first_visit(base + pages[provider])
        total_kb = visit["total"] / 1024
        largest = ", ".join(f"{Path(urlsplit(n).path).name} {s / 1024:.0f} KB" for n, s in visit["largest"])
        html_kb = visit["html"] / 1024
        print(f"\nFirst visit to {provider} (phone, cold cache): {first_view['total'] / 1024:.0f} KB as it first "
              f"shows; {total_kb:.0f} KB once the reader moves and every chart is drawn "
              f"{verdict('first_visit_kb', total_kb)}; HTML {html_kb:.1f} KB {verdict('html_kb', html_kb)}; "
              f"largest: {largest}")  # fmt: skip
        print(f"  after the first move, CPU slowed 4x: main thread blocked {visit['blocking_ms']:.0f} ms "
              f"(longest task {visit['longest_ms']:.0f} ms) while plotly.js loads and draws every chart")  # fmt: skip
        report = lighthouse.score(base + pages[provider])
        if report:
            print(
                f"Lighthouse mobile, {provider}: "
                + "; ".join(f"{k} {v:.0f} {verdict(k, v)}" for k, v in report.items())
            )
        elif not lighthouse.available():
            print("Lighthouse not run: node_modules/lighthouse missing (make assets-dev)")
        else:
            print(f"Lighthouse gave no report for {provider} (see its output above)")


def main():
    recreate_database(BENCH_DATABASE_URL)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_curated", verbosity=0)
    synthetic_trust()
    call_command("collectstatic", "--noinput", verbosity=0)
    from inspections.models import Trust

    pages = {t.provider_id: t.get_absolute_url() for t in Trust.objects.order_by("provider_id")}
    print(f"Production recipe: gunicorn 2 workers, DEBUG=false, {urlsplit(BENCH_DATABASE_URL).scheme}; "
          f"pages {', '.join(pages)}")  # fmt: skip
    report_uncached(pages)

    port = free_port()
    server = start_server(port)
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        html = httpx.get(base + pages["RT5"]).text
        static_path = re.search(r'href="(/static/[^"]+\.css)"', html).group(1)
        report_browser(base, pages)

        print("\nThroughput, 16 clients for 8 s each, same server, one run:")
        static = load(port, static_path, 16, 8)
        print(f"  static file  {static['rps']:7.0f} req/s  p50 {static['p50_ms']:6.1f} ms")
        for provider, path in pages.items():
            load(port, path, 4, 1)  # warm both workers' caches
            page = load(port, path, 16, 8)
            ratio = page["rps"] / static["rps"]
            print(f"  trust {provider:6} {page['rps']:7.0f} req/s  p50 {page['p50_ms']:6.1f} ms  "
                  f"= {ratio:.2f} of static {verdict('cached_vs_static', ratio)}")  # fmt: skip
        print("\nUnder 32 clients for 15 s, then 64 clients for 60 s:")
        for provider, path in pages.items():
            if provider not in ("RT5", "X9B01"):
                continue
            result = load(port, path, 32, 15)
            spread = result["p99_ms"] / result["p50_ms"]
            print(f"  {provider:6} 32 clients: p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
                  f"p99/p50 {spread:.1f} {verdict('p99_over_p50_32', spread)}")  # fmt: skip
            result = load(port, path, 64, 60)
            print(f"  {provider:6} 64 clients: {result['requests']} requests, {result['errors']} errors "
                  f"{verdict('errors_64', result['errors'])}, p50 {result['p50_ms']:.1f} ms")  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(ROOT / "staticfiles", ignore_errors=True)


if __name__ == "__main__":
    main()
