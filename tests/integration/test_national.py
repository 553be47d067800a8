"""/national/: the shares over time against a hand-computed set, the map's points, the latest reports, the queries."""

import datetime
import json

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.domain.rating_levels import BY_CODE
from inspections.reading.national import national_picture, site_places
from inspections.reading.national_charts import map_figure, map_summary
from tests.factories import LocationFactory, RatingFactory, TrustFactory
from tests.html import squashed
from tests.national_data import EXPECTED_OVERALL, LONDON, TODAY, four_trusts

NATIONAL = "/national/"


@pytest.fixture(autouse=True)
def the_full_picture(settings):
    """These tests read the shares and the map of a few fictional trusts, so the page shows them at any number held
    (the threshold below which it does not is held by tests/integration/test_national_coverage.py)."""
    settings.NATIONAL_PICTURE_MIN_TRUSTS = 0


def counted(group):
    return [(label, shares.counts, shares.unrated) for label, shares in group.points]


def test_shares_at_each_years_end_and_now_match_the_hand_computed_set(db):
    four_trusts()
    picture = national_picture(TODAY)
    assert picture.trust_count == 4
    assert counted(picture.overall) == EXPECTED_OVERALL
    assert picture.overall.now.rows == [
        ("Outstanding", 0, 0),
        ("Good", 1, 33),
        ("Requires improvement", 1, 33),
        ("Inadequate", 1, 33),
    ]


def test_shares_by_kind_and_by_region_count_each_trust_in_its_own_group(db):
    four_trusts()
    picture = national_picture(TODAY)
    assert [(group.name, group.total) for group in picture.by_kind] == [
        ("Acute hospital trust", 3),
        ("Ambulance trust", 1),
    ]
    acute, ambulance = picture.by_kind
    assert counted(acute)[0] == ("2015", {}, 3)  # Dale is an ambulance trust
    assert counted(acute)[3] == ("2018", {"outstanding": 1, "requires_improvement": 1}, 1)
    assert counted(ambulance)[-1] == ("Now", {"inadequate": 1}, 0)  # the undated Outstanding never counts
    # Regions in order, a trust with none last, under its own name.
    assert [(group.name, group.total) for group in picture.by_region] == [
        ("London", 2),
        ("North East", 1),
        ("Region not known", 1),
    ]
    london = picture.by_region[0]
    assert counted(london)[4] == ("2019", {"good": 1, "requires_improvement": 1}, 0)  # the later same-day slug
    assert london.first[0] == "2016"  # the first year's end with a London trust rated


def test_the_map_places_each_trust_with_coordinates_by_the_rating_that_stands_now(db):
    four_trusts()
    picture = national_picture(TODAY)
    places = {place.name: place for place in picture.trusts}
    anvil = places["Fictional Anvil NHS Trust"]
    assert (anvil.rating, anvil.since, anvil.url) == (
        "requires_improvement",
        "since June 2018",
        "/trusts/fictional-anvil/",
    )
    assert not places["Fictional Cedar NHS Trust"].on_map
    assert places["Fictional Cedar NHS Trust"].rating_text == "No overall rating on the scale yet"
    assert [place.name for place in picture.on_map] == [
        "Fictional Anvil NHS Trust",
        "Fictional Brook NHS Trust",
        "Fictional Dale NHS Trust",
    ]
    assert [(region, [p.name for p in found]) for region, found in picture.regions][0] == (
        LONDON,
        ["Fictional Anvil NHS Trust", "Fictional Brook NHS Trust"],
    )

    traces = {trace["name"]: trace for trace in map_figure(picture.trusts)["data"]}
    assert set(traces) == {"Good", "Requires improvement", "Inadequate"}  # one trace per rating shown, none empty
    for code, trace in [("good", traces["Good"]), ("inadequate", traces["Inadequate"])]:
        assert trace["type"] == "scattergeo"
        assert trace["marker"]["color"] == BY_CODE[code].colour  # the one table's colour
    assert traces["Requires improvement"]["customdata"] == ["/trusts/fictional-anvil/"]
    assert (traces["Inadequate"]["lat"], traces["Inadequate"]["lon"]) == ([53.4], [-1.5])


def test_sites_are_placed_by_their_own_overall_rating(db):
    four_trusts()
    (hospital,) = site_places()
    assert (hospital.name, hospital.rating, hospital.trust_name) == (
        "Fictional Anvil Hospital",
        "outstanding",
        "Fictional Anvil NHS Trust",
    )
    assert hospital.url == "/trusts/fictional-anvil/locations/fictional-anvil-hospital/"


def test_a_closed_trust_leaves_the_shares_and_the_map_from_the_day_it_closed(client, db):
    """Brook closes on 1 March 2020 (Good standing then): counted at the end of 2019, in no share after; the
    map and the sites leave it and its closed hospital off, and the table says when it closed."""
    trusts = four_trusts()
    brook = trusts["brook"]
    brook.deregistration_date, brook.registration_status = datetime.date(2020, 3, 1), "Deregistered"
    brook.save()
    LocationFactory(
        trust=brook, slug="fictional-brook-old", name="Fictional Brook Old Hospital", latitude=51.41,
        longitude=-0.31, registration_status="Deregistered",
    )  # fmt: skip
    picture = national_picture(TODAY)
    expected = EXPECTED_OVERALL[:5] + [
        ("2020", {"requires_improvement": 1, "inadequate": 1}, 1),
        ("Now", {"requires_improvement": 1, "inadequate": 1}, 1),
    ]
    assert counted(picture.overall) == expected
    assert [shares.closed for _, shares in picture.overall.points] == [0, 0, 0, 0, 0, 1, 1]
    london = picture.by_region[0]
    assert counted(london)[-1] == ("Now", {"requires_improvement": 1}, 0)
    assert london.now.closed_note == " (1 more closed, not counted)"

    places = {place.name: place for place in picture.trusts}
    closed = places["Fictional Brook NHS Trust"]
    assert (closed.rating, closed.on_map, closed.map_words) == ("", False, "No: closed")
    assert closed.rating_text == "Closed: deregistered 1 March 2020"
    assert [place.name for place in picture.on_map] == ["Fictional Anvil NHS Trust", "Fictional Dale NHS Trust"]
    assert [site.name for site in site_places()] == ["Fictional Anvil Hospital"]  # the closed one is left off
    assert map_summary(picture)[0] == (
        "The map shows 2 of the 4 trusts we hold; 1 has no coordinates in our data (listed in the table only); "
        "1 has closed (listed in the table, with when)."
    )
    page = squashed(client.get(NATIONAL).content)
    assert "Closed: deregistered 1 March 2020</span></td> <td>No: closed</td>" in page


def test_latest_reports_are_newest_first_with_the_ratings_each_set(db):
    four_trusts()
    latest = national_picture(TODAY, latest=3).latest
    assert [(entry.trust_name, entry.url) for entry in latest] == [
        ("Fictional Anvil NHS Trust", "/trusts/fictional-anvil/inspections/2020-05/"),
        ("Fictional Brook NHS Trust", "/trusts/fictional-brook/inspections/2019-02-b/"),
        ("Fictional Brook NHS Trust", "/trusts/fictional-brook/inspections/2019-02-a/"),
    ]
    assert latest[1].headline == "Fictional Brook NHS Trust: Good overall"
    assert latest[0].headline == "Fictional Anvil NHS Trust: no ratings set"  # off the scale: not "rated"
    second = national_picture(TODAY, latest=5).latest[3]
    assert second.ratings_text == (
        "Whole trust: Overall Requires improvement, Safe Inadequate. "
        "Also 1 rating of hospitals, sites and core services."
    )


def _more_trusts(count: int, start: int = 10):
    for index in range(start, start + count):
        trust = TrustFactory(
            provider_id=f"ZZQ{index}", slug=f"fictional-q{index}", name=f"Fictional Q{index} NHS Trust", kind="acute",
            region=["London", "East"][index % 2], latitude=52.0, longitude=-1.0,
        )  # fmt: skip
        RatingFactory(inspection__trust=trust, inspection__slug=f"q{index}", value="good")


def test_the_page_reads_the_same_number_of_queries_for_few_trusts_and_many(client, db):
    four_trusts()
    with CaptureQueriesContext(connection) as few:
        assert client.get(NATIONAL).status_code == 200
    _more_trusts(12)  # a new data version: the page is built again
    with CaptureQueriesContext(connection) as many:
        response = client.get(NATIONAL)
    assert response.status_code == 200
    assert response.context["picture"].trust_count == 16
    # trusts, their overall ratings, the latest reports, their whole-trust ratings, whether any came from CQC; then,
    # once per data version, the movements and ages (trusts, sites, their overall ratings, the data's day: issue 29);
    # and the data version's row, read once a request (issue 31)
    assert len(many) == len(few) == 10, [query["sql"] for query in many.captured_queries]


def test_the_page_shows_every_part_with_twins_and_is_linked_from_the_header(client, db):
    four_trusts()
    response = client.get(NATIONAL)
    assert response.status_code == 200
    content = response.content.decode()
    context = response.context
    assert "We hold 4 NHS trusts. Of the 3 with an overall rating of the whole trust now," in content
    for chart in (context["overall_chart"], context["kind_chart"], context["region_chart"]):
        assert f'data-chart="{chart.data_id}"' in content
        assert f'<script id="{chart.data_id}" type="application/json">' in content
        assert f"Data for: {chart.title}" in content  # the table twin
        assert chart.summary[0] in content  # the words twin
    assert context["region_chart"].summary[0] == (
        "London (2 held): now 1 Good (50%), 1 Requires improvement (50%) of 2 with a rating; "
        "at the end of 2016, 1 Good (100%) of 1 with a rating; 1 with none yet."
    )
    # The map, its data, and the keyboard route: every trust's page linked from the table by region.
    figure = json.loads(
        content.split('<script id="national-map-data" type="application/json">')[1].split("</script>")[0]
    )
    assert figure == context["map_figure"]
    for trust in ("fictional-anvil", "fictional-brook", "fictional-cedar", "fictional-dale"):
        assert f'<a href="/trusts/{trust}/">' in content
    assert "The map shows 3 of the 4 trusts we hold; 1 has no coordinates in our data" in content
    assert "<summary>Region not known: 1 trust</summary>" in content
    # The latest reports link to their inspections; the feed is offered.
    assert '<a href="/trusts/fictional-anvil/inspections/2020-05/">' in content
    assert '<link rel="alternate" type="application/atom+xml"' in content
    home = client.get("/").content.decode()
    assert f'<a href="{reverse("inspections:national")}">National picture</a>' in home


def test_the_map_is_drawn_from_this_site_only_and_loads_only_here(client, db):
    four_trusts()
    content = client.get(NATIONAL).content.decode()
    assert 'data-geo="/static/vendor/plotly-geo.min.js"' in content
    assert 'data-outline="/static/vendor/topojson/europe_50m.json"' in content
    assert 'src="/static/inspections/map.js"' in content
    assert "cdn" not in content.lower()
    trust_page = client.get("/trusts/fictional-anvil/").content.decode()
    assert "plotly-geo" not in trust_page
    assert "map.js" not in trust_page


def test_without_the_geo_bundle_the_page_says_so_and_keeps_the_table(client, db, monkeypatch):
    four_trusts()
    monkeypatch.setattr(finders, "find", lambda path, **kwargs: None)
    content = client.get(NATIONAL).content.decode()
    assert "The map is not available on this server" in content
    assert "map.js" not in content
    assert "data-map=" not in content
    assert '<a href="/trusts/fictional-dale/">' in content


def test_with_no_coordinates_held_there_is_nothing_to_map(client, db):
    trust = TrustFactory(provider_id="ZZN09", slug="fictional-nowhere", name="Fictional Nowhere NHS Trust")
    RatingFactory(inspection__trust=trust, value="good")
    content = client.get(NATIONAL).content.decode()
    assert "None of the trusts we hold has coordinates yet" in content
    assert "data-map=" not in content


def test_an_empty_database_gives_a_page_not_an_error(client, db):
    response = client.get(NATIONAL)
    assert response.status_code == 200
    assert "We hold 0 NHS trusts." in response.content.decode()
    assert "No report is held yet." in response.content.decode()


def test_the_page_is_rebuilt_when_the_data_changes(client, db):
    four_trusts()
    assert "We hold 4 NHS trusts." in client.get(NATIONAL).content.decode()
    TrustFactory(provider_id="ZZN05", slug="fictional-elm", name="Fictional Elm NHS Trust")
    assert "We hold 5 NHS trusts." in client.get(NATIONAL).content.decode()


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_page_only_answers_reads(client, db, method):
    assert getattr(client, method)(NATIONAL).status_code == 405


def test_sites_come_as_map_traces_with_the_data_version_as_etag(client, db):
    four_trusts()
    response = client.get(reverse("inspections:national_sites"))
    assert response.status_code == 200
    (trace,) = response.json()["data"]
    assert trace["name"] == "Hospital or site: Outstanding"
    assert trace["customdata"] == ["/trusts/fictional-anvil/locations/fictional-anvil-hospital/"]
    assert trace["marker"]["color"] == BY_CODE["outstanding"].colour
    again = client.get(reverse("inspections:national_sites"), headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


def test_curated_data_renders_with_its_real_trusts_and_no_map(client, curated_readonly):
    """The curated trusts hold no coordinates, so the page says so rather than drawing an empty map."""
    response = client.get(NATIONAL)
    assert response.status_code == 200
    assert response.context["picture"].trust_count == 2
    assert "None of the trusts we hold has coordinates yet" in response.content.decode()
