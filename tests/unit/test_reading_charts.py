import datetime
import json

from inspections.domain.rating_levels import ON_SCALE_LEVELS
from inspections.domain.subjects import at_location, service
from inspections.domain.timeline import SEED_WINDOW as DEFAULT_WINDOW
from inspections.domain.timeline import Window
from inspections.reading.charts import subject_timeline, trust_timeline
from tests.events import rating_event

# plotly.js-basic-dist-min holds these trace types; anything else would draw nothing.
BASIC_BUNDLE_TRACES = {"bar", "scatter", "pie"}


def trust_event(question, value, published):
    return rating_event(value, published, question=question)


WARDS = service("wards")


def service_event(question, value, published, key=WARDS, name="Wards"):
    return rating_event(value, published, question=question, subject=key, name=name)


def bands_of(figure, row):
    """(rating label, start, duration ms) of each band drawn on one row (0 at the top), left to right."""
    bars = [trace for trace in figure["data"] if trace["type"] == "bar"]
    row = sorted({y for trace in bars for y in trace["y"]})[row]
    bands = [
        (trace["name"], base, width)
        for trace in figure["data"]
        if trace["type"] == "bar"
        for y, base, width in zip(trace["y"], trace["base"], trace["x"], strict=True)
        if y == row
    ]
    return sorted(bands, key=lambda band: band[1])


def markers_of(figure):
    return next(trace for trace in figure["data"] if trace["type"] == "scatter")


def test_trust_timeline_has_one_strip_per_rated_key_question_from_the_left_edge():
    events = [
        trust_event("overall", "requires_improvement", datetime.date(2014, 3, 28)),
        trust_event("safe", "requires_improvement", datetime.date(2014, 3, 28)),
        trust_event("safe", "good", datetime.date(2020, 2, 5)),
    ]
    figure = trust_timeline(events, DEFAULT_WINDOW).figure
    assert [note["text"] for note in figure["layout"]["annotations"]] == ["Overall", "Safe"]
    day = 86_400_000
    assert bands_of(figure, 1) == [
        ("Requires improvement", "2015-01-01", (datetime.date(2020, 2, 5) - datetime.date(2015, 1, 1)).days * day),
        ("Good", "2020-02-05", (datetime.date(2024, 12, 31) - datetime.date(2020, 2, 5)).days * day),
    ]
    markers = markers_of(figure)
    assert markers["x"] == ["2020-02-05"]  # the 2014 reports are before the view: a band, no marker
    assert "Changed from Requires improvement to Good" in markers["hovertext"][0]


def test_restated_rating_is_one_band_with_a_marker_per_report():
    events = [
        service_event("overall", "good", datetime.date(2016, 1, 1)),
        service_event("overall", "good", datetime.date(2019, 1, 1)),
        service_event("overall", "requires_improvement", datetime.date(2022, 1, 1)),
    ]
    figure = subject_timeline(events, DEFAULT_WINDOW, "service", "Core services").figure
    assert [name for name, _, _ in bands_of(figure, 0)] == ["Good", "Requires improvement"]
    assert markers_of(figure)["x"] == ["2016-01-01", "2019-01-01", "2022-01-01"]
    assert "Unchanged: Good" in markers_of(figure)["hovertext"][1]


def test_report_off_the_scale_has_an_open_marker_and_no_band_of_its_own():
    events = [
        trust_event("caring", "good", datetime.date(2016, 1, 1)),
        trust_event("caring", "not_inspected", datetime.date(2018, 1, 1)),
    ]
    figure = trust_timeline(events, DEFAULT_WINDOW).figure
    assert [name for name, _, _ in bands_of(figure, 0)] == ["Good"]
    assert markers_of(figure)["marker"]["symbol"] == ["triangle-up", "triangle-up-open"]


def test_summary_and_table_hold_only_what_the_chosen_years_show():
    events = [
        trust_event("safe", "inadequate", datetime.date(2014, 3, 28)),
        trust_event("safe", "requires_improvement", datetime.date(2016, 5, 1)),
        trust_event("safe", "good", datetime.date(2020, 2, 5)),
    ]
    chart = trust_timeline(events, Window(2016, 2017))
    assert [change.event.published.year for change in chart.table] == [2014, 2016]  # standing, then the change
    assert "Changed from Inadequate to Requires improvement" in chart.table[1].description
    safe_line = next(line for line in chart.summary if line.startswith("Safe:"))
    assert "Good" not in safe_line
    assert "Requires improvement from May 2016" in safe_line


def test_subject_chart_table_holds_the_overall_ratings_it_draws():
    events = [
        service_event("overall", "good", datetime.date(2016, 1, 1)),
        service_event("safe", "inadequate", datetime.date(2016, 1, 1)),
    ]
    chart = subject_timeline(events, DEFAULT_WINDOW, "service", "Core services")
    assert [change.event.key_question for change in chart.table] == ["overall"]


def test_subject_timeline_works_for_one_locations_subjects():
    events = [service_event("overall", "good", datetime.date(2016, 1, 1), key=at_location("gh"), name="Glenfield")]
    assert subject_timeline(events, DEFAULT_WINDOW, "service", "Core services") is None
    chart = subject_timeline(events, DEFAULT_WINDOW, "location", "Hospitals")
    assert [note["text"] for note in chart.figure["layout"]["annotations"]] == ["Glenfield"]


def test_figures_are_plain_json_with_basic_bundle_traces_full_width_and_no_title_to_clip():
    events = [
        trust_event("overall", "good", datetime.date(2016, 1, 1)),
        service_event("overall", "inadequate", datetime.date(2017, 1, 1)),
    ]
    for chart in (trust_timeline(events, DEFAULT_WINDOW), subject_timeline(events, DEFAULT_WINDOW, "service", "S")):
        figure = json.loads(json.dumps(chart.figure))  # plain data, nothing plotly-specific to serialise
        assert {trace["type"] for trace in figure["data"]} <= BASIC_BUNDLE_TRACES
        layout = figure["layout"]
        assert "title" not in layout  # the title is the figure's caption in the page
        assert layout["yaxis"]["showticklabels"] is False  # names sit above the strips, not beside them
        assert layout["margin"]["l"] + layout["margin"]["r"] <= 16


def test_long_names_wrap_above_their_strip_and_push_the_next_strip_down():
    long_name = "Acute wards for adults of working age and psychiatric intensive care units"
    events = [
        service_event("overall", "good", datetime.date(2016, 1, 1), key=service("a"), name=long_name),
        service_event("overall", "good", datetime.date(2016, 1, 1), key=service("b"), name="Wards"),
    ]
    chart = subject_timeline(events, DEFAULT_WINDOW, "service", "Core services")
    first, second = chart.figure["layout"]["annotations"]
    assert first["text"].count("<br>") == 1
    assert all(len(line) <= 44 for line in first["text"].split("<br>"))
    assert second["y"] - first["y"] > 2 * 17 + 24  # two lines of name, then the band, before the next name
    assert [len(strip["name_lines"]) for strip in chart.preview.strips] == [2, 1]


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_chart_colours_meet_wcag_contrast():
    from inspections.reading.chart_drawing import MARKER_COLOUR

    assert contrast(MARKER_COLOUR, "#ffffff") >= 3  # report markers on white: 1.4.11
    for level in ON_SCALE_LEVELS:
        assert contrast(level.text, level.colour) >= 4.5, level.code  # the word written in a band: 1.4.3


def test_chart_data_is_written_as_json_no_text_can_end_the_script(settings):
    """The figure travels as JSON in a script element (as json_script would write it): it reads back as the same
    figure, and no text in it (a hovertext with </script>) can end the element."""
    import datetime
    import json
    import re

    from django.template import engines

    from inspections.reading.charts import Chart

    figure = {
        "data": [{"hovertext": ["</script><b>A & B</b>", "Ünïcode ‘quoted’"], "x": [datetime.date(2019, 2, 1)]}],
        "layout": {"height": 120},
    }
    chart = Chart(element_id="chart-x", title="T", figure=figure, summary=[], table=[])
    chart.preview = type("Preview", (), {"strips": [], "ticks": [], "plot_px": 10})()
    html = engines["jinja2"].env.get_template("_partials/chart.jinja").render(chart=chart)
    (data,) = re.findall(r'<script id="chart-x-data" type="application/json">(.*?)</script>', html, flags=re.S)
    assert "</script" not in data.lower()
    assert "<b>" not in data
    assert json.loads(data) == json.loads(json.dumps(figure, default=str))


def test_every_year_of_a_ten_year_window_is_labelled_the_first_too_in_the_middle_of_its_year():
    """The first year's label sits in the middle of its year, in the HTML drawing and in plotly's, not on its first
    day, where the left edge cut it off (issue 18: the 2015 label was missing)."""
    chart = trust_timeline([trust_event("overall", "good", datetime.date(2016, 1, 1))], DEFAULT_WINDOW)
    axis = chart.figure["layout"]["xaxis"]
    assert (axis["tick0"], axis["dtick"], axis["ticklabelmode"]) == ("2015-01-01", "M12", "period")
    assert [year for _, year in chart.preview.ticks] == list(range(2015, 2025))
    lefts = [left for left, _ in chart.preview.ticks]
    assert abs(lefts[0] - 5) < 0.1  # mid-2015: 5% of ten years
    assert abs(lefts[-1] - 95) < 0.1


def test_a_long_window_is_labelled_every_few_years_from_its_first_alike_in_both_drawings():
    """The first year is always labelled (a 2015 to 2025 view once began its labels at 2016), mid-year as in the
    HTML drawing, with a grid line where every year begins (issue 28: they sat on the grid lines)."""
    for window, years in ((Window(2000, 2025), range(2000, 2026, 3)), (Window(2014, 2025), range(2014, 2026, 2))):
        chart = trust_timeline([trust_event("overall", "good", datetime.date(2016, 1, 1))], window)
        axis = chart.figure["layout"]["xaxis"]
        assert axis["tickmode"] == "array"
        assert axis["ticktext"] == [str(year) for year in years]
        assert axis["tickvals"] == [f"{year}-07-02" for year in years]
        assert [year for _, year in chart.preview.ticks] == list(years)
        assert axis["showgrid"] is False
        assert axis["minor"] | {"gridcolor": ""} == {
            "tickmode": "linear", "tick0": f"{window.from_year}-01-01", "dtick": "M12", "showgrid": True,
            "gridcolor": "", "ticks": "",
        }  # fmt: skip


def test_key_questions_with_no_rating_are_named_once_in_the_chart_summary():
    from inspections.reading.charts import key_question_timeline

    site = at_location("site")
    events = [rating_event("good", datetime.date(2016, 1, 1), question="overall", subject=site, name="Site")]
    chart = key_question_timeline(events, DEFAULT_WINDOW, subject=site, element_id="chart-location", title="Site")
    assert chart.summary == [
        "Overall: Good from January 2016.",
        "Safe, Effective, Caring, Responsive, Well-led: no rating on the scale in our sources.",
    ]
