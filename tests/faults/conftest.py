"""The production recipe against a throwaway PostgreSQL cluster: gunicorn, 2 workers, DEBUG=false.

The cluster is this session's own (initdb in a temp directory, a free port), so stopping and starting
it disturbs nobody. As root, PostgreSQL runs as the `postgres` user (it refuses root). Without
initdb/pg_ctl the lane skips with a reason, except with CI=true, where it fails.
"""

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
READY_SECONDS = 120  # a busy 2-core machine: migrate and boot can take a while
SECRET = "made-up-for-the-fault-tests-only-4bX9qLr2Tz7mWc1vNs8pYe5kHd3gJa6u"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (the fault lane is mandatory with CI=true)")
    pytest.skip(reason)


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    # our own commands and arguments, no outside input
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)  # noqa: S603


class Cluster:
    """A PostgreSQL 15 cluster of our own: start, stop, restart."""

    def __init__(self, base: Path):
        self.base, self.data, self.port = base, base / "data", free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def tool(self, *args: str) -> None:
        run([*self.as_postgres, *args])

    def init(self) -> None:
        self.tool("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.tool("pg_ctl", "-D", str(self.data), "-l", str(self.base / "server.log"), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self.tool("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def postmaster(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def processes(self) -> list[int]:
        """The postmaster and every process it started (backends, checkpointer, writers...)."""
        postmaster = self.postmaster()
        children = [
            int(stat.parent.name) for stat in Path("/proc").glob("[0-9]*/stat") if _parent_pid(stat) == postmaster
        ]
        return [postmaster, *children]

    def pause(self) -> None:
        """Hang the server as a stuck disk or host would: connections stay open, nothing answers.

        The postmaster is stopped first, so it starts no backend while its children are listed; a backend
        it forked just before is caught by listing again until no new one appears (a backend that escaped
        would answer its connection's queries through the whole pause).
        """
        os.kill(self.postmaster(), signal.SIGSTOP)
        stopped: set[int] = set()
        while new := set(self.processes()) - stopped:
            for pid in new:
                _signal(pid, signal.SIGSTOP)
            stopped |= new

    def resume(self) -> None:
        for pid in self.processes():
            _signal(pid, signal.SIGCONT)


def _signal(pid: int, number: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # a backend that ended after it was listed (and was reaped)
        os.kill(pid, number)


def _parent_pid(stat: Path) -> int | None:
    try:
        return int(stat.read_text().rpartition(")")[2].split()[1])
    except (OSError, IndexError, ValueError):  # the process ended while we read
        return None


@pytest.fixture(scope="session")
def cluster():
    missing = [tool for tool in ("initdb", "pg_ctl") if not shutil.which(tool)]
    if missing:
        unavailable(f"No {' or '.join(missing)} on the PATH: cannot start a throwaway PostgreSQL cluster")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        unavailable("Running as root without runuser: PostgreSQL will not run as root")
    base = Path(tempfile.mkdtemp(prefix="cqc-faults-"))
    base.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(base, user="postgres")
    cluster = Cluster(base)
    cluster.init()
    cluster.start()
    yield cluster
    with contextlib.suppress(subprocess.CalledProcessError):  # already stopped by a failed test
        cluster.stop(mode="immediate")
    shutil.rmtree(base, ignore_errors=True)


class Site:
    """gunicorn serving the site; its access log (stdout) and error log (stderr) are files we read."""

    def __init__(self, base: Path, environ: dict):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.access_log, self.error_log = base / "access.log", base / "error.log"
        command = [str(BIN / "gunicorn"), "-c", "cqc_site/gunicorn.conf.py"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", "2"]
        with self.access_log.open("w") as out, self.error_log.open("w") as err:
            self.process = subprocess.Popen(command, cwd=ROOT, env=environ, stdout=out, stderr=err)  # noqa: S603

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited: {self.error_log.read_text()}")
            if len(self.worker_pids()) == 2:
                try:
                    httpx.get(self.url + "/accessibility/", timeout=5)
                    return
                except httpx.TransportError:
                    pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not serve within {READY_SECONDS} s: {self.error_log.read_text()}")

    def worker_pids(self) -> set[str]:
        return set(re.findall(r"Booting worker with pid: (\d+)", self.error_log.read_text()))

    def access_lines(self) -> list[str]:
        return self.access_log.read_text().splitlines()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture(scope="session")
def site(cluster, tmp_path_factory):
    base = tmp_path_factory.mktemp("site")
    # as in production: no test-only variables (the browser lane's conftest sets DJANGO_ALLOW_ASYNC_UNSAFE)
    ignored = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environ = {key: value for key, value in os.environ.items() if key not in ignored}
    environ |= {
        "DEBUG": "false",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": cluster.url,
        "STATIC_ROOT": str(base / "static"),
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "INFO",
        "CACHE_URL": f"file://{base / 'cache'}",  # the README's cache for several workers on one machine
        "DOWNLOADS_DIR": str(base / "downloads"),
    }
    run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=environ)
    run([sys.executable, "manage.py", "load_curated"], cwd=ROOT, env=environ)  # a trust page to cache
    run([sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=environ)
    site = Site(base, environ)
    site.static_root = base / "static"
    site.environ = environ  # for commands run beside it (e.g. replacing the data version)
    try:
        site.wait_until_serving()
        yield site
    finally:
        site.stop()
