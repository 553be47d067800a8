"""Import NHS trusts' rating histories from CQC's public API, its changes feed, or a snapshot of it."""

import logging
import sys
from collections import Counter
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone
from tqdm import tqdm

from inspections.changes.write_plan import kept_listing
from inspections.cqc import refresh
from inspections.cqc.client import CqcClient, check_id, timestamp, user_agent
from inspections.cqc.errors import CqcAuthError, CqcError
from inspections.cqc.import_context import IMPORT_REASON, THEIRS, WRITTEN, kept_action_words, snapshot_reason
from inspections.cqc.mapped import by_kind
from inspections.cqc.run import RunSummary, run_import
from inspections.cqc.snapshot import ApiFeed, SnapshotFeed, SnapshotWriter
from inspections.database.timeouts import statement_timeout

NO_KEY = (
    "CQC_API_KEY is not set. Get a key from CQC's API portal (README: 'National data from CQC'), then "
    "export CQC_API_KEY=...; or import a saved snapshot with --from-dir DIR."
)


class Command(BaseCommand):
    help = (
        "Import providers' CQC rating histories (trust, sites, reports, ratings, assessments) from CQC's public API, "
        "its changes feed (--changes-since), or a snapshot directory (--from-dir). Records edited or deleted in "
        "the admin since they were imported are kept and listed (--force overwrites them). Exits non-zero naming "
        "any provider that failed."
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
        parser.add_argument(
            "--changes-since",
            metavar="TIME",
            help="Re-import the NHS trusts CQC's changes feed lists since TIME (e.g. 2026-11-01T00:00:00Z), or "
            "since the end of the last successful refresh with 'last'.",
        )
        parser.add_argument("--from-dir", type=Path, help="Import a snapshot (no network): DIR/providers/*.json.")
        parser.add_argument("--save-dir", type=Path, help="Keep every response body as fetched, as a snapshot.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Also overwrite records edited, and re-create records deleted, in the admin since they were imported.",
        )
        parser.add_argument(
            "--send-alerts",
            action="store_true",
            help="Then run send_alerts: email subscribers the reports that arrived (only when the import succeeds; "
            "what it brought waits for the next run otherwise).",
        )

    def handle(self, *args, send_alerts, **options):
        result = self._import(*args, **options)
        if send_alerts:
            call_command("send_alerts", stdout=self.stdout, stderr=self.stderr)
        return result

    def _import(
        self, *args, provider, providers_file, all_nhs_trusts, changes_since, from_dir, save_dir, force, **options
    ):
        self.verbosity, self.force = options["verbosity"], force
        if from_dir and (save_dir or all_nhs_trusts or changes_since):
            raise CommandError(
                "--from-dir reads a snapshot; it cannot be combined with --save-dir, --all-nhs-trusts or "
                "--changes-since."
            )
        if changes_since and all_nhs_trusts:
            raise CommandError("--changes-since re-imports what changed; --all-nhs-trusts is the full pass: use one.")
        ids = list(provider) + (self._read_ids(providers_file) if providers_file else [])
        try:
            for provider_id in ids:
                check_id(provider_id, kind="provider")
        except CqcError as error:
            raise CommandError(str(error)) from None
        if self.verbosity < 3:
            logging.getLogger("httpx").setLevel(logging.WARNING)  # one INFO line per request otherwise
        if from_dir:
            try:
                feed = SnapshotFeed(from_dir)
            except CqcError as error:
                raise CommandError(str(error)) from None
            run = refresh.start_run(refresh.SNAPSHOT)
            reason = snapshot_reason(run.pk, from_dir)
            return self._run(run, feed, ids or feed.provider_ids(), nhs_only=False, reason=reason)
        if not ids and not all_nhs_trusts and not changes_since:
            raise CommandError(
                "Name providers with --provider or --providers-file, or use --all-nhs-trusts or --changes-since."
            )
        now = timezone.now().replace(microsecond=0)
        start = None
        if changes_since:
            try:
                start = refresh.parse_since(changes_since, now=now)
            except refresh.SinceError as error:
                raise CommandError(f"--changes-since: {error}") from None
        if not settings.CQC_API_KEY:
            raise CommandError(NO_KEY)
        if not settings.CQC_USER_AGENT:
            self.stderr.write(
                f"note: CQC_USER_AGENT is not set; sending {user_agent()!r}. Set it to name your "
                "site and a contact address (README: 'National data from CQC')."
            )
        with CqcClient(base_url=settings.CQC_API_URL, api_key=settings.CQC_API_KEY) as client:
            feed = ApiFeed(client, writer=SnapshotWriter(save_dir) if save_dir else None)
            mode = refresh.CHANGES if changes_since else refresh.ALL_NHS if all_nhs_trusts else refresh.PROVIDERS
            run = refresh.start_run(
                mode, started_at=now, changes_from=start, changes_to=now if start or all_nhs_trusts else None
            )
            reason = f"{IMPORT_REASON}: API run {run.pk} ({mode}" + (f" since {timestamp(start)})" if start else ")")
            try:
                ids = self._listed(client, feed, ids, all_nhs_trusts=all_nhs_trusts, start=start, end=now)
            except CommandError:
                refresh.finish_run(run, listed=0, imported=0, failures=1)
                raise
            return self._run(run, feed, ids, nhs_only=all_nhs_trusts or bool(start), reason=reason)

    def _listed(self, client, feed, ids, *, all_nhs_trusts, start, end) -> list[str]:
        """The providers to import: those named, and those the listing or the changes feed gives."""
        try:
            if all_nhs_trusts:
                listed = [pid for pid in client.provider_ids() if refresh.is_nhs_form(pid)]
                return list(dict.fromkeys(ids + listed))
            if start:
                changed = refresh.changed_providers(client, feed, start=start, end=end)
                for note in changed.notes:
                    self.stderr.write(f"warning: {note}")
                if self.verbosity:
                    self.stdout.write(
                        f"Changes from {timestamp(start)} to {timestamp(end)}: {changed.providers_changed} provider(s) "
                        f"and {changed.locations_changed} location(s); {len(changed.provider_ids)} NHS provider(s) "
                        "to re-import."
                    )
                return list(dict.fromkeys(ids + changed.provider_ids))
        except CqcAuthError as error:
            raise CommandError(f"Stopped: {error}") from None
        except CqcError as error:
            raise CommandError(f"Could not list providers: {error}") from None
        return ids

    def _read_ids(self, path: Path) -> list[str]:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise CommandError(f"Cannot read --providers-file {path}: {error.strerror}") from None
        return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]

    def _run(self, run, feed, ids: list[str], *, nhs_only: bool, reason: str) -> None:
        ids = list(dict.fromkeys(ids))
        bar = tqdm(
            total=len(ids), unit="provider", file=sys.stderr, disable=self.verbosity == 0 or not sys.stderr.isatty()
        )
        try:
            summary = run_import(
                feed=feed,
                provider_ids=ids,
                nhs_only=nhs_only,
                reason=reason,
                force=self.force,
                on_provider=lambda _: bar.update(),
            )
        except CqcAuthError as error:
            refresh.finish_run(run, listed=len(ids), imported=0, failures=1)
            raise CommandError(f"Stopped: {error}") from None
        finally:
            bar.close()
        refresh.finish_run(run, listed=len(ids), imported=len(summary.results), failures=len(summary.failures))
        if any(result.changed for result in summary.results):
            _refresh_planner_statistics()
        self._report(summary, ids)
        if summary.failures:
            lines = "\n".join(f"  {reason}" for reason in summary.failures.values())
            raise CommandError(f"{len(summary.failures)} provider(s) failed and were not imported:\n{lines}")

    def _report(self, summary: RunSummary, ids: list[str]) -> None:
        """Warnings and problems on stderr; kept records, moves and the summary on stdout, as load_curated says them."""
        created, updated = Counter(), Counter()
        found = [item for result in summary.results for item in [*result.warnings, *result.problems]]
        for line in map(str, found) if self.verbosity >= 2 else by_kind(found) if self.verbosity else ():
            self.stderr.write(f"warning: {line}")  # -v 1: each kind of warning once, with how often and where
        for result in summary.results:
            created += result.created
            updated += result.updated
            if self.verbosity >= 1:
                for move in result.moves:
                    self.stdout.write(f"moved: provider {result.provider_id}: {move}")
            if self.verbosity >= 2:
                changed = f"created {_counts(+result.created)}; updated {_counts(+result.updated)}"
                self.stdout.write(f"{result.provider_id}: {changed if result.changed else 'unchanged'}")
        for provider_id, reason in summary.skipped.items():
            if self.verbosity >= 1:
                self.stdout.write(f"skipped {provider_id}: {reason}")
        if not self.verbosity:
            return
        self._kept([kept for result in summary.results for kept in [*result.overridden, *result.kept]])
        unchanged = sum(not result.changed for result in summary.results)
        kept = Counter(kept_action_words(kept.action) for result in summary.results for kept in result.kept)
        kept_text = "".join(f", {count} {action}" for action, count in sorted(kept.items()))
        self.stdout.write(
            f"Imported {len(summary.results)} of {len(ids)} providers ({unchanged} unchanged). "
            f"Created: {_counts(created)}. Updated: {_counts(updated)}."
            + (f" Records {kept_text.removeprefix(', ')}." if kept_text else "")
        )

    def _kept(self, kept: list) -> None:
        listing = kept_listing(kept, written=WRITTEN, theirs=THEIRS, force=self.force, verbosity=self.verbosity)
        if listing:
            self.stdout.write(self.style.WARNING(listing[0]))
            for line in listing[1:]:
                self.stdout.write(line)


def _refresh_planner_statistics() -> None:
    """ANALYZE the app's tables after a bulk import on PostgreSQL.

    Without it the planner may keep estimating the freshly filled tables as nearly empty until
    autovacuum catches up, and choose plans that make the first pages after a large import slow.
    """
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in apps.get_app_config("inspections").get_models()]
    with statement_timeout(0), connection.cursor() as cursor:  # a whole national import's tables: no page's limit
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))


def _counts(counter: Counter) -> str:
    return ", ".join(f"{count} {name}" for name, count in sorted(counter.items()) if count) or "nothing"
