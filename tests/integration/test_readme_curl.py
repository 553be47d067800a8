"""Every curl example in README.md's open-data block runs as written, against the real fixtures.

Each line is read as curl would read it (its flags and address); the placeholder ETag is replaced by the one a
GET of the same address answers, as a reader would do. A flag this test does not know fails it, so the README
and this test move together.
"""

import gzip
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.searchable import fill_search_text

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"
HOST = "http://127.0.0.1:8000"
ETAG_PLACEHOLDER = '"<the ETag above>"'


def curl_lines() -> list[str]:
    """The curl commands of the shell block that follows README's **Open data.** paragraph."""
    text = README.read_text()
    after = text[text.index("**Open data.**") :]
    block = re.search(r"```sh\n(.*?)```", after, flags=re.S).group(1)
    return [line for line in block.splitlines() if line.startswith("curl ")]


def test_the_readme_block_is_found_and_has_the_examples_it_promises():
    lines = curl_lines()
    assert len(lines) >= 10
    assert any(ETAG_PLACEHOLDER in line for line in lines)
    assert any("/ratings.csv" in line for line in lines)


def test_the_if_none_match_example_follows_the_request_whose_etag_it_sends():
    """Issue 28: the example did not say where the ETag comes from; the line before it asks for the same address's
    headers and says the ETag is among them."""
    lines = curl_lines()
    at = next(number for number, line in enumerate(lines) if ETAG_PLACEHOLDER in line)
    before = parse(lines[at - 1])
    assert (before["method"], before["url"]) == ("HEAD", parse(lines[at])["url"])
    assert "ETag" in lines[at - 1].split("#", 1)[1]


def parse(line: str) -> dict:
    words = shlex.split(line, comments=True)
    assert words[0] == "curl"
    request = {"method": "GET", "headers": {}, "compressed": False, "url": None}
    words = iter(words[1:])
    for word in words:
        if word.startswith("--"):
            assert word == "--compressed", f"unknown curl option {word} in README"
            request["compressed"] = True
        elif word.startswith("-"):
            for flag in word[1:]:
                assert flag in "sIHO", f"unknown curl flag -{flag} in README"
                if flag == "I":
                    request["method"] = "HEAD"
                elif flag == "H":
                    name, _, value = next(words).partition(":")
                    request["headers"][name.strip()] = value.strip()
        else:
            assert word.startswith(HOST), word
            request["url"] = word.removeprefix(HOST)
    return request


@pytest.mark.parametrize("line", curl_lines())
def test_each_readme_curl_example_runs_as_written(client, curated_readonly, settings, tmp_path, line):
    settings.DOWNLOADS_DIR = tmp_path
    fill_search_text()
    request = parse(line)
    headers = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in request["headers"].items()}
    if request["compressed"]:
        headers["HTTP_ACCEPT_ENCODING"] = "deflate, gzip"
    expected = 200
    if headers.get("HTTP_IF_NONE_MATCH") == ETAG_PLACEHOLDER:
        headers["HTTP_IF_NONE_MATCH"] = client.get(request["url"])["ETag"]
        expected = 304
    send = client.head if request["method"] == "HEAD" else client.get
    response = send(request["url"], **headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == expected, (line, body[:300])
    if expected != 200 or request["method"] == "HEAD":
        return
    if urlsplit(request["url"]).path.startswith("/api/"):
        answer = response.json()
        if "items" in answer:
            assert answer["items"], f"{line}: an example that lists nothing"
        return
    assert int(response["Content-Length"]) == len(body)  # a download cut off on the way shows as incomplete
    if request["compressed"]:
        assert response["Content-Encoding"] == "gzip"
        body = gzip.decompress(body)
    assert body.count(b"\n") > 100, f"{line}: a download holding almost nothing"
