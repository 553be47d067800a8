"""The client's address behind proxies: one rule for the lockout, the API rate limit and the access log."""

import pytest
from django.test import RequestFactory
from ninja.throttling import AnonRateThrottle

from cqc_site.proxies import client_address

CASES = [
    # trusted proxies, X-Forwarded-For as it reaches gunicorn, the client's address
    (0, None, "127.0.0.1"),
    (0, "198.51.100.7", "127.0.0.1"),  # nothing in front: the header is the client's word
    (1, None, "127.0.0.1"),
    (1, "203.0.113.50", "203.0.113.50"),
    (1, "198.51.100.7, 203.0.113.50", "203.0.113.50"),  # the proxy appended the last entry
    (2, "198.51.100.7, 203.0.113.50, 10.0.0.1", "203.0.113.50"),
    (2, "203.0.113.50", "203.0.113.50"),  # fewer entries than proxies: the first
]


def request_with(forwarded_for):
    meta = {"REMOTE_ADDR": "127.0.0.1"}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(("trusted", "forwarded_for", "client"), CASES)
def test_client_address_reads_x_forwarded_for_only_as_far_as_the_trusted_proxies(
    settings, trusted, forwarded_for, client
):
    settings.TRUSTED_PROXY_COUNT = trusted
    assert client_address(request_with(forwarded_for).META) == client


@pytest.mark.parametrize(("trusted", "forwarded_for", "client"), CASES)
def test_the_api_rate_limit_counts_by_the_same_address(settings, trusted, forwarded_for, client):
    """django-ninja's throttles read NINJA_NUM_PROXIES, which settings set to TRUSTED_PROXY_COUNT."""
    from ninja.conf import settings as ninja_settings

    settings.TRUSTED_PROXY_COUNT = trusted
    original = ninja_settings.NUM_PROXIES
    ninja_settings.NUM_PROXIES = trusted  # ninja copies its settings once, at import
    try:
        assert AnonRateThrottle("120/m").get_ident(request_with(forwarded_for)) == client
    finally:
        ninja_settings.NUM_PROXIES = original


def test_settings_give_ninja_the_trusted_proxy_count():
    from django.conf import settings
    from ninja.conf import settings as ninja_settings

    assert settings.NINJA_NUM_PROXIES == settings.TRUSTED_PROXY_COUNT == ninja_settings.NUM_PROXIES
