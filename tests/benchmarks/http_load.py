"""What the benches share: a throwaway database, a free port, gunicorn on the production recipe, and a load of
raw HTTP/1.1 clients.

The load speaks HTTP itself (asyncio streams, one connection a request, as a browser's first visit) so the
client costs little beside the server it measures on the same two cores.
"""

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def recreate_database(admin_url: str, name: str) -> None:
    """An empty database `name` on the server of `admin_url` (PostgreSQL 13+: FORCE ends old sessions)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, env: dict[str, str], *, workers: int = 2, log=None) -> subprocess.Popen:
    """gunicorn with cqc_site/gunicorn.conf.py, started and answering on 127.0.0.1:`port`."""
    server = subprocess.Popen(  # noqa: S603 (our interpreter, our arguments)
        [sys.executable, "-m", "gunicorn", "-c", "cqc_site/gunicorn.conf.py", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--access-logfile", "/dev/null"],
        cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT if log else None,
    )  # fmt: skip
    deadline = time.monotonic() + 120  # workers boot slowly on a busy shared machine
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start within 120 s")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


async def _fetch(port: int, path: str, headers: str) -> tuple[int, int]:
    """(status, bytes of the answer as sent)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Connection: close\r\n\r\n".encode())
    await writer.drain()
    status_line = await reader.readline()
    size = len(status_line)
    while chunk := await reader.read(65536):
        size += len(chunk)
    writer.close()
    return (int(status_line.split()[1]) if status_line else 0), size


async def _load(port: int, path: str, clients: int, seconds: float, headers: str) -> dict:
    latencies, errors, sizes = [], 0, []
    deadline = time.monotonic() + seconds

    async def client():
        nonlocal errors
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                status, size = await asyncio.wait_for(_fetch(port, path, headers), timeout=30)
            except (TimeoutError, OSError, ValueError, IndexError):
                status, size = 0, 0
            latencies.append((time.perf_counter() - start) * 1000)
            sizes.append(size)
            if status != 200:
                errors += 1

    start = time.monotonic()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.monotonic() - start
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "rps": len(ordered) / elapsed,
        "p50_ms": ordered[len(ordered) // 2],
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
        "errors": errors,
        "kib": sorted(sizes)[len(sizes) // 2] / 1024,
    }


def load(port: int, path: str, clients: int, seconds: float, *, headers: dict[str, str] | None = None) -> dict:
    """`clients` connections asking for `path` in turn for `seconds`: requests a second, p50, p99, errors."""
    lines = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
    return asyncio.run(_load(port, path, clients, seconds, lines))
