"""Whole-dataset downloads are built once per data version, never twice at once, and served as files: with a
length, an ETag and a date, gzipped for clients that accept it; while building, or with the database down, a 503
with Retry-After, never a 200 holding part of the data.

All trusts here are fictional (provider ids starting ZZ, names starting "Fictional").
"""

import csv
import fcntl
import gzip
import io
import threading
from datetime import timedelta

import pytest
from django.db import OperationalError, connections
from django.utils.http import http_date

from inspections.changes.version import Version, current_version, data_version
from inspections.publishing import dataset_files
from inspections.reading import exports
from tests.factories import RatingFactory, TrustFactory
from tests.integration.test_database_outage import database_down

pytestmark = pytest.mark.django_db


@pytest.fixture
def downloads(settings, tmp_path):
    settings.DOWNLOADS_DIR = tmp_path
    return tmp_path


@pytest.fixture
def rating():
    trust = TrustFactory(provider_id="ZZ1", slug="fictional-valley", name="Fictional Valley NHS Trust")
    return RatingFactory(inspection__trust=trust, inspection__slug="2015-07")


def read(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_first_request_builds_the_file_and_a_repeat_reads_no_data(
    client, downloads, rating, django_assert_num_queries
):
    first = client.get("/ratings.csv")
    body = read(first)
    assert first.status_code == 200
    assert int(first["Content-Length"]) == len(body)
    assert first["ETag"] == f'"{dataset_files.file_version("ratings")}"'
    assert first["ETag"].startswith(f'"{data_version()}-')
    assert first["Last-Modified"]
    assert 'filename="ratings.csv"' in first["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert [(row["provider_id"], row["inspection"]) for row in rows] == [("ZZ1", "2015-07")]
    with django_assert_num_queries(0):
        again = client.get("/ratings.csv")
        assert read(again) == body
    assert client.get("/ratings.csv", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    head = client.head("/ratings.csv")
    assert (head.status_code, head["Content-Length"], head.content) == (200, str(len(body)), b"")


def test_clients_that_accept_gzip_get_the_same_rows_compressed(client, downloads, rating):
    plain = read(client.get("/ratings.jsonl"))
    packed = client.get("/ratings.jsonl", HTTP_ACCEPT_ENCODING="gzip, deflate")
    raw = read(packed)
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert int(packed["Content-Length"]) == len(raw)
    assert gzip.decompress(raw) == plain
    assert packed["ETag"] != client.head("/ratings.jsonl")["ETag"]  # another representation, another tag
    explicit = client.get("/ratings.jsonl.gz")
    assert explicit["Content-Type"] == "application/gzip"
    assert "Content-Encoding" not in explicit
    assert gzip.decompress(read(explicit)) == plain


def test_a_change_to_the_data_builds_new_files_and_removes_the_old(client, downloads, rating):
    before = client.get("/ratings.csv")
    read(before)
    RatingFactory(inspection=rating.inspection, key_question="safe")
    after = client.get("/ratings.csv")
    assert after["ETag"] != before["ETag"]
    assert read(after).count(b"\n") == 3
    names = sorted(path.name for path in (downloads / "ratings").iterdir() if not path.name.startswith("."))
    assert names == sorted(dataset_files._all_names("ratings", dataset_files.file_version("ratings")))


def test_two_requests_at_once_build_once_and_the_second_is_told_to_come_back(downloads, monkeypatch):
    building = threading.Event()
    finish = threading.Event()
    builds = []

    def slow_write(dataset, version, directory, changed_at):
        """Stands for a build that takes a while (the rows are not needed to show the lock at work)."""
        builds.append(version)
        building.set()
        assert finish.wait(60)
        for name in dataset_files._all_names(dataset, version):
            (directory / name).write_bytes(b"built once\n")

    monkeypatch.setattr(dataset_files, "_write_files", slow_write)
    results = {}

    def first():
        try:
            built = dataset_files.open_built_file("ratings", "csv")
            results["first"] = built.file.read()
            built.file.close()
        finally:
            connections.close_all()  # the thread's own connection (it reads the data version's row)

    thread = threading.Thread(target=first)
    thread.start()
    assert building.wait(60)
    with pytest.raises(dataset_files.StillBuilding):
        dataset_files.open_built_file("ratings", "csv")
    finish.set()
    thread.join(60)
    assert results["first"] == b"built once\n"
    second = dataset_files.open_built_file("ratings", "csv")
    assert second.file.read() == b"built once\n"
    second.file.close()
    assert len(builds) == 1


@pytest.fixture
def another_worker_building(downloads):
    """Holds the ratings build lock as another request (or worker process) building would."""
    directory = downloads / "ratings"
    directory.mkdir()
    with open(directory / ".build.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
        fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.mark.parametrize(
    ("address", "accept", "json"),
    [("/ratings.csv", "text/csv", False), ("/ratings.jsonl", "*/*", True), ("/ratings.csv", "application/json", True)],
)
def test_while_building_the_answer_is_503_with_retry_after(
    client, rating, another_worker_building, address, accept, json
):
    response = client.get(address, HTTP_ACCEPT=accept)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    if json:
        assert response["Content-Type"].startswith("application/json")
        assert "being prepared" in response.json()["detail"]
    else:
        assert "This download is being prepared" in response.content.decode()


def test_with_the_database_down_the_answer_is_503_not_a_header_only_200(client, downloads, rating):
    client.raise_request_exception = False
    with database_down():
        response = client.get("/ratings.csv")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert not list((downloads / "ratings").glob("*ratings*")), "nothing partial is left behind"


def test_with_the_database_down_a_worker_behind_on_the_version_serves_the_file_another_built(
    client, downloads, rating, monkeypatch
):
    """A worker that last read the version before an import holds the old one, whose file a newer build has
    removed; another worker built the new version's file. With the database down it serves that file whole."""
    built = client.get("/ratings.csv")
    body = read(built)
    changed = current_version().changed_at.timestamp()
    assert built["Last-Modified"] == http_date(changed)  # when the data changed, not when the file was written
    times = [path.stat().st_mtime for path in (downloads / "ratings").glob("ratings-*")]
    assert times == pytest.approx([changed] * 4, abs=0.001)
    older = Version("read-before-the-import", current_version().changed_at - timedelta(hours=1))
    monkeypatch.setattr(dataset_files, "current_version", lambda: older)
    client.raise_request_exception = False
    with database_down():
        again = client.get("/ratings.csv")
    assert again.status_code == 200
    assert read(again) == body
    assert again["ETag"] == built["ETag"]


def test_with_the_database_down_a_worker_that_never_read_the_version_serves_the_newest_file(
    client, downloads, rating, monkeypatch
):
    """A worker started during the outage, or that has answered only 503s since it started."""
    body = read(client.get("/ratings.csv"))

    def unreadable():
        raise OperationalError("connection to server failed: Connection refused")

    monkeypatch.setattr(dataset_files, "current_version", unreadable)
    client.raise_request_exception = False
    with database_down():
        again = client.get("/ratings.csv")
    assert (again.status_code, read(again)) == (200, body)


def test_with_the_database_down_a_file_of_an_older_version_than_the_one_held_is_not_served(
    client, downloads, rating, monkeypatch
):
    """As for a build that began before a change and ended after it: its file is older than the version held."""
    read(client.get("/ratings.csv"))
    newer = Version("changed-during-the-build", current_version().changed_at + timedelta(milliseconds=1))
    monkeypatch.setattr(dataset_files, "current_version", lambda: newer)
    client.raise_request_exception = False
    with database_down():
        response = client.get("/ratings.csv")
    assert response.status_code == 503
    assert "provider_id" not in response.content.decode()


def test_a_build_that_fails_half_way_leaves_no_file_to_serve(client, downloads, rating, monkeypatch):
    def rows_then_failure(rows):
        yield from exports.rating_records([rows.first()])
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(exports, "streamed_ratings", rows_then_failure)
    with pytest.raises(OperationalError):
        dataset_files.open_built_file("ratings", "csv")
    assert not list((downloads / "ratings").glob("*ratings*"))
    monkeypatch.undo()
    built = dataset_files.open_built_file("ratings", "csv")
    assert built.file.read().count(b"\n") == 2
    built.file.close()


def test_a_file_built_before_a_column_was_added_is_built_again(client, downloads, rating, monkeypatch):
    """A deploy that changes a dataset's columns changes no data: the file (and its ETag) must change all the same."""
    before = client.get("/ratings.csv")
    read(before)
    usual = dataset_files.DATASETS["ratings"]
    wider = dataset_files.Dataset(lambda: ({**row, "added": "x"} for row in usual.records()), (*usual.header, "added"))
    monkeypatch.setitem(dataset_files.DATASETS, "ratings", wider)
    after = client.get("/ratings.csv")
    assert after["ETag"] != before["ETag"]
    assert read(after).splitlines()[0].endswith(b",added")
