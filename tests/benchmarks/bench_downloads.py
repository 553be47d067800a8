"""`make bench` (downloads): whole-dataset downloads at national scale, on the production recipe.

Imports 230 fictional trusts (ids X9...) into a throwaway PostgreSQL database (`bench_downloads`, or
BENCH_DOWNLOADS_DB; dropped at the end), serves the site with gunicorn as README's recipe does
(cqc_site/gunicorn.conf.py, 2 workers, DEBUG=false, a shared file cache), then prints:

- `/ratings.csv`: the first request after the data changed (it builds the files) and the next ones;
- a trust page's median time alone and while 2 and 4 clients download `/ratings.csv` over and over, for the
  cached default view and for a window of years that is built each time (the database path).

The issue that asked for files built once measured, on the code before: `/ratings.csv` 5 s quiet, 19 s busy,
rebuilt on every request; the trust page's p50 36 ms alone, 3.7 s with two downloads, 10.4 s with four.
"""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("BENCH_DOWNLOADS_DB", "bench_downloads")
DB_URL = ADMIN_URL.rsplit("/", 1)[0] + f"/{DB_NAME}"
TRUSTS = 230
SECONDS = 10  # each load phase

SERVER_ENV = {
    "DATABASE_URL": DB_URL,
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-not-used-anywhere-else-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_COOKIES": "false",
    "LOG_LEVEL": "WARNING",
    "CACHE_URL": f"file://{tempfile.mkdtemp(prefix='cqc-bench-downloads-cache-')}",
    "DOWNLOADS_DIR": tempfile.mkdtemp(prefix="cqc-bench-downloads-"),
}
os.environ.update(SERVER_ENV, DJANGO_SETTINGS_MODULE="cqc_site.settings")


def database(action: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        if action == "create":
            conn.execute(f"CREATE DATABASE {DB_NAME}")


def fill() -> str:
    """The curated fixtures and 230 synthetic trusts; the path of the first synthetic trust's page."""
    import django

    django.setup()
    from django.core.management import call_command

    from inspections.cqc.synthetic import write_snapshot
    from inspections.models import Trust

    call_command("migrate", verbosity=0)
    call_command("load_curated", verbosity=0)
    with tempfile.TemporaryDirectory() as folder:
        write_snapshot(Path(folder), trusts=TRUSTS)
        call_command("import_cqc", "--from-dir", folder, verbosity=0)
    return Trust.objects.get(provider_id="X9001").get_absolute_url()


def start_server() -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(  # noqa: S603 (our interpreter, our arguments)
        [sys.executable, "-m", "gunicorn", "-c", "cqc_site/gunicorn.conf.py", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null"],
        cwd=ROOT, env={**os.environ, **SERVER_ENV},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/", timeout=10).status_code == 200:
                return server, base
        except httpx.TransportError:
            time.sleep(0.3)
    server.kill()
    raise RuntimeError("gunicorn did not answer")


def download(client: httpx.Client) -> tuple[int, float, int]:
    start = time.perf_counter()
    with client.stream("GET", "/ratings.csv") as response:
        size = sum(len(chunk) for chunk in response.iter_raw())
    return response.status_code, time.perf_counter() - start, size


def median_ms(base: str, path: str, downloaders: int) -> tuple[float, int]:
    """A trust page's median time (and answers counted) while `downloaders` clients download over and over."""
    stop = threading.Event()

    def keep_downloading():
        with httpx.Client(base_url=base, timeout=120) as client:
            while not stop.is_set():
                download(client)

    threads = [threading.Thread(target=keep_downloading) for _ in range(downloaders)]
    for thread in threads:
        thread.start()
    times = []
    with httpx.Client(base_url=base, timeout=120) as client:
        client.get(path)
        end = time.monotonic() + SECONDS
        while time.monotonic() < end:
            start = time.perf_counter()
            assert client.get(path).status_code == 200
            times.append((time.perf_counter() - start) * 1000)
    stop.set()
    for thread in threads:
        thread.join()
    return statistics.median(times), len(times)


def main():
    database("create")
    server = None
    try:
        trust_page = fill()
        server, base = start_server()
        with httpx.Client(base_url=base, timeout=300) as client:
            status, seconds, size = download(client)  # the first after the data changed: builds the files
            print(f"/ratings.csv first request (builds the files)   {seconds * 1000:8.0f} ms  status {status}")
            status, seconds, size = download(client)
            print(f"/ratings.csv second request                      {seconds * 1000:8.0f} ms  {size / 1e6:.1f} MB")
            repeats = sorted(download(client)[1] * 1000 for _ in range(5))
            print(f"/ratings.csv later requests, median of 5         {statistics.median(repeats):8.0f} ms")
        for name, path in (
            ("default view (cached)", trust_page),
            ("years 2012-2026 (built)", trust_page + "?from=2012&to=2026"),
        ):
            for downloaders in (0, 2, 4):
                ms, count = median_ms(base, path, downloaders)
                print(f"trust page, {name:25} {downloaders} downloads: p50 {ms:7.1f} ms ({count} answers)")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
        database("drop")


if __name__ == "__main__":
    main()
