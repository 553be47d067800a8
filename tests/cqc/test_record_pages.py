"""CQC's record in full, as readers see it on the pages (the fictional sample snapshot, and the same data ten days
on, where a clinic has moved to the other trust): closed and replaced sites, a move, each report's documents, the
newer assessments, a part of the record that could not be read, the default view that never hides today's rating,
and the licence on every page that shows imported data."""

import re
from html import unescape

import pytest
from django.urls import reverse

from inspections.models import Inspection, Location, Source, Trust

OGL = "Open Government Licence v3.0"

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def site(cqc_id: str) -> Location:
    return Location.objects.select_related("trust").get(cqc_location_id=cqc_id)


def test_a_closed_hospital_says_so_on_its_page_in_its_trusts_list_and_in_search_and_its_ratings_stop(
    client, imported_later
):
    old_mill = Location.objects.get(name="Fictional Old Mill Hospital")
    page = client.get(old_mill.get_absolute_url())
    words = text(page)
    assert "Closed: deregistered 31 March 2021" in words
    assert "When it closed, it was rated Requires improvement overall" in words
    assert "Replaced by Fictional New Mill Hospital" in words
    bands = [b for t in page.context["charts"][0].figure["data"] if t["type"] == "bar" for b in t["base"]]
    ends = [
        (base, width)
        for t in page.context["charts"][0].figure["data"]
        if t["type"] == "bar"
        for base, width in zip(t["base"], t["x"], strict=True)
    ]
    assert bands, "the closed site's ratings are drawn until it closed"
    assert "Overall: Requires improvement from August 2017, until it closed in March 2021." in words
    assert max(int(base[:4]) + width / (365.25 * 86_400_000) for base, width in ends) < 2021.3  # not past closing
    trust_page = text(client.get(old_mill.trust.get_absolute_url()))
    assert "Fictional Old Mill Hospital" in trust_page
    assert "Closed: deregistered 31 March 2021" in trust_page
    assert "Closed: deregistered 31 March 2021" in text(client.get("/", {"q": "old mill"}))


def test_the_site_that_replaced_it_names_it_and_links_it(client, imported_later):
    new_mill = Location.objects.get(name="Fictional New Mill Hospital")
    content = client.get(new_mill.get_absolute_url()).content.decode()
    old_mill = Location.objects.get(name="Fictional Old Mill Hospital")
    assert f'<a href="{old_mill.get_absolute_url()}">Replaced Fictional Old Mill Hospital</a>' in content


def test_a_moved_site_says_where_from_and_its_former_trust_says_where_to(client, imported_later):
    clinic = Location.objects.select_related("trust").get(name="Fictional Riverside Clinic")
    words = text(client.get(clinic.get_absolute_url()))
    assert "Moved here from Fictional Valley NHS Trust" in words
    former = Trust.objects.get(provider_id="ZZ1")
    assert f"Fictional Riverside Clinic moved to {clinic.trust.name}" in text(client.get(former.get_absolute_url()))


def test_an_imported_report_links_its_own_documents(client, imported_later):
    inspection = Inspection.objects.filter(documents__isnull=False).select_related("trust").first()
    content = client.get(inspection.get_absolute_url()).content.decode()
    (document,) = inspection.documents.all()
    assert f'<a href="{document.url}"' in content
    assert "CQC's documents for this report" in content
    assert document.url.startswith("https://")


def test_a_site_shows_its_newer_assessment_with_scores_and_quality_statements_folded(client, imported_later):
    assessed = Location.objects.filter(assessments__isnull=False).select_related("trust").first()
    content = client.get(assessed.get_absolute_url()).content.decode()
    section = content.split('<section id="assessments"')[1].split("</section>")[0]
    assert re.search(r"Safe: [A-Za-z ]+, score \d+%", unescape(section))
    assert '<details class="fold"><summary>' in section
    assert re.search(r"[A-Za-z ]+: score [1-4]", unescape(section))


def test_a_trust_says_plainly_that_part_of_its_cqc_record_could_not_be_read(client, imported_later):
    trust = Trust.objects.get(provider_id="ZZ1")
    assert "Part of CQC's record for this trust could not be read when it was last imported" in text(
        client.get(trust.get_absolute_url())
    )


def test_a_trust_rated_after_2024_shows_that_rating_in_its_default_view(client, imported_later):
    """The default view runs to the latest year with a report, so its chart, text twin and table never end before
    the rating that stands now; the years 2015 to 2024 stay one click away, and say what they leave out."""
    trust = Trust.objects.get(provider_id="ZZ1")
    page = client.get(trust.get_absolute_url()).context
    headline, chart = page["standing"], page["trust_chart"]
    assert headline.confirmed.published.year >= 2025
    assert chart.window.to_year >= headline.confirmed.published.year
    assert any(change.event is headline.confirmed for change in chart.table)
    assert headline.value_label.lower() in chart.summary[0].lower()
    assert ("Years (2015 to 2024)", "?from=2015&to=2024") in page["window_choice"].links
    seed_view = client.get(trust.get_absolute_url(), {"from": "2015", "to": "2024"})
    assert "This view ends in 2024, so it leaves out" in text(seed_view)


def test_every_page_type_showing_imported_data_carries_the_licence(client, imported_later):
    trust = Trust.objects.get(provider_id="ZZ1")
    location = site("ZZ1AA")
    inspection = Inspection.objects.filter(trust=trust).first()
    source = Source.objects.filter(code__startswith="CQC-API-").first()
    pages = [
        "/",
        "/?q=fictional",
        trust.get_absolute_url(),
        location.get_absolute_url(),
        inspection.get_absolute_url(),
        reverse("inspections:compare") + "?" + "&".join(f"trust={t.slug}" for t in Trust.objects.all()),
        reverse("inspections:sources"),
        source.get_absolute_url(),
        reverse("inspections:national"),
    ]
    answers = {page: client.get(page) for page in pages}
    assert {page: answer.status_code for page, answer in answers.items()} == dict.fromkeys(pages, 200)
    assert [page for page, answer in answers.items() if OGL not in answer.content.decode()] == []
