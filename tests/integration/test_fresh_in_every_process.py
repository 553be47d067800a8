"""A change made in one process shows at once in a server process, whatever cache the server keeps (issue 31).

The server is `manage.py runserver` with the default cache (each process's own memory) on a SQLite file of
the test's own; the change is a management command (`loaddata`) run as another process.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRUST = {"provider_id": "ZZ9FR", "slug": "fictional-fresh-trust", "short_name": "ZZ9FR", "kind": "acute"}


def _environ(database: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "CACHE_URL", "DEBUG"}}
    return env | {"DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": "cqc_site.settings"}


def _manage(env: dict, *args: str) -> None:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
    assert done.returncode == 0, done.stderr


def _trust_fixture(path: Path, name: str) -> Path:
    path.write_text(json.dumps([{"model": "inspections.trust", "pk": 1, "fields": {**TRUST, "name": name}}]))
    return path


def _get(url: str, headers: dict | None = None) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as answer:  # noqa: S310
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as answer:
        return answer.code, dict(answer.headers), ""


def _wait_for(condition, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while True:
        try:
            found = condition()
        except OSError:
            found = None
        if found:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {seconds} s", pytrace=False)
        time.sleep(0.05)


@pytest.fixture
def server(tmp_path):
    """A runserver process on a database of its own, holding one fictional trust; yields (url, env)."""
    env = _environ(tmp_path / "fresh.sqlite3")
    _manage(env, "migrate", "--no-input", "-v", "0")
    _manage(env, "loaddata", str(_trust_fixture(tmp_path / "before.json", "Fictional Fresh NHS Trust")), "-v", "0")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(  # noqa: S603 (our interpreter and our arguments)
        [sys.executable, "manage.py", "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env | {"DEBUG": "true"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: _get(f"{url}/healthz")[0] in (200, 404), "the server did not answer")
        yield url, env, tmp_path
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_change_made_by_a_command_shows_at_once_on_a_page_the_server_had_cached(server):
    url, env, tmp_path = server
    page = f"{url}/trusts/{TRUST['slug']}/"
    status, headers, body = _get(page)
    assert status == 200
    assert "Fictional Fresh NHS Trust" in body
    assert _get(page)[2] == body  # now in the server's own memory cache
    _manage(env, "loaddata", str(_trust_fixture(tmp_path / "after.json", "Fictional Renamed NHS Trust")), "-v", "0")
    changed_at = time.monotonic()
    _wait_for(lambda: "Fictional Renamed NHS Trust" in _get(page)[2], "the server never showed the new name")
    assert time.monotonic() - changed_at < 30  # the hold is a second; 30 s allows for a busy machine
    status, _, _ = _get(page, {"If-None-Match": headers.get("ETag", '"none"')})
    assert status == 200  # the old page's ETag no longer matches
