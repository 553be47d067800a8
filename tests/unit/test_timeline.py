"""The carry-forward rule: which rating is in force at a date."""

import datetime

from inspections.timeline import RatingEvent, changes, current_rating, in_force, summary_sentence


def event(value, published, previous="", precision="day", title="Report"):
    return RatingEvent(
        subject_key="trust",
        subject_name="Whole trust",
        key_question="safe",
        value=value,
        previous_value=previous,
        published=published,
        published_precision=precision,
        inspection_title=title,
        inspection_url="/x/",
        source_codes=("SEED-003",),
    )


JULY_2015 = event("inadequate", datetime.date(2015, 7, 10))
FEB_2017 = event("requires_improvement", datetime.date(2017, 2, 8), previous="inadequate")
NOT_INSPECTED_2018 = event("not_inspected", datetime.date(2018, 1, 23))
UNDATED = event("good", None)


def test_in_force_before_any_report_is_none():
    assert in_force([JULY_2015, FEB_2017], datetime.date(2015, 7, 9)) is None


def test_in_force_on_publication_day_is_the_new_rating():
    assert in_force([JULY_2015, FEB_2017], datetime.date(2015, 7, 10)) == JULY_2015


def test_in_force_carries_forward_until_next_rating():
    assert in_force([FEB_2017, JULY_2015], datetime.date(2016, 12, 31)) == JULY_2015
    assert in_force([FEB_2017, JULY_2015], datetime.date(2024, 1, 1)) == FEB_2017


def test_not_inspected_leaves_earlier_rating_in_force():
    assert in_force([JULY_2015, FEB_2017, NOT_INSPECTED_2018], datetime.date(2019, 1, 1)) == FEB_2017


def test_undated_report_never_takes_effect():
    assert in_force([JULY_2015, UNDATED], datetime.date(2030, 1, 1)) == JULY_2015
    assert current_rating([JULY_2015, UNDATED]) == JULY_2015


def test_current_rating_falls_back_to_off_scale_state_when_never_rated():
    assert current_rating([NOT_INSPECTED_2018]) == NOT_INSPECTED_2018
    assert current_rating([]) is None


def test_changes_describe_each_step_against_our_own_history():
    descriptions = [change.description for change in changes([NOT_INSPECTED_2018, FEB_2017, JULY_2015])]
    assert descriptions == [
        "First rating held: Inadequate",
        "Changed from Inadequate to Requires improvement",
        "Not inspected (earlier rating stands); Requires improvement still stands",
    ]


def test_change_uses_stated_previous_value_when_history_lacks_it():
    assert changes([FEB_2017])[0].description == "Changed from Inadequate to Requires improvement"


def test_summary_sentence_names_each_value_with_month():
    assert summary_sentence("Safe", [JULY_2015, FEB_2017]) == (
        "Safe: Inadequate from July 2015, Requires improvement from February 2017."
    )


def test_summary_sentence_for_month_precision_and_gap():
    assert summary_sentence("Safe", [event("good", datetime.date(2019, 2, 1), precision="month")]) == (
        "Safe: Good from February 2019."
    )
    assert summary_sentence("Caring", []) == "Caring: no rating on the scale in our sources."
