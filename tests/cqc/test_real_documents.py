"""CQC's real answers (two trusts, April 2021, tests/data/cqc_real_2021), read as CQC means them: core services by
the names CQC gives their inspection area ids, superseded services with their successors, every rating word CQC
uses, and no warning for "No published rating" that names no report. Where CQC's published schema and its real
documents differ, these documents are the proof."""

import datetime
import json
import shutil
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.models import CoreService, ImportProblem, Inspection, InspectionArea, Rating, Trust
from tests.cqc.conftest import SAMPLE, edit_json, run

REAL = Path(__file__).resolve().parent.parent / "data" / "cqc_real_2021"
DERRIFORD = "RK950"
MARCH_2019 = "25bbafb9-60aa-4ce2-8524-6385b97e18b1"  # Derriford's report of 5 March 2019: inspected, not rated

pytestmark = pytest.mark.django_db


@pytest.fixture
def real():
    return run("--from-dir", str(REAL))


def test_the_real_documents_import_with_each_kind_of_warning_said_once_and_nothing_unread(real):
    out, err = real
    assert "Imported 2 of 2 providers" in out
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(
        "warning: 'Insufficient evidence to rate' is off the rating scale; kept as insufficient_evidence: 9 times, at "
    )
    assert lines[1].startswith(
        "warning: 'Inspected but not rated' is off the rating scale; kept as inspected_not_rated: 7 times, at "
    )
    assert "a word we do not know" not in err
    assert "No published rating" not in err  # 24 entries that name no report: CQC states no rating, no problem
    assert not ImportProblem.objects.exists()


def test_every_warning_is_listed_with_v2(real):
    _, err = run("--from-dir", str(REAL), "-v", "2")
    assert err.count("is off the rating scale") == 16


def test_core_services_take_the_names_cqc_gives_their_area_ids(real):
    services = {s.cqc_area_id: s.name for s in CoreService.objects.exclude(cqc_area_id="")}
    assert services == {
        "care": "Medical care (including older people's care)",
        "childrens": "Services for children & young people",
        "critical": "Critical care",
        "diagnostic": "Diagnostic imaging",
        "life": "End of life care",
        "maternity": "Maternity and gynaecology",
        "medical": "Medical care",
        "npimaternity": "Maternity",
        "npioutpatients": "Outpatients",
        "outpatients": "Outpatients and diagnostic imaging",
        "surgery": "Surgery",
        "urgent": "Urgent and emergency services",
    }
    assert not CoreService.objects.filter(name__in=list(services)).exists()  # no service named by a bare id


def test_a_sites_superseded_areas_say_when_they_ended_and_what_replaced_them(real):
    areas = {
        a.service.cqc_area_id: (a.status, a.end_date, a.superseded_by.cqc_area_id if a.superseded_by else "")
        for a in InspectionArea.objects.filter(location__cqc_location_id=DERRIFORD).select_related("service")
    }
    assert areas["maternity"] == ("Superseded", datetime.date(2018, 8, 15), "npimaternity")
    assert areas["medical"] == ("Superseded", datetime.date(2019, 12, 18), "care")
    assert areas["outpatients"] == ("Superseded", None, "npioutpatients")
    current = sorted(key for key, (status, _, _) in areas.items() if status != "Superseded")
    body = json.loads((REAL / "locations" / f"{DERRIFORD}.json").read_text())
    assert current == sorted(block["name"] for block in body["currentRatings"]["serviceRatings"])
    # At Mount Gould the same "outpatients" is current: a service's status is the site's.
    (mount_gould,) = InspectionArea.objects.filter(location__cqc_location_id="RK901")
    assert (mount_gould.service.cqc_area_id, mount_gould.status) == ("outpatients", "Active (Rated)")


def test_inspected_but_not_rated_is_its_own_state_at_the_report_that_set_no_rating(real):
    found = sorted(
        Rating.objects.filter(inspection__cqc_report_link_id=MARCH_2019).values_list(
            "scope", "service__cqc_area_id", "key_question", "value"
        )
    )
    assert found == [
        ("location", None, "overall", "inspected_not_rated"),
        ("service", "medical", "overall", "inspected_not_rated"),
        ("service", "medical", "safe", "inspected_not_rated"),
        ("service", "medical", "well_led", "inspected_not_rated"),
        ("service", "outpatients", "overall", "inspected_not_rated"),
        ("service", "outpatients", "responsive", "inspected_not_rated"),
        ("service", "outpatients", "well_led", "inspected_not_rated"),
    ]


def test_a_rating_after_one_off_the_scale_replaced_the_rating_on_the_scale_before_it(real):
    """The rating in force before Derriford's December 2019 overall is the 2018 one: the March 2019 report set none."""
    rating = Rating.objects.get(
        inspection__cqc_report_link_id="699f5504-05ba-42b7-b73a-d9b831b53b5f",
        location__cqc_location_id=DERRIFORD,
        scope="location",
        key_question="overall",
    )
    assert rating.previous_value == "requires_improvement"


def test_a_provider_that_gives_no_inspection_categories_takes_the_kind_of_its_sites(real):
    assert dict(Trust.objects.values_list("provider_id", "kind")) == {"RK9": "acute", "RA4": "acute"}


def test_the_real_documents_imported_again_write_nothing(real):
    with CaptureQueriesContext(connection) as queries:
        out, _ = run("--from-dir", str(REAL))
    assert "(2 unchanged)" in out
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert [sql for sql in writes if "refreshrun" not in sql] == []


def test_an_area_id_no_inspection_area_names_is_shown_as_cqcs_code_and_said_once(tmp_path):
    copy = tmp_path / "real"
    shutil.copytree(REAL, copy)
    edit_json(copy / "locations" / f"{DERRIFORD}.json", lambda body: body.pop("inspectionAreas"))
    _, err = run("--from-dir", str(copy), "-v", "2")
    assert CoreService.objects.get(cqc_area_id="life").name == "End of life care"  # named at another site
    assert CoreService.objects.get(cqc_area_id="diagnostic").name == "diagnostic (CQC's code)"
    assert err.count("'diagnostic': an inspection area id that no inspection area names") == 1


# Inherited ratings: the sample's fictional transferred hospital ------------------------------------------------------


def test_a_site_taken_over_in_an_nhs_transfer_keeps_the_ratings_it_inherited():
    run("--from-dir", str(SAMPLE))
    ratings = Rating.objects.filter(location__cqc_location_id="ZZ2AB").select_related("inspection")
    assert {r.inherited_from for r in ratings} == {"ZZ3AA"}
    overall = ratings.get(scope="location", key_question="overall", inspection__published=datetime.date(2021, 5, 20))
    assert overall.value == "good"
    inspection = overall.inspection
    assert (inspection.trust.provider_id, inspection.cqc_report_link_id, inspection.is_inherited) == ("ZZ2", "", True)
    assert inspection.title == (
        "CQC report on Fictional Harbour Hospital (ZZ3AA), 20 May 2021 (ratings Fictional Harbour Hospital inherited)"
    )


def test_a_report_another_trust_holds_gives_the_site_its_inherited_ratings(sample):
    """CQC's data names the predecessor, or another trust holds the report: either way the site keeps its ratings."""
    body = json.loads((sample / "locations" / "ZZ2AB.json").read_text())
    for block in [body["currentRatings"]["overall"], *body["currentRatings"]["serviceRatings"]]:
        block.pop("organisationId", None)
    for item in body["currentRatings"]["overall"]["keyQuestionRatings"]:
        item.pop("organisationId", None)
    body["historicRatings"][0].pop("organisationId")
    (sample / "locations" / "ZZ2AB.json").write_text(json.dumps(body))
    held = {"linkId": "00000000-0000-4000-8000-000000000301", "reportDate": "2021-05-20", "reportUri": "/reports/x"}
    edit_json(sample / "locations" / "ZZ1AE.json", lambda site: site.setdefault("reports", []).append(held))
    run("--from-dir", str(sample), "--provider", "ZZ1")
    run("--from-dir", str(sample), "--provider", "ZZ2")
    holder = Inspection.objects.get(cqc_report_link_id="00000000-0000-4000-8000-000000000301")
    assert holder.trust.provider_id == "ZZ1"
    inherited = Rating.objects.filter(location__cqc_location_id="ZZ2AB", inspection__published=holder.published)
    assert inherited.exists()
    assert {(r.inspection.trust.provider_id, r.inherited_from) for r in inherited} == {("ZZ2", "ZZ3AA")}
