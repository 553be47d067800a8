"""Serve the plotly.js that ships inside the plotly Python package, and nothing else from it.

Pointing STATICFILES_DIRS at plotly's package_data would publish all of it (about 10 MB of
datasets and widget bundles besides plotly.min.js). This finder exposes the one file, as
`plotly/plotly.min.js`, so the page's chart library always matches the installed plotly.
"""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
STATIC_PATH = "plotly/plotly.min.js"


class PlotlyJsFinder(BaseFinder):
    def check(self, **kwargs):
        if PLOTLY_JS.is_file():
            return []
        return [Error(f"{PLOTLY_JS} is missing: reinstall the plotly package.", id="cqc_site.E001")]

    def find(self, path, find_all=False, **kwargs):
        if path != STATIC_PATH or not PLOTLY_JS.is_file():
            return []
        return [str(PLOTLY_JS)] if find_all else str(PLOTLY_JS)

    def list(self, ignore_patterns):
        storage = FileSystemStorage(location=str(PLOTLY_JS.parent))
        storage.prefix = "plotly"  # collectstatic places the file under this folder, as FileSystemFinder does
        yield PLOTLY_JS.name, storage
