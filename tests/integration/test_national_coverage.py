"""/national/ says how many of England's NHS trusts it holds (issue 28): below NATIONAL_PICTURE_MIN_TRUSTS (20) it
leads with that, shows no shares and no map, and says how to import CQC's data; from 20 on, the full picture."""

import datetime

import pytest
from django.conf import settings

from tests.factories import InspectionFactory, RatingFactory, TrustFactory
from tests.html import squashed

NATIONAL = "/national/"


def fictional_trusts(count: int) -> None:
    for number in range(count):
        trust = TrustFactory(provider_id=f"ZZC{number:02}", slug=f"fictional-c{number:02}",
                             name=f"Fictional C{number:02} NHS Trust", kind="acute")  # fmt: skip
        inspection = InspectionFactory(trust=trust, slug="2019-03", published=datetime.date(2019, 3, 1))
        RatingFactory(inspection=inspection, value="good" if number % 2 else "requires_improvement")


def test_the_threshold_and_englands_figure_are_settings_with_their_source():
    assert settings.NATIONAL_PICTURE_MIN_TRUSTS == 20
    assert settings.NHS_TRUSTS_IN_ENGLAND == 205
    assert settings.NHS_TRUSTS_IN_ENGLAND_SOURCE.startswith("NHS Organisation Data Service (ODS)")


def test_below_the_threshold_the_page_leads_with_how_few_it_holds_and_hides_shares_and_map(client, db):
    fictional_trusts(19)
    response = client.get(NATIONAL)
    content = response.content.decode()
    lede = content.split('<p class="lede">')[1].split("</p>")[0]
    assert lede.startswith("We hold 19 of the 205 NHS trusts in England: too few for a national picture")
    assert "NHS Organisation Data Service (ODS), open NHS trusts at the end of 2025" in content
    assert "%" not in lede
    for hidden in ('id="over-time"', 'id="by-kind"', 'id="by-region"', 'id="map"', "chart-shares", "map.js",
                   "data-map="):  # fmt: skip
        assert hidden not in content
    assert "python manage.py import_cqc --all-nhs-trusts" in content
    assert '<a href="/trusts/fictional-c00/">Fictional C00 NHS Trust</a>' in content  # each trust held, linked
    assert response.context["map_assets"] is None
    assert 'id="movements"' in content  # counts of reports, not shares: still shown


def test_at_the_threshold_the_page_shows_the_shares_and_the_map_and_englands_figure(client, db):
    fictional_trusts(20)
    content = squashed(client.get(NATIONAL).content)
    lede = content.split('<p class="lede">')[1].split("</p>")[0]
    assert lede.startswith("We hold 20 NHS trusts. Of the 20 with an overall rating of the whole trust now, 0 are")
    assert "10 are rated Good (50%)" in lede
    assert "Of the trusts we hold, 20 are open; England has 205 open NHS trusts" in content
    for shown in ('id="over-time"', 'id="by-kind"', 'id="by-region"', 'id="map"', 'id="chart-shares-all"'):
        assert shown in content
    assert "import_cqc" not in content


@pytest.mark.parametrize(("threshold", "too_few"), [(3, False), (4, True)])
def test_the_threshold_is_the_setting(client, db, settings, threshold, too_few):
    settings.NATIONAL_PICTURE_MIN_TRUSTS = threshold
    fictional_trusts(3)
    assert client.get(NATIONAL).context["coverage"].too_few is too_few


def test_the_curated_trusts_are_too_few_and_the_page_says_so(client, curated_readonly):
    content = client.get(NATIONAL).content.decode()
    assert "We hold 2 of the 205 NHS trusts in England: too few for a national picture" in content
    assert "Region not known (2 held)" not in content  # the one-column region chart of issue 28
    assert "are rated Requires improvement (100%)" not in content
