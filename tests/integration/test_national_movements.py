"""Movements of trusts' overall ratings and the age of the rating in force (issue 29): against the hand-computed
set of tests/national_data.py, on /national/, on a trust's page, as downloads, and against ratings.csv."""

import csv
import datetime
import io
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.domain.codes import KeyQuestion
from inspections.domain.movements import movements
from inspections.domain.standing import bare_event
from inspections.domain.subjects import TRUST
from inspections.publishing.national_figures import national_figures
from inspections.reading.movement_rows import build_figures
from tests.factories import TrustFactory
from tests.national_data import _report, four_trusts

OVERALL = KeyQuestion.OVERALL


def moved(figures):
    return [(m.rated.provider_id, m.movement.before.value, m.movement.after.value, str(m.movement.direction),
             m.movement.steps, m.movement.after.inspection_slug) for m in figures.trusts.movements]  # fmt: skip


def test_movements_match_the_hand_computed_set(db):
    # Anvil: Good -> RI (declined 1), then "not inspected": no movement. Brook: two reports the same day, the later
    # slug last: Outstanding -> Inadequate -> Good. Cedar: none. Dale: one dated rated report and an undated one.
    four_trusts()
    figures = build_figures()
    assert moved(figures) == [
        ("ZZN01", "good", "requires_improvement", "declined", -1, "2018-06"),
        ("ZZN02", "outstanding", "inadequate", "declined", -3, "2019-02-a"),
        ("ZZN02", "inadequate", "good", "improved", 2, "2019-02-b"),
    ]
    assert figures.trusts.by_year == [(2018, 0, 0, 1), (2019, 1, 0, 1)]
    movers = [m.rated.trust for m in figures.trusts.latest_movers]
    assert movers == ["Fictional Brook NHS Trust"] * 2 + ["Fictional Anvil NHS Trust"]


def test_from_to_counts_each_rating_before_for_all_trusts_by_kind_and_region(db):
    trusts = four_trusts()
    _report(trusts["anvil"], "2021-01", datetime.date(2021, 1, 5), [(OVERALL, "requires_improvement")])  # stayed
    rows = {
        (row.group, row.rating): (row.improved, row.unchanged, row.declined)
        for row in build_figures().trusts.from_to(2018, 2021)
    }
    assert rows[("All trusts", "requires_improvement")] == (0, 1, 0)
    assert rows[("All trusts", "inadequate")] == (1, 0, 0)
    assert rows[("Acute hospital trust", "outstanding")] == (0, 0, 1)
    assert rows[("London", "good")] == (0, 0, 1)
    only_2021 = build_figures().trusts.from_to(2021, 2021)
    assert [row.sentence for row in only_2021 if row.group == "All trusts"] == [
        "Of 1 later rated report on trusts rated Requires improvement, 0 improved, 1 stayed, 0 declined."
    ]


def test_ages_are_as_of_the_latest_report_held_and_leave_closed_trusts_out(db):
    trusts = four_trusts()
    figures = build_figures()
    assert figures.as_of == datetime.date(2020, 5, 1)  # Anvil's "not inspected" report: the latest held
    ages = {found.rated.provider_id: (round(found.age.years_since, 2), round(found.age.years_since_confirmed, 2))
            for found in figures.trusts.ages}  # fmt: skip
    assert ages == {"ZZN01": (1.92, 1.92), "ZZN02": (1.25, 1.25), "ZZN04": (5.31, 5.31)}  # Cedar holds no rating
    assert [found.rated.provider_id for found in figures.trusts.old_ratings] == ["ZZN04"]
    trusts["dale"].deregistration_date = datetime.date(2019, 1, 1)
    trusts["dale"].save()
    figures = build_figures()
    assert "ZZN04" not in {found.rated.provider_id for found in figures.trusts.ages}
    assert figures.trusts.old_ratings == []


def test_a_restated_rating_keeps_its_since_and_moves_its_last_confirmed(db):
    trusts = four_trusts()
    _report(trusts["anvil"], "2019-09", datetime.date(2019, 9, 1), [(OVERALL, "requires_improvement")])
    anvil = next(found for found in build_figures().trusts.ages if found.rated.provider_id == "ZZN01")
    assert anvil.record["since"] == "2018-06-01"
    assert anvil.record["last_confirmed"] == "2019-09-01"
    assert anvil.record["years_since_confirmed"] == "0.67"


def test_the_trust_page_line_places_the_trust_among_open_trusts_of_its_kind(client, db):
    trusts = four_trusts()
    line = build_figures().trusts.age_line(trusts["anvil"].pk)
    assert line["text"] == (
        "Set a year ago; among the 2 open acute hospital trusts we hold with a rating in force, half were last "
        "rated within 2 years"
    )
    assert line["place"] == "in the oldest fifth"  # the older of the two acute trusts rated
    response = client.get(trusts["anvil"].get_absolute_url())
    assert response.context["rating_age"] == line
    assert b'href="/national/#ages">in the oldest fifth</a>' in response.content
    assert build_figures().trusts.age_line(trusts["cedar"].pk) is None
    alone = build_figures().trusts.age_line(trusts["dale"].pk)  # the one ambulance trust: no others to be among
    assert alone["text"] == "Set 5 years ago; it is the only open ambulance trust we hold with a rating in force"
    assert alone["place"] == ""


def test_each_trusts_place_among_its_kind_counts_the_trusts_rated_longer_ago(db):
    """The page line's fifth, for twelve trusts of one kind written in a shuffled order of age: as many older as
    a count over every one of them says (the line reads a sorted list built once with the figures)."""
    days = list(range(12))
    random.Random(7).shuffle(days)
    held = {}
    for n, day in enumerate(days):
        trust = TrustFactory(
            provider_id=f"ZZP{n:02d}", slug=f"fictional-p{n:02d}", name=f"Fictional P{n:02d} NHS Trust", kind="acute"
        )
        published = datetime.date(2015, 1, 1) + datetime.timedelta(days=200 * day)
        _report(trust, f"r{n}", published, [(KeyQuestion.OVERALL, "good")])
        held[trust.pk] = published
    figures = build_figures().trusts
    fifths = ("in the oldest fifth", "in the second oldest fifth", "in the middle fifth", "in the second newest fifth",
              "in the newest fifth")  # fmt: skip
    for pk, published in held.items():
        older = sum(1 for other in held.values() if other < published)
        assert figures.age_line(pk)["place"] == fifths[min(4, int(5 * older / len(held)))], published


def test_national_shows_the_sections_and_falls_back_on_a_bad_span(client, db):
    four_trusts()
    response = client.get("/national/?start=2019&end=2019")
    assert response.status_code == 200
    assert response.context["trust_figures"]["span"] == (2019, 2019)
    assert "Of 1 later rated report on trusts rated Outstanding, 0 improved, 0 stayed, 1 declined." in (
        response.content.decode()
    )
    for bad in ("?start=abc", "?start=2019&end=2018", "?start=99999"):
        response = client.get(f"/national/{bad}")
        assert response.status_code == 200  # the same page as for every year held (served from the cache)
        assert b"Later reports published 2018 to 2019." in response.content


def test_the_figures_are_built_once_per_data_version(client, db):
    four_trusts()
    national_figures()
    with CaptureQueriesContext(connection) as again:
        national_figures()
    assert len(again) == 0
    _report(TrustFactory(provider_id="ZZN05", slug="fictional-elm", name="Fictional Elm NHS Trust", kind="acute"),
            "2020-01", datetime.date(2020, 1, 1), [(OVERALL, "good")])  # fmt: skip
    assert "ZZN05" in {found.rated.provider_id for found in national_figures().trusts.ages}


def _csv(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def _rebuilt_from_ratings_csv(rows):
    """Movements by the standing rule from ratings.csv's whole-trust overall rows (slug order breaks same-day ties)."""
    by_trust = {}
    for row in rows:
        if row["scope"] == "trust" and row["key_question"] == "overall" and row["published"]:
            day = datetime.date.fromisoformat(row["published"])
            event = bare_event(TRUST, OVERALL, row["rating"], day, "day", row["inspection"])
            by_trust.setdefault(row["provider_id"], []).append(event)
    return sorted(
        (pid, m.before.value, m.after.value, str(m.direction), str(m.steps), m.after.inspection_slug)
        for pid, events in by_trust.items()
        for m in movements(events)
    )


VALUES = ("outstanding", "good", "requires_improvement", "inadequate", "not_inspected", "inspected_not_rated")


def test_movements_csv_agrees_with_movements_rebuilt_from_ratings_csv(client, db, settings, tmp_path):
    """A property over ten seeded random histories (same-day reports, entries off the scale included)."""
    for seed in range(10):
        settings.DOWNLOADS_DIR = tmp_path / str(seed)
        chance = random.Random(seed)
        for number in range(chance.randint(1, 4)):
            trust = TrustFactory(provider_id=f"ZZP{seed}{number}", slug=f"fictional-p{seed}-{number}",
                                 name=f"Fictional P{seed}-{number} NHS Trust", kind="acute")  # fmt: skip
            for report in range(chance.randint(0, 6)):
                day = datetime.date(2014 + chance.randint(0, 3), chance.randint(1, 2), 1)
                _report(trust, f"s{seed}-{number}-{report}", day, [(OVERALL, chance.choice(VALUES))])
        ratings = _csv(client, "/ratings.csv")
        found = _csv(client, "/national/movements.csv")
        columns = ("provider_id", "from_rating", "to_rating", "change", "steps", "inspection")
        assert sorted(tuple(row[name] for name in columns) for row in found) == _rebuilt_from_ratings_csv(ratings)


def test_ages_csv_has_the_issues_columns_and_the_data_day(client, db, settings, tmp_path):
    settings.DOWNLOADS_DIR = tmp_path
    four_trusts()
    rows = _csv(client, "/national/ages.csv")
    assert list(rows[0]) == ["provider_id", "trust", "kind", "region", "rating", "since", "last_confirmed",
                             "years_since", "years_since_confirmed", "data_as_of"]  # fmt: skip
    assert [(row["provider_id"], row["rating"], row["since"], row["data_as_of"]) for row in rows] == [
        ("ZZN01", "requires_improvement", "2018-06-01", "2020-05-01"),
        ("ZZN02", "good", "2019-02-01", "2020-05-01"),
        ("ZZN04", "inadequate", "2015-01-10", "2020-05-01"),
    ]
    response = client.get("/national/movements.jsonl")
    assert response.status_code == 200
    response.close()


def test_the_figures_are_held_in_the_process_until_the_data_changes(db, monkeypatch):
    """Every trust and site page reads one line of them: unpickling all from the cache each time was 180 ms at
    232 trusts. The same object while the version stands; built again once it moves."""
    from django.core.cache import cache

    four_trusts()
    first = national_figures()
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: pytest.fail("read from the cache again"))
    assert national_figures() is first
    monkeypatch.undo()
    TrustFactory(provider_id="ZZ9HELD", slug="fictional-held", name="Fictional Held NHS Trust")
    assert national_figures() is not first
