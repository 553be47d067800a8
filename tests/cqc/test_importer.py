"""Importing snapshots into the database: what is created, the carry-forward rule, merges and failures."""

import datetime

import pytest
from django.core.management import CommandError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from inspections.cqc import importer
from inspections.cqc.errors import CqcDataError
from inspections.domain.codes import Origin
from inspections.domain.dates import DatePrecision
from inspections.models import Disagreement, ImportProblem, Inspection, Location, Rating, RatingSource, Source, Trust
from tests.cqc.conftest import SAMPLE, edit_json, link, run
from tests.factories import InspectionFactory, RatingFactory, SourceFactory, TrustFactory

WRITES = ("INSERT", "UPDATE", "DELETE")
RUNS = "inspections_refreshrun"  # every run is recorded, so a refresh can start where the last one ended


def data_writes(queries) -> list[str]:
    """The SQL that wrote to the record (the run's own bookkeeping aside)."""
    return [q["sql"] for q in queries.captured_queries
            if q["sql"].lstrip().upper().startswith(WRITES) and RUNS not in q["sql"]]  # fmt: skip


pytestmark = pytest.mark.django_db


def test_import_adds_the_sample_trusts_locations_reports_and_ratings():
    out, err = run("--from-dir", str(SAMPLE))
    assert "Imported 2 of 2 providers" in out
    assert "'Insufficient evidence to rate' is off the rating scale" in err
    trust = Trust.objects.get(provider_id="ZZ1")
    assert (trust.name, trust.slug, trust.kind, trust.origin) == (
        "Fictional Valley NHS Trust", "fictional-valley-nhs-trust", "acute", Origin.CQC_API,
    )  # fmt: skip
    assert (trust.region, trust.town, trust.postcode) == ("East Midlands", "Fictionton", "ZZ1 1ZZ")
    assert sorted(trust.locations.values_list("cqc_location_id", flat=True)) == [
        "ZZ1AA", "ZZ1AB", "ZZ1AC", "ZZ1AD", "ZZ1AE",
    ]  # fmt: skip
    assert Inspection.objects.filter(trust=trust).count() == 9
    assert Rating.objects.filter(inspection__trust=trust).count() == 70
    assert Rating.objects.filter(inspection__trust__provider_id="ZZ2", inherited_from="").count() == 26
    assert Rating.objects.filter(inspection__trust__provider_id="ZZ2", inherited_from="ZZ3AA").count() == 32


def test_import_keeps_report_ids_addresses_and_dates():
    run("--from-dir", str(SAMPLE))
    inspection = Inspection.objects.get(cqc_report_link_id=link(113))
    assert inspection.trust.provider_id == "ZZ1"
    assert inspection.published == datetime.date(2023, 9, 14)
    assert inspection.visit_start == datetime.date(2023, 6, 5)
    assert inspection.report_url == f"https://api.cqc.org.uk/public/v1/reports/{link(113)}"
    assert inspection.title == "CQC report on Fictional Valley General Hospital, 14 September 2023"
    assert inspection.scope == "CQC location report"
    assert list(inspection.sources.values_list("code", flat=True)) == ["CQC-API-ZZ1AA"]
    assert Inspection.objects.get(cqc_report_link_id=link(101)).scope == "CQC report (type not given)"


def test_import_cites_a_cqc_data_source_for_every_rating():
    run("--from-dir", str(SAMPLE))
    source = Source.objects.get(code="CQC-API-ZZ1")
    assert (source.kind, source.publisher, source.url, source.retrieved) == (
        "cqc_data", "Care Quality Commission", "https://www.cqc.org.uk/provider/ZZ1", datetime.date(2026, 11, 20),
    )  # fmt: skip
    assert not Rating.objects.filter(citations__isnull=True).exists()
    citation = RatingSource.objects.get(
        rating__inspection__cqc_report_link_id=link(103), rating__scope="trust", rating__key_question="safe"
    )
    assert (citation.source.code, citation.passage) == ("CQC-API-ZZ1", 'Safe: "Requires improvement"')


def test_import_stores_a_carried_forward_rating_once_at_the_report_that_set_it():
    run("--from-dir", str(SAMPLE))
    effective = Rating.objects.filter(location__cqc_location_id="ZZ1AA", scope="location", key_question="effective")
    assert [r.inspection.cqc_report_link_id for r in effective] == [link(111)]
    safe = Rating.objects.get(inspection__cqc_report_link_id=link(103), scope="trust", key_question="safe")
    assert (safe.value, safe.previous_value) == ("requires_improvement", "good")


def test_import_twice_writes_nothing_the_second_time():
    run("--from-dir", str(SAMPLE))
    with CaptureQueriesContext(connection) as queries:
        out, _ = run("--from-dir", str(SAMPLE))
    assert "(2 unchanged)" in out
    assert data_writes(queries) == []


def test_import_updates_only_what_changed(sample):
    run("--from-dir", str(sample))
    edit_json(sample / "locations" / "ZZ1AB.json", lambda body: body.update(postalCode="ZZ1 9ZZ"))
    out, _ = run("--from-dir", str(sample), "-v", "2")
    assert "ZZ1: created nothing; updated 1 Location" in out
    assert "ZZ2: unchanged" in out
    assert Location.objects.get(cqc_location_id="ZZ1AB").postcode == "ZZ1 9ZZ"


def test_a_broken_provider_file_is_named_and_the_others_import(sample):
    (sample / "providers" / "ZZ2.json").write_text('{"providerId": "ZZ2", "name": ')
    with pytest.raises(CommandError, match=r"1 provider\(s\) failed(.|\n)*provider ZZ2 \(.*ZZ2.json\): response is"):
        run("--from-dir", str(sample))
    assert Trust.objects.filter(provider_id="ZZ1").exists()
    assert not Trust.objects.filter(provider_id="ZZ2").exists()


def test_a_provider_that_fails_while_writing_leaves_nothing_behind(sample, monkeypatch):
    def fail(ctx, ratings):
        raise CqcDataError("simulated failure after the ratings were written", record=ctx.record)

    monkeypatch.setattr(importer, "plan_citations", fail)
    with pytest.raises(CommandError, match="provider ZZ1: simulated failure"):
        run("--from-dir", str(sample), "--provider", "ZZ1")
    assert not Trust.objects.exists()
    assert not Source.objects.exists()
    assert not Rating.objects.exists()


def test_a_database_error_fails_only_that_provider(sample, monkeypatch):
    original = importer.plan_citations

    def refuse_zz1(ctx, ratings):
        if ctx.provider_id == "ZZ1":
            raise IntegrityError("simulated unique violation")
        original(ctx, ratings)

    monkeypatch.setattr(importer, "plan_citations", refuse_zz1)
    with pytest.raises(CommandError, match="provider ZZ1: the database refused the data"):
        run("--from-dir", str(sample))
    assert list(Trust.objects.values_list("provider_id", flat=True)) == ["ZZ2"]


def test_an_overlong_name_is_cut_to_fit_and_said(sample):
    edit_json(sample / "providers" / "ZZ2.json", lambda body: body.update(name="Fictional " + "very " * 60 + "long"))
    _, err = run("--from-dir", str(sample))
    name = Trust.objects.get(provider_id="ZZ2").name
    assert (len(name), name[:14], name[-3:]) == (200, "Fictional very", "...")
    assert "provider ZZ2 (providers/ZZ2.json), name = 'Fictional very" in err
    assert "longer than 200 characters; cut to fit" in err


def test_problems_are_stored_for_the_trust_and_replaced_at_each_import(sample):
    run("--from-dir", str(sample))
    problem = ImportProblem.objects.get(trust__provider_id="ZZ1")
    assert (problem.record, problem.field, problem.value, problem.message, problem.seen) == (
        "provider ZZ1, location ZZ1AA (locations/ZZ1AA.json)",
        "assessment[0].ratings.asgRatings[0].keyQuestionRatings[2].percengtageScore",
        "not scored",
        "not a percentage from 0 to 100; kept as no score",
        datetime.date(2026, 11, 20),
    )
    edit_json(
        sample / "providers" / "ZZ1.json", lambda body: body["historicRatings"][0].update(reportDate="2023-02-30")
    )
    run("--from-dir", str(sample))
    assert sorted(ImportProblem.objects.values_list("field", flat=True)) == [
        "assessment[0].ratings.asgRatings[0].keyQuestionRatings[2].percengtageScore",
        "historicRatings[0].reportDate",
    ]
    edit_json(
        sample / "providers" / "ZZ1.json", lambda body: body["historicRatings"][0].update(reportDate="2023-09-14")
    )
    edit_json(sample / "locations" / "ZZ1AA.json", lambda body: body.pop("assessment"))
    run("--from-dir", str(sample))
    assert not ImportProblem.objects.exists()


@pytest.fixture
def curated_zz1():
    """A curated record of the fictional trust ZZ1, with one report CQC also lists (published June 2019)."""
    source = SourceFactory(code="TEST-CURATED")
    trust = TrustFactory(provider_id="ZZ1", slug="valley", name="Fictional Valley NHS Trust (our name)", kind="acute")
    inspection = InspectionFactory(
        trust=trust, slug="2019-06", published=datetime.date(2019, 6, 1), published_precision=DatePrecision.MONTH,
        visit_start=datetime.date(2019, 3, 11), visit_end=datetime.date(2019, 3, 15), sources=[source],
    )  # fmt: skip
    RatingFactory(inspection=inspection, key_question="safe", value="requires_improvement", sources=[source])
    RatingFactory(inspection=inspection, key_question="overall", value="good", sources=[source])
    return inspection


def test_import_never_changes_curated_records_and_records_disagreements(curated_zz1):
    _, err = run("--from-dir", str(SAMPLE), "--provider", "ZZ1")
    trust = Trust.objects.get(provider_id="ZZ1")
    assert (trust.name, trust.slug, trust.origin) == ("Fictional Valley NHS Trust (our name)", "valley", "curated")
    assert not Inspection.objects.filter(cqc_report_link_id=link(102)).exists()
    curated_safe = Rating.objects.get(inspection=curated_zz1, scope="trust", key_question="safe")
    assert (curated_safe.value, curated_safe.origin) == ("requires_improvement", "curated")
    (disagreement,) = Disagreement.objects.all()
    assert (disagreement.rating, disagreement.source.code, disagreement.value) == (curated_safe, "CQC-API-ZZ1", "good")
    assert 'CQC gives Safe: "Good" where our curated rating' in err
    attached = Rating.objects.get(inspection=curated_zz1, scope="trust", key_question="well_led")
    assert (attached.value, attached.origin) == ("good", "cqc_api")
    assert Rating.objects.get(inspection=curated_zz1, scope="trust", key_question="overall").origin == "curated"
    assert Rating.objects.filter(inspection=curated_zz1, location__cqc_location_id="ZZ1AB").exists()
    assert list(curated_zz1.sources.values_list("code", flat=True)) == ["TEST-CURATED"]


def test_import_into_curated_trust_twice_writes_nothing(curated_zz1):
    run("--from-dir", str(SAMPLE), "--provider", "ZZ1")
    with CaptureQueriesContext(connection) as queries:
        run("--from-dir", str(SAMPLE), "--provider", "ZZ1")
    assert data_writes(queries) == []


def test_a_curated_site_of_another_trust_stays_there_and_the_rest_imports(sample):
    TrustFactory(provider_id="ZZ9", slug="other", name="Fictional Other NHS Trust")
    Location.objects.create(trust=Trust.objects.get(provider_id="ZZ9"), slug="x", name="X", cqc_location_id="ZZ1AA")
    _, err = run("--from-dir", str(sample), "--provider", "ZZ1")
    assert Location.objects.get(cqc_location_id="ZZ1AA").trust.provider_id == "ZZ9"
    assert "provider ZZ1, location ZZ1AA, locationIds = 'ZZ1AA': a curated site of Fictional Other NHS Trust" in err
    assert Trust.objects.get(provider_id="ZZ1").locations.count() == 4
    assert not Rating.objects.filter(inspection__trust__provider_id="ZZ1", location__cqc_location_id="ZZ1AA").exists()


def test_imported_trusts_have_working_pages_timelines_and_csv(client):
    run("--from-dir", str(SAMPLE))
    trust = Trust.objects.get(provider_id="ZZ1")
    page = client.get(trust.get_absolute_url())
    assert page.status_code == 200
    assert b"Fictional Valley NHS Trust" in page.content
    csv = b"".join(client.get(f"{trust.get_absolute_url()}ratings.csv").streaming_content).decode()
    assert "service,Maternity at Fictional Valley General Hospital,effective,insufficient_evidence" in csv
    inspection = Inspection.objects.get(cqc_report_link_id=link(103))
    assert client.get(inspection.get_absolute_url()).status_code == 200


def test_an_imported_site_shows_its_town_and_postcode_once(client):
    run("--from-dir", str(SAMPLE))
    location = Location.objects.get(cqc_location_id="ZZ1AA")
    assert (location.address, location.town) == ("2 Imaginary Lane", "Fictionton")
    assert client.get(location.get_absolute_url()).context["address"] == ["2 Imaginary Lane", "Fictionton", "ZZ1 2ZZ"]


def test_a_disagreement_shows_under_where_sources_disagree(curated_zz1, client):
    run("--from-dir", str(SAMPLE), "--provider", "ZZ1")
    content = client.get(curated_zz1.get_absolute_url()).content.decode()
    assert "Where sources disagree" in content
    assert "CQC&#x27;s published ratings data" in content
    assert "gives Good for Whole trust, Safe; we show Requires improvement" in content
