"""Forgiving search, one rule for the site and the API (domain/words.py): case, accents, apostrophes (straight,
curly or none), full stops and hyphens do not matter, and every word must still match.

All trusts and sites here are fictional (provider ids starting ZZ, names starting "Fictional").
"""

import pytest
from django.urls import reverse

from inspections.domain.codes import TrustKind
from inspections.models import Location, Trust
from tests.factories import LocationFactory, TrustFactory

pytestmark = pytest.mark.django_db

HOME = reverse("inspections:trust_list")


@pytest.fixture
def riverside():
    """A fictional trust running a St Mary's hospital, a café clinic and a site in a hyphenated town."""
    trust = TrustFactory(
        provider_id="ZZ7", slug="fictional-riverside", name="Fictional Riverside NHS Trust", short_name="FRT",
        kind=TrustKind.ACUTE, town="Fictional Bridge", postcode="ZZ7 1AA",
    )  # fmt: skip
    LocationFactory(trust=trust, slug="st-marys", name="Fictional St Mary's Hospital", cqc_location_id="ZZ7AA")
    LocationFactory(trust=trust, slug="cafe", name="Fictional Café Clinic", town="Fictional Town")
    LocationFactory(trust=trust, slug="weston", name="Fictional General", town="Fictional-upon-Sea")
    TrustFactory(provider_id="ZZ8", slug="fictional-hill", name="Fictional Hill NHS Trust", kind=TrustKind.ACUTE)
    return trust


def site_finds(client, query: str) -> tuple[list[str], list[str]]:
    """Provider ids the home page lists for `query`, and the sites it lists under them."""
    response = client.get(HOME, {"q": query})
    assert response.status_code == 200
    trusts = [row.record.provider_id for row in response.context["table"].page.object_list]
    sites = [site.slug for found in response.context["table"].matched_locations.values() for site in found]
    return trusts, sites


def api_finds(client, query: str) -> list[str]:
    response = client.get("/api/v1/trusts", {"q": query})
    assert response.status_code == 200, response.content
    return [item["provider_id"] for item in response.json()["items"]]


@pytest.mark.parametrize("query", ["St Mary’s", "st marys", "ST. MARYS", "St Mary's", "st mary‘s", "St. Mary`s"])
def test_every_spelling_of_st_marys_finds_the_hospital_and_its_trust(client, riverside, query):
    assert site_finds(client, query) == (["ZZ7"], ["st-marys"])
    assert api_finds(client, query) == ["ZZ7"]


@pytest.mark.parametrize(("query", "site"), [("cafe", "cafe"), ("CAFÉ clinic", "cafe"), ("Café", "cafe")])
def test_accents_do_not_matter(client, riverside, query, site):
    assert site_finds(client, query) == (["ZZ7"], [site])
    assert api_finds(client, query) == ["ZZ7"]


@pytest.mark.parametrize("query", ["fictional-upon-sea", "Fictional upon sea", "UPON-SEA"])
def test_hyphens_do_not_matter(client, riverside, query):
    assert site_finds(client, query) == (["ZZ7"], ["weston"])
    assert api_finds(client, query) == ["ZZ7"]


@pytest.mark.parametrize("query", ["st marys nowhere", "riverside hill", "café marys"])
def test_every_word_must_still_match_one_trust_or_one_of_its_sites(client, riverside, query):
    assert site_finds(client, query) == ([], [])
    assert api_finds(client, query) == []


def test_a_trust_found_by_its_own_name_lists_no_sites_on_the_site_and_api_alike(client, riverside):
    assert site_finds(client, "riverside") == (["ZZ7"], [])
    assert api_finds(client, "Fictional") == ["ZZ8", "ZZ7"]  # by name: Hill, then Riverside


def test_search_text_follows_every_save(riverside):
    site = Location.objects.get(slug="st-marys")
    assert site.search_text == "fictional st marys hospital zz7aa"
    site.name = "Fictional Saint-Mary’s Hospital"
    site.save()
    assert Location.objects.get(pk=site.pk).search_text == "fictional saint marys hospital zz7aa"
    assert (
        Trust.objects.get(pk=riverside.pk).search_text
        == "fictional riverside nhs trust frt zz7 fictional bridge zz7 1aa zz71aa"
    )
