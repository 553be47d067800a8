"""Pages travel gzip-compressed with a Permissions-Policy header; a bad Host is one warning line.

Served-by-gunicorn checks (Server header, access log, brotli static files) are in tests/faults/.
"""

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRUST_PAGE = "/trusts/university-hospitals-leicester/"


def test_trust_page_is_sent_gzipped_when_the_browser_accepts_it(client, curated_readonly):
    plain = client.get(TRUST_PAGE)
    zipped = client.get(TRUST_PAGE, HTTP_ACCEPT_ENCODING="gzip, deflate")  # with br, the stored brotli body (issue 31)
    assert plain.status_code == zipped.status_code == 200
    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content).startswith(b"<!doctype html>")
    assert len(zipped.content) < len(plain.content) / 4


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["/", "/no-such-page/", "/?sort=%00", "/admin/login/"])
def test_every_response_carries_the_permissions_policy(client, address):
    policy = client.get(address)["Permissions-Policy"]
    assert "camera=()" in policy
    assert "geolocation=()" in policy
    assert "microphone=()" in policy


def test_a_disallowed_host_is_logged_as_one_warning_line_without_a_traceback():
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env |= {"DJANGO_SETTINGS_MODULE": "cqc_site.settings", "DEBUG": "true", "ALLOWED_HOSTS": "cqc.example.org"}
    code = (
        "import django; django.setup(); from django.test import Client; client = Client()\n"
        "print(*[client.get('/', HTTP_HOST=f'bot{n}.example').status_code for n in range(3)])"
    )
    # our own interpreter and code, no outside input
    shown = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
    assert shown.stdout.split() == ["400", "400", "400"], shown.stderr
    lines = shown.stderr.splitlines()
    assert len(lines) == 3, shown.stderr
    for number, line in enumerate(lines):
        assert f"WARNING django.security.DisallowedHost: Invalid HTTP_HOST header: 'bot{number}.example'." in line
