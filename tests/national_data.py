"""Four fictional trusts for the national page and the feeds, with the shares they make worked out by hand.

Until `make_synthetic` gives coordinates, the tests give their own (plausible places in England, invented).

- Fictional Anvil (acute, London, at 51.5, -0.1): Good (Mar 2016), Requires improvement (Jun 2018), then a report
  off the scale (May 2020) that leaves Requires improvement standing; one hospital, rated Outstanding (Jun 2018).
- Fictional Brook (acute, London, at 51.4, -0.3): Outstanding (Jul 2017); two reports the same day (Feb 2019), slug
  "2019-02-a" Inadequate and "2019-02-b" Good: the later slug is the later report, so Good stands.
- Fictional Cedar (acute, North East, no coordinates): no report at all.
- Fictional Dale (ambulance, no region, at 53.4, -1.5): Inadequate (Jan 2015); an undated report rated
  Outstanding, which can never be placed in time and so never counts.

On TODAY (30 June 2021), the end of each year from 2015 (the first report) to 2020, then now:
  2015: 1 Inadequate (Dale); 3 unrated
  2016: 1 Good (Anvil), 1 Inadequate; 2 unrated
  2017: 1 Outstanding (Brook), 1 Good, 1 Inadequate; 1 unrated
  2018: 1 Outstanding, 1 Requires improvement (Anvil), 1 Inadequate; 1 unrated
  2019, 2020 and now: 1 Good (Brook), 1 Requires improvement, 1 Inadequate; 1 unrated
"""

import datetime

from inspections.domain.codes import KeyQuestion, Scope
from tests.factories import InspectionFactory, LocationFactory, RatingFactory, TrustFactory

TODAY = datetime.date(2021, 6, 30)
LONDON, NORTH_EAST = "London", "North East"


def _report(trust, slug, published, ratings, *, location=None):
    inspection = InspectionFactory(
        trust=trust, slug=slug, title=f"Fictional report {slug}", published=published, visit_start=None, visit_end=None
    )
    for question, value in ratings:
        RatingFactory(inspection=inspection, key_question=question, value=value)
    if location is not None:
        RatingFactory(
            inspection=inspection, scope=Scope.LOCATION, location=location, key_question=KeyQuestion.OVERALL,
            value="outstanding",
        )  # fmt: skip
    return inspection


def four_trusts() -> dict:
    """The four trusts above, by short name."""
    anvil = TrustFactory(
        provider_id="ZZN01", slug="fictional-anvil", name="Fictional Anvil NHS Trust", kind="acute", region=LONDON,
        latitude=51.5, longitude=-0.1,
    )  # fmt: skip
    brook = TrustFactory(
        provider_id="ZZN02", slug="fictional-brook", name="Fictional Brook NHS Trust", kind="acute", region=LONDON,
        latitude=51.4, longitude=-0.3,
    )  # fmt: skip
    cedar = TrustFactory(
        provider_id="ZZN03", slug="fictional-cedar", name="Fictional Cedar NHS Trust", kind="acute", region=NORTH_EAST
    )
    dale = TrustFactory(
        provider_id="ZZN04", slug="fictional-dale", name="Fictional Dale NHS Trust", kind="ambulance", region="",
        latitude=53.4, longitude=-1.5,
    )  # fmt: skip
    hospital = LocationFactory(
        trust=anvil, slug="fictional-anvil-hospital", name="Fictional Anvil Hospital", latitude=51.52, longitude=-0.12
    )
    overall = KeyQuestion.OVERALL
    _report(anvil, "2016-03", datetime.date(2016, 3, 1), [(overall, "good")])
    _report(anvil, "2018-06", datetime.date(2018, 6, 1), [(overall, "requires_improvement"), ("safe", "inadequate")],
            location=hospital)  # fmt: skip
    _report(anvil, "2020-05", datetime.date(2020, 5, 1), [(overall, "not_inspected")])
    _report(brook, "2017-07", datetime.date(2017, 7, 1), [(overall, "outstanding")])
    _report(brook, "2019-02-a", datetime.date(2019, 2, 1), [(overall, "inadequate")])
    _report(brook, "2019-02-b", datetime.date(2019, 2, 1), [(overall, "good")])
    _report(dale, "2015-01", datetime.date(2015, 1, 10), [(overall, "inadequate")])
    _report(dale, "undated", None, [(overall, "outstanding")])
    return {"anvil": anvil, "brook": brook, "cedar": cedar, "dale": dale, "hospital": hospital}


#: (label, counts, unrated) of all four trusts, by hand from the list above.
EXPECTED_OVERALL = [
    ("2015", {"inadequate": 1}, 3),
    ("2016", {"good": 1, "inadequate": 1}, 2),
    ("2017", {"outstanding": 1, "good": 1, "inadequate": 1}, 1),
    ("2018", {"outstanding": 1, "requires_improvement": 1, "inadequate": 1}, 1),
    ("2019", {"good": 1, "requires_improvement": 1, "inadequate": 1}, 1),
    ("2020", {"good": 1, "requires_improvement": 1, "inadequate": 1}, 1),
    ("Now", {"good": 1, "requires_improvement": 1, "inadequate": 1}, 1),
]
