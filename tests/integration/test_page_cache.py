"""The trust page is served from the cache until the data changes, and never after."""

import gzip

import brotli
import pytest
from django.core.management import call_command
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse

from inspections.changes import bulk
from inspections.changes.version import data_version
from inspections.domain.codes import KeyQuestion
from inspections.domain.rating_levels import RatingValue
from inspections.models import DataVersion, Source
from inspections.web.page_cache import cached_page
from tests.factories import RatingFactory
from tests.unit.test_cqc_site_settings import settings_with


@pytest.fixture
def rating(db):
    return RatingFactory(key_question=KeyQuestion.SAFE, value=RatingValue.INADEQUATE)


def trust_url(rating):
    return reverse("inspections:trust", args=[rating.inspection.trust.slug])


def test_a_second_visit_is_served_from_the_cache_without_queries(client, rating, django_assert_num_queries):
    first = client.get(trust_url(rating))
    with django_assert_num_queries(0):
        second = client.get(trust_url(rating))
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Security-Policy"]  # headers are added to a cached page as to any other


def test_a_save_shows_at_once(client, rating):
    client.get(trust_url(rating))
    rating.value = RatingValue.GOOD
    rating.save()
    assert client.get(trust_url(rating)).context["grid"][0].cells[1].value == "good"


def test_a_delete_and_a_changed_citation_each_replace_the_version(rating):
    before = data_version()
    rating.sources.add(Source.objects.create(code="X9-CACHE", publisher="Test", title="Fictional source"))
    after_link = data_version()
    rating.delete()
    assert len({before, after_link, data_version()}) == 3


def test_a_fixture_load_replaces_the_version(db, tmp_path):
    fixture = tmp_path / "source.json"
    fixture.write_text(
        '[{"model": "inspections.source", "fields": {"code": "X9-LOAD", "publisher": "Test", "title": "Fictional"}}]'
    )
    before = data_version()
    call_command("loaddata", str(fixture), verbosity=0)
    assert data_version() != before


def test_the_version_is_replaced_again_when_the_transaction_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        source = Source.objects.create(code="X9-TX", publisher="Test", title="Fictional")
        inside = data_version()
        source.save()  # a second save in the same transaction schedules nothing more
    assert len(callbacks) == 1
    assert data_version() != inside  # a page built from uncommitted data was filed under a dead version


def test_only_a_complete_page_is_stored(rf, db):
    answers = iter([HttpResponse("gone", status=404), HttpResponse("here"), HttpResponse("built again")])
    view = cached_page()(lambda request: next(answers))
    statuses = [view(rf.get("/x9-page/")) for _ in range(3)]
    assert [(answer.status_code, answer.content) for answer in statuses] == [
        (404, b"gone"),
        (200, b"here"),
        (200, b"here"),
    ]


def test_a_stored_page_keeps_its_gzip_and_brotli_bodies_beside_the_plain_one(rf, db):
    body = "<p>Fictional page</p>" * 200
    built = []
    view = cached_page()(lambda request: built.append(1) or HttpResponse(body, content_type="text/html; charset=utf-8"))
    plain = view(rf.get("/x9-zip/"))
    zipped = view(rf.get("/x9-zip/", headers={"accept-encoding": "gzip, deflate"}))
    squeezed = view(rf.get("/x9-zip/", headers={"accept-encoding": "gzip, br"}))
    assert len(built) == 1  # one build; the other two answers are lookups
    assert plain.content == body.encode()
    assert "Content-Encoding" not in plain
    assert (zipped["Content-Encoding"], gzip.decompress(zipped.content)) == ("gzip", body.encode())
    assert (squeezed["Content-Encoding"], brotli.decompress(squeezed.content)) == ("br", body.encode())
    for answer in (plain, zipped, squeezed):
        assert answer["Content-Type"] == "text/html; charset=utf-8"
        assert answer["Vary"] == "Accept-Encoding"
        assert answer["Content-Length"] == str(len(answer.content))


def test_a_different_window_is_a_different_page(client, rating):
    default = client.get(trust_url(rating))
    wide = client.get(trust_url(rating), {"from": "2013", "to": "2025"})
    assert wide.context is not None  # not the default window's page
    assert wide.context["window"].from_year == 2013
    assert default.content != wide.content


def test_cache_url_chooses_the_backend_and_a_bad_one_is_named():
    shown = settings_with("print(s.CACHES['default']['BACKEND'])", CACHE_URL="file:///tmp/x9-cache")
    assert shown.stdout.strip() == "django.core.cache.backends.filebased.FileBasedCache", shown.stderr
    shown = settings_with("print(s.CACHES['default']['BACKEND'])", CACHE_URL="")
    assert shown.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache", shown.stderr
    shown = settings_with("print(s.CACHES)", CACHE_URL="memcache://x")
    assert shown.returncode != 0
    assert "CACHE_URL='memcache://x'" in shown.stderr


@pytest.fixture
def redis_url(tmp_path):
    """A Redis server of the test's own on a free port (nothing shared is touched); mandatory with CI=true."""
    import os
    import shutil
    import socket
    import subprocess
    import time

    import redis

    server_binary = shutil.which("redis-server")
    if server_binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is mandatory with CI=true, but redis-server is not installed", pytrace=False)
        pytest.skip("Redis cache test skipped: redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(  # noqa: S603 (the machine's redis-server, our arguments)
        [server_binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    deadline = time.monotonic() + 30
    while True:
        try:
            client.ping()
            break
        except redis.RedisError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail(f"redis-server on port {port} did not start within 30 s", pytrace=False)
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(timeout=30)


def test_the_version_is_the_databases_row_so_another_process_s_change_is_seen(client, rating, settings):
    """Another process replaces the row (here written directly, as its transaction would); this one reads it."""
    settings.DATA_VERSION_SECONDS = 0
    client.get(trust_url(rating))
    DataVersion.objects.filter(pk=DataVersion.ONE).update(version="f" * 32)
    assert data_version() == "f" * 32
    assert client.get(trust_url(rating)).context is not None  # built again, not served from the cache


def test_a_bulk_write_replaces_the_row_in_its_own_transaction(rating):
    before = DataVersion.objects.get().version if DataVersion.objects.exists() else data_version()
    rating.value = RatingValue.GOOD
    bulk.update([rating], type(rating), ["value"], reason="test")
    assert DataVersion.objects.get().version not in (before, None)
    assert data_version() == DataVersion.objects.get().version


def test_within_the_hold_the_version_is_read_once(db, settings, django_assert_num_queries):
    settings.DATA_VERSION_SECONDS = 60
    data_version()
    with django_assert_num_queries(0):
        data_version()
