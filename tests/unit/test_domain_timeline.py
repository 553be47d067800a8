"""The carry-forward rule (domain/standing.py) and what a year window holds (domain/timeline.py)."""

import datetime

from inspections.domain.standing import (
    CitedSource,
    changes,
    current_rating,
    in_force,
    in_force_on,
)
from inspections.domain.timeline import summary_sentence
from tests.events import rating_event


def event(value, published, previous="", precision="day", title="Report"):
    return rating_event(
        value,
        published,
        previous=previous,
        precision=precision,
        title=title,
        url="/x/",
        sources=(CitedSource("SEED-003", "Fictional Gazette", "A fictional article"),),
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


def test_in_force_on_answers_each_date_in_the_order_asked_as_in_force_would():
    events = [FEB_2017, NOT_INSPECTED_2018, JULY_2015, UNDATED]
    dates = [datetime.date(2024, 1, 1), datetime.date(2015, 7, 9), datetime.date(2017, 2, 8), datetime.date(2016, 1, 1)]
    assert in_force_on(events, dates) == [FEB_2017, None, FEB_2017, JULY_2015]
    assert in_force_on(events, dates) == [in_force(events, when) for when in dates]


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


# What a year window holds: series(), one home for the chart's bands, markers, table and summary.

from inspections.domain.standing import standing  # noqa: E402
from inspections.domain.timeline import SEED_WINDOW as DEFAULT_WINDOW  # noqa: E402
from inspections.domain.timeline import Window, series  # noqa: E402

GOOD_2019 = event("good", datetime.date(2019, 6, 1), previous="requires_improvement")
GOOD_AGAIN_2022 = event("good", datetime.date(2022, 3, 1), previous="good")


def test_series_merges_reports_that_restate_a_rating_into_one_band_with_a_marker_each():
    result = series([JULY_2015, FEB_2017, GOOD_2019, GOOD_AGAIN_2022], DEFAULT_WINDOW)
    assert [(band.rating.value, band.start, band.end) for band in result.bands] == [
        ("inadequate", datetime.date(2015, 7, 10), datetime.date(2017, 2, 8)),
        ("requires_improvement", datetime.date(2017, 2, 8), datetime.date(2019, 6, 1)),
        ("good", datetime.date(2019, 6, 1), datetime.date(2024, 12, 31)),  # 2022 restated Good: no split
    ]
    assert [change.event for change in result.reports] == [JULY_2015, FEB_2017, GOOD_2019, GOOD_AGAIN_2022]
    assert result.reports[-1].description == "Unchanged: Good"


def test_series_report_off_the_scale_is_a_marker_and_leaves_the_band_standing():
    result = series([JULY_2015, FEB_2017, NOT_INSPECTED_2018], DEFAULT_WINDOW)
    assert [band.rating.value for band in result.bands] == ["inadequate", "requires_improvement"]
    assert result.bands[-1].end == DEFAULT_WINDOW.end
    assert result.reports[-1].event is NOT_INSPECTED_2018


def test_series_opens_on_the_rating_standing_before_the_window_and_keeps_only_its_reports():
    result = series([JULY_2015, FEB_2017, GOOD_2019], Window(2018, 2020), label="Safe")
    assert [(band.rating.value, band.start) for band in result.bands] == [
        ("requires_improvement", datetime.date(2018, 1, 1)),
        ("good", datetime.date(2019, 6, 1)),
    ]
    assert [change.event for change in result.reports] == [GOOD_2019]
    assert [change.event for change in result.table] == [FEB_2017, GOOD_2019]  # standing, then inside
    assert result.summary == "Safe: Requires improvement from February 2017, Good from June 2019."


def test_series_report_on_the_first_day_of_the_window_is_inside_it():
    new_year = event("good", datetime.date(2015, 1, 1), precision="year")
    result = series([event("inadequate", datetime.date(2014, 3, 28)), new_year], DEFAULT_WINDOW)
    assert [change.event for change in result.reports] == [new_year]
    assert [band.rating.value for band in result.bands] == ["good"]


def test_series_keeps_undated_reports_apart():
    result = series([JULY_2015, UNDATED], DEFAULT_WINDOW)
    assert result.undated == (UNDATED,)
    assert UNDATED not in [change.event for change in result.table]


def test_standing_is_since_the_first_report_of_the_unbroken_run_and_confirmed_by_the_latest():
    found = standing([JULY_2015, FEB_2017, GOOD_2019, NOT_INSPECTED_2018, GOOD_AGAIN_2022])
    assert (found.since, found.confirmed) == (GOOD_2019, GOOD_AGAIN_2022)
    assert standing([NOT_INSPECTED_2018, UNDATED]) is None


def test_standing_says_since_when_and_last_confirmed_when_in_one_wording():
    assert standing([JULY_2015, FEB_2017, GOOD_2019, GOOD_AGAIN_2022]).words == (
        "since June 2019, last confirmed March 2022"
    )
    assert standing([JULY_2015]).words == "since July 2015"


def test_two_reports_published_the_same_day_are_ordered_by_slug_the_later_slug_standing():
    day = datetime.date(2020, 2, 5)
    early = rating_event("good", day, slug="2020-02-a")
    late = rating_event("inadequate", day, slug="2020-02-b")
    for events in ([early, late], [late, early]):
        assert current_rating(events) is late
        assert in_force(events, day) is late
        assert standing(events).since is late
        assert [change.event for change in changes(events)] == [early, late]


def test_standing_phrases_name_the_report_behind_each_date_of_the_one_wording():
    found = standing([JULY_2015, FEB_2017, GOOD_2019, GOOD_AGAIN_2022])
    assert found.phrases == [("since", GOOD_2019), ("last confirmed", GOOD_AGAIN_2022)]
    assert standing([JULY_2015]).phrases == [("since", JULY_2015)]
    # A restatement in the same month says nothing more.
    same_month = event("inadequate", datetime.date(2015, 7, 28))
    assert standing([JULY_2015, same_month]).words == "since July 2015"


def test_the_grid_shows_what_stands_and_its_standing_from_the_one_rule():
    """current_rating is the last report of the run that standing reports, so a grid cell and its words agree."""
    for events in ([JULY_2015, FEB_2017, GOOD_2019, NOT_INSPECTED_2018, GOOD_AGAIN_2022], [JULY_2015], [FEB_2017]):
        assert current_rating(events) is standing(events).confirmed
