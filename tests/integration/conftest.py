import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Tests that share data (curated_readonly) would otherwise get each other's cached pages, without context."""
    cache.clear()
