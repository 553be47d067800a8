"""The templates stay readable in a diff: no line passes 200 characters.

A line is broken only where the break renders nothing a reader sees (beside a block-level tag, between a tag's
attributes, at a space in running text), so tests of wording compare pages with whitespace squashed (tests/html.py).
"""

from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
LIMIT = 200


@pytest.mark.parametrize(
    "path", sorted(p for p in TEMPLATES.rglob("*") if p.is_file()), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_no_template_line_passes_200_characters(path):
    long = [n for n, line in enumerate(path.read_text().splitlines(), 1) if len(line) > LIMIT]
    assert not long, f"{path.relative_to(TEMPLATES)}: lines {long} pass {LIMIT} characters"
