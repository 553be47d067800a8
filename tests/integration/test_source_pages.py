"""/sources/ at scale: a page at a time, by trust and kind, each source at /sources/CODE/ (so any code in a download
can be looked up), and every source link on the site pointing there.

All trusts and sources here are fictional (provider ids starting ZZ, codes starting X9).
"""

import datetime

import pytest
from django.urls import reverse

from inspections.domain.codes import SourceKind
from inspections.models import Source, source_url
from inspections.web.source_pages import SOURCES_PER_PAGE
from tests.factories import InspectionFactory, RatingFactory, SourceFactory, TrustFactory
from tests.html import squashed

pytestmark = pytest.mark.django_db

SOURCES = reverse("inspections:sources")
# Trusts for the filter, the count, a page of sources with their counts, their first inspections, kinds held.
SOURCES_PAGE_QUERIES = 6  # + the data version's row, read once a request at most (issue 31)


def listed(response) -> list[str]:
    return [source.code for source in response.context["sources"]]


@pytest.fixture
def two_trusts():
    """A news story cited by one trust's rating, a CQC report by the other's inspection."""
    valley = TrustFactory(provider_id="ZZ1", slug="fictional-valley", name="Fictional Valley NHS Trust")
    hill = TrustFactory(provider_id="ZZ2", slug="fictional-hill", name="Fictional Hill NHS Trust")
    news = SourceFactory(code="X9-NEWS", kind=SourceKind.LOCAL_NEWS, title="Fictional hospital told to improve")
    report = SourceFactory(code="X9-REPORT", kind=SourceKind.CQC_REPORT, title="Fictional Hill: inspection report")
    RatingFactory(inspection__trust=valley, inspection__slug="2015-07", sources=[news])
    InspectionFactory(trust=hill, slug="2019-05", sources=[report])
    return valley, hill


def make_sources(count: int, inspections_each: int = 0):
    trust = TrustFactory(provider_id="ZZ9", slug="fictional-many", name="Fictional Many NHS Trust")
    sources = [SourceFactory(code=f"X9-{number:03d}", published=datetime.date(2015, 1, 1)) for number in range(count)]
    for number in range(inspections_each):
        InspectionFactory(trust=trust, slug=f"r-{number}", title=f"Fictional report {number}", sources=sources)
    return sources


def test_every_source_link_points_at_the_sources_own_page_which_answers(client, two_trusts):
    assert source_url("X9-NEWS") == "/sources/X9-NEWS/"
    content = client.get(reverse("inspections:inspection", args=["fictional-valley", "2015-07"])).content.decode()
    assert 'href="/sources/X9-NEWS/"' in content
    assert "#source-" not in content
    page = client.get("/sources/X9-NEWS/")
    assert page.status_code == 200
    text = squashed(page.content)
    assert "Fictional hospital told to improve" in text
    assert "1 rating, 0 findings and 0 statements" in text
    assert 'href="/trusts/fictional-valley/inspections/2015-07/"' in text


@pytest.mark.parametrize("code", ["X9-NOPE", "seed-003", "%20", "a.b"])
def test_an_unknown_code_is_a_404_naming_it(client, two_trusts, code):
    response = client.get(f"/sources/{code}/")
    assert response.status_code == 404
    assert "We hold no source with the code" in response.content.decode()


def test_sources_come_a_page_at_a_time_and_a_page_out_of_range_falls_back(client):
    make_sources(SOURCES_PER_PAGE + 7)
    first = client.get(SOURCES)
    assert len(listed(first)) == SOURCES_PER_PAGE
    assert first.context["match_count"] == SOURCES_PER_PAGE + 7
    assert first.context["pagination"].next_url == "?page=2"
    assert len(listed(client.get(SOURCES, {"page": 2}))) == 7
    assert client.get(SOURCES, {"page": 99}).context["page"].number == 2
    assert client.get(SOURCES, {"page": "abc"}).context["page"].number == 1


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"trust": "fictional-valley"}, ["X9-NEWS", "TEST-SRC"]),  # its inspection cites TEST-SRC
        ({"trust": "fictional-hill"}, ["X9-REPORT"]),
        ({"kind": SourceKind.CQC_REPORT}, ["X9-REPORT"]),
        ({"trust": "fictional-hill", "kind": SourceKind.LOCAL_NEWS}, []),
        ({}, ["X9-REPORT", "X9-NEWS", "TEST-SRC"]),
    ],
)
def test_sources_filter_by_the_trust_citing_them_and_by_kind(client, two_trusts, params, expected):
    response = client.get(SOURCES, params)
    assert listed(response) == expected
    if params and not expected:
        assert "No source we hold matches these filters." in response.content.decode()


@pytest.mark.parametrize("params", [{"trust": "no-such-trust"}, {"kind": "gossip"}, {"trust": ["a", "b"]}])
def test_a_bad_filter_is_left_out_and_named(client, two_trusts, params):
    response = client.get(SOURCES, params)
    assert response.status_code == 200
    assert "Part of the filter could not be used, so it was left out:" in response.content.decode()
    assert len(listed(response)) == Source.objects.count()


@pytest.mark.parametrize(("sources", "inspections_each"), [(3, 1), (60, 25)])
def test_a_page_of_sources_stays_small_and_its_query_count_fixed(
    client, django_assert_num_queries, sources, inspections_each
):
    make_sources(sources, inspections_each)
    with django_assert_num_queries(SOURCES_PAGE_QUERIES):
        response = client.get(SOURCES)
    assert len(response.content) < 200_000
    content = response.content.decode()
    assert content.count('<li><a href="/trusts/fictional-many/inspections/') <= 5 * min(sources, SOURCES_PER_PAGE)
    if inspections_each > 5:
        assert f"All {inspections_each} inspections citing it" in content


def test_a_sources_own_page_lists_every_inspection_citing_it(client, django_assert_num_queries):
    make_sources(1, inspections_each=12)
    with django_assert_num_queries(4):  # 3 and the data version's row (issue 31)
        response = client.get("/sources/X9-000/")
    assert response.content.decode().count('href="/trusts/fictional-many/inspections/r-') == 12


def test_the_data_page_says_codes_can_be_looked_up(client):
    content = client.get(reverse("inspections:data")).content.decode()
    assert 'href="/sources/SEED-003/"' in content
    assert "<code>passage_kind</code>" in content


def test_the_kinds_guide_reads_the_kinds_held_not_every_source(db):
    """The sources page's guide asks for the distinct kinds alone: with the model's ordering by code left on, the
    DISTINCT was one of (kind, code), every source held (14,382 rows at 2,302 trusts, 12 ms of the page)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from inspections.reading.selectors.sources import source_kind_guide

    with CaptureQueriesContext(connection) as captured:
        source_kind_guide()
    (sql,) = [query["sql"] for query in captured.captured_queries]
    assert "code" not in sql, sql
    assert "ORDER BY" not in sql, sql
