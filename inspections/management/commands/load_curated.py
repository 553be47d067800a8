from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspections.curation import FixtureError, load_curated_fixtures


class Command(BaseCommand):
    help = "Check, then load, the curated fixtures in one transaction (all or nothing; safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="Fixture files (default: every file in fixtures/).")

    def handle(self, *args, paths, **options):
        try:
            counts = load_curated_fixtures(paths=paths or None)
        except FixtureError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(error.problems)} problem(s); nothing was loaded.") from error
        summary = ", ".join(f"{count} {model.split('.')[1]}" for model, count in sorted(counts.items()))
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Loaded {summary}."))
