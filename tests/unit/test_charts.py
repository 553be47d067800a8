import datetime

import pytest

from inspections.charts import DEFAULT_WINDOW, ChartWindow, parse_window, subject_timeline, trust_timeline
from inspections.timeline import RatingEvent

TODAY = datetime.date(2026, 11, 23)


def trust_event(question, value, published):
    return RatingEvent("trust", "Whole trust", question, value, "", published, "day", "Report", "/r/", ("S",))


@pytest.mark.parametrize(
    ("params", "window", "ignored"),
    [
        ({}, DEFAULT_WINDOW, False),
        ({"from": "2013", "to": "2025"}, ChartWindow(2013, 2025), False),
        ({"from": "2019"}, ChartWindow(2019, 2024), False),
        ({"from": "abc", "to": "2025"}, DEFAULT_WINDOW, True),
        ({"from": "2025", "to": "2013"}, DEFAULT_WINDOW, True),
        ({"from": "1066"}, DEFAULT_WINDOW, True),
        ({"to": "99999"}, DEFAULT_WINDOW, True),
    ],
)
def test_parse_window_validates_years_and_falls_back(params, window, ignored):
    assert parse_window(params, TODAY) == (window, ignored)


def test_trust_timeline_has_one_trace_per_rated_key_question_with_left_edge_carry_forward():
    events = [
        trust_event("overall", "requires_improvement", datetime.date(2014, 3, 28)),
        trust_event("safe", "requires_improvement", datetime.date(2014, 3, 28)),
        trust_event("safe", "good", datetime.date(2020, 2, 5)),
    ]
    chart = trust_timeline(events, DEFAULT_WINDOW)

    names = [trace["name"] for trace in chart.figure["data"]]
    assert names == ["Overall", "Safe"]
    safe = chart.figure["data"][1]
    assert safe["x"][0] == "2015-01-01"  # rated in 2014, shown from the left edge
    assert safe["x"][1] == "2020-02-05"
    assert safe["x"][-1] == "2024-12-31"
    assert safe["line"]["shape"] == "hv"
    assert safe["marker"]["size"][0] == 0  # the left-edge point is not a report
    assert safe["marker"]["size"][1] > 0
    assert "Changed from Requires improvement to Good" in safe["hovertext"][1]
    assert chart.figure["layout"]["yaxis"]["ticktext"] == ["Inadequate", "Requires improvement", "Good", "Outstanding"]


def test_trust_timeline_distinguishes_key_questions_without_colour():
    events = [trust_event(q, "good", datetime.date(2016, 1, 1)) for q in ("overall", "safe", "caring")]
    traces = trust_timeline(events, DEFAULT_WINDOW).figure["data"]
    assert len({t["line"]["dash"] for t in traces}) == 3
    assert len({t["marker"]["symbol"] for t in traces}) == 3


def test_report_published_on_the_first_day_of_the_view_gets_its_own_marker():
    events = [
        trust_event("safe", "inadequate", datetime.date(2014, 3, 28)),
        trust_event("safe", "good", datetime.date(2015, 1, 1)),  # e.g. a report known only as "2015"
    ]
    safe = trust_timeline(events, DEFAULT_WINDOW).figure["data"][0]
    points = zip(safe["x"], safe["marker"]["size"], safe["hovertext"], strict=True)
    marked = [(x, text) for x, size, text in points if size]
    assert len(marked) == 1
    assert marked[0][0] == "2015-01-01"
    assert "Changed from Inadequate to Good" in marked[0][1]


def test_summary_and_table_hold_only_what_the_chosen_years_show():
    events = [
        trust_event("safe", "inadequate", datetime.date(2014, 3, 28)),
        trust_event("safe", "requires_improvement", datetime.date(2016, 5, 1)),
        trust_event("safe", "good", datetime.date(2020, 2, 5)),
    ]
    chart = trust_timeline(events, ChartWindow(2016, 2017))
    assert [change.event.published.year for change in chart.table] == [2014, 2016]  # standing, then the change
    assert "Changed from Inadequate to Requires improvement" in chart.table[1].description
    safe_line = next(line for line in chart.summary if line.startswith("Safe:"))
    assert "Good" not in safe_line
    assert "Requires improvement from May 2016" in safe_line


def test_subject_chart_table_holds_the_overall_ratings_it_draws():
    def service_event(question, value, published):
        return RatingEvent("service:wards", "Wards", question, value, "", published, "day", "Report", "/r/", ("S",))

    events = [
        service_event("overall", "good", datetime.date(2016, 1, 1)),
        service_event("safe", "inadequate", datetime.date(2016, 1, 1)),
    ]
    chart = subject_timeline(events, DEFAULT_WINDOW, "service", "Core services")
    assert [change.event.key_question for change in chart.table] == ["overall"]


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_chart_colours_meet_wcag_contrast():
    from inspections.charts import KEY_QUESTION_STYLE, RATING_BAND_STYLE

    for question, style in KEY_QUESTION_STYLE.items():
        assert contrast(style["color"], "#ffffff") >= 3, question  # lines and markers on white: 1.4.11
    for value, style in RATING_BAND_STYLE.items():
        assert contrast(style["text"], style["color"]) >= 4.5, value  # the word written in a band: 1.4.3
