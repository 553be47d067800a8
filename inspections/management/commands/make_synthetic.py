"""Write a snapshot of fictional trusts for benchmarks and tests (never for `make run`)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspections.cqc.synthetic import write_snapshot


class Command(BaseCommand):
    help = "Write a CQC-shaped snapshot of fictional NHS trusts (ids X9..., names 'Fictional ...') to --out."

    def add_arguments(self, parser):
        parser.add_argument("--trusts", type=int, default=230, help="How many fictional trusts (default 230).")
        parser.add_argument("--out", required=True, type=Path, help="Directory to write (created if missing).")
        parser.add_argument("--seed", type=int, default=2026, help="Same seed, same snapshot (default 2026).")

    def handle(self, *args, trusts, out, seed, **options):
        if not 1 <= trusts <= 999:
            raise CommandError("--trusts must be between 1 and 999 (provider ids are X9001 to X9999).")
        if (out / "providers").exists() and any((out / "providers").iterdir()):
            raise CommandError(f"{out}/providers/ is not empty; choose a new --out so snapshots do not mix.")
        files = write_snapshot(out, trusts=trusts, seed=seed)
        self.stdout.write(f"Wrote {trusts} fictional trusts ({files} files) to {out}")
