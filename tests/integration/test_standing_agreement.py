"""Every view of "the rating that stands now" agrees, on random histories (hypothesis).

A trust gets a random history of reports: several on the same day, some with no known publication date, some
leaving a key question unrated (carried forward), some giving a state off the scale. Whatever the history, the
trust page's headline and grid, its timeline, the trust list (SQL), the compare page, the share of its kind and
the API must name the same rating as the definition below: of the dated reports, in order of publication date
and then slug, the last that set a rating on the four-point scale.
"""

import datetime

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspections.domain.codes import Scope
from inspections.domain.rating_levels import RatingValue, is_on_scale
from inspections.domain.timeline import default_window
from inspections.models import Inspection, Rating, Source, Trust
from inspections.reading import charts, comparison, selectors

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.slow]

DAYS = [datetime.date(2016, 3, 1), datetime.date(2019, 6, 5), datetime.date(2019, 6, 5), datetime.date(2022, 2, 9)]
report = st.fixed_dictionaries(
    {
        "published": st.sampled_from([*DAYS, None]),  # the same day often; sometimes no known date
        "overall": st.one_of(st.none(), st.sampled_from(RatingValue.values)),  # None: not rated in this report
        "safe": st.one_of(st.none(), st.sampled_from(RatingValue.values)),
    }
)
histories = st.lists(report, min_size=1, max_size=6).flatmap(
    lambda reports: st.permutations(range(len(reports))).map(lambda order: list(zip(order, reports, strict=True)))
)


def defined_standing(history: list[tuple[int, dict]], question: str) -> str | None:
    """The definition, written out: the last dated report (by date, then slug) that set a rating on the scale."""
    dated = sorted((r["published"], slug_of(n), r[question]) for n, r in history if r["published"] and r[question])
    on_scale = [value for _, _, value in dated if is_on_scale(value)]
    return on_scale[-1] if on_scale else None


def slug_of(number: int) -> str:
    return f"report-{number:02d}"  # written in random order, so the database order is not the slug order


def write(history) -> Trust:
    trust = Trust.objects.create(provider_id="X9PA", slug="fictional-agreement", name="Fictional Agreement NHS Trust",
                                 kind="ambulance")  # fmt: skip
    source = Source.objects.create(code="X9-AGREE", publisher="Fictional Gazette", title="Fictional source")
    for number, item in history:
        inspection = Inspection.objects.create(
            trust=trust, slug=slug_of(number), title=f"Report {number}", inspection_type="focused",
            published=item["published"], scope="-",
        )  # fmt: skip
        inspection.sources.add(source)
        for question in ("overall", "safe"):
            if item[question]:
                rating = Rating.objects.create(
                    inspection=inspection, key_question=question, scope=Scope.TRUST, value=item[question]
                )
                rating.sources.add(source)
    return trust


def cell_value(event) -> str | None:
    return event.value if event is not None and event.is_on_scale else None


@settings(max_examples=50, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=histories)
def test_every_view_names_the_same_rating_that_stands(history, django_db_blocker):
    with transaction.atomic():
        trust = write(history)
        expected = defined_standing(history, "overall")
        client = Client()
        page = client.get(trust.get_absolute_url()).context

        headline = page["standing"]
        assert (headline.value if headline else None) == expected, "trust page headline"
        grid_row = next((row for row in page["grid"] if row.subject.is_trust), None)
        assert cell_value(grid_row.cells[0] if grid_row else None) == expected, "grid"
        assert cell_value(grid_row.cells[1] if grid_row else None) == defined_standing(history, "safe"), "grid, safe"

        events = selectors.rating_events(trust)
        window = default_window(selectors.latest_report_year(list(trust.inspections.all())))
        timeline = charts.trust_timeline(events, window).figure
        overall_bands = [
            (base, trace["name"])
            for trace in timeline["data"]
            if trace["type"] == "bar"
            for base, hover in zip(trace["base"], trace["hovertext"], strict=True)
            if hover.startswith("Overall:")
        ]
        last_band = max(overall_bands)[1] if overall_bands else None
        assert last_band == (RatingValue(expected).label if expected else None), "timeline's last band"

        listed = selectors.trusts_with_current_overall().get(pk=trust.pk).current_overall
        assert listed == expected, "trust list (SQL)"

        compared = comparison.compared_trusts([trust])[0].current[0]
        assert cell_value(compared) == expected, "compare page"

        shares = comparison.peer_shares_of_kind(trust.kind, range(2015, 2016), datetime.date(2026, 12, 1)).now
        assert (next(iter(shares.counts), None)) == expected, "share of its kind"

        api = client.get(f"/api/v1/trusts/{trust.slug}").json()
        overall = [
            r["rating"] for r in api["current_ratings"] if r["scope"] == "trust" and r["key_question"] == "overall"
        ]
        assert (overall[0] if overall and is_on_scale(overall[0]) else None) == expected, "API"
        assert api["current_overall"] == expected, "API trust summary"
        transaction.set_rollback(True)
