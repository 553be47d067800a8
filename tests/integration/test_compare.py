"""Trusts side by side, picked from the trust list or a trust page, and each trust against its kind."""

import pytest
from django.urls import reverse

from inspections.domain.codes import KeyQuestion
from tests.factories import RatingFactory, TrustFactory
from tests.html import squashed

pytestmark = pytest.mark.django_db
COMPARE = reverse("inspections:compare")


def test_compare_puts_current_grids_side_by_side_and_one_timeline_per_key_question(client, curated_readonly):
    response = client.get(COMPARE, {"trust": ["leicestershire-partnership", "university-hospitals-leicester"]})
    assert response.status_code == 200
    context = response.context
    names = [item.trust.name for item in context["compared"]]
    assert names == ["Leicestershire Partnership NHS Trust", "University Hospitals of Leicester NHS Trust"]
    lpt_grid = client.get(reverse("inspections:trust", args=["leicestershire-partnership"])).context["grid"][0]
    lpt_column = [cells[0] for _, cells in context["grid_rows"]]  # LPT's column is its trust-level grid row
    assert {trust.name for trust, _, _ in lpt_column} == {names[0]}
    # Every key question, the use of resources ones too, since UHL holds them (LPT's cells there are empty).
    assert len(lpt_column) == len(KeyQuestion.values)
    assert [(c.value, c.published, s and s.words) if c else None for _, c, s in lpt_column] == [
        (c.value, c.published, s and s.words) if c else None
        for c, s in zip(lpt_grid.cells, lpt_grid.standings, strict=True)
    ]  # the same cells, since and last confirmed as the trust page's grid
    assert [chart.element_id for chart in context["charts"]] == [f"chart-compare-{q}" for q in KeyQuestion.values]
    overall = context["charts"][0]
    assert {change.event.subject_name for change in overall.table} == set(names)  # the table says whose rating
    assert all(chart.summary for chart in context["charts"])


@pytest.mark.parametrize(
    "params",
    [
        {"trust": ["leicestershire-partnership", "no-such-trust"]},
        {"trust": ["leicestershire-partnership", "leicestershire-partnership"]},
        {"trust": ["a", "b", "c", "d", "e"]},
    ],
)
def test_a_choice_that_cannot_be_compared_is_a_400_with_the_picker(client, curated_readonly, params):
    response = client.get(COMPARE, params)
    assert response.status_code == 400
    content = response.content.decode()
    assert "These trusts could not be compared:" in content
    assert 'id="compare-trust-1"' in content


def test_a_trust_chosen_twice_is_named_and_the_reader_told_why_it_cannot_be_compared(client, curated_readonly):
    response = client.get(COMPARE, {"trust": ["leicestershire-partnership", "leicestershire-partnership"]})
    assert response.status_code == 400
    content = response.content.decode()
    assert "You chose the same trust twice (Leicestershire Partnership NHS Trust)" in content
    assert "a trust cannot be compared with itself" in content
    assert "Choose between" not in content
    # Chosen twice beside a third, two different trusts remain: those are compared.
    response = client.get(COMPARE, {"trust": ["leicestershire-partnership", "leicestershire-partnership",
                                              "university-hospitals-leicester"]})  # fmt: skip
    assert response.status_code == 200
    assert len(response.context["compared"]) == 2


def test_one_trust_from_its_page_opens_the_picker_with_it_chosen(client, curated_readonly):
    trust_page = client.get(reverse("inspections:trust", args=["leicestershire-partnership"])).content.decode()
    assert f'href="{COMPARE}?trust=leicestershire-partnership"' in trust_page
    response = client.get(COMPARE, {"trust": "leicestershire-partnership"})
    assert response.status_code == 200
    assert '<option value="leicestershire-partnership" selected>' in response.content.decode()


def test_trust_list_rows_tick_into_the_compare_form(client, curated_readonly):
    content = client.get("/").content.decode()
    assert f'<form id="compare-form" class="compare-picked" method="get" action="{COMPARE}">' in content
    assert 'name="trust" value="leicestershire-partnership" form="compare-form"' in content


def three_rated_ambulance_trusts() -> list:
    """Fictional 0, 1 and 2, ambulance trusts rated Good, Good and Inadequate overall."""
    trusts = []
    for index, value in enumerate(["good", "good", "inadequate"]):
        trust = TrustFactory(provider_id=f"ZZA{index}", slug=f"fictional-{index}", name=f"Fictional {index} NHS Trust",
                             kind="ambulance")  # fmt: skip
        RatingFactory(inspection__trust=trust, key_question=KeyQuestion.OVERALL, value=value)
        trusts.append(trust)
    return trusts


def test_trust_page_shows_the_share_of_its_kind_at_each_rating(client):
    three_rated_ambulance_trusts()
    kind = "ambulance"
    TrustFactory(provider_id="ZZA9", slug="fictional-unrated", name="Fictional Unrated NHS Trust", kind=kind)
    peers = client.get(reverse("inspections:trust", args=["fictional-0"])).context["peers"]
    now, by_year = peers.now, [shares for _, shares in peers.by_year]
    assert now.counts == {"good": 2, "inadequate": 1}
    assert now.unrated == 1
    assert now.rows[1] == ("Good", 2, 67)
    assert [shares.when.year for shares in by_year] == list(range(2024, 2014, -1))  # latest first
    # In words first, then the table (now, then each year) folded under it.
    peers = squashed(client.get(reverse("inspections:trust", args=["fictional-0"])).content)
    peers = peers.split('<section id="peers"')[1].split("</section>")[0]
    words = "Of the 4 trusts of this kind (Ambulance trust) we hold, 3 have an overall rating on the scale now: "
    assert (
        words + "0 Outstanding (0%), 2 Good (67%), 0 Requires improvement (0%), 1 Inadequate (33%); 1 has none yet."
        in peers
    )
    folded_table = peers.split('<details class="fold">')[1]
    assert folded_table.index('<th scope="row">Now</th>') < folded_table.index('<th scope="row">2024</th>')


def test_a_closed_trust_of_the_kind_is_left_out_of_the_shares_and_said_to_be(client):
    *_, trust = three_rated_ambulance_trusts()
    trust.registration_status = "Deregistered"  # no date in CQC's data: left out now, still counted in the past
    trust.save()
    page = squashed(client.get(reverse("inspections:trust", args=["fictional-0"])).content)
    peers = page.split('<section id="peers"')[1].split("</section>")[0]
    words = "Of the 2 trusts of this kind (Ambulance trust) we hold (1 more closed, not counted), 2 have an overall "
    assert words + "rating on the scale now: 0 Outstanding (0%), 2 Good (100%)," in peers


def test_a_trust_alone_of_its_kind_says_so_instead_of_a_table_of_itself(client):
    trust = TrustFactory(provider_id="ZZB1", slug="fictional-alone", name="Fictional Alone NHS Trust", kind="ambulance")
    RatingFactory(inspection__trust=trust, key_question=KeyQuestion.OVERALL, value="good")
    content = client.get(reverse("inspections:trust", args=["fictional-alone"])).content.decode()
    peers = content.split('<section id="peers"')[1].split("</section>")[0]
    assert "This is the only trust of its kind (Ambulance trust) that we hold" in peers
    assert "<table" not in peers


def test_shares_of_a_kind_are_kept_until_the_data_changes(client):
    """Every trust page of a kind shows the same shares: kept in the cache under the data version, read again after
    any change."""
    kind = "ambulance"
    trusts = [
        TrustFactory(
            provider_id=f"ZZC{index}", slug=f"fictional-c{index}", name=f"Fictional C{index} NHS Trust", kind=kind
        )
        for index in range(2)
    ]
    RatingFactory(inspection__trust=trusts[0], key_question=KeyQuestion.OVERALL, value="good")
    first = client.get(reverse("inspections:trust", args=["fictional-c0"]), {"from": "2016"}).context["peers"]
    assert first.now.counts == {"good": 1}
    again = client.get(reverse("inspections:trust", args=["fictional-c1"]), {"from": "2016"}).context["peers"]
    assert again == first  # the other trust's page, not cached itself (a window of its own), reads the same shares
    RatingFactory(inspection__trust=trusts[1], key_question=KeyQuestion.OVERALL, value="inadequate")
    after = client.get(reverse("inspections:trust", args=["fictional-c1"]), {"from": "2016"}).context["peers"]
    assert after.now.counts == {"good": 1, "inadequate": 1}


TWO = ["leicestershire-partnership", "university-hospitals-leicester"]


def test_compare_takes_years_and_explains_years_it_cannot_use_as_the_trust_page_does(client, curated_readonly):
    asked = client.get(COMPARE, {"trust": TWO, "from": "2018", "to": "2020"})
    assert asked.context["window"].words == "2018 to 2020"
    assert all(chart.title.endswith("2018 to 2020") for chart in asked.context["charts"])
    backwards = client.get(COMPARE, {"trust": TWO, "from": "2030", "to": "2010"})
    assert backwards.status_code == 200
    content = backwards.content.decode()
    assert "The years asked for were not used: From year: Ensure this value is less than or equal to" in content
    assert backwards.context["window"] == backwards.context["window_choice"].default
    # The form and the other views keep the trusts compared.
    form = content.split('<form class="window-form"')[1].split("</form>")[0]
    assert [f'<input type="hidden" name="trust" value="{slug}">' in form for slug in TWO] == [True, True]
    assert 'href="?trust=leicestershire-partnership&amp;trust=university-hospitals-leicester&amp;from=' in form
    wrong_order = client.get(COMPARE, {"trust": TWO, "from": "2020", "to": "2018"}).content.decode()
    assert "The first year (2020) is after the last (2018)." in wrong_order


def test_more_than_four_trusts_is_said_as_such(client, curated_readonly):
    response = client.get(COMPARE, {"trust": [*TWO, "a", "b", "c"]})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Compare at most four trusts: you chose 5." in content
    assert "is not one of the available choices" not in content


def test_one_trust_asks_for_at_least_two(client, curated_readonly):
    response = client.get(COMPARE, {"trust": TWO[:1]})
    assert response.status_code == 200
    assert "Choose at least two trusts to compare" in response.content.decode()
    assert "Choose at least two" not in client.get(COMPARE).content.decode()  # the bare picker asks nothing


def test_the_key_is_given_once_not_under_every_chart(client, curated_readonly):
    response = client.get(COMPARE, {"trust": TWO})
    assert len(response.context["charts"]) == 8
    assert response.content.decode().count('<p class="chart-key">') == 1
    trust_page = client.get("/trusts/leicestershire-partnership/").content.decode()
    assert trust_page.count('<p class="chart-key">') > 1  # other pages keep a key under each chart
