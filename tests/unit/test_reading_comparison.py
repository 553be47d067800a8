"""The national picture counts each trust once, with the rating in force on the day."""

import datetime

import pytest

from inspections.domain.standing import RatingEvent
from inspections.reading.comparison import CompareForm, Shares, shares_at
from tests.events import rating_event


def overall(value: str, published: datetime.date | None) -> RatingEvent:
    return rating_event(value, published, question="overall", name="")


def test_shares_count_the_rating_in_force_not_the_latest_report():
    events = {
        1: [overall("requires_improvement", datetime.date(2016, 3, 1)), overall("good", datetime.date(2019, 6, 1))],
        2: [overall("inadequate", datetime.date(2018, 1, 1)), overall("not_inspected", datetime.date(2020, 1, 1))],
        3: [overall("good", None)],  # undated: cannot be placed, so unrated
    }
    in_2017 = shares_at(events, trust_count=4, when=datetime.date(2017, 12, 31))
    assert in_2017.counts == {"requires_improvement": 1}
    assert in_2017.unrated == 3
    in_2021 = shares_at(events, trust_count=4, when=datetime.date(2021, 12, 31))
    assert in_2021.counts == {"good": 1, "inadequate": 1}  # "not inspected" leaves Inadequate standing
    assert in_2021.rows[1] == ("Good", 1, 50)


def test_a_closed_trust_counts_until_the_day_it_closed_and_in_no_share_from_then():
    events = {
        1: [overall("good", datetime.date(2016, 3, 1))],
        2: [overall("inadequate", datetime.date(2017, 1, 1))],  # closed 31 March 2019 with Inadequate last
    }
    closed_on = {2: datetime.date(2019, 3, 31), 3: datetime.date(2020, 6, 1)}  # 3: never rated, closed in 2020
    in_2018 = shares_at(events, trust_count=4, when=datetime.date(2018, 12, 31), closed_on=closed_on)
    assert (in_2018.counts, in_2018.unrated, in_2018.closed) == ({"good": 1, "inadequate": 1}, 2, 0)
    on_closing = shares_at(events, trust_count=4, when=datetime.date(2019, 3, 31), closed_on=closed_on)
    assert (on_closing.counts, on_closing.unrated, on_closing.closed) == ({"good": 1}, 2, 1)
    in_2021 = shares_at(events, trust_count=4, when=datetime.date(2021, 12, 31), closed_on=closed_on)
    assert (in_2021.counts, in_2021.unrated, in_2021.closed) == ({"good": 1}, 1, 2)
    assert (in_2021.total, in_2021.rows[1]) == (2, ("Good", 1, 100))
    assert in_2021.closed_note == " (2 more closed, not counted)"
    assert in_2018.closed_note == ""


def test_shares_with_no_rated_trust_give_zero_percent_not_an_error():
    assert Shares(when=datetime.date(2015, 1, 1), counts={}, unrated=3).percent("good") == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slugs", "valid"),
    [([], False), (["a"], False), (["a", "b"], True), (["a", "b", "c", "d", "e"], False), (["a", "zz"], False)],
)
def test_compare_form_takes_two_to_four_known_trusts(slugs, valid):
    from tests.factories import TrustFactory

    for slug in "abcde":
        TrustFactory(provider_id=f"ZZ{slug}", slug=slug, name=f"Fictional {slug} NHS Trust")
    form = CompareForm({"trust": slugs})
    assert form.is_valid() is valid, form.errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slugs", "error"),
    [
        (["a", "b", "c", "d", "e"], "Compare at most four trusts: you chose 5."),
        (["v", "w", "x", "y", "z"], "Compare at most four trusts: you chose 5."),  # said before any address is checked
        (["a", "zz"], "We hold no trust with the address “zz”: choose each trust from the list."),
    ],
)
def test_compare_form_says_what_is_wrong_in_words(slugs, error):
    from tests.factories import TrustFactory

    for slug in "abcde":
        TrustFactory(provider_id=f"ZZ{slug}", slug=slug, name=f"Fictional {slug} NHS Trust")
    assert CompareForm({"trust": slugs}).errors == {"trust": [error]}
