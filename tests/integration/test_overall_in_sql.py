"""The trust list's SQL annotation of the current overall rating (for filtering and sorting) agrees with the one
rule in Python (`domain.standing`, through `selectors.overall_standings`) on random histories: same-day reports
(the later slug counts as the later report), undated reports, ratings off the scale, and ratings of other key
questions and of sites that must not count.

Each example writes a fictional trust of its own (provider ids ZZ followed by a number).
"""

import datetime
import itertools

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from inspections.domain.codes import KeyQuestion, Scope
from inspections.domain.rating_levels import ON_SCALE, RatingValue
from inspections.domain.standing import standing
from inspections.domain.subjects import TRUST
from inspections.reading import filters, selectors
from tests.factories import InspectionFactory, LocationFactory, RatingFactory, TrustFactory

pytestmark = pytest.mark.django_db

NUMBERS = itertools.count(1)
FIRST_DAY = datetime.date(2019, 5, 1)

SLUGS = ("2019-05", "2019-05-b", "a", "b", "z-2019", "2019-06")  # their order decides between same-day reports
report = st.fixed_dictionaries(
    {
        # Two days only, so that reports published the same day are common; None: date not known.
        "day": st.sampled_from([None, 0, 0, 0, 1]),
        # Mostly on the scale (where reports disagree most), sometimes off it or none at all.
        "overall": st.one_of(
            st.sampled_from(ON_SCALE), st.sampled_from(ON_SCALE), st.none(), st.sampled_from(RatingValue.values)
        ),
        "noise": st.sampled_from(RatingValue.values),  # the same report's safe rating and site rating
    }
)
#: Up to six reports, each with a slug of its own (drawn as a permutation, so no example is thrown away).
reports = st.lists(report, max_size=len(SLUGS)).flatmap(
    lambda drawn: st.permutations(SLUGS).map(
        lambda slugs: [entry | {"slug": slug} for entry, slug in zip(drawn, slugs, strict=False)]
    )
)


def write_history(history: list[dict]):
    number = next(NUMBERS)
    trust = TrustFactory(provider_id=f"ZZ{number}", slug=f"fictional-{number}", name=f"Fictional {number} NHS Trust")
    site = LocationFactory(trust=trust, slug="site", name=f"Fictional Site {number}")
    for report in history:
        published = None if report["day"] is None else FIRST_DAY + datetime.timedelta(days=report["day"])
        inspection = InspectionFactory(
            trust=trust, slug=report["slug"], published=published, visit_start=None, visit_end=None
        )
        if report["overall"]:
            RatingFactory(inspection=inspection, value=report["overall"])
        RatingFactory(inspection=inspection, key_question=KeyQuestion.SAFE, value=report["noise"])
        RatingFactory(inspection=inspection, scope=Scope.LOCATION, location=site, value=report["noise"])
    return trust


# No shrinking: each example writes to the database, and shrinking one took minutes; a failure prints its example.
@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(history=reports)
def test_the_sql_current_overall_agrees_with_the_standing_rule(db, history):
    trust = write_history(history)
    in_sql = selectors.trusts_with_current_overall().get(pk=trust.pk)
    stood = selectors.overall_standings([trust.pk]).get(trust.pk)

    assert in_sql.current_overall == (stood.value if stood else None)
    assert in_sql.current_overall_published == (stood.confirmed.published if stood else None)

    # The trust page's own path to the same rule gives the same standing.
    events = selectors.rating_events(trust)
    on_page = standing(e for e in events if e.subject == TRUST and e.key_question == KeyQuestion.OVERALL)
    assert (on_page and (on_page.value, on_page.since.inspection_slug, on_page.confirmed.inspection_slug)) == (
        stood and (stood.value, stood.since.inspection_slug, stood.confirmed.inspection_slug)
    )

    # The home page's rating filter (the SQL annotation) lists the trust under the rating the rule gives.
    wanted = stood.value if stood else filters.NO_RATING
    found = filters.TrustFilter({"rating": wanted}, queryset=selectors.trusts_with_current_overall(), regions=[])
    assert found.qs.filter(pk=trust.pk).exists()


def test_same_day_reports_are_ordered_by_slug_in_sql_and_python_alike(db):
    """A fixed example of the rule the property draws: two reports one day, the later slug's rating stands."""
    trust = write_history(
        [
            {"day": 0, "slug": "2019-05-b", "overall": RatingValue.INADEQUATE, "noise": RatingValue.GOOD},
            {"day": 0, "slug": "2019-05", "overall": RatingValue.GOOD, "noise": RatingValue.GOOD},
            {"day": None, "slug": "z-2019", "overall": RatingValue.OUTSTANDING, "noise": RatingValue.GOOD},
        ]
    )
    assert selectors.trusts_with_current_overall().get(pk=trust.pk).current_overall == RatingValue.INADEQUATE
    stood = selectors.overall_standings([trust.pk])[trust.pk]
    assert (stood.value, stood.since.inspection_slug) == (RatingValue.INADEQUATE, "2019-05-b")


def test_overall_standings_reads_every_trust_in_one_query(db, django_assert_num_queries):
    trusts = [
        write_history([{"day": day, "slug": "a", "overall": RatingValue.GOOD, "noise": RatingValue.GOOD}])
        for day in range(5)
    ]
    with django_assert_num_queries(1):
        found = selectors.overall_standings(trust.pk for trust in trusts)
    assert {pk: stood.value for pk, stood in found.items()} == {trust.pk: RatingValue.GOOD for trust in trusts}
