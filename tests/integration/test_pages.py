"""Every page answers for each trust in the real fixtures; bad addresses and parameters never cause a 500."""

import csv
import io
import re

import pytest
from django.urls import reverse

from inspections.exports import RATINGS_HEADER as CSV_HEADER
from inspections.models import Inspection, Rating, Source, Trust

pytestmark = pytest.mark.django_db

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
def test_home_sorting_never_fails(client, curated_readonly, sort):
    response = client.get("/", {"sort": sort})
    assert response.status_code == 200


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
        assert context["grid"][0].subject_key == "trust"
        assert context["trust_chart"].figure["data"], f"{trust} has no trust-level trace"
        assert context["data_as_of"]
        content = response.content.decode()
        assert trust.name in content
        assert f"CQC provider id</dt><dd>{trust.provider_id}" in content
        assert 'src="/static/plotly/plotly.min.js"' in content
        # No inline scripts or handlers: code comes from files, data travels as json_script JSON.
        for script in re.findall(r"<script\b[^>]*>", content):
            assert " src=" in script or 'type="application/json"' in script, script
        assert not re.search(r"\son[a-z]+=", content), "inline event handler"
        assert 'id="chart-trust-data" type="application/json"' in content
        for inspection in trust.inspections.all():
            assert inspection.get_absolute_url() in content
        assert all(source.code in content for source in context["sources"])


def test_trust_page_default_window_is_2015_to_2024_and_wider_view_validated(client, curated_readonly):
    url = reverse("inspections:trust", args=["leicestershire-partnership"])
    default = client.get(url).context["trust_chart"].figure["layout"]["xaxis"]["range"]
    assert default == ["2015-01-01", "2024-12-31"]
    wide = client.get(url, {"from": "2013", "to": "2025"})
    assert wide.context["trust_chart"].figure["layout"]["xaxis"]["range"] == ["2013-01-01", "2025-12-31"]
    assert wide.context["full_history"].from_year == 2013
    for bad in ({"from": "x"}, {"from": "2030", "to": "2010"}, {"to": "1"}, {"from": "2015" * 50}):
        response = client.get(url, bad)
        assert response.status_code == 200
        assert response.context["window_ignored"] is True
        assert "were not valid" in response.content.decode()


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
    assert 'href="/sources/#source-SEED-001"' in content
    assert "Dr Paul Lelliott" in content


def test_ratings_csv_has_one_row_per_rating_with_codes_and_partial_dates(client, curated_readonly):
    for trust in trusts():
        response = client.get(reverse("inspections:trust_ratings_csv", args=[trust.slug]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0] == CSV_HEADER
        assert ",".join(rows[0]) == (
            "provider_id,trust,published,visit_start,visit_end,scope,scope_name,key_question,rating,previous_rating,source"
        )
        ratings = Rating.objects.filter(inspection__trust=trust).select_related("inspection")
        assert len(rows) - 1 == ratings.count()
        for row in rows[1:]:
            record = dict(zip(CSV_HEADER, row, strict=True))
            assert record["provider_id"] == trust.provider_id
            assert record["scope"] in {"trust", "service", "location"}
            assert record["key_question"] in {"overall", "safe", "effective", "caring", "responsive", "well_led"}
            assert record["rating"] in dict(Rating._meta.get_field("value").choices)
            assert record["source"], row
            assert re.fullmatch(r"(\d{4}(-\d{2}(-\d{2})?)?)?", record["published"]), row


def test_csv_dates_follow_stored_precision(client, curated_readonly):
    inspection = Inspection.objects.filter(published_precision="month").exclude(ratings=None).first()
    assert inspection is not None, "the fixtures hold a month-only report (LPT February 2019)"
    response = client.get(reverse("inspections:trust_ratings_csv", args=[inspection.trust.slug]))
    rows = [dict(zip(CSV_HEADER, r, strict=True)) for r in csv.reader(io.StringIO(response.content.decode()))][1:]
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


def test_sources_page_lists_every_source_with_what_it_supports(client, curated_readonly):
    response = client.get(reverse("inspections:sources"))
    assert response.status_code == 200
    content = response.content.decode()
    for source in Source.objects.all():
        assert f'id="source-{source.code}"' in content
    # The five starting articles are marked, and come first.
    rows = re.findall(r'id="source-([^"]+)".*?</tr>', content, flags=re.S)
    starting = [code for code in rows if code.startswith("SEED-")]
    assert rows[:5] == starting == [f"SEED-00{n}" for n in range(5)]
    assert content.count("Starting article</span>") == 5


def test_post_to_public_page_is_refused(client, curated_readonly):
    assert client.post("/").status_code == 405


def test_pages_send_strict_content_security_policy(client, curated_readonly):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_trust_page_query_count_is_pinned(client, curated_readonly, django_assert_num_queries):
    with django_assert_num_queries(13):
        client.get(reverse("inspections:trust", args=["leicestershire-partnership"]))


def test_grid_says_what_is_known_when_the_latest_entry_is_not_a_rating(client, curated_readonly):
    response = client.get(reverse("inspections:trust", args=["leicestershire-partnership"]))
    content = response.content.decode()
    assert "Not inspected (earlier rating stands)" not in content.split('id="timelines"')[0]
    assert "Not re-inspected; the rating that stands is not in our sources." in content


def test_grid_names_reports_it_cannot_place_for_want_of_a_publication_date(client, curated_readonly):
    undated = Inspection.objects.filter(trust__provider_id="RT5", published=None).exclude(ratings=None)
    assert undated.exists()
    response = client.get(reverse("inspections:trust", args=["leicestershire-partnership"]))
    grid_section = response.content.decode().split('id="timelines"')[0]
    assert "Not reflected in this grid, because our sources give no publication date" in grid_section
    for inspection in undated:
        assert inspection.get_absolute_url() in grid_section
