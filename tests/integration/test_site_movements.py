"""Movements and ages of hospitals' and sites' own overall ratings (issue 29), against a set worked out by hand, on
/national/, on a site's page, as downloads and against ratings.csv.

- Fictional Fen NHS Trust (ZZS1, acute, open), its four sites:
  - Fen General (ZZS1A): Good (Mar 2016); not inspected (Jan 2017) and inspected but not rated (Jan 2019), which are
    no movement; Requires improvement (Jun 2018: declined 1); two reports the same day (Feb 2020), slug "2020-02-a"
    Inadequate (declined 1), then "2020-02-b" Good (improved 2): Good stands, set 1 February 2020.
  - Fen Community (ZZS1B): Requires improvement inherited from its predecessor ZZOLD (May 2017), no movement of its
    own; then its own Good (May 2019): a movement from the inherited rating (improved 1).
  - Fen Annex (ZZS1C): only ratings inherited from ZZOLD, Good (May 2017) then Outstanding (Sep 2018): no movement,
    though Outstanding stands, and its age runs from September 2018.
  - Fen Clinic (ZZS1D): one rated report, Outstanding (10 Jan 2015): no movement, older than five years.
- Fictional Gorse NHS Trust (ZZS2, mental health), deregistered 31 Dec 2019; Gorse House (ZZS2A): Inadequate (Jan
  2016) then Good (Jan 2018: improved 2). Its movement stays; a site of a closed trust is left out of ages.

The data's day is 1 February 2020, the latest report held.
"""

import csv
import datetime
import io
import random

from inspections.domain.codes import KeyQuestion, Scope
from inspections.domain.movements import movements
from inspections.domain.standing import bare_event
from inspections.domain.subjects import at_location
from inspections.reading.movement_rows import build_figures
from tests.factories import InspectionFactory, LocationFactory, RatingFactory, TrustFactory
from tests.html import squashed

D = datetime.date


def _site_report(site, slug, published, value, *, inherited_from=""):
    inspection = InspectionFactory(trust=site.trust, slug=slug, title=f"Fictional report {slug}", published=published,
                                   visit_start=None, visit_end=None)  # fmt: skip
    RatingFactory(inspection=inspection, scope=Scope.LOCATION, location=site, key_question=KeyQuestion.OVERALL,
                  value=value, inherited_from=inherited_from)  # fmt: skip
    return inspection


def fen_and_gorse() -> dict:
    fen = TrustFactory(provider_id="ZZS1", slug="fictional-fen", name="Fictional Fen NHS Trust", kind="acute",
                       region="London")  # fmt: skip
    gorse = TrustFactory(provider_id="ZZS2", slug="fictional-gorse", name="Fictional Gorse NHS Trust",
                         kind="mental_health", deregistration_date=D(2019, 12, 31))  # fmt: skip
    sites = {
        key: LocationFactory(trust=trust, slug=key, name=name, cqc_location_id=code, region=trust.region)
        for key, trust, name, code in (
            ("general", fen, "Fictional Fen General", "ZZS1A"),
            ("community", fen, "Fictional Fen Community", "ZZS1B"),
            ("annex", fen, "Fictional Fen Annex", "ZZS1C"),
            ("clinic", fen, "Fictional Fen Clinic", "ZZS1D"),
            ("house", gorse, "Fictional Gorse House", "ZZS2A"),
        )
    }
    general = sites["general"]
    _site_report(general, "g-2016-03", D(2016, 3, 1), "good")
    _site_report(general, "g-2017-01", D(2017, 1, 1), "not_inspected")
    _site_report(general, "g-2018-06", D(2018, 6, 1), "requires_improvement")
    _site_report(general, "g-2019-01", D(2019, 1, 1), "inspected_not_rated")
    _site_report(general, "g-2020-02-a", D(2020, 2, 1), "inadequate")
    _site_report(general, "g-2020-02-b", D(2020, 2, 1), "good")
    _site_report(sites["community"], "c-2017-05", D(2017, 5, 1), "requires_improvement", inherited_from="ZZOLD")
    _site_report(sites["community"], "c-2019-05", D(2019, 5, 1), "good")
    _site_report(sites["annex"], "a-2017-05", D(2017, 5, 1), "good", inherited_from="ZZOLD")
    _site_report(sites["annex"], "a-2018-09", D(2018, 9, 1), "outstanding", inherited_from="ZZOLD")
    _site_report(sites["clinic"], "k-2015-01", D(2015, 1, 10), "outstanding")
    _site_report(sites["house"], "h-2016-01", D(2016, 1, 1), "inadequate")
    _site_report(sites["house"], "h-2018-01", D(2018, 1, 1), "good")
    return sites


def test_site_movements_match_the_hand_computed_set(db):
    fen_and_gorse()
    figures = build_figures().sites
    found = [(m.rated.location_id, m.movement.before.value, m.movement.after.value, str(m.movement.direction),
              m.movement.steps, m.movement.after.inspection_slug) for m in figures.movements]  # fmt: skip
    assert found == [
        ("ZZS1A", "good", "requires_improvement", "declined", -1, "g-2018-06"),
        ("ZZS1A", "requires_improvement", "inadequate", "declined", -1, "g-2020-02-a"),
        ("ZZS1A", "inadequate", "good", "improved", 2, "g-2020-02-b"),
        ("ZZS1B", "requires_improvement", "good", "improved", 1, "c-2019-05"),
        ("ZZS2A", "inadequate", "good", "improved", 2, "h-2018-01"),
    ]
    assert figures.by_year == [(2018, 1, 0, 1), (2019, 1, 0, 0), (2020, 1, 0, 1)]
    assert build_figures().trusts.movements == []  # no whole-trust rating is held: sites are their own set
    assert figures.movements[0].report_url == "/trusts/fictional-fen/inspections/g-2018-06/"


def test_site_ages_leave_out_a_closed_trusts_sites_and_count_inherited_ratings(db):
    fen_and_gorse()
    figures = build_figures().sites
    assert figures.as_of == D(2020, 2, 1)
    ages = {found.rated.location_id: (found.record["since"], found.record["years_since"]) for found in figures.ages}
    assert ages == {
        "ZZS1A": ("2020-02-01", "0.00"),
        "ZZS1B": ("2019-05-01", "0.76"),
        "ZZS1C": ("2018-09-01", "1.42"),  # the inherited rating stands for the site
        "ZZS1D": ("2015-01-10", "5.06"),
    }
    assert [found.rated.site for found in figures.old_ratings] == ["Fictional Fen Clinic"]
    rows = {(row.group, row.rating): (row.improved, row.unchanged, row.declined) for row in figures.from_to(2018, 2020)}
    assert rows[("All hospitals and sites", "inadequate")] == (2, 0, 0)
    assert rows[("Sites of mental health trusts", "inadequate")] == (1, 0, 0)
    assert rows[("Region not known", "inadequate")] == (1, 0, 0)


def test_a_sites_page_places_it_among_open_sites_of_its_trusts_kind(client, db):
    sites = fen_and_gorse()
    line = build_figures().sites.age_line(sites["general"].pk)
    assert line["text"] == (
        "Set less than a year ago; among the 4 open hospitals and sites of acute hospital trusts we hold with a rating "
        "in force, half were last rated within 2 years"
    )  # confirmed 0, 0.76, 1.42 and 5.06 years ago: the median, 1.09, is within 2 years
    assert line["place"] == "in the second newest fifth"  # three of the four were rated longer ago
    response = client.get(sites["general"].get_absolute_url())
    assert response.context["rating_age"] == line
    assert 'this site&#x27;s is <a href="/national/#site-ages">in the second newest fifth</a>' in squashed(
        response.content
    )
    assert client.get(sites["house"].get_absolute_url()).context["rating_age"] is None  # its trust closed


def test_national_shows_the_sites_folded(client, db):
    fen_and_gorse()
    response = client.get("/national/")
    content = response.content.decode()
    folded = content.split('<details class="fold" id="site-figures">')[1].split("</details>\n</section>")[0]
    assert "Show the movements and ages of 4 open hospitals and sites" in folded
    sentence = "Of 2 later rated reports on hospitals and sites rated Inadequate, 2 improved, 0 stayed, 0 declined."
    assert sentence in folded
    clinic = '<a href="/trusts/fictional-fen/locations/clinic/">Fictional Fen Clinic</a> (Fictional Fen NHS Trust)'
    assert clinic in folded
    assert 'id="sites-chart-data"' in folded
    assert 'id="sites-ages-chart-data"' in folded


def _csv(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_site_downloads_have_their_columns(client, db, settings, tmp_path):
    settings.DOWNLOADS_DIR = tmp_path
    fen_and_gorse()
    (first, *_) = _csv(client, "/national/site_movements.csv")
    assert first == {
        "provider_id": "ZZS1", "trust": "Fictional Fen NHS Trust", "location_id": "ZZS1A",
        "site": "Fictional Fen General", "kind": "acute", "region": "London", "from_rating": "good",
        "from_published": "2016-03-01", "to_rating": "requires_improvement", "to_published": "2018-06-01",
        "change": "declined", "steps": "-1", "inspection": "g-2018-06",
    }  # fmt: skip
    ages = _csv(client, "/national/site_ages.csv")
    assert [row["location_id"] for row in ages] == ["ZZS1A", "ZZS1B", "ZZS1C", "ZZS1D"]
    assert {row["data_as_of"] for row in ages} == {"2020-02-01"}


def _site_movements_from_ratings_csv(rows):
    """Movements by the standing rule from ratings.csv's site overall rows (an inherited rating stands, but moves
    nothing; slug order breaks same-day ties)."""
    by_site = {}
    for row in rows:
        if row["scope"] == "location" and row["key_question"] == "overall" and row["published"]:
            day = datetime.date.fromisoformat(row["published"])
            event = bare_event(at_location(row["location_id"]), "overall", row["rating"], day, "day",
                               row["inspection"], inherited_from=row["inherited_from"])  # fmt: skip
            by_site.setdefault(row["location_id"], []).append(event)
    return sorted(
        (site, m.before.value, m.after.value, str(m.direction), str(m.steps), m.after.inspection_slug)
        for site, events in by_site.items()
        for m in movements(events)
    )


VALUES = ("outstanding", "good", "requires_improvement", "inadequate", "not_inspected", "inspected_not_rated")


def test_site_movements_csv_agrees_with_movements_rebuilt_from_ratings_csv(client, db, settings, tmp_path):
    """A property over ten seeded random histories of sites (same-day reports, entries off the scale and inherited
    ratings included)."""
    for seed in range(10):
        settings.DOWNLOADS_DIR = tmp_path / str(seed)
        chance = random.Random(seed)
        trust = TrustFactory(provider_id=f"ZZQ{seed}", slug=f"fictional-q{seed}", name=f"Fictional Q{seed} NHS Trust",
                             kind="acute")  # fmt: skip
        for number in range(chance.randint(1, 3)):
            site = LocationFactory(trust=trust, slug=f"site-{number}", name=f"Fictional Q{seed} Site {number}",
                                   cqc_location_id=f"ZZQ{seed}S{number}")  # fmt: skip
            for report in range(chance.randint(0, 6)):
                day = datetime.date(2014 + chance.randint(0, 3), chance.randint(1, 2), 1)
                inherited = "ZZOLD" if chance.random() < 0.25 else ""
                _site_report(site, f"q{seed}-{number}-{report}", day, chance.choice(VALUES), inherited_from=inherited)
        ratings = _csv(client, "/ratings.csv")
        found = _csv(client, "/national/site_movements.csv")
        columns = ("location_id", "from_rating", "to_rating", "change", "steps", "inspection")
        assert sorted(tuple(row[name] for name in columns) for row in found) == _site_movements_from_ratings_csv(
            ratings
        )
