"""Reading a page's HTML as a reader sees its text: templates break long lines where a break renders nothing
(tests/unit/test_web_templates_layout.py), so a test of wording compares with each run of whitespace one space."""

import re


def squashed(html: str | bytes) -> str:
    """The HTML with each run of whitespace (a line break and its indent, as a browser shows it) one space."""
    if isinstance(html, bytes):
        html = html.decode()
    return re.sub(r"\s+", " ", html)
