"""What the CQC tests share: the fictional sample snapshot, its report ids, running the import, and the sample
imported (or copied, for a test to change)."""

import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "cqc_sample"
LATER = SAMPLE / "later"  # the same data ten days on: a clinic has moved to the other trust


def link(n: int) -> str:
    """The sample's report link id number `n`."""
    return f"00000000-0000-4000-8000-{n:012d}"


def run(*args) -> tuple[str, str]:
    """`manage.py import_cqc` with `args`: what it wrote to stdout and to stderr."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import_cqc", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def edit_json(path: Path, change) -> None:
    """Change one body of a snapshot in place: `change` is given the parsed JSON."""
    body = json.loads(path.read_text())
    change(body)
    path.write_text(json.dumps(body))


@pytest.fixture
def imported(db):
    """The sample snapshot imported."""
    run("--from-dir", str(SAMPLE))


@pytest.fixture
def imported_later(db):
    """The sample snapshot imported, then the same data ten days on."""
    for folder in (SAMPLE, LATER):
        run("--from-dir", str(folder))


@pytest.fixture
def sample(tmp_path):
    """A copy of the sample snapshot a test may change."""
    shutil.copytree(SAMPLE, tmp_path / "snap")
    return tmp_path / "snap"
