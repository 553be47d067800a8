"""Mapping CQC JSON to records: the carry-forward rule, previous values, odd words, missing fields."""

import copy
import datetime
import json
from pathlib import Path

import pytest

from inspections.cqc.errors import CqcDataError
from inspections.cqc.mapping import SAME_AS_BEFORE, map_provider, trust_kind
from inspections.cqc.snapshot import SnapshotFeed
from inspections.domain.subjects import TRUST, at_location, service

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "cqc_sample"


def link(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


@pytest.fixture(scope="module")
def zz1():
    data = SnapshotFeed(SAMPLE).fetch("ZZ1")
    return data.provider, data.locations


def ratings_of(records, subject, question):
    return [(r.report_link_id, r.value, r.previous_value) for r in records.ratings
            if r.subject == subject and r.key_question == question]  # fmt: skip


def test_mapping_reads_trust_and_locations(zz1):
    records = map_provider("ZZ1", *zz1)
    assert records.trust.name == "Fictional Valley NHS Trust"
    assert records.trust.kind == "acute"
    assert (records.trust.town, records.trust.postcode) == ("Fictionton", "ZZ1 1ZZ")
    assert [loc.location_id for loc in records.locations] == ["ZZ1AA", "ZZ1AB"]
    assert records.reports[link(101)].published == datetime.date(2016, 3, 10)
    assert records.reports[link(101)].first_visit == datetime.date(2015, 11, 2)
    assert records.reports[link(113)].record_id == "ZZ1AA"


def test_mapping_stores_a_carried_forward_key_question_once_against_the_report_that_set_it(zz1):
    records = map_provider("ZZ1", *zz1)
    effective = ratings_of(records, at_location("ZZ1AA"), "effective")
    assert effective == [(link(111), "good", "")]


def test_mapping_takes_previous_values_from_the_history(zz1):
    records = map_provider("ZZ1", *zz1)
    assert ratings_of(records, TRUST, "safe") == [
        (link(101), "requires_improvement", ""),
        (link(102), "good", "requires_improvement"),
        (link(103), "requires_improvement", "good"),
    ]


def test_mapping_does_not_repeat_a_historic_rating_equal_to_the_one_in_force():
    provider = {
        "providerId": "ZZ9",
        "name": "Fictional Repeat NHS Trust",
        "historicRatings": [
            {"reportLinkId": "a", "reportDate": "2016-01-01",
             "overall": {"rating": "Good", "keyQuestionRatings": [{"name": "Safe", "rating": "Good"}]}},
            {"reportLinkId": "b", "reportDate": "2018-01-01",
             "overall": {"rating": "Good", "keyQuestionRatings": [{"name": "Safe", "rating": "Good"}]}},
        ],
    }  # fmt: skip
    records = map_provider("ZZ9", provider, {})
    assert ratings_of(records, TRUST, "safe") == [("a", "good", "")]
    overall = [r for r in records.ratings if r.key_question == "overall"]
    assert [(r.report_link_id, r.note) for r in overall] == [("a", ""), ("b", SAME_AS_BEFORE)]


def test_mapping_keeps_off_scale_words_with_a_warning(zz1):
    records = map_provider("ZZ1", *zz1)
    maternity = service("maternity", "ZZ1AA")
    (rating,) = [r for r in records.ratings if r.subject == maternity and r.key_question == "effective"]
    assert rating.value == "insufficient_evidence"
    assert rating.note == 'CQC gives "Insufficient evidence to rate".'
    assert any("'Insufficient evidence to rate' is off the rating scale" in w for w in records.warnings)


def test_mapping_keeps_an_unknown_rating_word_as_not_rated_and_quotes_it(zz1):
    provider, locations = copy.deepcopy(zz1)
    provider["currentRatings"]["overall"]["keyQuestionRatings"][0]["rating"] = "Under review"
    records = map_provider("ZZ1", provider, locations)
    (rating,) = [r for r in records.ratings if r.subject == TRUST and r.report_link_id == link(103)
                 and r.key_question == "safe"]  # fmt: skip
    assert rating.value == "not_rated"
    assert "Under review" in rating.note
    assert any("unknown rating word 'Under review'" in w for w in records.warnings)


def test_mapping_warns_about_an_unknown_key_question_and_stores_nothing_for_it(zz1):
    provider, locations = copy.deepcopy(zz1)
    provider["currentRatings"]["overall"]["keyQuestionRatings"][0]["name"] = "Kind"
    records = map_provider("ZZ1", provider, locations)
    assert any("unknown key question 'Kind'" in w for w in records.warnings)


def test_mapping_creates_a_report_named_only_by_a_rating(zz1):
    provider, locations = copy.deepcopy(zz1)
    provider["reports"] = []
    records = map_provider("ZZ1", provider, locations)
    assert records.reports[link(101)].published == datetime.date(2016, 3, 10)
    assert records.reports[link(101)].report_uri == ""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p, loc: p.update(providerId="ZZ7"), "provider ZZ1: body has providerId 'ZZ7'"),
        (lambda p, loc: p.pop("name"), "provider ZZ1: provider has no name"),
        (
            lambda p, loc: p["currentRatings"]["overall"].pop("reportLinkId"),
            "provider ZZ1: currentRatings.overall has no",
        ),
        (lambda p, loc: p["historicRatings"][0].update(reportDate="last spring"), "'last spring', not a date"),
        (lambda p, loc: p.update(reports={"linkId": "x"}), "provider ZZ1: 'reports' is not a list"),
        (lambda p, loc: loc["ZZ1AA"].update(providerId="ZZ2"), "location ZZ1AA: location belongs to provider 'ZZ2'"),
        (lambda p, loc: loc["ZZ1AB"].pop("name"), "location ZZ1AB: location has no name"),
        (lambda p, loc: loc["ZZ1AA"]["currentRatings"]["serviceRatings"][0].pop("name"), "location ZZ1AA: a current"),
    ],
)
def test_mapping_refuses_malformed_data_naming_the_record(zz1, change, message):
    provider, locations = copy.deepcopy(zz1)
    change(provider, locations)
    with pytest.raises(CqcDataError, match=message):
        map_provider("ZZ1", provider, locations)


def test_mapping_accepts_a_provider_with_no_ratings_yet():
    records = map_provider("ZZ8", {"providerId": "ZZ8", "name": "Fictional New NHS Trust"}, {})
    assert (records.ratings, records.reports, records.warnings) == ([], {}, [])
    assert records.trust.kind == "other"


@pytest.mark.parametrize(
    ("names", "kind"),
    [
        (["Acute hospital - NHS non-specialist"], "acute"),
        (["Mental health - community & hospital based", "Community health - NHS & Independent"],
         "mental_health_community"),
        (["Mental health - community & hospital based"], "mental_health"),
        (["Ambulance service"], "ambulance"),
        ([], "other"),
    ],
)  # fmt: skip
def test_trust_kind_from_inspection_categories(names, kind):
    assert trust_kind({"inspectionCategories": [{"name": name} for name in names]}) == kind


def test_sample_snapshot_is_fictional():
    for path in SAMPLE.glob("*/*.json"):
        body = json.loads(path.read_text())
        assert path.stem.startswith("ZZ")
        assert body["name"].startswith("Fictional")
