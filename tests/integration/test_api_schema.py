"""Property-based tests of the JSON API against its own OpenAPI schema (schemathesis).

Every documented operation is called with generated parameters; each answer must have a documented
status and match its documented shape, and none may be a server error.
"""

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, settings

from cqc_site.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def fresh_rate_limit():
    """Each generated call starts under the per-address limit, so the real endpoint is exercised, not the 429."""
    cache.clear()


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_in_its_documented_shape(case, curated_readonly):
    cache.clear()
    case.call_and_validate()
