from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspections.curation.claims import claim_problems
from inspections.curation.traceability import (
    SourceTexts,
    missing_passages,
    passage_problems,
    quote_problems,
    shared_folder,
)


class Command(BaseCommand):
    help = (
        "Check the stored records: every citation by a rating, finding or statement holds a passage, every passage "
        "is verbatim in the text its kind says (the source's article for its own words, our research notes for our "
        "note of it), every quote lies inside a cited passage or source text, and no note says more than its "
        "passages (a rating that stands, improved or fell; a number; a service or site named)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--shared",
            type=Path,
            default=None,
            help="The shared folder with seeds/ and research/ (default: ../shared).",
        )

    def handle(self, *args, shared, **options):
        texts = SourceTexts.load(shared)
        if texts is None:
            self.stderr.write(
                f"{shared or shared_folder()} holds no research/facts.md: passages are not compared with their "
                "sources, and only quotes in ratings, findings and statements are checked."
            )
        problems = missing_passages() + quote_problems(texts) + (passage_problems(texts) if texts else [])
        problems += claim_problems()
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} problem(s); nothing was changed.")
        self.stdout.write(self.style.SUCCESS("Every passage and quote is traceable to the text we hold."))
