"""The chart tools under each chart: a press that arrives before plotly.js has loaded is kept and done once it has."""

import re

from .pages import LPT_SLUG, draw_all_charts

PLOTLY = "**/plotly/plotly.min.js"
YEARS_SHOWN_MS = """(chart) => {
  const range = document.getElementById(chart).layout.xaxis.range;
  const ms = (value) => Date.parse(String(value).length > 10 ? String(value).replace(' ', 'T') + 'Z' : value);
  return ms(range[1]) - ms(range[0]);
}"""
DRAWN = "(chart) => document.getElementById(chart).dataset.drawn === 'true'"


def hold_plotly(page) -> list:
    """Hold every request for plotly.js until the test lets it through (route.continue_()), so a press is sure to
    come before the library has loaded."""
    held = []
    page.route(PLOTLY, lambda route: held.append(route))
    return held


def wait_until_held(page, held: list):
    """The route handler runs while Playwright handles events: round trips to the page until it has run."""
    for _ in range(500):
        if held:
            return
        page.evaluate("() => document.readyState")
    raise AssertionError("the page never asked for plotly.js")


def test_zoom_pressed_before_the_chart_library_loads_is_done_when_it_has(page, browser_log, curated_data):
    held = hold_plotly(page)
    page.goto(f"{browser_log.origin}/trusts/{LPT_SLUG}/")
    page.wait_for_load_state("load")  # charts.js (deferred) has run: the buttons are wired, plotly not fetched
    assert page.evaluate("() => typeof window.Plotly") == "undefined"
    figure = page.get_by_role("figure", name=re.compile(r"^Trust-level ratings in force"))
    zoom_in = figure.get_by_role("button", name="Zoom in")
    zoom_in.click()  # the reader's first move fetches plotly; this press comes before it is here
    zoom_in.click()  # and a second press, kept too, in order
    wait_until_held(page, held)
    assert page.evaluate("() => typeof window.Plotly") == "undefined"
    assert page.evaluate(DRAWN, "chart-trust") is False
    for route in held:
        route.continue_()
    page.wait_for_function(DRAWN, arg="chart-trust")
    ten_years = page.evaluate(
        "() => { const r = JSON.parse(document.getElementById('chart-trust-data').textContent).layout.xaxis.range;"
        " return Date.parse(r[1]) - Date.parse(r[0]); }"
    )
    shown = page.evaluate(YEARS_SHOWN_MS, "chart-trust")
    assert abs(shown - ten_years / 4) < 86_400_000, (shown, ten_years)  # zoomed in twice: a quarter of the years
    # Zoomed in, plotly labels the dates it chooses; reset, a label a year again.
    figure.get_by_role("button", name="Reset axes").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#chart-trust .xtick text')].map((t) => t.textContent).join() === "
        "'2015,2016,2017,2018,2019,2020,2021,2022,2023,2024,2025'"
    )
    browser_log.assert_clean()


def test_zoom_pressed_from_the_keyboard_before_the_library_loads_is_kept_too(page, browser_log, curated_data):
    held = hold_plotly(page)
    page.goto(f"{browser_log.origin}/trusts/{LPT_SLUG}/")
    page.wait_for_load_state("load")
    figure = page.get_by_role("figure", name=re.compile(r"^Trust-level ratings in force"))
    figure.get_by_role("button", name="Zoom in").focus()
    page.keyboard.press("Enter")
    wait_until_held(page, held)
    for route in held:
        route.continue_()
    page.wait_for_function(DRAWN, arg="chart-trust")
    eleven_years = (365 * 11 + 2) * 86_400_000  # 2015 to 2025: LPT's latest report held was visited in May 2025
    assert abs(page.evaluate(YEARS_SHOWN_MS, "chart-trust") - eleven_years / 2) < 2 * 86_400_000
    draw_all_charts(page)
    browser_log.assert_clean()
