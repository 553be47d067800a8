"""The trust list's search, filters and pages: what matches, bad parameters, query counts, attribution.

All trusts and sites here are fictional (provider ids starting ZZ, postcodes in the unused ZZ area).
"""

import datetime
import re

import pytest
from django.urls import reverse

from inspections.domain.codes import Origin, Scope, TrustKind
from inspections.domain.rating_levels import RatingValue
from inspections.reading.filters import PER_PAGE
from tests.factories import InspectionFactory, LocationFactory, RatingFactory, TrustFactory
from tests.html import squashed

pytestmark = pytest.mark.django_db

HOME = reverse("inspections:trust_list")
OGL_TEXT = "Contains public sector information licensed under the Open Government Licence v3.0"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def fictional_trust(number: int, **fields):
    defaults = {
        "provider_id": f"ZZ{number}",
        "slug": f"fictional-{number}",
        "name": f"Fictional Trust {number} NHS Trust",
        "short_name": f"FT{number}",
        "kind": TrustKind.ACUTE,
    }
    return TrustFactory(**{**defaults, **fields})


def rate(trust, value, published=datetime.date(2019, 5, 1), slug=None, **fields):
    """A trust-level overall rating set by a report published on `published`."""
    inspection = InspectionFactory(
        trust=trust,
        slug=slug or published.isoformat(),
        published=published,
        visit_start=published - datetime.timedelta(days=60),
        visit_end=published - datetime.timedelta(days=55),
    )
    return RatingFactory(inspection=inspection, value=value, **fields)


@pytest.fixture
def valley():
    """A trust with two sites in different towns, and a second trust that shares none of its words."""
    trust = fictional_trust(
        1,
        name="Fictional Valley NHS Trust",
        short_name="FVT",
        town="Eastmere",
        postcode="ZZ1 4QT",
        region="North",
        kind=TrustKind.ACUTE,
    )
    LocationFactory(
        trust=trust,
        slug="brookmere-general",
        name="Brookmere General Hospital",
        town="Brookmere",
        postcode="ZZ2 7AB",
        cqc_location_id="ZZ1AA",
    )
    LocationFactory(trust=trust, slug="hillside-clinic", name="Hillside Clinic", town="Westford", postcode="ZZ3 1CD")
    other = fictional_trust(
        2,
        name="Imaginary Hills Partnership NHS Trust",
        short_name="IHP",
        town="Northby",
        region="South",
        kind=TrustKind.MENTAL_HEALTH,
    )
    rate(trust, RatingValue.GOOD)
    rate(other, RatingValue.INADEQUATE)
    return trust


def text(response) -> str:
    """The page's words without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()).replace(" .", ".")


def listed(response) -> list[str]:
    """Provider ids of the trusts on the page shown, in order."""
    return [row.record.provider_id for row in response.context["table"].page.object_list]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("valley", ["ZZ1"]),  # trust name, any case
        ("ZZ1", ["ZZ1"]),  # provider id
        ("fvt", ["ZZ1"]),  # short name
        ("Brookmere", ["ZZ1"]),  # a site's name and town
        ("zz1aa", ["ZZ1"]),  # a site's CQC location id
        ("Westford", ["ZZ1"]),  # a site's town only
        ("zz27ab", ["ZZ1"]),  # a site's postcode typed without its space
        ("ZZ2 7AB", ["ZZ1"]),  # ... and with it
        ("Eastmere", ["ZZ1"]),  # the trust's own town
        ("zz1 4qt", ["ZZ1"]),  # the trust's own postcode
        ("Northby", ["ZZ2"]),
        ("Hill", ["ZZ1", "ZZ2"]),  # Hillside Clinic (ZZ1) and Imaginary Hills (ZZ2)
        ("valley brookmere", ["ZZ1"]),  # a word of the trust's name and one of a site's
        ("brookmere westford", []),  # words from two different sites: no single site matches
        ("Nowhere", []),
        ("100%_", []),  # LIKE wildcards are matched literally
    ],
)
def test_search_matches_trust_and_site_names_ids_towns_and_postcodes(client, valley, query, expected):
    response = client.get(HOME, {"q": query})
    assert response.status_code == 200
    assert listed(response) == expected
    assert response.context["match_count"] == len(expected)


def test_a_matching_site_is_listed_under_its_trust_with_a_link_to_its_page(client, valley):
    response = client.get(HOME, {"q": "brookmere"})
    content = response.content.decode()
    assert "Matching hospitals and sites:" in content
    assert 'href="/trusts/fictional-1/locations/brookmere-general/">Brookmere General Hospital</a>' in content
    assert "Hillside Clinic" not in content  # the trust's other site does not match
    assert client.get("/trusts/fictional-1/locations/brookmere-general/").status_code == 200


def test_a_trust_matched_by_its_own_name_lists_no_sites(client, valley):
    content = client.get(HOME, {"q": "valley"}).content.decode()
    assert "Matching hospitals and sites:" not in content
    assert "Brookmere General Hospital" not in content


def test_count_of_matches_is_shown(client, valley):
    assert "1 trust matches “brookmere”" in client.get(HOME, {"q": "brookmere"}).content.decode()
    assert "2 trusts match “hill”" in client.get(HOME, {"q": "hill"}).content.decode()
    assert "2 trusts held" in squashed(client.get(HOME).content)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": TrustKind.MENTAL_HEALTH}, ["ZZ2"]),
        ({"region": "North"}, ["ZZ1"]),
        ({"rating": RatingValue.GOOD}, ["ZZ1"]),
        ({"rating": RatingValue.INADEQUATE}, ["ZZ2"]),
        ({"rating": RatingValue.OUTSTANDING}, []),
        ({"q": "hill", "kind": TrustKind.ACUTE}, ["ZZ1"]),
        ({"q": "hill", "region": "South", "rating": RatingValue.INADEQUATE}, ["ZZ2"]),
    ],
)
def test_filters_by_kind_region_and_current_overall_rating(client, valley, params, expected):
    assert listed(client.get(HOME, params)) == expected


def test_rating_filter_uses_the_rating_in_force_now_not_an_earlier_one(client):
    trust = fictional_trust(1)
    rate(trust, RatingValue.GOOD, published=datetime.date(2016, 3, 1))
    rate(trust, RatingValue.INADEQUATE, published=datetime.date(2021, 3, 1))
    rate(trust, RatingValue.NOT_RATED, published=datetime.date(2023, 3, 1))  # off the scale: Inadequate stands
    unrated = fictional_trust(2)
    assert listed(client.get(HOME, {"rating": RatingValue.GOOD})) == []
    assert listed(client.get(HOME, {"rating": RatingValue.INADEQUATE})) == ["ZZ1"]
    assert listed(client.get(HOME, {"rating": "none"})) == [unrated.provider_id]


def test_region_filter_offers_only_regions_held(client, valley):
    form = client.get(HOME).context["filter"].form
    assert [code for code, _ in form.fields["region"].choices] == ["", "North", "South"]


@pytest.mark.parametrize(
    "params",
    [
        {"rating": "excellent"},
        {"kind": "hospital"},
        {"region": "Atlantis"},
        {"q": "x" * 101},
        {"q": "valley\x00"},
        {"rating": ["good", "bad"]},
    ],
)
def test_a_bad_filter_is_left_out_and_named_never_a_500(client, valley, params):
    response = client.get(HOME, params)
    if response.status_code == 400:  # NUL may be refused by middleware before the view
        assert any("\x00" in str(value) for value in params.values())
        return
    assert response.status_code == 200
    content = response.content.decode()
    assert "Part of the search could not be used, so it was left out:" in content
    assert set(listed(response)) <= {"ZZ1", "ZZ2"}


def test_a_bad_filter_beside_a_good_search_keeps_the_search(client, valley):
    response = client.get(HOME, {"q": "brookmere", "rating": "excellent"})
    assert listed(response) == ["ZZ1"]
    assert "Brookmere General Hospital" in response.content.decode()


def make_trusts(count: int):
    """`count` fictional acute trusts, each with one site and a current overall rating."""
    for number in range(count):
        trust = fictional_trust(100 + number, name=f"Fictional Trust {100 + number:03d} NHS Trust", region="North")
        LocationFactory(trust=trust, slug="site", name=f"Fictional Site {number:03d}", town="Brookmere")
        rate(trust, RatingValue.GOOD if number % 2 else RatingValue.REQUIRES_IMPROVEMENT)


def test_results_come_in_pages_and_each_page_link_keeps_the_search(client):
    make_trusts(PER_PAGE + 5)
    first = client.get(HOME, {"q": "fictional", "sort": "-name"})
    assert len(listed(first)) == PER_PAGE
    assert first.context["match_count"] == PER_PAGE + 5
    pagination = first.context["pagination"]
    assert not pagination.previous_url
    assert pagination.next_url == "?q=fictional&sort=-name&page=2"
    assert [link.label for link in pagination.links] == ["1", "2"]

    second = client.get(HOME, {"q": "fictional", "sort": "-name", "page": 2})
    assert len(listed(second)) == 5
    assert listed(second)[-1] == "ZZ100"  # sorted by name, descending, across pages
    assert "showing 26 to 30" in second.content.decode()


def test_sorting_goes_back_to_the_first_page(client):
    make_trusts(PER_PAGE + 5)
    content = client.get(HOME, {"q": "fictional", "page": 2}).content.decode()
    # A search lists best matches first, so no column is sorted yet and the name's link sorts by name ascending.
    assert 'href="?q=fictional&amp;sort=name"' in content  # the sort link drops page=2
    content = client.get(HOME, {"q": "fictional", "sort": "name", "page": 2}).content.decode()
    assert 'href="?q=fictional&amp;sort=-name"' in content


@pytest.mark.parametrize(("page", "shown"), [("abc", 1), ("0", 1), ("-3", 1), ("2", 2), ("999", 2), ("9" * 30, 2)])
def test_a_page_out_of_range_or_not_a_number_falls_back(client, page, shown):
    make_trusts(PER_PAGE + 5)
    response = client.get(HOME, {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number == shown


@pytest.mark.parametrize("per_page", ["0", "-1", "abc", "100000"])
def test_the_page_size_is_not_a_parameter(client, per_page):
    make_trusts(PER_PAGE + 5)
    response = client.get(HOME, {"per_page": per_page})
    assert response.status_code == 200
    assert len(listed(response)) == PER_PAGE


# Regions for the filter, the count, the page of trusts, the sites a search matched, imported data behind them,
# and the overall ratings of the trusts shown (since when, last confirmed when).
HOME_QUERIES = 7  # + the data version's row, read once a request at most (issue 31)


@pytest.mark.parametrize("trust_count", [2, 30])
def test_search_query_count_does_not_grow_with_the_trusts_shown(client, django_assert_num_queries, trust_count):
    make_trusts(trust_count)
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(HOME, {"q": "brookmere", "kind": TrustKind.ACUTE, "rating": RatingValue.GOOD})
    assert response.status_code == 200
    assert listed(response)  # the page really lists trusts with their matched sites
    assert "Fictional Site" in response.content.decode()


def test_home_without_imported_data_carries_no_cqc_attribution(client, valley):
    assert OGL_TEXT not in text(client.get(HOME))


@pytest.mark.parametrize("imported", ["trust", "site", "rating"])
def test_home_showing_imported_data_carries_the_ogl_attribution(client, valley, imported):
    if imported == "trust":
        valley.origin = Origin.CQC_API
        valley.save()
        params = {}
    elif imported == "site":
        valley.locations.filter(slug="hillside-clinic").update(origin=Origin.CQC_API)
        params = {"q": "hillside"}
    else:
        rate(valley, RatingValue.GOOD, published=datetime.date(2023, 1, 5), origin=Origin.CQC_API)
        params = {}
    response = client.get(HOME, params)
    assert f"{OGL_TEXT}." in text(response)
    assert f'<a href="{OGL_URL}">Open Government Licence v3.0</a>' in response.content.decode()
    assert "Ratings data from the Care Quality Commission." in text(response)


def test_imported_data_of_a_trust_not_shown_needs_no_attribution(client, valley):
    other = fictional_trust(3, origin=Origin.CQC_API, name="Fictional Coast NHS Trust")
    rate(other, RatingValue.GOOD, origin=Origin.CQC_API)
    assert OGL_TEXT not in text(client.get(HOME, {"q": "valley"}))
    assert OGL_TEXT in text(client.get(HOME, {"q": "coast"}))


def test_site_ratings_do_not_change_the_trust_level_rating_filter(client, valley):
    """A site rated Outstanding does not make its trust's current overall rating Outstanding."""
    site = valley.locations.get(slug="brookmere-general")
    inspection = InspectionFactory(
        trust=valley,
        slug="site-2024",
        published=datetime.date(2024, 2, 1),
        visit_start=datetime.date(2023, 11, 1),
        visit_end=datetime.date(2023, 11, 3),
    )
    RatingFactory(inspection=inspection, scope=Scope.LOCATION, location=site, value=RatingValue.OUTSTANDING)
    assert listed(client.get(HOME, {"rating": RatingValue.OUTSTANDING})) == []
    assert listed(client.get(HOME, {"rating": RatingValue.GOOD})) == ["ZZ1"]


@pytest.mark.parametrize("params", [{}, {"q": "brookmere"}, {"sort": "-current_overall"}])
def test_trust_rows_have_a_cell_for_each_column_of_the_table_in_its_order(client, valley, params):
    """The trust list's rows are written by a template (_partials/trust_rows.jinja), its header and sorting by
    TrustTable: each row holds one cell per column, labelled with the column's header, in the table's order."""
    import re

    response = client.get(HOME, params)
    headers = [str(column.header) for column in response.context["table"].columns]
    body = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    assert rows
    for row in rows:
        labels = re.findall(r'<td data-label="([^"]+)"', row)
        assert row.lstrip().startswith('<th scope="row">')
        assert labels == headers[1:]


@pytest.fixture
def royal_sites():
    """Three fictional trusts whose names hold the words "royal" and "hospital": only one site holds them as a phrase,
    and trusts come before it by name."""
    alder = fictional_trust(31, name="Fictional Alder Royal Trust", town="Hospital Fields")  # both words, apart
    birch = fictional_trust(32, name="Fictional Birch Hospital Royal Trust")  # both words, out of order
    cedar = fictional_trust(33, name="Fictional Cedar NHS Trust")
    LocationFactory(trust=cedar, slug="zz-royal-hospital", name="Fictional Royal Hospital", cqc_location_id="ZZ33A")
    LocationFactory(trust=cedar, slug="zz-annex", name="Fictional Royal Annex Hospital", cqc_location_id="ZZ33B")
    return alder, birch, cedar


def test_a_site_named_as_the_search_is_listed_first_before_word_by_word_matches(client, royal_sites):
    alder, birch, cedar = royal_sites
    page = client.get(HOME, {"q": "royal hospital"})
    assert [trust.pk for trust in page.context["trusts"]] == [cedar.pk, alder.pk, birch.pk]
    sites = [location.name for location in page.context["table"].matched_locations[cedar.pk]]
    assert sites == ["Fictional Royal Hospital", "Fictional Royal Annex Hospital"]  # the phrase first, not by name
    api = client.get("/api/v1/trusts", {"q": "royal hospital"}).json()
    assert [item["provider_id"] for item in api["items"]] == ["ZZ33", "ZZ31", "ZZ32"]
    by_name = client.get(HOME, {"q": "royal hospital", "sort": "name"})  # a column's sort is kept as asked
    assert [trust.pk for trust in by_name.context["trusts"]] == [alder.pk, birch.pk, cedar.pk]


def test_and_and_ampersand_are_one_word(client):
    trust = fictional_trust(41, name="Fictional Women & Children's NHS Trust")
    other = fictional_trust(42, name="Fictional Tees and Fells NHS Trust")
    for query in ("women and children", "women & children", "Women & Children's"):
        assert [t.pk for t in client.get(HOME, {"q": query}).context["trusts"]] == [trust.pk], query
    for query in ("tees & fells", "tees fells", "tees and fells"):
        assert [t.pk for t in client.get(HOME, {"q": query}).context["trusts"]] == [other.pk], query
