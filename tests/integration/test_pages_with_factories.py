"""Pages render from factory data, and their query counts do not grow with the number of inspections."""

import datetime

import pytest
from django.urls import reverse

from inspections.domain.codes import KeyQuestion, Scope
from inspections.domain.rating_levels import RatingValue
from tests.factories import (
    CoreServiceFactory,
    FindingFactory,
    InspectionFactory,
    LocationFactory,
    RatingFactory,
    StatementFactory,
    TrustFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def make_history(trust, inspection_count):
    """`inspection_count` yearly reports, each rating every key question and one service and location."""
    service = CoreServiceFactory()
    location = LocationFactory(trust=trust)
    for year_offset in range(inspection_count):
        year = 2005 + year_offset
        inspection = InspectionFactory(
            trust=trust,
            slug=f"{year}-01",
            visit_start=datetime.date(year, 1, 5),
            visit_end=datetime.date(year, 1, 9),
            published=datetime.date(year, 3, 1),
        )
        value = RatingValue.GOOD if year_offset % 2 else RatingValue.REQUIRES_IMPROVEMENT
        for question in KeyQuestion.values:
            RatingFactory(inspection=inspection, key_question=question, value=value)
        RatingFactory(inspection=inspection, scope=Scope.SERVICE, service=service, value=value)
        RatingFactory(inspection=inspection, scope=Scope.LOCATION, location=location, value=value)
        FindingFactory(inspection=inspection, service=service)
        StatementFactory(inspection=inspection)


def test_trust_page_shows_grid_timeline_and_findings(client):
    trust = TrustFactory()
    inspection = InspectionFactory(trust=trust, slug="2015-07", title="Core services, March 2015")
    RatingFactory(inspection=inspection, key_question=KeyQuestion.SAFE, value=RatingValue.INADEQUATE)
    FindingFactory(inspection=inspection, summary="Ligature risks were not removed.")

    response = client.get(reverse("inspections:trust", args=[trust.slug]))

    assert response.status_code == 200
    grid_cell = response.context["grid"][0].cells[KeyQuestion.values.index("safe")]
    assert grid_cell.value == "inadequate"
    assert [row["text"] for row in response.context["trust_chart"].figure["layout"]["annotations"]] == ["Safe"]
    assert b"Ligature risks were not removed." in response.content
    assert b"10 July 2015" in response.content


@pytest.mark.parametrize("url_name", ["inspections:trust", "inspections:trust_ratings_csv"])
def test_trust_views_query_count_does_not_grow_with_inspections(client, django_assert_num_queries, url_name):
    small, large = (
        TrustFactory(provider_id="AAA", slug="small", name="Small"),
        TrustFactory(provider_id="BBB", slug="large", name="Large"),
    )
    make_history(small, 2)
    make_history(large, 20)

    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from inspections.changes.version import forget_held_version
    from inspections.publishing.national_figures import forget_held_figures

    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(reverse(url_name, args=["small"])).status_code == 200
    cache.clear()  # each page built from nothing: the shares of their kind, kept once read, too
    forget_held_version()  # and the data version, read again from its row as the first page read it
    forget_held_figures()  # and the national figures this process holds
    with CaptureQueriesContext(connection) as large_queries:
        assert client.get(reverse(url_name, args=["large"])).status_code == 200

    assert len(small_queries) == len(large_queries)


def query_count(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_inspection_and_sources_pages_query_count_does_not_grow_with_rows(client):
    small, large = (
        TrustFactory(provider_id="AAA", slug="small", name="Small"),
        TrustFactory(provider_id="BBB", slug="large", name="Large"),
    )
    make_history(small, 1)
    small_inspection = query_count(client, reverse("inspections:inspection", args=["small", "2005-01"]))
    sources_before = query_count(client, reverse("inspections:sources"))
    make_history(large, 12)  # 12 more inspections: the sources page now counts 13x the citations
    assert query_count(client, reverse("inspections:inspection", args=["large", "2016-01"])) == small_inspection
    assert query_count(client, reverse("inspections:sources")) == sources_before


def test_reports_published_the_same_day_the_last_slug_sets_the_rating_on_every_page(client):
    """Grid, timeline and trust list agree which of two same-day reports stands: the later slug, whatever the
    order the rows were written in."""
    trust = TrustFactory(provider_id="X9S", slug="fictional-same-day", name="Fictional Same Day NHS Trust")
    day = datetime.date(2020, 5, 1)
    later = InspectionFactory(trust=trust, slug="2020-05-b", published=day)  # written first
    earlier = InspectionFactory(trust=trust, slug="2020-05-a", published=day)
    RatingFactory(inspection=later, key_question=KeyQuestion.OVERALL, value=RatingValue.INADEQUATE)
    RatingFactory(inspection=earlier, key_question=KeyQuestion.OVERALL, value=RatingValue.GOOD)
    page = client.get(reverse("inspections:trust", args=[trust.slug]))
    assert page.context["grid"][0].cells[0].value == RatingValue.INADEQUATE
    assert page.context["standing"].value == RatingValue.INADEQUATE
    listed = {row.record.slug: row.record for row in client.get("/").context["table"].rows}
    assert listed[trust.slug].current_overall == RatingValue.INADEQUATE
