from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspections.curation import check_fixtures, fixture_paths


class Command(BaseCommand):
    help = "Check the curated fixtures against the models and the source rules; changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="Fixture files (default: every file in fixtures/).")

    def handle(self, *args, paths, **options):
        paths = paths or fixture_paths()
        problems = check_fixtures(paths=paths)
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in {len(paths)} fixture file(s); nothing was changed.")
        self.stdout.write(self.style.SUCCESS(f"{len(paths)} fixture file(s) checked: no problems."))
