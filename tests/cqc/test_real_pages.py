"""CQC's real answers (tests/data/cqc_real_2021) as readers see them: every site's grid holds exactly the core services
of CQC's current ratings, by name, at CQC's ratings; a superseded service reads as one line with its successor; a
report that inspected and set no rating says so; a site's inherited ratings name the site they came from."""

import csv
import io
import json
import re
from html import unescape

import pytest

from inspections.cqc.vocabulary import rating_value
from inspections.domain.rating_levels import ON_SCALE
from inspections.models import Inspection, Location
from tests.cqc.conftest import SAMPLE, run
from tests.cqc.test_real_documents import DERRIFORD, MARCH_2019, REAL

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def real():
    run("--from-dir", str(REAL))


def _current_services(body: dict) -> dict[str, dict[str, str]]:
    """CQC's current ratings of each core service at a site (overall and each key question it gives), by the name its
    inspection areas give."""
    names = {area["inspectionAreaId"]: area["inspectionAreaName"] for area in body.get("inspectionAreas", [])}
    return {
        names[block["name"]]: {"Overall": str(rating_value(block["rating"])[0])}
        | {item["name"]: str(rating_value(item["rating"])[0]) for item in block.get("keyQuestionRatings", [])}
        for block in body.get("currentRatings", {}).get("serviceRatings", [])
    }


def _grid_services(response) -> dict[str, dict[str, str]]:
    """What the page's grid shows for each core service: each key question's entry, gaps left out."""
    grid = response.context["grid_display"]
    return {
        row.subject_name.rsplit(" at ", 1)[0]: {
            label: cell.event.value for cell in row.cells if cell.event is not None for label in cell.labels
        }
        for row in grid.rows
        if row.subject.is_service
    }


@pytest.mark.parametrize("path", sorted((REAL / "locations").glob("*.json")), ids=lambda path: path.stem)
def test_each_sites_grid_holds_the_services_of_cqcs_current_ratings_at_cqcs_ratings(client, real, path):
    body = json.loads(path.read_text())
    site = Location.objects.get(cqc_location_id=body["locationId"])
    shown, cqc = _grid_services(client.get(site.get_absolute_url())), _current_services(body)
    assert sorted(shown) == sorted(cqc)
    for name, ratings in cqc.items():
        # Every rating CQC gives is shown; where CQC gives none on the scale, the grid may show the latest entry off
        # it that our history holds (e.g. "Insufficient evidence to rate" in 2018), never a rating on the scale.
        assert {q: v for q, v in ratings.items() if v in ON_SCALE} == {
            q: v for q, v in shown[name].items() if v in ON_SCALE
        }
        assert ratings.items() <= shown[name].items(), name


def test_derriford_shows_nine_current_services_by_their_names_with_what_they_replaced(client, real):
    page = client.get(Location.objects.get(cqc_location_id=DERRIFORD).get_absolute_url())
    words = text(page)
    assert sorted(_grid_services(page)) == [
        "Critical care",
        "Diagnostic imaging",
        "End of life care",
        "Maternity",
        "Medical care (including older people's care)",
        "Outpatients",
        "Services for children & young people",
        "Surgery",
        "Urgent and emergency services",
    ]
    assert "Maternity at Derriford Hospital Core service replaced Maternity and gynaecology in August 2018" in words
    assert "replaced Medical care in December 2019" in words
    assert "replaced Outpatients and diagnostic imaging" in words
    for area_id in ("npimaternity", "life", "childrens", "urgent"):
        assert f"{area_id} at Derriford" not in words
    assert "a word we do not know" not in words


def test_a_superseded_service_reads_as_one_line_with_its_successor_with_the_change_marked(client, real):
    page = client.get(Location.objects.get(cqc_location_id=DERRIFORD).get_absolute_url(), {"years": "full"})
    (services,) = [chart for chart in page.context["charts"] if chart.element_id == "chart-service"]
    lines = {change.event.subject_name for change in services.table}
    assert "Maternity at Derriford Hospital" in lines
    assert "Maternity and gynaecology at Derriford Hospital" not in lines
    maternity = [c for c in services.table if c.event.subject_name == "Maternity at Derriford Hospital"]
    assert maternity[0].event.published.year == 2015
    assert maternity[0].description.endswith(
        "(rated as Maternity and gynaecology, which Maternity replaced in August 2018)"
    )
    assert not maternity[-1].event.formerly  # the latest on the line is the successor's own


def test_the_trust_page_grid_holds_only_current_services_too(client, real):
    trust = Location.objects.get(cqc_location_id=DERRIFORD).trust
    words = text(client.get(trust.get_absolute_url()))
    assert "Maternity at Derriford Hospital" in words
    assert "Maternity and gynaecology at Derriford Hospital Core service" not in words


def test_the_report_that_inspected_and_set_no_rating_says_so_and_the_earlier_rating_stands(client, real):
    page = text(client.get(Inspection.objects.get(cqc_report_link_id=MARCH_2019).get_absolute_url()))
    assert "Medical care at Derriford Hospital Overall Inspected but not rated" in page
    assert "a word we do not know" not in page
    site = text(client.get(Location.objects.get(cqc_location_id=DERRIFORD).get_absolute_url(), {"years": "full"}))
    assert "Inspected but not rated; Requires improvement still stands" in site


def test_a_transferred_hospital_names_the_site_its_ratings_came_from_and_links_the_report(client):
    run("--from-dir", str(SAMPLE))
    harbour = Location.objects.get(cqc_location_id="ZZ2AB")
    page = client.get(harbour.get_absolute_url())
    words = text(page)
    assert (
        "Rated Good overall since May 2021, inherited from Fictional Harbour Hospital (CQC location ZZ3AA), "
        "report of 20 May 2021" in words
    )
    inherited = Inspection.objects.get(trust=harbour.trust, inherited_report_link_id__endswith="301")
    assert f'<a href="{inherited.get_absolute_url()}">report of 20 May 2021</a>' in page.content.decode()
    assert "No ratings held" not in words


def test_the_exports_carry_cqcs_area_id_and_whether_a_rating_was_inherited(client, real):
    run("--from-dir", str(SAMPLE))
    rows = list(csv.DictReader(io.StringIO(b"".join(client.get("/ratings.csv").streaming_content).decode())))
    derriford_maternity = {
        row["service_area_id"]
        for row in rows
        if row["location_id"] == DERRIFORD and row["scope"] == "service" and "Maternity" in row["scope_name"]
    }
    assert derriford_maternity == {"maternity", "npimaternity"}
    harbour = [row for row in rows if row["location_id"] == "ZZ2AB"]
    assert {(row["inherited"], row["inherited_from"]) for row in harbour} == {("true", "ZZ3AA")}
    assert {row["inherited"] for row in rows if row["location_id"] == DERRIFORD} == {"false"}
    trust = Location.objects.get(cqc_location_id="ZZ2AB").trust
    api = client.get(f"/api/v1/trusts/{trust.slug}/ratings").json()
    assert {item["inherited"] for item in api["items"] if item["location_id"] == "ZZ2AB"} == {"true"}
