"""Whole-dataset downloads when the database is down, on the real server (gunicorn, PostgreSQL).

A download is a file built once per data version: while the database is down and no file of this version (or a
newer one) was built, the answer is 503 with Retry-After (JSON for a JSON client), never a 200 holding part of
the data; a file already built is served whole (its Content-Length says how long), database or not, by every
worker, including one that has not read the version since the restart; each trust's own CSV, streamed from the
database, is 503 too, not a header with no rows."""

import subprocess
import sys

import httpx

from tests.faults.conftest import ROOT

NEW_VERSION = "from inspections.changes.version import bump_data_version; bump_data_version()"


def replace_data_version(site) -> None:
    """As an edit, an import or a load would: the files built so far are of an older version."""
    command = [sys.executable, "manage.py", "shell", "-c", NEW_VERSION]
    subprocess.run(command, cwd=ROOT, env=site.environ, check=True, capture_output=True)  # noqa: S603


def test_a_download_during_an_outage_is_a_503_never_part_of_the_data(site, cluster):
    replace_data_version(site)
    cluster.stop()
    try:
        for path in ("/ratings.csv", "/findings.jsonl", "/trusts/leicestershire-partnership/ratings.csv"):
            answer = httpx.get(site.url + path, timeout=30)
            print(f"down: {path} {answer.status_code} Retry-After {answer.headers.get('Retry-After')}")
            assert answer.status_code == 503, path
            assert answer.headers["Retry-After"]
            assert "provider_id" not in answer.text, f"{path} sent part of the data"
        as_json = httpx.get(site.url + "/ratings.csv", headers={"Accept": "application/json"}, timeout=30)
        assert as_json.status_code == 503
        assert as_json.headers["Content-Type"].startswith("application/json")
        assert as_json.json()["detail"]
    finally:
        cluster.start()

    plain = {"Accept-Encoding": "identity"}  # the file as written, so its length can be checked
    built = httpx.get(site.url + "/ratings.csv", headers=plain, timeout=120)  # the database is back: built once
    assert built.status_code == 200
    assert int(built.headers["Content-Length"]) == len(built.content)
    assert built.text.count("\n") > 100

    cluster.stop()  # a file already built is served whole without the database, by every worker
    try:  # (a worker that has not read the version since the restart holds the one before the outage)
        answers = [httpx.get(site.url + "/ratings.csv", headers=plain, timeout=30) for _ in range(8)]
        print(f"down, file built: /ratings.csv {[(a.status_code, len(a.content)) for a in answers]}")
        for again in answers:
            assert again.status_code == 200
            assert again.content == built.content
            assert int(again.headers["Content-Length"]) == len(again.content)
    finally:
        cluster.start()
