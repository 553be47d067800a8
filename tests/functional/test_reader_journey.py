"""A reader's journey in Chromium: sort the trusts, open LPT, read its timeline, open an inspection, check a source."""

import re

from playwright.sync_api import expect

from .pages import (
    LPT_SLUG,
    PublicPage,
    draw_all_charts,
    hover_marker,
    open_page,
    report_marker,
    trust_level_questions_with_data,
)

TRUST_TABLE = "NHS trusts, their current overall CQC rating and inspection history"


def test_reader_sorts_trusts_reads_lpt_timeline_opens_inspection_and_source(page, browser_log, curated_data):
    open_page(page, browser_log, PublicPage("/"))
    table = page.get_by_role("table", name=TRUST_TABLE)
    names = table.locator("tbody th").all_inner_texts()
    trust_header = table.get_by_role("columnheader", name=re.compile(r"^Trust\s*, sort"))
    expect(trust_header).to_have_attribute("aria-sort", "ascending")
    assert names == sorted(names)

    # Sorting is a link in the column header; following it reverses the order and says so.
    trust_header.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"\?sort=-name$"))
    expect(trust_header).to_have_attribute("aria-sort", "descending")
    expect(trust_header).to_have_accessible_name(re.compile(r"sorted descending"))
    assert table.locator("tbody th").all_inner_texts() == sorted(names, reverse=True)

    rating_header = table.get_by_role("columnheader", name=re.compile(r"^Current overall rating\s*, sort"))
    expect(rating_header).not_to_have_attribute("aria-sort", re.compile(".*"))
    rating_header.get_by_role("link").click()
    expect(rating_header).to_have_attribute("aria-sort", "ascending")
    expect(trust_header).not_to_have_attribute("aria-sort", re.compile(".*"))

    # Open the trust.
    table.get_by_role("link", name="Leicestershire Partnership NHS Trust").click()
    expect(page).to_have_url(re.compile(rf"/trusts/{LPT_SLUG}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Leicestershire Partnership NHS Trust")

    # The trust timeline draws one strip per key question with data, each named above its strip.
    questions = trust_level_questions_with_data(LPT_SLUG)
    assert len(questions) == 6
    chart = page.locator("#chart-trust")
    draw_all_charts(page)
    expect(chart.locator(".annotation-text")).to_have_text(questions)
    expect(page.locator(".chart-key").first).to_contain_text("A triangle under a band marks a report")
    image_name = (
        r"^Chart: Trust-level ratings in force, 2015 to 2025\. The same values are in the summary and the table"
    )
    expect(chart.get_by_role("img")).to_have_accessible_name(re.compile(image_name))

    # Hovering the February 2017 Safe marker says what changed, in words.
    hover_marker(page, report_marker(page, "chart-trust", "Safe: Changed from Inadequate to Requires improvement"))
    hover_label = chart.locator(".hoverlayer .hovertext")
    expect(hover_label).to_contain_text("Safe: Changed from Inadequate to Requires improvement")
    expect(hover_label).to_contain_text("Report published 8 February 2017")

    # Open that inspection from the chart's data table (its text twin).
    figure = page.get_by_role("figure", name=re.compile(r"^Trust-level ratings in force"))
    figure.get_by_text("Show the chart's data as a table").click()
    data_table = figure.get_by_role("table", name=re.compile(r"^Data for: Trust-level ratings in force"))
    expect(data_table).to_be_visible()
    safe_row = data_table.get_by_role("row").filter(has=page.get_by_role("cell", name="Safe", exact=True))
    safe_row.get_by_role("link", name="Changed from Inadequate to Requires improvement").click()
    expect(page).to_have_url(re.compile(rf"/trusts/{LPT_SLUG}/inspections/[\w-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trust-wide inspection, November 2016")

    # Read the passage behind the Safe rating, then follow its source to the source's own page.
    ratings = page.get_by_role("table", name="Ratings published in this report")
    safe_rating = ratings.get_by_role("row").filter(has=page.get_by_role("cell", name="Safe", exact=True)).first
    citation = safe_rating.locator("ul.citations > li").first
    if citation.locator("details").count():  # every citation holds a passage once the text audits are merged
        citation.locator("summary").click()
        expect(citation.locator("blockquote")).to_be_visible()
        source_link = citation.get_by_role("link", name="About this source")
    else:
        source_link = citation.get_by_role("link")
    href = source_link.get_attribute("href")
    assert re.fullmatch(r"/sources/[\w.-]+/", href), href
    source_link.click()
    expect(page).to_have_url(re.compile(rf"{re.escape(href)}$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="What it supports")).to_be_visible()

    browser_log.assert_clean()
