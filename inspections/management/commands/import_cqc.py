"""Import NHS trusts' rating histories from CQC's public API, or from a snapshot of it."""

import logging
import sys
from collections import Counter
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from inspections.cqc.client import CqcClient, check_id
from inspections.cqc.errors import CqcAuthError, CqcError
from inspections.cqc.run import run_import
from inspections.cqc.snapshot import ApiFeed, SnapshotFeed, SnapshotWriter

NO_KEY = (
    "CQC_API_KEY is not set. Get a key from CQC's API portal (README: 'National data from CQC'), then "
    "export CQC_API_KEY=...; or import a saved snapshot with --from-dir DIR."
)


class Command(BaseCommand):
    help = (
        "Import providers' CQC rating histories (trust, locations, reports, ratings) from CQC's public API, "
        "or from a snapshot directory with --from-dir. Exits non-zero naming any provider that failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--provider", nargs="+", default=[], metavar="ID", help="CQC provider ids, e.g. RT5.")
        parser.add_argument("--providers-file", type=Path, help="A file of provider ids, one a line (# comments).")
        parser.add_argument(
            "--all-nhs-trusts",
            action="store_true",
            help="Every provider in the API's listing whose id is an NHS organisation code (not '1-...'), "
            "keeping those whose type is 'NHS Healthcare Organisation'.",
        )
        parser.add_argument("--from-dir", type=Path, help="Import a snapshot (no network): DIR/providers/*.json.")
        parser.add_argument("--save-dir", type=Path, help="Keep every response body as fetched, as a snapshot.")

    def handle(self, *args, provider, providers_file, all_nhs_trusts, from_dir, save_dir, **options):
        verbosity = options["verbosity"]
        if from_dir and (save_dir or all_nhs_trusts):
            raise CommandError(
                "--from-dir reads a snapshot; it cannot be combined with --save-dir or --all-nhs-trusts."
            )
        ids = list(provider) + (self._read_ids(providers_file) if providers_file else [])
        try:
            for provider_id in ids:
                check_id(provider_id, kind="provider")
        except CqcError as error:
            raise CommandError(str(error)) from None
        if verbosity < 3:
            logging.getLogger("httpx").setLevel(logging.WARNING)  # one INFO line per request otherwise
        if from_dir:
            try:
                feed = SnapshotFeed(from_dir)
            except CqcError as error:
                raise CommandError(str(error)) from None
            return self._run(feed, ids or feed.provider_ids(), nhs_only=False, verbosity=verbosity)
        if not ids and not all_nhs_trusts:
            raise CommandError("Name providers with --provider or --providers-file, or use --all-nhs-trusts.")
        if not settings.CQC_API_KEY:
            raise CommandError(NO_KEY)
        with CqcClient(base_url=settings.CQC_API_URL, api_key=settings.CQC_API_KEY) as client:
            feed = ApiFeed(client, writer=SnapshotWriter(save_dir) if save_dir else None)
            if all_nhs_trusts:
                try:
                    listed = [pid for pid in client.provider_ids() if not pid.startswith("1-")]
                except CqcError as error:
                    raise CommandError(f"Could not list providers: {error}") from None
                ids = list(dict.fromkeys(ids + listed))
            return self._run(feed, ids, nhs_only=all_nhs_trusts, verbosity=verbosity)

    def _read_ids(self, path: Path) -> list[str]:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise CommandError(f"Cannot read --providers-file {path}: {error.strerror}") from None
        return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]

    def _run(self, feed, ids: list[str], *, nhs_only: bool, verbosity: int) -> None:
        ids = list(dict.fromkeys(ids))
        bar = tqdm(total=len(ids), unit="provider", file=sys.stderr, disable=verbosity == 0 or not sys.stderr.isatty())
        try:
            summary = run_import(feed=feed, provider_ids=ids, nhs_only=nhs_only, on_provider=lambda _: bar.update())
        except CqcAuthError as error:
            raise CommandError(f"Stopped: {error}") from None
        finally:
            bar.close()
        if any(result.changed for result in summary.results):
            _refresh_planner_statistics()
        created, updated = Counter(), Counter()
        for result in summary.results:
            created += result.created
            updated += result.updated
            for warning in result.warnings:
                if verbosity >= 1:
                    self.stderr.write(f"warning: {warning}")
            if verbosity >= 2:
                if result.changed:
                    state = f"created {_counts(+result.created)}; updated {_counts(+result.updated)}"
                else:
                    state = "unchanged"
                self.stdout.write(f"{result.provider_id}: {state}")
        for provider_id, reason in summary.skipped.items():
            if verbosity >= 1:
                self.stdout.write(f"skipped {provider_id}: {reason}")
        if verbosity >= 1:
            unchanged = sum(not result.changed for result in summary.results)
            self.stdout.write(
                f"Imported {len(summary.results)} of {len(ids)} providers ({unchanged} unchanged). "
                f"Created: {_counts(created)}. Updated: {_counts(updated)}."
            )
        if summary.failures:
            lines = "\n".join(f"  {reason}" for reason in summary.failures.values())
            raise CommandError(f"{len(summary.failures)} provider(s) failed and were not imported:\n{lines}")


def _refresh_planner_statistics() -> None:
    """ANALYZE the app's tables after a bulk import on PostgreSQL.

    Without it the planner may keep estimating the freshly filled tables as nearly empty until
    autovacuum catches up, and choose plans that make the first pages after a large import slow.
    """
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in apps.get_app_config("inspections").get_models()]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))


def _counts(counter: Counter) -> str:
    return ", ".join(f"{count} {name}" for name, count in sorted(counter.items()) if count) or "nothing"
