from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspections.changes.write_plan import kept_listing
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
        would = "would be " if dry_run else ""
        listing = kept_listing(
            report.kept, written="loaded", theirs="the fixtures", force=force, verbosity=verbosity, would=would
        )
        if listing:
            self.stdout.write(self.style.WARNING(listing[0]))
            for line in listing[1:]:
                self.stdout.write(line)
        listed = (Action.CREATE, Action.UPDATE) if dry_run or verbosity > 1 else (Action.UPDATE,)
        for action in (Action.CREATE, Action.UPDATE):
            for outcome in report.of(action) if action in listed else ():
                self.stdout.write(f"  {would}{action}: {outcome}")
        counts = ", ".join(f"{len(report.of(action))} {action}" for action in Action if report.of(action))
        prefix = "Dry run, nothing written. Fixture records: " if dry_run else "Loaded. Fixture records: "
        self.stdout.write(self.style.SUCCESS(prefix + (counts or "none") + "."))
