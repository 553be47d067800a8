"""A page per location: its current ratings grid, its timelines, its reports, attribution, 404s and query counts.

Factory data is fictional (provider ids starting ZZ); one test walks every location in the real fixtures.
"""

import datetime
import re

import pytest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.domain.codes import QUALITY_QUESTIONS, KeyQuestion, Origin, Scope, TrustKind
from inspections.domain.rating_levels import RatingValue
from inspections.models import Location
from tests.factories import CoreServiceFactory, InspectionFactory, LocationFactory, RatingFactory, TrustFactory

pytestmark = pytest.mark.django_db

OGL_TEXT = "Contains public sector information licensed under the Open Government Licence v3.0."


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()).replace(" .", ".")


def report(trust, year: int, **fields):
    published = datetime.date(year, 6, 1)
    return InspectionFactory(
        trust=trust,
        slug=f"{year}-06",
        title=f"Fictional report {year}",
        published=published,
        visit_start=datetime.date(year, 3, 1),
        visit_end=datetime.date(year, 3, 3),
        **fields,
    )


@pytest.fixture
def site():
    """Fictional Valley's Brookmere site, rated at site level and for one core service, beside another site."""
    trust = TrustFactory(
        provider_id="ZZ1",
        slug="fictional-valley",
        name="Fictional Valley NHS Trust",
        short_name="FVT",
        kind=TrustKind.ACUTE,
    )
    brookmere = LocationFactory(
        trust=trust,
        slug="brookmere-general",
        name="Brookmere General Hospital",
        town="Brookmere",
        postcode="ZZ2 7AB",
        cqc_location_id="ZZ1AA",
    )
    hillside = LocationFactory(trust=trust, slug="hillside-clinic", name="Hillside Clinic")
    surgery = CoreServiceFactory(slug="surgery", name="Surgery")
    first, second = report(trust, 2016), report(trust, 2021)
    for question in KeyQuestion.values:
        RatingFactory(
            inspection=first,
            scope=Scope.LOCATION,
            location=brookmere,
            key_question=question,
            value=RatingValue.REQUIRES_IMPROVEMENT,
        )
    RatingFactory(inspection=second, scope=Scope.LOCATION, location=brookmere, value=RatingValue.GOOD)
    RatingFactory(
        inspection=second, scope=Scope.SERVICE, service=surgery, location=brookmere, value=RatingValue.OUTSTANDING
    )
    RatingFactory(inspection=second, scope=Scope.LOCATION, location=hillside, value=RatingValue.INADEQUATE)
    RatingFactory(inspection=second, scope=Scope.TRUST, value=RatingValue.INADEQUATE)
    return brookmere


def url(location) -> str:
    return reverse("inspections:location", args=[location.trust.slug, location.slug])


def test_location_address_is_under_its_trust(site):
    assert site.get_absolute_url() == "/trusts/fictional-valley/locations/brookmere-general/"


def test_location_grid_shows_its_own_ratings_first_then_its_core_services(client, site):
    response = client.get(url(site))
    assert response.status_code == 200
    grid = response.context["grid"]
    assert [row.subject_name for row in grid] == ["Brookmere General Hospital", "Surgery at Brookmere General Hospital"]
    overall, safe = (KeyQuestion.values.index(q) for q in ("overall", "safe"))
    assert grid[0].cells[overall].value == "good"  # the 2021 report replaced 2016's overall rating
    assert grid[0].cells[safe].value == "requires_improvement"  # carried forward from 2016
    assert grid[1].cells[overall].value == "outstanding"
    # Neither the other site's Inadequate nor the whole trust's shows here, in the grid or the charts.
    assert "Hillside Clinic" not in text(response)
    shown = [cell.value for row in grid for cell in row.cells if cell]
    shown += [change.event.value for chart in response.context["charts"] for change in chart.table]
    assert "inadequate" not in shown


def test_location_timelines_draw_its_key_questions_and_its_core_services(client, site):
    charts = client.get(url(site)).context["charts"]
    assert [chart.element_id for chart in charts] == ["chart-location", "chart-service"]
    own, services = charts
    assert own.title == "Brookmere General Hospital: ratings in force, 2015 to 2024"
    assert {change.event.key_question for change in own.table} == set(QUALITY_QUESTIONS)
    assert "Overall: Requires improvement from June 2016, Good from June 2021." in own.summary
    assert services.title.startswith("Core services at Brookmere General Hospital")
    assert [trace["name"] for trace in services.figure["data"]] == ["Outstanding", "Report (select to open)"]


def test_location_page_lists_reports_that_rated_or_visited_it_with_cqcs_report(client, site):
    visited = report(site.trust, 2023, report_url="https://www.cqc.org.uk/location/ZZ1AA/reports/zz-fictional")
    visited.locations.add(site)
    report(site.trust, 2024)  # neither rates nor visits this site
    response = client.get(url(site))
    titles = [row.inspection.title for row in response.context["inspection_rows"]]
    assert titles == ["Fictional report 2016", "Fictional report 2021", "Fictional report 2023"]
    assert 'href="https://www.cqc.org.uk/location/ZZ1AA/reports/zz-fictional"' in response.content.decode()


def test_location_page_links_back_to_its_trust(client, site):
    content = client.get(url(site)).content.decode()
    assert 'href="/trusts/fictional-valley/"' in content


def test_location_without_ratings_says_so(client, site):
    empty = LocationFactory(trust=site.trust, slug="quiet-house", name="Quiet House")
    response = client.get(url(empty))
    assert response.status_code == 200
    assert response.context["charts"] == []
    assert "No ratings held in our sources." in text(response)
    assert "plotly" not in response.content.decode()  # no chart, no chart script


@pytest.mark.parametrize(
    "path",
    [
        "/trusts/fictional-valley/locations/nowhere/",
        "/trusts/no-such-trust/locations/brookmere-general/",
        "/trusts/fictional-coast/locations/brookmere-general/",  # a site of another trust
    ],
)
def test_unknown_location_is_the_sites_404(client, site, path):
    TrustFactory(provider_id="ZZ2", slug="fictional-coast", name="Fictional Coast NHS Trust")
    response = client.get(path)
    assert response.status_code == 404
    assert "We hold no hospital or site at this address." in text(response)


@pytest.mark.parametrize("params", [{"from": "abc"}, {"from": "2030", "to": "2010"}, {"to": "\x00"}])
def test_bad_years_fall_back_to_the_default_view_and_say_what_was_wrong(client, site, params):
    response = client.get(url(site), params)
    assert response.status_code in (200, 400)  # NUL may be refused by middleware first
    if response.status_code == 200:
        choice = response.context["window_choice"]
        assert choice.window == choice.default
        assert choice.problem
        assert choice.problem in text(response)


def test_curated_location_carries_no_cqc_attribution(client, site):
    assert OGL_TEXT not in text(client.get(url(site)))


@pytest.mark.parametrize("imported", ["trust", "location", "rating"])
def test_location_showing_imported_data_carries_the_ogl_attribution(client, site, imported):
    if imported == "trust":
        site.trust.origin = Origin.CQC_API
        site.trust.save()
    elif imported == "location":
        site.origin = Origin.CQC_API
        site.save()
    else:
        site.ratings.filter(key_question=KeyQuestion.OVERALL).update(origin=Origin.CQC_API)
    content = text(client.get(url(site)))
    assert OGL_TEXT in content
    assert "Ratings data from the Care Quality Commission." in content


def test_another_sites_imported_rating_needs_no_attribution_here(client, site):
    site.trust.locations.get(slug="hillside-clinic").ratings.update(origin=Origin.CQC_API)
    assert OGL_TEXT not in text(client.get(url(site)))


def add_reports(location, years: range):
    """One report a year rating the site on every key question and one service there."""
    service = CoreServiceFactory(slug="surgery", name="Surgery")
    for year in years:
        inspection = report(location.trust, year)
        inspection.locations.add(location)
        value = RatingValue.GOOD if year % 2 else RatingValue.REQUIRES_IMPROVEMENT
        for question in KeyQuestion.values:
            RatingFactory(
                inspection=inspection, scope=Scope.LOCATION, location=location, key_question=question, value=value
            )
        RatingFactory(inspection=inspection, scope=Scope.SERVICE, service=service, location=location, value=value)


# The location with its trust, its ratings, their sources, its reports, the sources of its facts; the national
# movements and ages, once per data version, which the age line reads (4: trusts, sites, their overall ratings, the
# data's day; issue 29).
LOCATION_QUERIES = 10  # + the data version's row, read once a request at most (issue 31)


@pytest.mark.parametrize("report_count", [1, 15])
def test_location_page_query_count_does_not_grow_with_ratings(client, django_assert_num_queries, report_count):
    trust = TrustFactory(provider_id="ZZ5", slug="fictional-5", name="Fictional Five NHS Trust")
    location = LocationFactory(trust=trust, slug="site", name="Fictional Site")
    add_reports(location, range(2010, 2010 + report_count))
    with django_assert_num_queries(LOCATION_QUERIES):
        response = client.get(url(location))
    assert len(response.context["inspection_rows"]) == report_count


def test_every_location_in_the_real_fixtures_has_a_page(client, curated_readonly):
    from django.db import connection

    counts = set()
    locations = list(Location.objects.select_related("trust"))
    assert len(locations) >= 10
    for location in locations:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(location.get_absolute_url())
        assert response.status_code == 200, location
        counts.add(len(queries))
    assert max(counts) == LOCATION_QUERIES  # one fewer where a site has no ratings to fetch sources for


def test_real_hospital_page_shows_its_site_and_service_ratings(client, curated_readonly):
    response = client.get("/trusts/university-hospitals-leicester/locations/glenfield-hospital/")
    grid = response.context["grid"]
    assert grid[0].subject_name == "Glenfield Hospital"
    assert grid[0].subject.level_word == "Location"
    assert all(row.subject_name.endswith(" at Glenfield Hospital") for row in grid[1:])
    assert len(response.context["charts"]) == 2


def test_every_grid_cell_names_its_key_questions_for_the_phone_cards(client, curated_readonly):
    """Under 640 px each grid row is a card and each cell is written after its key question (data-label)."""
    import re

    for url in ("/trusts/university-hospitals-leicester/locations/glenfield-hospital/",
                "/trusts/university-hospitals-leicester/"):  # fmt: skip
        content = client.get(url).content.decode()
        grids = re.findall(r'<table class="data-table ratings-grid">.*?</table>', content, flags=re.S)
        cells = [cell for grid in grids for cell in re.findall(r"<td\b[^>]*>", grid)]
        assert cells, url
        unlabelled = [cell for cell in cells if not re.search(r'data-label="[^"]+"', cell)]
        assert unlabelled == [], url


def test_hospital_page_opens_as_the_trust_page_sentence_timeline_then_grid_facts_last(client, site):
    content = client.get(url(site)).content.decode()
    order = ['class="lede"', 'id="chart-location"', 'id="current"', 'id="chart-service"', 'id="inspections"',
             'id="about"', "CQC location id"]  # fmt: skip
    positions = [content.index(marker) for marker in order]
    assert positions == sorted(positions), dict(zip(order, positions, strict=True))
    assert content.count('id="chart-location"') == 1


def test_hospital_grid_groups_name_the_site_and_fold_its_many_services(client, curated_readonly):
    response = client.get("/trusts/university-hospitals-leicester/locations/leicester-royal-infirmary/")
    groups = response.context["grid_groups"]
    assert [(group.title, len(group.rows), group.folded) for group in groups] == [
        ("this site", 1, False),
        ("core services rated here", 8, True),
    ]
    assert "Show the 8 core services rated here" in response.content.decode()
