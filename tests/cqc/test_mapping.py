"""Mapping CQC JSON to records: the carry-forward rule, previous values, odd words, missing fields."""

import copy
import datetime
import json

import pytest

from inspections.cqc.errors import CqcDataError
from inspections.cqc.mapping import map_provider
from inspections.cqc.snapshot import SnapshotFeed
from inspections.cqc.stated_ratings import SAME_AS_BEFORE
from inspections.cqc.vocabulary import trust_kind
from inspections.domain.subjects import TRUST, at_location, service
from tests.cqc.conftest import SAMPLE, link


@pytest.fixture(scope="module")
def zz1():
    data = SnapshotFeed(SAMPLE).fetch("ZZ1")
    return data.provider, data.locations


def new_problems(records, before):
    """The problems a change brought, beside those the sample has anyway (an assessment score given as text)."""
    return [problem for problem in records.problems if problem not in before.problems]


def ratings_of(records, subject, question):
    return [(r.report_link_id, r.value, r.previous_value) for r in records.ratings
            if r.subject == subject and r.key_question == question]  # fmt: skip


def test_mapping_reads_trust_and_locations(zz1):
    records = map_provider("ZZ1", *zz1)
    assert records.trust.name == "Fictional Valley NHS Trust"
    assert records.trust.kind == "acute"
    assert (records.trust.town, records.trust.postcode) == ("Fictionton", "ZZ1 1ZZ")
    assert [loc.location_id for loc in records.locations] == ["ZZ1AA", "ZZ1AB", "ZZ1AC", "ZZ1AD", "ZZ1AE"]
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
        (link(104), "good", "requires_improvement"),
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
    assert any("'Insufficient evidence to rate' is off the rating scale" in str(w) for w in records.warnings)


def test_mapping_keeps_an_unknown_rating_word_as_not_rated_and_quotes_it(zz1):
    provider, locations = copy.deepcopy(zz1)
    provider["currentRatings"]["overall"]["keyQuestionRatings"][0]["rating"] = "Under review"
    records = map_provider("ZZ1", provider, locations)
    (rating,) = [r for r in records.ratings if r.subject == TRUST and r.report_link_id == link(104)
                 and r.key_question == "safe"]  # fmt: skip
    assert rating.value == "not_rated"
    assert "Under review" in rating.note
    (problem,) = new_problems(records, map_provider("ZZ1", *zz1))
    assert str(problem) == (
        "provider ZZ1 (providers/ZZ1.json), currentRatings.overall.keyQuestionRatings[0].rating = 'Under review': "
        "unknown rating word; kept as not rated with the word in the note"
    )


def test_mapping_names_an_unknown_key_question_and_stores_nothing_for_it(zz1):
    provider, locations = copy.deepcopy(zz1)
    provider["currentRatings"]["overall"]["keyQuestionRatings"][0]["name"] = "Kind"
    records = map_provider("ZZ1", provider, locations)
    (problem,) = new_problems(records, map_provider("ZZ1", *zz1))
    assert (problem.field, problem.value, problem.message) == (
        "currentRatings.overall.keyQuestionRatings[0].name", "Kind", "unknown key question; its rating not stored",
    )  # fmt: skip


def test_mapping_creates_a_report_named_only_by_a_rating(zz1):
    provider, locations = copy.deepcopy(zz1)
    provider["reports"] = []
    records = map_provider("ZZ1", provider, locations)
    assert records.reports[link(101)].published == datetime.date(2016, 3, 10)
    assert records.reports[link(101)].report_url == "https://www.cqc.org.uk/provider/ZZ1/reports"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p, loc: p.update(providerId="ZZ7"), "provider ZZ1: body has providerId 'ZZ7'"),
        (lambda p, loc: p.pop("providerId"), "provider ZZ1: body has providerId None"),
        (lambda p, loc: p.pop("name"), "provider ZZ1: provider has no name"),
        (lambda p, loc: p.update(name="   "), "provider ZZ1: provider has no name"),
        (lambda p, loc: p.update(name=["Fictional"]), "provider ZZ1: provider has no name"),
    ],
)
def test_mapping_refuses_only_a_provider_it_cannot_identify(zz1, change, message):
    provider, locations = copy.deepcopy(zz1)
    change(provider, locations)
    with pytest.raises(CqcDataError, match=message):
        map_provider("ZZ1", provider, locations)


def _overall(p):
    return p["currentRatings"]["overall"]


@pytest.mark.parametrize(
    ("change", "record", "field", "value", "lost"),
    [
        (lambda p, loc: p["historicRatings"][0].update(reportDate="last spring"), "provider ZZ1",
         "historicRatings[0].reportDate", "last spring", 0),
        (lambda p, loc: p["historicRatings"][2].update(reportDate="2016-02-30", reportLinkId="x"), "provider ZZ1",
         "historicRatings[2].reportDate", "2016-02-30", 6),
        (lambda p, loc: p.update(reports={"linkId": "x"}), "provider ZZ1", "reports", '{"linkId": "x"}', 0),
        (lambda p, loc: loc["ZZ1AA"].update(providerId="ZZ2"), "provider ZZ1, location ZZ1AA", "providerId", "ZZ2",
         26),
        (lambda p, loc: loc["ZZ1AB"].pop("name"), "provider ZZ1, location ZZ1AB", "name", "", 12),
        (lambda p, loc: loc["ZZ1AA"]["currentRatings"]["serviceRatings"][0].pop("name"),
         "provider ZZ1, location ZZ1AA", "currentRatings.serviceRatings[0].name", "", 4),
        (lambda p, loc: p["reports"][0].update(linkId=None), "provider ZZ1", "reports[0].linkId", "", 0),
        (lambda p, loc: _overall(p)["keyQuestionRatings"][0].update(reportDate="3023-09-14"), "provider ZZ1",
         "currentRatings.overall.keyQuestionRatings[0].reportDate", "3023-09-14", 0),
        (lambda p, loc: p.update(postalCode="ZZ1 1ZZ " * 3), "provider ZZ1", "postalCode", "ZZ1 1ZZ ZZ1 1ZZ ZZ1 1ZZ",
         0),
    ],
)  # fmt: skip
def test_mapping_reads_what_can_be_read_and_names_the_rest(zz1, change, record, field, value, lost):
    provider, locations = copy.deepcopy(zz1)
    whole = map_provider("ZZ1", provider, locations)
    change(provider, locations)
    records = map_provider("ZZ1", provider, locations)
    assert [(p.record, p.file.split("/")[0], p.field, p.value) for p in new_problems(records, whole)][:1] == [
        (record, "locations" if "location" in record else "providers", field, value)
    ]
    assert len(whole.ratings) - len(records.ratings) == lost


def test_a_rating_that_names_no_report_is_placed_at_the_one_report_of_its_day_with_nothing_said(zz1):
    """The schema does not require a reportLinkId on the current overall: placed by its date, nothing is lost."""
    provider, locations = copy.deepcopy(zz1)
    whole = map_provider("ZZ1", provider, locations)
    day = _overall(provider).pop("reportLinkId") and _overall(provider)["reportDate"]
    records = map_provider("ZZ1", provider, locations)
    assert new_problems(records, whole) == []
    assert len(records.ratings) == len(whole.ratings)
    overall = [r for r in records.ratings if r.subject == TRUST and r.key_question == "overall"]
    assert records.reports[overall[-1].report_link_id].published.isoformat() == day


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
    bodies = [path for folder in ("providers", "locations") for path in SAMPLE.rglob(f"{folder}/*.json")]
    assert len(bodies) == 13
    for path in bodies:
        body = json.loads(path.read_text())
        assert path.stem.startswith("ZZ")
        assert body["name"].startswith("Fictional")
