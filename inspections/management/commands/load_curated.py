from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspections.curation import Action, FixtureError, load_curated_fixtures


class Command(BaseCommand):
    help = (
        "Check, then load, the curated fixtures in one transaction (all or nothing). Records edited or "
        "deleted in the admin since they were loaded are kept and listed; --force overwrites them."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="Fixture files (default: every file in fixtures/).")
        parser.add_argument("--dry-run", action="store_true", help="Show what a load would change; write nothing.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Also overwrite records edited, and re-create records deleted, in the admin since they were loaded.",
        )

    def handle(self, *args, paths, dry_run, force, **options):
        try:
            report = load_curated_fixtures(paths=paths or None, dry_run=dry_run, force=force)
        except FixtureError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(error.problems)} problem(s); nothing was loaded.") from error
        verbosity = options["verbosity"]
        if not verbosity:
            return
        kept = report.overridden or report.of(Action.KEPT_EDITED, Action.KEPT_DELETED)
        if kept:
            verb = f"{'would be ' if dry_run else ''}overwritten by --force" if force else "kept as they are"
            advice = "" if force else "; run with --force to overwrite them with the fixtures"
            self.stdout.write(
                self.style.WARNING(
                    f"{len(kept)} record(s) changed in the admin since they were loaded, {verb}{advice}:"
                )
            )
            under_parents = [outcome for outcome in kept if outcome.with_parent]
            for outcome in kept if verbosity > 1 else [outcome for outcome in kept if not outcome.with_parent]:
                self.stdout.write(f"  {outcome.action.value.removeprefix('kept: ')}: {outcome}")
            if under_parents and verbosity < 2:
                self.stdout.write(f"  and {len(under_parents)} record(s) deleted with those (listed with -v 2)")
        would = "would be " if dry_run else ""
        listed = (Action.CREATE, Action.UPDATE) if dry_run or verbosity > 1 else (Action.UPDATE,)
        for action in (Action.CREATE, Action.UPDATE):
            for outcome in report.of(action) if action in listed else ():
                self.stdout.write(f"  {would}{action}: {outcome}")
        counts = ", ".join(f"{len(report.of(action))} {action}" for action in Action if report.of(action))
        prefix = "Dry run, nothing written. Fixture records: " if dry_run else "Loaded. Fixture records: "
        self.stdout.write(self.style.SUCCESS(prefix + (counts or "none") + "."))
