"""The rest of CQC's record: use of resources, each report's documents, closed and moved sites, relationships,
coordinates, assessments with scores, and the order of reports published on the same day."""

import datetime
import json
import re
import shutil

import pytest

from inspections.cqc.mapping import absolute_address, map_provider
from inspections.domain import standing
from inspections.domain.subjects import TRUST
from inspections.models import (
    Assessment,
    Inspection,
    Location,
    LocationMove,
    LocationRelationship,
    Rating,
    RatingSource,
    RefreshRun,
    ReportDocument,
    Trust,
)
from tests.cqc.conftest import SAMPLE, link, run

UTC = datetime.UTC


# Use of resources ---------------------------------------------------------------------------------


def test_use_of_resources_is_stored_for_the_whole_trust_with_its_source(imported):
    ratings = Rating.objects.filter(key_question__in=["use_of_resources", "combined_quality_and_resources"])
    assert sorted(ratings.values_list("inspection__cqc_report_link_id", "scope", "key_question", "value")) == [
        (link(102), "trust", "combined_quality_and_resources", "requires_improvement"),
        (link(102), "trust", "use_of_resources", "requires_improvement"),
    ]
    citation = RatingSource.objects.get(rating__key_question="use_of_resources")
    assert (citation.source.code, citation.passage) == ("CQC-API-ZZ1", 'Use of resources: "Requires improvement"')


def _provider(**overall):
    return {
        "providerId": "ZZ9",
        "name": "Fictional Resources NHS Trust",
        "historicRatings": [
            {"reportLinkId": "a", "reportDate": "2018-01-01",
             "overall": {"rating": "Good", "useOfResources": {"useOfResourcesRating": "Good"}}},
            {"reportLinkId": "b", "reportDate": "2019-01-01", "overall": {"rating": "Good", **overall}},
        ],
    }  # fmt: skip


def test_use_of_resources_given_as_a_rating_word_is_read_with_its_previous_value():
    records = map_provider("ZZ9", _provider(useOfResources="Requires improvement"), {})
    found = [(r.report_link_id, r.value, r.previous_value) for r in records.ratings if r.key_question ==
             "use_of_resources"]  # fmt: skip
    assert found == [("a", "good", ""), ("b", "requires_improvement", "good")]


def test_use_of_resources_given_as_other_text_is_a_problem_not_a_rating():
    records = map_provider("ZZ9", _provider(useOfResources="See the report"), {})
    assert [r.report_link_id for r in records.ratings if r.key_question == "use_of_resources"] == ["a"]
    (problem,) = records.problems
    assert (problem.field, problem.value) == ("historicRatings[1].overall.useOfResources", "See the report")


def test_use_of_resources_of_a_site_is_not_stored():
    location = {"locationId": "ZZ9AA", "name": "Fictional Site", "currentRatings": {"overall": {
        "rating": "Good", "reportDate": "2019-01-01", "reportLinkId": "c",
        "useOfResources": {"useOfResourcesRating": "Good"}}}}  # fmt: skip
    records = map_provider("ZZ9", {"providerId": "ZZ9", "name": "Fictional NHS Trust"}, {"ZZ9AA": location})
    assert {r.key_question for r in records.ratings} == {"overall"}
    assert "use of resources is rated for a whole trust only" in records.problems[0].message


# Each report's documents ----------------------------------------------------------------------------


def test_each_report_keeps_its_own_address_and_documents(imported):
    inspection = Inspection.objects.get(cqc_report_link_id=link(102))
    assert inspection.report_url == f"https://api.cqc.org.uk/public/v1/reports/{link(102)}"
    (document,) = ReportDocument.objects.filter(inspection=inspection)
    assert (document.url, document.kind, document.origin) == (
        f"https://api.cqc.org.uk/public/v1/reports/{link(102)}/Use%20of%20Resources", "Use of Resources", "cqc_api",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("uri", "address"),
    [
        ("/reports/abc", "https://api.cqc.org.uk/public/v1/reports/abc"),
        ("reports/abc/Use of Resources", "https://api.cqc.org.uk/public/v1/reports/abc/Use%20of%20Resources"),
        ("http://www.cqc.org.uk/location/X/reports", "https://www.cqc.org.uk/location/X/reports"),
        ("//api.cqc.org.uk/public/v1/reports/abc", "https://api.cqc.org.uk/public/v1/reports/abc"),
        ("https://example.com/reports/abc", None),
        ("javascript:alert(1)", None),
        ("/reports/" + "x" * 500, None),
    ],
)
def test_report_addresses_are_made_absolute_on_cqc_org_uk_only(uri, address):
    assert absolute_address(uri) == address


# Closed, merged and moved sites -------------------------------------------------------------------


def test_registration_and_coordinates_are_stored_for_trusts_and_sites(imported):
    trust = Trust.objects.get(provider_id="ZZ1")
    assert (trust.registration_status, trust.deregistration_date, trust.latitude, trust.longitude) == (
        "Registered", None, 52.6312, -1.1298,
    )  # fmt: skip
    closed = Location.objects.get(cqc_location_id="ZZ1AC")
    assert (closed.registration_status, closed.deregistration_date, closed.is_closed) == (
        "Deregistered", datetime.date(2021, 3, 31), True,
    )  # fmt: skip
    assert not Location.objects.get(cqc_location_id="ZZ1AE").is_closed


def test_a_successor_names_the_site_it_replaced(imported):
    (relationship,) = LocationRelationship.objects.filter(location__cqc_location_id="ZZ1AE")
    assert (relationship.location.cqc_location_id, relationship.related_cqc_id, relationship.related_name,
            relationship.kind, relationship.reason) == (
        "ZZ1AE", "ZZ1AC", "Fictional Old Mill Hospital", "HSCA Predecessor", "Location moved",
    )  # fmt: skip


def test_a_site_that_moves_to_another_trust_takes_its_history_and_says_so(imported):
    clinic = Location.objects.get(cqc_location_id="ZZ1AD")
    ratings_before = set(clinic.ratings.values_list("pk", flat=True))
    out, _ = run("--from-dir", str(SAMPLE / "later"))
    assert "moved: provider ZZ2: site Fictional Riverside Clinic (ZZ1AD) moved here from Fictional Valley NHS " \
           "Trust (ZZ1) with its history" in out  # fmt: skip
    clinic.refresh_from_db()
    assert (clinic.trust.provider_id, clinic.region, clinic.pk) == ("ZZ2", "East", clinic.pk)
    report = Inspection.objects.get(cqc_report_link_id=link(141))
    assert report.trust.provider_id == "ZZ2"
    assert set(clinic.ratings.values_list("pk", flat=True)) == ratings_before
    assert set(report.ratings.values_list("inspection__trust__provider_id", flat=True)) == {"ZZ2"}
    move = LocationMove.objects.get()
    assert (move.location, move.from_provider_id, move.from_trust_name, move.to_provider_id, move.noticed) == (
        clinic, "ZZ1", "Fictional Valley NHS Trust", "ZZ2", datetime.date(2026, 12, 1),
    )  # fmt: skip
    history = Location.history.filter(id=clinic.pk).order_by("history_id").last()
    assert history.history_change_reason.startswith("import_cqc: snapshot ")
    assert history.trust_id == clinic.trust_id

    out, _ = run("--from-dir", str(SAMPLE / "later"), "-v", "2")
    assert "ZZ2: unchanged" in out
    assert "moved" not in out


# Assessments --------------------------------------------------------------------------------------


def test_assessments_are_stored_with_scores_and_quality_statements(imported):
    assessment = Assessment.objects.get()
    assert (assessment.trust.provider_id, assessment.location.cqc_location_id, assessment.plan_id,
            assessment.group_name, assessment.status, assessment.rating, assessment.source.code) == (
        "ZZ1", "ZZ1AA", "ZZ-AP-0001", "Urgent and emergency care", "Published", "requires_improvement",
        "CQC-API-ZZ1AA",
    )  # fmt: skip
    assert assessment.assessed == datetime.date(2024, 12, 3)
    assert assessment.published == datetime.datetime(2025, 2, 12, 9, 30, tzinfo=UTC)
    scores = {s.key_question: s for s in assessment.scores.all()}
    assert {q: (s.rating, s.percentage) for q, s in scores.items()} == {
        "safe": ("requires_improvement", 56), "effective": ("good", 63), "caring": ("good", None),
    }  # fmt: skip
    assert list(scores["safe"].statements.values_list("statement_id", "name", "points")) == [
        (1, "Learning culture", 2), (2, "Safe systems, pathways and transitions", 2), (3, "Safeguarding", 3),
        (5, "Safe environments", 3),
    ]  # fmt: skip


def _assessed(**score):
    statement = {"qualityStatementId": 7, "name": "Fictional statement", "qualityStatementscore": "3"}
    return {"providerId": "ZZ9", "name": "Fictional Assessed NHS Trust", "assessment": [{
        "assessmentPlanPublishedDateTime": "2025-01-02T10:00:00+00:00",
        "ratings": {"asgRatings": [{"assessmentPlanId": "P1", "assessmentDate": "2024-11-05", "rating": "Good",
                                    "keyQuestionRatings": [{"name": "Safe", "rating": "Good", "percengtageScore": "70",
                                                            "topicareas": [{**statement, **score}]}]}]}}]}  # fmt: skip


@pytest.mark.parametrize(
    ("score", "points", "field"),
    [
        ({}, 3, None),
        ({"qualityStatementscore": "5"}, None, "qualityStatementscore"),
        ({"qualityStatementscore": "three"}, None, "qualityStatementscore"),
        ({"qualityStatementscore": 4}, 4, None),
    ],
)
def test_an_odd_quality_statement_score_is_kept_as_nothing_with_a_warning(score, points, field):
    records = map_provider("ZZ9", _assessed(**score), {})
    (assessment,) = records.assessments
    assert assessment.scores[0].statements[0].points == points
    assert [p.field.rsplit(".", 1)[1] for p in records.problems] == ([field] if field else [])


def test_an_assessment_with_no_plan_id_is_skipped_and_named():
    provider = _assessed()
    del provider["assessment"][0]["ratings"]["asgRatings"][0]["assessmentPlanId"]
    records = map_provider("ZZ9", provider, {})
    assert records.assessments == []
    assert records.problems[0].field == "assessment[0].ratings.asgRatings[0].assessmentPlanId"


def test_a_provider_assessment_is_stored_for_the_trust(db):
    from inspections.cqc.importer import import_provider

    import_provider(records=map_provider("ZZ9", _assessed(), {}), retrieved=datetime.date(2026, 11, 1))
    assessment = Assessment.objects.get()
    assert (assessment.trust.provider_id, assessment.location, assessment.source.code) == ("ZZ9", None, "CQC-API-ZZ9")
    assert assessment.scores.get().statements.get().points == 3


# Same-day order -----------------------------------------------------------------------------------


def test_same_day_reports_set_previous_values_in_the_order_the_site_shows_them():
    """The later slug is the later report (domain.standing.report_order): link ids alone would order them the
    other way round ("a-..." before "b-..."), and the previous values stored would disagree with the page."""
    same_day = "2020-05-05"
    provider = {"providerId": "ZZ9", "name": "Fictional Same Day NHS Trust", "historicRatings": [
        {"reportLinkId": "a-00000009", "reportDate": same_day, "overall": {"rating": "Inadequate"}},
        {"reportLinkId": "b-00000001", "reportDate": same_day, "overall": {"rating": "Good"}},
        {"reportLinkId": "c-00000005", "reportDate": "2019-01-01", "overall": {"rating": "Outstanding"}},
    ]}  # fmt: skip
    records = map_provider("ZZ9", provider, {})
    slugs = {link_id: report.slug for link_id, report in records.reports.items()}
    assert slugs["b-00000001"] < slugs["a-00000009"]
    events = [
        standing.RatingEvent(TRUST, "Whole trust", "overall", r.value, r.previous_value, records.reports[
            r.report_link_id].published, "day", slugs[r.report_link_id], "", "", ())
        for r in records.ratings
    ]  # fmt: skip
    shown_before = {change.event.inspection_slug: change.before.value if change.before else ""
                    for change in standing.changes(events)}  # fmt: skip
    assert {slugs[r.report_link_id]: r.previous_value for r in records.ratings} == shown_before
    assert {r.report_link_id: r.previous_value for r in records.ratings}["a-00000009"] == "good"


def test_two_reports_of_a_day_sharing_a_slug_ending_get_longer_slugs():
    provider = {"providerId": "ZZ9", "name": "Fictional NHS Trust", "reports": [
        {"linkId": "first-00000001", "reportDate": "2020-05-05"},
        {"linkId": "second-00000001", "reportDate": "2020-05-05"},
    ]}  # fmt: skip
    records = map_provider("ZZ9", provider, {})
    assert sorted(report.slug for report in records.reports.values()) == [
        "2020-05-05-00000001", "2020-05-05-second-00000001",
    ]  # fmt: skip


def test_a_report_after_2024_sets_the_current_rating(imported):
    overall = Rating.objects.filter(inspection__trust__provider_id="ZZ1", scope="trust", key_question="overall")
    latest = overall.order_by("inspection__published").last()
    assert (latest.inspection.published, latest.value, latest.previous_value) == (
        datetime.date(2025, 11, 20), "good", "requires_improvement",
    )  # fmt: skip


def test_every_import_writes_history_naming_its_run(imported, tmp_path):
    rating = Rating.objects.get(inspection__cqc_report_link_id=link(104), scope="trust", key_question="safe")
    (created,) = rating.history.all()
    assert created.history_type == "+"
    assert re.fullmatch(r"import_cqc: snapshot run \d+ \(.*\)", created.history_change_reason)
    sample = tmp_path / ("snapshot-" + "x" * 90)  # longer than the change reason's column on its own
    shutil.copytree(SAMPLE, sample)
    body = json.loads((sample / "providers" / "ZZ1.json").read_text())
    body["currentRatings"]["overall"]["keyQuestionRatings"][0]["rating"] = "Outstanding"
    (sample / "providers" / "ZZ1.json").write_text(json.dumps(body))
    run("--from-dir", str(sample))
    changed = rating.history.order_by("history_id").last()
    assert (changed.history_type, changed.value) == ("~", "outstanding")
    # The run is named whole however long the directory; the directory's end is kept.
    (run_pk,) = RefreshRun.objects.order_by("-pk").values_list("pk", flat=True)[:1]
    assert changed.history_change_reason.startswith(f"import_cqc: snapshot run {run_pk} (")
    assert changed.history_change_reason.endswith("xxxxxxxxxx)")
    assert len(changed.history_change_reason) <= 100
    assert changed.history_user is None
