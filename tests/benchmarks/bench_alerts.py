"""`make bench` (alerts): `manage.py send_alerts` for 10,000 confirmed subscriptions over 230 fictional trusts.

Creates the database `bench_alerts` (or BENCH_ALERTS_DB; dropped at the end, kept with --reuse) on the server of
BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres), migrates and imports 230 synthetic trusts
(ids X9...), every report held from before the sign-ups, then holds 10,000 confirmed subscriptions of fictional
addresses (@example.org): 9,500 addresses following one trust each, spread evenly, and 500 following every trust.
Then, as the production recipe runs it (`manage.py send_alerts` in its own process, DEBUG=false, PostgreSQL), it times:

1. new reports on 46 trusts (one in five; reports moved to "arrived now"), sent through the locmem backend
   (EMAIL_URL=memory://): the run's own cost (queries, bookkeeping, rendering) with no mail server;
2. the same, sent through a real SMTP server on 127.0.0.1 (aiosmtpd, in this process, counting what it receives):
   an honest mail cost, though a remote server with TLS and a login adds its round trips;
3. a run right after, with nothing new (nothing is sent);
4. a new report on every trust (all 10,000 subscriptions due), through the SMTP server.
"""

import argparse
import datetime
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("BENCH_ALERTS_DB", "bench_alerts")
DB_URL = ADMIN_URL.rsplit("/", 1)[0] + f"/{DB_NAME}"
TRUSTS = 230
SINGLE_FOLLOWERS = 9_500
EVERY_TRUST_FOLLOWERS = 500
ARRIVING_EVERY = 5  # one trust in five gets a new report in the first scenarios

COMMAND_ENV = {
    "DATABASE_URL": DB_URL,
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-not-used-anywhere-else-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "LOG_LEVEL": "WARNING",
    "SITE_URL": "https://alerts-bench.example.org",
    "CACHE_URL": "locmem://",
}
os.environ.update(COMMAND_ENV, DJANGO_SETTINGS_MODULE="cqc_site.settings")
SENT = re.compile(r"send_alerts: (\d+) email\(s\) sent, (\d+) failed")


def database(action: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        if action == "create":
            conn.execute(f"CREATE DATABASE {DB_NAME}")


class Inbox:
    """aiosmtpd handler counting the messages it accepts."""

    def __init__(self):
        self.received = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            self.received += 1
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fill(trusts: int) -> None:
    """The synthetic trusts and the subscriptions, all confirmed two hours ago."""
    from django.core.management import call_command
    from django.utils import timezone

    from inspections.cqc.synthetic import write_snapshot
    from inspections.models import Follow, Inspection, Subscriber, Trust

    call_command("migrate", verbosity=0)
    snapshot = Path(tempfile.mkdtemp(prefix="bench-alerts-")) / "synthetic"
    write_snapshot(snapshot, trusts=trusts)
    call_command("import_cqc", "--from-dir", str(snapshot), verbosity=0)
    trust_ids = list(Trust.objects.order_by("provider_id").values_list("pk", flat=True))
    assert len(trust_ids) == trusts, len(trust_ids)
    confirmed = timezone.now() - datetime.timedelta(hours=2)
    Inspection.objects.update(arrived_at=confirmed - datetime.timedelta(days=1))  # all held before anyone signed up
    total = SINGLE_FOLLOWERS + EVERY_TRUST_FOLLOWERS
    Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{number:05d}@example.org", created_at=confirmed) for number in range(total)
    )
    subscriber_ids = list(Subscriber.objects.order_by("pk").values_list("pk", flat=True))
    Follow.objects.bulk_create(
        Follow(
            subscriber_id=subscriber_id,
            trust_id=trust_ids[number % trusts] if number < SINGLE_FOLLOWERS else None,
            created_at=confirmed,
            confirmed_at=confirmed,
            sent_through=confirmed,
        )
        for number, subscriber_id in enumerate(subscriber_ids)
    )


def arrive(*, every: int) -> int:
    """Each `every`-th trust's latest report moved to 'arrived a minute ago'; how many trusts."""
    from django.utils import timezone

    from inspections.models import Inspection, Trust

    trust_ids = list(Trust.objects.order_by("provider_id").values_list("pk", flat=True))[::every]
    latest = [
        Inspection.objects.filter(trust_id=trust_id, inherited_report_link_id="").order_by("-published", "-pk")[0].pk
        for trust_id in trust_ids
    ]
    Inspection.objects.filter(pk__in=latest).update(arrived_at=timezone.now() - datetime.timedelta(minutes=1))
    return len(trust_ids)


def database_exists() -> bool:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone())


def reset() -> None:
    """A kept database as `fill` left it: every report held from before the sign-ups, nothing sent yet."""
    from django.utils import timezone

    from inspections.models import AlertRun, Follow, Inspection

    confirmed = timezone.now() - datetime.timedelta(hours=2)
    Inspection.objects.update(arrived_at=confirmed - datetime.timedelta(days=1))
    Follow.objects.update(confirmed_at=confirmed, sent_through=confirmed)
    AlertRun.objects.all().delete()


def rewind() -> None:
    """Every subscription back to 'last sent an hour ago', so the next run sends the same again."""
    from django.utils import timezone

    from inspections.models import Follow, Subscriber

    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    Follow.objects.update(sent_through=an_hour_ago)
    Subscriber.objects.update(last_sent_at=None)


def send_alerts(label: str, email_url: str, inbox: Inbox | None = None) -> int:
    """`manage.py send_alerts` in its own process, as cron runs it; prints the time and messages a second."""
    received_before = inbox.received if inbox else 0
    start = time.perf_counter()
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "send_alerts"],
        cwd=ROOT,
        env={**os.environ, "EMAIL_URL": email_url},
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(f"send_alerts exited with {done.returncode}:\n{done.stdout}{done.stderr[-3000:]}")
    sent, failed = (int(number) for number in SENT.search(done.stdout).groups())
    rate = f"{sent / seconds:7.0f} messages/s" if sent else " " * 18
    print(f"{label:62} {seconds:7.2f} s {sent:6d} sent {rate}", flush=True)
    assert failed == 0, done.stdout + done.stderr
    if inbox:
        assert inbox.received - received_before == sent, (inbox.received - received_before, sent)
    return sent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trusts", type=int, default=TRUSTS)
    parser.add_argument(
        "--reuse", action="store_true", help="Keep the database at the end, and use it if kept (no import)."
    )
    options = parser.parse_args()
    reused = options.reuse and database_exists()
    if not reused:
        database("create")
    controller = None
    try:
        import django

        django.setup()
        from aiosmtpd.controller import Controller
        from django.core.management import call_command
        from django.db import connection

        start = time.perf_counter()
        if reused:
            call_command("migrate", verbosity=0)
            reset()
        else:
            fill(options.trusts)
            print(f"import {options.trusts} trusts, hold 10,000 subscriptions: {time.perf_counter() - start:.1f} s")
        inbox, port = Inbox(), free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        smtp = f"smtp://127.0.0.1:{port}"

        arriving = arrive(every=ARRIVING_EVERY)
        connection.close()
        send_alerts(f"{arriving} trusts with a new report, locmem (no mail server)", "memory://")
        rewind()
        connection.close()
        send_alerts(f"{arriving} trusts with a new report, SMTP on 127.0.0.1 (aiosmtpd)", smtp, inbox)
        send_alerts("again at once: nothing new", smtp, inbox)
        arrive(every=1)
        connection.close()
        everyone = send_alerts(f"all {options.trusts} trusts with a new report, SMTP on 127.0.0.1", smtp, inbox)
        assert everyone == SINGLE_FOLLOWERS + EVERY_TRUST_FOLLOWERS
    finally:
        if controller:
            controller.stop()
        from django.db import connections

        connections.close_all()
        if not options.reuse:
            database("drop")


if __name__ == "__main__":
    main()
