"""What pages will show of the national record, read by the selectors in a fixed number of queries."""

import datetime

import pytest

from inspections.models import Inspection, Location, Trust
from inspections.reading.selectors.cqc_record import (
    documents_by_inspection,
    inspection_documents,
    site_assessments,
    trust_assessments,
    unread_record,
)
from inspections.reading.selectors.sites import closed_words, site_moves, site_relationships, sites_moved_away
from tests.cqc.conftest import LATER, link, run
from tests.factories import LocationFactory, TrustFactory

pytestmark = pytest.mark.django_db


def site(cqc_id: str) -> Location:
    return Location.objects.select_related("trust").get(cqc_location_id=cqc_id)


def test_a_closed_site_says_so_and_an_open_one_says_nothing(imported):
    assert closed_words(site("ZZ1AC")) == "Closed: deregistered 31 March 2021"
    assert closed_words(site("ZZ1AE")) == ""
    assert closed_words(TrustFactory.build(registration_status="Deregistered")) == (
        "Closed: deregistered (date not given in CQC's data)"
    )


def test_relationships_read_both_ways_and_link_the_sites_held(imported, django_assert_num_queries):
    old, new = site("ZZ1AC"), site("ZZ1AE")
    with django_assert_num_queries(3):
        (replaced,) = site_relationships(new)
    assert (replaced.words, replaced.url, replaced.closed, replaced.reason) == (
        "Replaced Fictional Old Mill Hospital", old.get_absolute_url(), "Closed: deregistered 31 March 2021",
        "Location moved",
    )  # fmt: skip
    with django_assert_num_queries(2):  # it names no site itself: nothing to look up
        (replaced_by,) = site_relationships(old)
    assert (replaced_by.words, replaced_by.url, replaced_by.closed) == (
        "Replaced by Fictional New Mill Hospital", new.get_absolute_url(), "",
    )  # fmt: skip


def test_a_relationship_to_a_site_not_held_names_it_without_a_link():
    location = LocationFactory(cqc_location_id="ZZ8AA")
    location.relationships.create(related_cqc_id="ZZ8ZZ", related_name="Fictional Gone Hospital",
                                  kind="HSCA Predecessor")  # fmt: skip
    (related,) = site_relationships(location)
    assert (related.words, related.url) == ("Replaced Fictional Gone Hospital", "")


def test_a_moved_site_says_where_from_and_its_former_trust_says_where_to(imported, django_assert_num_queries):
    run("--from-dir", str(LATER))
    clinic = site("ZZ1AD")
    with django_assert_num_queries(2):
        (move,) = site_moves(clinic)
    assert move.words == (
        "Moved here from Fictional Valley NHS Trust; CQC's data of 1 December 2026 first listed it under this trust."
    )
    assert move.from_url == Trust.objects.get(provider_id="ZZ1").get_absolute_url()
    valley = Trust.objects.get(provider_id="ZZ1")
    with django_assert_num_queries(1):
        ((moved, words),) = sites_moved_away(valley)
    assert (moved, words) == (clinic, "Fictional Riverside Clinic moved to Fictional Fenland Mental Health NHS "
                                      "Trust; CQC's data of 1 December 2026 first listed it there.")  # fmt: skip


def test_a_report_lists_its_documents(imported, django_assert_num_queries):
    inspections = list(Inspection.objects.filter(trust__provider_id="ZZ1"))
    with django_assert_num_queries(1):
        found = documents_by_inspection(inspections)
    report = Inspection.objects.get(cqc_report_link_id=link(102))
    assert found == {report.pk: inspection_documents(report)}
    (document,) = found[report.pk]
    assert (document.url, document.label) == (
        f"https://api.cqc.org.uk/public/v1/reports/{link(102)}/Use%20of%20Resources", "Use of Resources",
    )  # fmt: skip


def test_a_site_shows_its_assessments_with_scores_and_quality_statements(imported, django_assert_num_queries):
    general = site("ZZ1AA")
    with django_assert_num_queries(3):
        (assessment,) = site_assessments(general)
    assert (assessment.services, assessment.assessed, assessment.published, assessment.rating_label) == (
        "Urgent and emergency care", "3 December 2024", "12 February 2025", "Requires improvement",
    )  # fmt: skip
    assert [score.words for score in assessment.scores] == [
        "Safe: Requires improvement, score 56%", "Effective: Good, score 63%", "Caring: Good",
    ]  # fmt: skip
    assert [s.words for s in assessment.scores[0].statements] == [
        "Learning culture: score 2", "Safe systems, pathways and transitions: score 2", "Safeguarding: score 3",
        "Safe environments: score 3",
    ]  # fmt: skip
    valley = Trust.objects.get(provider_id="ZZ1")
    with django_assert_num_queries(3):
        (same,) = trust_assessments(valley)
    assert same.location_name == "Fictional Valley General Hospital"


def test_a_trust_says_plainly_that_part_of_cqcs_record_could_not_be_read(imported, django_assert_num_queries):
    valley = Trust.objects.get(provider_id="ZZ1")
    with django_assert_num_queries(1):
        unread = unread_record(valley)
    assert unread.count == 1
    assert unread.words == (
        "Part of CQC's record for this trust could not be read when it was last imported (CQC's data of "
        "20 November 2026): 1 part left out or kept as not rated."
    )
    assert unread.problems[0].value == "not scored"
    assert unread_record(Trust.objects.get(provider_id="ZZ2")).words == ""
    assert unread_record(TrustFactory(provider_id="ZZ7")).count == 0
    assert datetime.date(2026, 11, 20) == unread.problems[0].seen
