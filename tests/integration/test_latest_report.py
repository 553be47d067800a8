"""The newest report held is never hidden (issue 28): one rule, `Inspection.published_order` (an undated report placed
by its visit), says which report is the latest held, for the headline and "Data as of" of a trust or site page, the
national latest reports and the feeds; a timeline marks an undated report at its visit and places none of its
ratings."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.models import Inspection
from inspections.reading.national import latest_reports
from inspections.reading.selectors import latest_report_held
from tests.factories import InspectionFactory, RatingFactory, TrustFactory
from tests.html import squashed

LPT = "leicestershire-partnership"
MAY_2025 = "2025-05-community-mental-health"


def _trust_with_an_undated_report_after_the_last_dated():
    trust = TrustFactory(provider_id="ZZL01", slug="fictional-lark", name="Fictional Lark NHS Trust")
    dated = InspectionFactory(
        trust=trust, slug="2020-01", title="Fictional report, January 2020", published=datetime.date(2020, 1, 10),
        visit_start=datetime.date(2019, 10, 1), visit_end=datetime.date(2019, 10, 4),
    )  # fmt: skip
    RatingFactory(inspection=dated, value="good")
    undated = InspectionFactory(
        trust=trust, slug="2021-03-visit", title="Fictional visit, March 2021", published=None,
        visit_start=datetime.date(2021, 3, 1), visit_start_precision="month", visit_end=None,
    )  # fmt: skip
    RatingFactory(inspection=undated, value="inadequate")
    return trust, dated, undated


def test_an_undated_report_visited_after_the_last_publication_is_the_latest_held(client, db):
    trust, _, undated = _trust_with_an_undated_report_after_the_last_dated()
    response = client.get(trust.get_absolute_url())
    latest = response.context["latest_report"]
    assert (latest.url, latest.words) == (
        undated.get_absolute_url(),
        "visited March 2021, publication date not in our sources",
    )
    content = response.content.decode()
    headline = content.split('<p class="lede">')[1].split("</p>")[0]
    assert (
        f'; <a href="{undated.get_absolute_url()}">latest report held</a> visited March 2021, publication date not in '
        "our sources."
    ) in headline
    about = content.split("<dt>Data as of</dt>")[1].split("</dd>")[0]
    assert "Fictional visit, March 2021</a>, visited March 2021, publication date not in our sources" in about
    assert latest_reports(trust=trust)[0].url == undated.get_absolute_url()
    assert latest_reports(trust=trust)[0].when == "Visited March 2021; publication date not in our sources"


def test_the_national_latest_reports_list_an_undated_report_at_its_visit(client, db):
    trust, dated, undated = _trust_with_an_undated_report_after_the_last_dated()
    content = client.get(reverse("inspections:national")).content.decode()
    listed = content.split('<ol class="latest-reports">')[1].split("</ol>")[0]
    assert listed.index(undated.get_absolute_url()) < listed.index(dated.get_absolute_url())
    assert '<time datetime="2021-03">Visited March 2021; publication date not in our sources</time>' in listed


def test_a_report_with_no_date_at_all_is_never_the_latest(db):
    trust, dated, _ = _trust_with_an_undated_report_after_the_last_dated()
    InspectionFactory(trust=trust, slug="no-dates", published=None, visit_start=None, visit_end=None)
    inspections = list(trust.inspections.all())
    assert latest_report_held(inspections).title == "Fictional visit, March 2021"
    assert [entry.url.rsplit("/", 2)[-2] for entry in latest_reports(trust=trust)] == [
        "2021-03-visit",
        "2020-01",
        "no-dates",
    ]


def test_newest_first_is_published_order_reversed_and_latest_report_held_its_first(db):
    """The Python order (`Inspection.order_key`) and both SQL orders agree, ties included: same day (slug decides),
    same placing date with and without a visit start, an undated report placed by its visit's end."""
    trust = TrustFactory(provider_id="ZZL02", slug="fictional-wren", name="Fictional Wren NHS Trust")
    day = datetime.date(2022, 6, 1)
    for slug, published, start, end in [
        ("b", day, None, None),
        ("a", day, None, None),
        ("c", day, datetime.date(2022, 5, 1), None),
        ("d", None, datetime.date(2022, 5, 2), day),
        ("e", datetime.date(2019, 1, 1), None, None),
        ("f", None, None, None),
    ]:
        InspectionFactory(trust=trust, slug=slug, published=published, visit_start=start, visit_end=end)
    oldest_first = [i.slug for i in Inspection.objects.filter(trust=trust).published_order()]
    assert oldest_first == [i.slug for i in sorted(Inspection.objects.filter(trust=trust), key=Inspection.order_key)]
    newest = [i.slug for i in Inspection.objects.filter(trust=trust).newest_first()]
    assert newest == [slug for slug in reversed(oldest_first) if slug != "f"] + ["f"]
    assert latest_report_held(list(Inspection.objects.filter(trust=trust))).url.endswith(f"/{newest[0]}/")


def test_lpts_may_2025_report_leads_its_headline_and_the_latest_reports(client, curated_readonly):
    response = client.get(reverse("inspections:trust", args=[LPT]))
    assert response.context["latest_report"].words == "visited May 2025, publication date not in our sources"
    assert latest_reports()[0].url.endswith(f"/{MAY_2025}/")
    assert len(latest_reports()) == 20  # the national page's 20, undated reports among them at their visits


def test_the_timeline_marks_an_undated_report_at_its_visit_and_places_none_of_its_ratings(client, curated_readonly):
    response = client.get(reverse("inspections:trust", args=[LPT]))
    services = next(chart for chart in response.context["subject_charts"] if chart.element_id == "chart-service")
    strips = {" ".join(strip["name_lines"]): strip for strip in services.preview.strips}
    may_2025 = strips["Community-based mental health services for adults of working age"]
    assert may_2025["bands"] == []  # its Requires improvement is not placed in time
    assert [mark["undated"] for mark in may_2025["marks"]] == [True]
    window = services.window
    expected = 100 * (datetime.date(2025, 5, 1) - window.start).days / (window.end - window.start).days
    assert abs(may_2025["marks"][0]["left"] - expected) < 0.01
    markers = services.figure["data"][-1]
    at_visit = [i for i, x in enumerate(markers["x"]) if x == "2025-05-01"]
    assert [markers["marker"]["symbol"][i] for i in at_visit] == ["diamond-open"]
    assert "Visited May 2025; publication date not in our sources" in markers["hovertext"][at_visit[0]]
    content = response.content.decode()
    assert "A diamond marks a report whose publication date is not in our sources, at its visit" in squashed(content)
    # The data table (the chart's text twin) has a row for each diamond, saying why its rating is not placed.
    assert [event.inspection_slug for event in services.visited].count(MAY_2025) == 1
    assert (
        '<tr><th scope="row">Visited May 2025; publication date not in our sources</th><td>Community-based mental '
        "health services for adults of working age</td>"
    ) in content


def _previous_cells(client, inspection) -> dict[str, str]:
    """The inspection page's ratings table: each row's level and key question -> its previous-rating cell, in words."""
    import html
    import re

    content = client.get(inspection.get_absolute_url()).content.decode()
    rows = content.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    cells = {}
    for row in rows:
        level = re.sub(r"<[^>]+>", "", row.split("</th>")[0]).strip()
        question = re.sub(r"<[^>]+>", "", row.split('data-label="Key question">')[1].split("</td>")[0])
        previous = row.split('data-label="Previous rating">')[1].split("</td>")[0]
        cells[f"{level}: {question}"] = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", previous)).strip())
    return cells


def test_a_not_inspected_row_shows_the_rating_that_stood_by_the_timelines_rule(client, db):
    trust = TrustFactory(provider_id="ZZL03", slug="fictional-finch", name="Fictional Finch NHS Trust")
    first = InspectionFactory(trust=trust, slug="2016-03", published=datetime.date(2016, 3, 1))
    RatingFactory(inspection=first, key_question="overall", value="good")
    RatingFactory(inspection=first, key_question="safe", value="inadequate")
    second = InspectionFactory(trust=trust, slug="2018-06", published=datetime.date(2018, 6, 1))
    RatingFactory(inspection=second, key_question="safe", value="requires_improvement")  # restated since: newer
    later = InspectionFactory(trust=trust, slug="2020-05", published=datetime.date(2020, 5, 1))
    RatingFactory(inspection=later, key_question="overall", value="not_inspected")
    RatingFactory(inspection=later, key_question="safe", value="not_inspected", previous_value="inadequate")
    RatingFactory(inspection=later, key_question="caring", value="not_inspected")
    assert _previous_cells(client, later) == {
        "Whole trust: Overall": "Good stood (report of March 2016)",
        "Whole trust: Safe": "Inadequate as the report states",  # the report's own words come first
        "Whole trust: Caring": "The rating that stood is not in our sources",
    }
    undated = InspectionFactory(
        trust=trust, slug="undated", published=None, visit_start=datetime.date(2021, 1, 1), visit_end=None
    )
    RatingFactory(inspection=undated, key_question="overall", value="not_inspected")
    assert _previous_cells(client, undated) == {
        "Whole trust: Overall": "Not known: this report's publication date is not in our sources"
    }


def test_the_trusts_history_is_read_only_for_a_rating_off_the_scale_with_no_previous_value(client, db):
    """The previous-rating column reads the trust's reports and ratings (two queries) only where a rating off the
    scale leaves an earlier one standing: a report whose ratings are all on the scale, or state their previous
    value, needs neither."""
    trust = TrustFactory(provider_id="ZZL04", slug="fictional-wren", name="Fictional Wren NHS Trust")
    first = InspectionFactory(trust=trust, slug="2016-03", published=datetime.date(2016, 3, 1))
    RatingFactory(inspection=first, key_question="overall", value="good")
    later = InspectionFactory(trust=trust, slug="2020-05", published=datetime.date(2020, 5, 1))
    overall = RatingFactory(inspection=later, key_question="overall", value="requires_improvement")
    RatingFactory(inspection=later, key_question="safe", value="not_inspected", previous_value="inadequate")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(later.get_absolute_url()).status_code == 200
        return len(captured)

    on_the_scale = queries()
    overall.value = "not_inspected"
    overall.save()
    assert queries() == on_the_scale + 2
    assert _previous_cells(client, later)["Whole trust: Overall"] == "Good stood (report of March 2016)"


def test_uhls_2024_report_shows_the_overall_rating_that_stood(client, curated_readonly):
    inspection = Inspection.objects.get(trust__slug="university-hospitals-leicester", slug="2024-06")
    cells = _previous_cells(client, inspection)
    assert cells["Whole trust: Overall"] == "Requires improvement stood (report of November 2022)"
