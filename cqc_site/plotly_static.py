"""Serve one plotly.js file as `plotly/plotly.min.js`, and nothing else from the packages it comes from.

The charts use only bars, scatter markers and annotations, all in plotly.js's "basic" bundle
(386 KB gzipped, against 1,433 KB for the full bundle inside the plotly Python package). `make`
fetches it from npm with Node from PyPI, pinned in package-lock.json, into node_modules/. Where it
has not been fetched, the full bundle from the plotly package is served instead (the same API, the
same charts, four times the bytes) and a system check warns.
"""

from pathlib import Path

import plotly
from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error, Warning
from django.core.files.storage import FileSystemStorage

BASIC_JS = Path(settings.BASE_DIR) / "node_modules" / "plotly.js-basic-dist-min" / "plotly-basic.min.js"
FULL_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
STATIC_PATH = "plotly/plotly.min.js"


def plotly_js() -> Path:
    return BASIC_JS if BASIC_JS.is_file() else FULL_JS


class PlotlyJsFinder(BaseFinder):
    def check(self, **kwargs):
        if not FULL_JS.is_file() and not BASIC_JS.is_file():
            return [Error(f"{FULL_JS} is missing: reinstall the plotly package.", id="cqc_site.E001")]
        if not BASIC_JS.is_file():
            return [
                Warning(
                    f"{BASIC_JS} is missing, so pages load the full plotly.js (about 1.4 MB compressed).",
                    hint="Run `make assets` to fetch the basic bundle pinned in package-lock.json.",
                    id="cqc_site.W001",
                )
            ]
        return []

    def find(self, path, find_all=False, **kwargs):
        if path != STATIC_PATH:
            return []
        found = str(plotly_js())
        return [found] if find_all else found

    def list(self, ignore_patterns):
        source = plotly_js()

        class OneFile(FileSystemStorage):
            """Lists the one file under the name the pages use, whatever its name on disk."""

            def path(self, name):
                return str(source)

        storage = OneFile(location=str(source.parent))
        storage.prefix = "plotly"  # collectstatic places the file under this folder, as FileSystemFinder does
        yield "plotly.min.js", storage
