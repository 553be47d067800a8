"""Every page answers for each trust in the real fixtures; bad addresses and parameters never cause a 500."""

import csv
import datetime
import io
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils.html import escape

from inspections.domain.codes import KeyQuestion
from inspections.models import Inspection, Rating, Source, Trust
from inspections.reading.exports import RATINGS_HEADER as CSV_HEADER

pytestmark = pytest.mark.django_db

# The inspection, 3 record kinds x (rows + their citations), sources, services, locations; UHL 2024-06 holds
# one statement (Charlotte Rudge's role, issue 20), so its citations take a query too.
INSPECTION_PAGE_QUERIES = 14  # and 1 for CQC data that gives another value; 1 of them the data version's row; 2 the
# trust's reports and ratings, for the rating that stood before a rating off the scale (issue 28; only if one is)
# trusts for the filter, the count, a page of sources with counts, their inspections, kinds (the data version is
# held from the page read before it)
SOURCES_PAGE_QUERIES = 5
ISO_BY_PRECISION = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}


def trusts():
    return list(Trust.objects.order_by("provider_id"))


def test_home_lists_every_trust_with_current_overall_rating(client, curated_readonly):
    response = client.get("/")
    assert response.status_code == 200
    rows = {row.record.provider_id: row.record for row in response.context["table"].rows}
    assert set(rows) == {trust.provider_id for trust in trusts()}
    lpt = rows["RT5"]
    assert lpt.current_overall == "requires_improvement"
    assert lpt.inspection_count == Inspection.objects.filter(trust__provider_id="RT5").count()
    assert b'href="/trusts/leicestershire-partnership/"' in response.content


@pytest.mark.parametrize("sort", ["name", "-name", "current_overall", "-current_overall", "last_published",
                                  "-inspection_count", "bogus", "-", ""])  # fmt: skip
def test_home_sorting_never_fails_and_sorts_as_asked(client, curated_readonly, sort):
    response = client.get("/", {"sort": sort})
    assert response.status_code == 200
    records = [row.record for row in response.context["table"].rows]
    key = sort.lstrip("-")
    if key in ("name", "inspection_count", "last_published"):
        values = [getattr(record, key) for record in records]
        assert values == sorted(values, reverse=sort.startswith("-")), (sort, values)
    elif key != "current_overall":  # an unknown sort falls back to the list's own order
        default = [row.record.pk for row in client.get("/").context["table"].rows]
        assert [record.pk for record in records] == default


def test_home_sorts_by_rating_position_not_word(client):
    from tests.factories import RatingFactory, TrustFactory

    # Alphabetically Good < Inadequate < Outstanding; on CQC's scale it is Inadequate < Good < Outstanding.
    for provider, value in (("AAA", "good"), ("BBB", "outstanding"), ("CCC", "inadequate")):
        trust = TrustFactory(provider_id=provider, slug=provider.lower(), name=f"Trust {provider}")
        RatingFactory(inspection__trust=trust, value=value)
    rows = client.get("/", {"sort": "current_overall"}).context["table"].rows
    made = [row.record.current_overall for row in rows if row.record.provider_id in {"AAA", "BBB", "CCC"}]
    assert made == ["inadequate", "good", "outstanding"]


def test_trust_pages_render_grid_timelines_inspections_findings_sources(client, curated_readonly):
    for trust in trusts():
        response = client.get(reverse("inspections:trust", args=[trust.slug]))
        assert response.status_code == 200, trust
        context = response.context
        assert context["grid"][0].subject.is_trust
        assert context["trust_chart"].figure["data"], f"{trust} has no trust-level trace"
        assert context["latest_report"].words
        content = response.content.decode()
        assert trust.name in content
        assert f"CQC provider id</dt><dd>{trust.provider_id}" in content
        assert 'data-plotly="/static/plotly/plotly.min.js"' in content
        # No inline scripts or handlers: code comes from files, data travels as json_script JSON.
        for script in re.findall(r"<script\b[^>]*>", content):
            assert " src=" in script or 'type="application/json"' in script, script
        assert not re.search(r"\son[a-z]+=", content), "inline event handler"
        assert 'id="chart-trust-data" type="application/json"' in content
        for inspection in trust.inspections.all():
            assert inspection.get_absolute_url() in content
        assert all(source.title in unescape(content) for source in context["sources"])


def _list_item_with(content: str, text: str) -> str:
    """The <li>...</li> of the page that holds `text`."""
    at = content.index(text)
    return content[content.rindex("<li", 0, at) : content.index("</li>", at)]


def test_trust_page_names_each_location_leader_and_finding_with_its_own_sources(client, curated_readonly):
    from inspections.models import Finding

    for trust in trusts():
        content = client.get(reverse("inspections:trust", args=[trust.slug])).content.decode()
        about = content.split('<section id="about"')[1].split('<section id="sources"')[0]
        for location in trust.locations.all():
            item = _list_item_with(about, f'<a href="{location.get_absolute_url()}">{escape(location.name)}</a>')
            cited = [f'href="{source.get_absolute_url()}"' for source in location.sources.all()]
            assert all(link in item for link in cited), location
            assert item.count("source-link") == len(cited), location
        for leader in trust.leaders.select_related("person"):
            item = _list_item_with(about, f"{escape(leader.person.name)}, {escape(leader.role)}")
            assert item.count("source-link") == leader.sources.count() > 0, leader
        findings = unescape(content.split('<section id="findings"')[1].split('<section id="about"')[0])
        for finding in Finding.objects.filter(inspection__trust=trust):
            item = _list_item_with(findings, finding.summary)
            assert all(f'href="{source.get_absolute_url()}"' in item for source in finding.sources.all()), finding
            assert item.count("source-link") == finding.sources.count(), finding


def test_trust_page_default_window_runs_to_the_latest_report_held_and_wider_view_validated(client, curated_readonly):
    url = reverse("inspections:trust", args=["leicestershire-partnership"])
    default = client.get(url).context["trust_chart"].figure["layout"]["xaxis"]["range"]
    assert default == ["2015-01-01", "2025-12-31"]  # the latest report held: visited May 2025, publication not held
    wide = client.get(url, {"from": "2013", "to": "2025"})
    assert wide.context["trust_chart"].figure["layout"]["xaxis"]["range"] == ["2013-01-01", "2025-12-31"]
    assert wide.context["window_choice"].full_history.from_year == 2013
    for bad in ({"from": "x"}, {"from": "2030", "to": "2010"}, {"to": "1"}, {"from": "2015" * 50}):
        response = client.get(url, bad)
        assert response.status_code == 200
        assert "The years asked for were not used" in response.content.decode()


def test_every_inspection_page_renders(client, curated_readonly):
    for inspection in Inspection.objects.select_related("trust"):
        response = client.get(inspection.get_absolute_url())
        assert response.status_code == 200, inspection
        content = response.content.decode()
        assert inspection.title.replace("&", "&amp;").replace("'", "&#x27;") in content
        for rating in response.context["detail"].ratings:
            assert rating.get_value_display() in content


def test_inspection_page_shows_previous_values_and_sources(client, curated_readonly):
    response = client.get(reverse("inspections:inspection", args=["leicestershire-partnership", "2017-02"]))
    content = response.content.decode()
    assert "Inadequate" in content  # safe moved from Inadequate (stated by SEED-001 / SEED-003)
    assert 'href="/sources/SEED-001/"' in content
    assert "Dr Paul Lelliott" in content


def test_ratings_csv_has_one_row_per_rating_with_codes_and_partial_dates(client, curated_readonly):
    for trust in trusts():
        response = client.get(reverse("inspections:trust_ratings_csv", args=[trust.slug]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        assert tuple(rows[0]) == CSV_HEADER
        assert ",".join(rows[0]).startswith(  # the first columns keep their names and order; new ones come after
            "provider_id,trust,published,visit_start,visit_end,scope,scope_name,key_question,rating,previous_rating,source,"
        )
        ratings = Rating.objects.filter(inspection__trust=trust).select_related("inspection")
        assert len(rows) - 1 == ratings.count()
        for row in rows[1:]:
            record = dict(zip(CSV_HEADER, row, strict=True))
            assert record["provider_id"] == trust.provider_id
            assert record["scope"] in {"trust", "service", "location"}
            assert record["key_question"] in KeyQuestion.values  # use of resources included (UHL 2020)
            assert record["rating"] in dict(Rating._meta.get_field("value").choices)
            assert record["source"], row
            assert re.fullmatch(r"(\d{4}(-\d{2}(-\d{2})?)?)?", record["published"]), row


def test_csv_dates_follow_stored_precision(client, curated_readonly):
    inspection = Inspection.objects.filter(published_precision="month").exclude(ratings=None).first()
    assert inspection is not None, "the fixtures hold a month-only report (LPT February 2019)"
    response = client.get(reverse("inspections:trust_ratings_csv", args=[inspection.trust.slug]))
    text = b"".join(response.streaming_content).decode()
    rows = [dict(zip(CSV_HEADER, r, strict=True)) for r in csv.reader(io.StringIO(text))][1:]
    expected = f"{inspection.published:%Y-%m}"
    assert any(row["published"] == expected for row in rows)
    assert not any(row["published"].startswith(expected + "-") for row in rows)


def test_month_only_report_is_written_as_month(client, curated_readonly):
    inspection = Inspection.objects.get(trust__provider_id="RT5", slug="2019-02")
    content = client.get(inspection.get_absolute_url()).content.decode()
    assert "February 2019" in content
    assert "1 February 2019" not in content


@pytest.mark.parametrize(
    "url",
    [
        "/trusts/no-such-trust/",
        "/trusts/no-such-trust/ratings.csv",
        "/trusts/leicestershire-partnership/inspections/1999-01/",
        "/trusts/no-such-trust/inspections/2015-07/",
        "/no/such/page/",
    ],
)
def test_unknown_addresses_are_404_in_site_style(client, curated_readonly, url):
    response = client.get(url)
    assert response.status_code == 404
    content = response.content.decode()
    assert "<h1>Page not found</h1>" in content
    assert "Skip to main content" in content


def every_page_of_sources(client):
    """The first page of /sources/ and the HTML of all its pages, joined."""
    first = client.get(reverse("inspections:sources"))
    numbers = first.context["page"].paginator.page_range
    return first, "".join(client.get(reverse("inspections:sources"), {"page": n}).content.decode() for n in numbers)


def test_sources_page_lists_every_source_with_what_it_supports(client, curated_readonly):
    response, content = every_page_of_sources(client)
    assert response.status_code == 200
    for source in Source.objects.all():
        assert f'id="source-{source.code}"' in content
        assert f">{source.code}<" not in content, "codes are anchors, not text readers see"
    kinds = [guide.kind for guide in response.context["kinds"]]
    assert set(kinds) == set(Source.objects.values_list("kind", flat=True))
    for guide in response.context["kinds"]:
        assert f"<dt>{escape(guide.label[0].upper() + guide.label[1:])}</dt>" in content


def test_sources_are_listed_heaviest_kind_first_then_oldest(client):
    from tests.factories import SourceFactory

    for code, kind, year in (("X9-COPY", "reworded_copy", 2015), ("X9-NEWS-NEW", "local_news", 2020),
                             ("X9-REPORT", "cqc_report", 2019), ("X9-NEWS-OLD", "local_news", 2016),
                             ("X9-PRESS", "cqc_news", 2014)):  # fmt: skip
        SourceFactory(code=code, kind=kind, published=datetime.date(year, 1, 1))
    response, content = every_page_of_sources(client)
    rows = re.findall(r'id="source-(X9-[^"]+)"', content)
    assert rows == ["X9-REPORT", "X9-PRESS", "X9-NEWS-OLD", "X9-NEWS-NEW", "X9-COPY"]
    kinds = [guide.kind for guide in response.context["kinds"]]
    assert [kind for kind in kinds if kind in {"cqc_report", "cqc_news", "local_news", "reworded_copy"}] == [
        "cqc_report", "cqc_news", "local_news", "reworded_copy"]  # fmt: skip


def test_post_to_public_page_is_refused(client, curated_readonly):
    assert client.post("/").status_code == 405


def test_pages_send_strict_content_security_policy(client, curated_readonly):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_trust_page_query_count_is_pinned(client, curated_readonly, django_assert_num_queries):
    # The trust, its inspections, who cites what and the sources, ratings, findings, locations, leaders (8);
    # the share of its kind at each rating (2); the national movements and ages, once per data version (4: trusts,
    # sites, their overall ratings, the data's day), which the line under the headline reads (issue 29).
    with django_assert_num_queries(15):  # 14 and the data version's row (issue 31)
        client.get(reverse("inspections:trust", args=["leicestershire-partnership"]))


def test_grid_says_what_is_known_when_the_latest_entry_is_not_a_rating(client, curated_readonly):
    response = client.get(reverse("inspections:trust", args=["leicestershire-partnership"]))
    content = response.content.decode()
    grid_section = content.split('<section id="current"')[1].split('<section id="timelines"')[0]
    assert "Not inspected (earlier rating stands)" not in grid_section
    assert "Not re-inspected; the rating that stands is not in our sources." in content


def test_grid_names_reports_it_cannot_place_for_want_of_a_publication_date(client, curated_readonly):
    undated = Inspection.objects.filter(trust__provider_id="RT5", published=None).exclude(ratings=None)
    assert undated.exists()
    response = client.get(reverse("inspections:trust", args=["leicestershire-partnership"]))
    grid_section = response.content.decode().split('<section id="current"')[1].split('<section id="timelines"')[0]
    assert "Not reflected in this grid, because our sources give no publication date" in grid_section
    for inspection in undated:
        assert inspection.get_absolute_url() in grid_section


def cite(record, source, passage, kind="note"):
    """Record a citation with its passage and its kind (the factories cite without passages)."""
    values = {record._meta.model_name: record, "source": source, "passage": passage, "passage_kind": kind}
    record.citations.model.objects.create(**values)


@pytest.fixture
def fictional_inspection():
    """A fictional trust's inspection citing a local news story and CQC's report, each with a passage."""
    from tests.factories import FindingFactory, InspectionFactory, RatingFactory, SourceFactory, StatementFactory

    news = SourceFactory(code="X9-NEWS", kind="local_news", publisher="Fictional Valley Gazette",
                         title="Hospital told to improve", url="https://gazette.example/improve")  # fmt: skip
    report = SourceFactory(code="X9-QR", kind="cqc_report", publisher="Care Quality Commission",
                           title="Fictional Valley NHS Trust: inspection report",
                           url="https://www.cqc.org.uk/location/X9AA/reports")  # fmt: skip
    inspection = InspectionFactory(
        trust__provider_id="X9T", trust__slug="fictional-valley", trust__name="Fictional Valley NHS Trust",
        slug="2015-07", sources=[news], editor_note="EDITOR-ONLY-MARKER inspection",
    )  # fmt: skip
    rating = RatingFactory(inspection=inspection, sources=[], editor_note="EDITOR-ONLY-MARKER rating")
    rating.citations.all().delete()
    cite(rating, report, "The trust was rated requires improvement overall.", kind="quote")
    finding = FindingFactory(inspection=inspection, summary="Night shifts were short of nurses.", sources=[])
    finding.citations.all().delete()
    cite(finding, news, "Inspectors found too few nurses on night shifts.")
    statement = StatementFactory(inspection=inspection, sources=[])
    statement.citations.all().delete()
    cite(statement, news, "The chief executive said the trust had more to do.")
    return inspection


def test_inspection_page_shows_each_passage_beside_its_fact(client, fictional_inspection):
    content = client.get(fictional_inspection.get_absolute_url()).content.decode()
    ratings, findings = content.split("<h2>Ratings</h2>")[1].split("<h2>Findings</h2>")
    findings, statements = findings.split("<h2>What people said</h2>")
    assert "<p>The trust was rated requires improvement overall.</p></blockquote>" in ratings
    assert 'Care Quality Commission <span class="kind">(CQC&#x27;s inspection report)</span>' in ratings
    # Our note of a source is never shown as the source's words: no quote element, and said to be ours.
    assert "Inspectors found too few nurses on night shifts." in findings
    assert "<blockquote" not in findings
    assert (
        '<span class="our-note-lead">Our note of this source:</span> Inspectors found too few nurses on night shifts.'
        in findings
    )
    assert 'Fictional Valley Gazette <span class="kind">(a local newspaper or news site)</span>' in findings
    assert "The chief executive said the trust had more to do." in statements.split('<h2 id="sources">')[0]
    assert 'href="/sources/X9-NEWS/"' in findings
    assert "EDITOR-ONLY-MARKER" not in content


def test_inspection_page_names_cqc_report_first(client, fictional_inspection):
    content = client.get(fictional_inspection.get_absolute_url()).content.decode()
    top, rest = content.split("<h2>What it covered</h2>")
    report = "https://www.cqc.org.uk/location/X9AA/reports"
    assert f'<a href="{report}" rel="noopener noreferrer">Read CQC\'s report</a>' in top
    sources = re.findall(r"<li>(.*?)</li>", rest.split('<h2 id="sources">')[1], flags=re.S)
    assert [("Fictional Valley NHS Trust: inspection report" in item, "Hospital told to improve" in item)
            for item in sources] == [(True, False), (False, True)]  # fmt: skip


def test_inspection_report_address_leads_even_without_a_cited_report(client, fictional_inspection):
    fictional_inspection.report_url = "https://vdocuments.mx/fictional-valley-report.html"
    fictional_inspection.save()
    fictional_inspection.ratings.get().citations.all().delete()  # no cited source of kind cqc_report now
    content = client.get(fictional_inspection.get_absolute_url()).content.decode()
    top, rest = content.split("<h2>What it covered</h2>")
    assert 'rel="noopener noreferrer">Read a copy of CQC&#x27;s report, on vdocuments.mx</a>' in top
    assert "Read CQC's report</a>" not in unescape(top)
    first_source = re.search(r"<li>(.*?)</li>", rest.split('<h2 id="sources">')[1], flags=re.S).group(1)
    assert 'href="https://vdocuments.mx/fictional-valley-report.html"' in first_source
    copy_note = '<span class="copy-note">(a copy of CQC&#x27;s report, on vdocuments.mx)'
    assert f"CQC's report on this inspection</a> {copy_note}" in first_source


def test_inspection_page_says_when_cqc_report_address_is_not_held(client):
    from tests.factories import InspectionFactory

    inspection = InspectionFactory(trust__provider_id="X9T", trust__slug="fictional-valley", slug="2016-01")
    content = client.get(inspection.get_absolute_url()).content.decode()
    assert "Read CQC" not in content
    assert "The address of CQC's report on this inspection is not in our sources." in content


def test_trust_inspections_place_undated_reports_by_their_visit(client):
    from tests.factories import InspectionFactory

    for slug, visit, published in (("2016-01", (2015, 10, 5), (2016, 1, 10)), ("undated-visit", (2015, 11, 30), None),
                                   ("2014-03", (2014, 1, 13), (2014, 3, 28)), ("no-dates", None, None)):  # fmt: skip
        day = datetime.date(*visit) if visit else None
        InspectionFactory(trust__provider_id="X9T", trust__slug="fictional-valley", slug=slug, visit_start=day,
                          visit_end=day, published=datetime.date(*published) if published else None)  # fmt: skip
    rows = client.get(reverse("inspections:trust", args=["fictional-valley"])).context["inspection_rows"]
    assert [row.inspection.slug for row in rows] == ["2014-03", "undated-visit", "2016-01", "no-dates"]
    dates = [row.published for row in rows]
    assert dates == ["28 March 2014", "Visited November 2015; publication date not in our sources", "10 January 2016",
                     "Publication date not in our sources"]  # fmt: skip


def test_real_undated_reports_sit_among_the_dated_by_visit(client, curated_readonly):
    tables = {trust.slug: client.get(trust.get_absolute_url()).context["inspection_rows"] for trust in trusts()}
    for slug, rows in tables.items():
        placed = [row.inspection.published or row.inspection.visit_end or row.inspection.visit_start for row in rows]
        assert placed == sorted(placed), slug
    assert (
        tables["leicestershire-partnership"][0].published
        == "Visited July to September 2013; publication date not in our sources"
    )


def test_inspection_and_sources_page_query_counts_are_pinned(client, curated_readonly, django_assert_num_queries):
    with django_assert_num_queries(INSPECTION_PAGE_QUERIES):
        client.get(reverse("inspections:inspection", args=["university-hospitals-leicester", "2024-06"]))
    with django_assert_num_queries(SOURCES_PAGE_QUERIES):
        client.get(reverse("inspections:sources"))


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (((2015, 11, 30), "day"), ((2015, 11, 30), "day"), "Visited November 2015"),
        (((2013, 7, 4), "day"), ((2013, 9, 27), "day"), "Visited July to September 2013"),
        (((2017, 11, 26), "day"), ((2018, 1, 12), "day"), "Visited November 2017 to January 2018"),
        (((2013, 1, 1), "year"), None, "Visited 2013"),
        (((2022, 2, 1), "month"), None, "Visited February 2022"),
        (((2012, 1, 1), "year"), ((2013, 3, 1), "month"), "Visited 2012 to March 2013"),
    ],
)
def test_undated_report_is_described_by_its_visit_at_month_precision_at_most(start, end, expected):
    from inspections.reading.selectors import publication_text

    inspection = Inspection(visit_start=datetime.date(*start[0]), visit_start_precision=start[1])
    if end:
        inspection.visit_end, inspection.visit_end_precision = datetime.date(*end[0]), end[1]
    assert publication_text(inspection) == f"{expected}; publication date not in our sources"


def test_long_lists_on_the_trust_page_start_folded_and_short_ones_open(client, curated_readonly):
    """LPT holds 15 locations, 4 leaders, 15 core services and 37 sources: more than six folds."""
    response = client.get(reverse("inspections:trust", args=["leicestershire-partnership"]))
    content = response.content.decode()
    about = content.split('<section id="about"')[1].split('<section id="sources"')[0]
    assert "<summary>Show the 15 locations</summary>" in about
    assert "people named</summary>" not in about  # four leaders stay open
    sources = content.split('<section id="sources"')[1]
    assert f"<summary>Show the {len(response.context['sources'])} sources</summary>" in sources
    services = next(chart for chart in response.context["subject_charts"] if chart.element_id == "chart-service")
    assert services.summary_folded
    assert f"Show the chart in words ({len(services.summary)} lines)" in content
    assert not response.context["trust_chart"].summary_folded  # six key questions: the trust chart's words stay open
