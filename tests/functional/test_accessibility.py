"""axe-core on every public page, and the charts' text twins and names, in Chromium."""

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import screenshot_name
from .pages import open_page, public_pages

# WCAG 2.0, 2.1 and 2.2 at levels A and AA (2.2 added only AA rules that axe can test).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
OPEN_ALL_DETAILS = "document.querySelectorAll('details').forEach((details) => { details.open = true; })"


def test_axe_finds_no_wcag_a_or_aa_violations_on_any_public_page(page, browser_log, curated_data, screenshot_dir):
    axe = Axe()
    pages = public_pages()
    reports = []
    for public_page in pages:
        open_page(page, browser_log, public_page)
        page.screenshot(path=screenshot_dir / screenshot_name(public_page.path, "desktop"), full_page=True)
        # Check what is folded away too: the charts' data tables.
        page.evaluate(OPEN_ALL_DETAILS)
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            reports.append(f"{public_page.path}: {results.generate_report()}")
    assert len(pages) >= 7
    assert not reports, "\n\n".join(reports)
    browser_log.assert_clean()


def test_every_chart_has_a_name_a_text_summary_and_a_data_table(page, browser_log, curated_data):
    trust_pages = [public_page for public_page in public_pages() if re.fullmatch(r"/trusts/[\w-]+/", public_page.path)]
    checked = 0
    for public_page in trust_pages:
        open_page(page, browser_log, public_page)
        for canvas_id in page.locator("[data-chart]").evaluate_all("(charts) => charts.map((chart) => chart.id)"):
            canvas = page.locator(f"#{canvas_id}")
            figure = page.locator(f"figure.chart:has(#{canvas_id})")
            title = figure.locator("figcaption").inner_text()
            expect(page.get_by_role("figure", name=title, exact=True)).to_be_visible()
            expect(canvas.get_by_role("img")).to_have_accessible_name(re.compile(rf"^Chart: {re.escape(title)}\."))
            expect(figure.get_by_role("group", name="Chart tools").get_by_role("button")).to_have_count(3)
            expect(canvas.locator(".modebar")).to_have_count(0)  # nothing drawn over the plot

            # The summary has a line for each strip the chart draws, named as the strip is.
            strips = canvas.locator(".annotation-text").evaluate_all("(texts) => texts.map((t) => t.textContent)")
            summary = figure.locator(".chart-summary li").all_inner_texts()
            assert summary, f"{public_page.path}: {title} has no text summary"
            if canvas_id == "chart-trust":
                assert [
                    line.split(":")[0]
                    for line in summary
                    if not line.endswith("no rating on the scale in our sources.")
                ] == strips

            # The data table holds a row for every report marker, and at least as many as the bands drawn.
            figure.get_by_text("Show the chart's data as a table").click()
            table = figure.get_by_role("table", name=f"Data for: {title}")
            expect(table).to_be_visible()
            expect(table.get_by_role("columnheader")).to_have_count(6)
            count = "(points) => points.filter((p) => p.getBoundingClientRect().width > 0).length"
            markers = canvas.locator(".scatterlayer .point").evaluate_all(count)
            bands = canvas.locator(".barlayer .point").evaluate_all(count)
            rows = table.locator("tbody tr").count()
            assert rows >= markers, f"{public_page.path}: {title} table has fewer rows than report markers"
            assert rows >= bands, f"{public_page.path}: {title} table has fewer rows than bands"
            checked += 1
    assert checked >= 2
    browser_log.assert_clean()
