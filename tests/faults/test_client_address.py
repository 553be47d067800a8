"""On the production recipe, a client reaching gunicorn cannot choose the address it is counted by.

With nothing in front (TRUSTED_PROXY_COUNT=0, as when BEHIND_TLS_PROXY is unset), X-Forwarded-For is
the client's word: the sign-in lockout and the access log use the address the connection came from.
"""

import re
import time

import httpx

LOGIN = "/admin/login/"


def wrong_password(site, attempt: int) -> httpx.Response:
    """A failed sign-in claiming a new address each time (the CSRF cookie sent by hand: it is Secure)."""
    form = httpx.get(site.url + LOGIN, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)[1]
    cookie = f"csrftoken={form.cookies['csrftoken']}"
    headers = {"Cookie": cookie, "X-Forwarded-For": f"198.51.100.{attempt}"}
    data = {"csrfmiddlewaretoken": token, "username": f"guess{attempt}", "password": "wrong"}
    return httpx.post(site.url + LOGIN, data=data, headers=headers, timeout=30)


def test_a_new_x_forwarded_for_each_time_does_not_avoid_the_lockout(site):
    statuses = [wrong_password(site, attempt).status_code for attempt in range(8)]
    assert statuses == [200, 200, 200, 200, 429, 429, 429, 429]
    deadline = time.monotonic() + 30  # gunicorn writes the access line after the answer
    while len(posts := [line for line in site.access_lines() if f'"POST {LOGIN} ' in line]) < 8:
        assert time.monotonic() < deadline, posts
        time.sleep(0.1)
    assert all(" 127.0.0.1 " in line and "198.51.100." not in line for line in posts), posts
