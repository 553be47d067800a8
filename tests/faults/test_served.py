"""What the production recipe sends and logs: no version in any header, compressed HTML and static
files (brotli too), one access line per request, one warning line per bad Host."""

import re
import time

import httpx

VERSION = re.compile(r"\d+\.\d+")
LOG_WAIT_SECONDS = 30  # gunicorn writes the access line after the response is sent


def lines_after(read, before: int, wanted: int) -> list[str]:
    """The lines past `before`, once there are `wanted` of them (or the time is up)."""
    deadline = time.monotonic() + LOG_WAIT_SECONDS
    while len(read()[before:]) < wanted and time.monotonic() < deadline:
        time.sleep(0.1)
    return read()[before:]


def test_no_header_names_a_server_version(site):
    for address in ["/", "/sources/", "/no-such-page/", "/admin/login/", "/?sort=%00"]:
        response = httpx.get(site.url + address, timeout=30)
        assert response.headers["Server"] == "gunicorn"
        assert "X-Powered-By" not in response.headers
        for name, value in response.headers.items():
            if name.lower() not in {"date", "content-length", "content-security-policy"}:
                assert not VERSION.search(value), f"{address}: {name}: {value}"


def test_html_is_gzipped_and_static_files_are_served_as_brotli(site):
    page = httpx.get(site.url + "/", headers={"Accept-Encoding": "gzip"}, timeout=30)
    assert page.headers["Content-Encoding"] == "gzip"
    stylesheet = re.search(r'href="(/static/inspections/site\.[0-9a-f]{12}\.css)"', page.text)[1]
    brotli = httpx.get(site.url + stylesheet, headers={"Accept-Encoding": "br"}, timeout=30)
    assert brotli.status_code == 200
    assert brotli.headers["Content-Encoding"] == "br"
    collected = {path.name for path in site.static_root.rglob("*.br")}
    assert any(re.fullmatch(r"plotly\.min\.[0-9a-f]{12}\.js\.br", name) for name in collected), sorted(collected)[:5]


def test_each_request_has_one_access_line(site):
    before = len(site.access_lines())
    httpx.get(site.url + "/?access=probe", timeout=30)
    new_lines = lines_after(site.access_lines, before, wanted=1)
    assert len(new_lines) == 1
    assert re.search(r'"GET /\?access=probe HTTP/1\.1" 200 \d+ \d+ms pid=<?\d+>?$', new_lines[0]), new_lines[0]


def test_each_bad_host_is_one_warning_line_without_a_traceback(site):
    def read():
        return site.error_log.read_text().splitlines()

    before = len(read())
    for number in range(5):
        response = httpx.get(site.url + "/", headers={"Host": f"bot{number}.example"}, timeout=30)
        assert response.status_code == 400
    logged = lines_after(read, before, wanted=5)
    assert "Traceback" not in "\n".join(logged)
    assert len([line for line in logged if "DisallowedHost" in line]) == 5
    assert all(" WARNING django.security.DisallowedHost: Invalid HTTP_HOST header: 'bot" in line for line in logged)
