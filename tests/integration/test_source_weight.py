"""Sources in order of weight: the ORDER BY (`source_kinds.by_weight`) and the sort key for sources already read
(`source_kinds.weight`) give the same order on random sets of sources, on SQLite and on PostgreSQL: kinds,
dates (undated ones last) and codes (uppercase, digits and hyphens, as codes are written) that often tie.
"""

import datetime
import itertools

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from inspections.domain.codes import SourceKind
from inspections.domain.source_kinds import by_weight, weight
from inspections.models import Source
from tests.factories import (
    FindingFactory,
    InspectionFactory,
    RatingFactory,
    SourceFactory,
    StatementFactory,
    TrustFactory,
)

pytestmark = pytest.mark.django_db

NUMBERS = itertools.count(1)
source = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(SourceKind.values),
        "published": st.sampled_from(
            [None, datetime.date(2015, 7, 10), datetime.date(2015, 7, 10), datetime.date(2019, 1, 2)]
        ),
        "code": st.text(alphabet="AB9-", min_size=1, max_size=4),
    }
)


# No shrinking: each example writes to the database; a failure prints its example.
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(drawn=st.lists(source, min_size=2, max_size=8, unique_by=lambda s: s["code"]))
def test_the_sort_key_orders_sources_as_the_order_by_does(db, drawn):
    prefix = f"X9W{next(NUMBERS)}-"  # fictional codes, a set of their own for each example
    made = [SourceFactory(kind=s["kind"], published=s["published"], code=prefix + s["code"]) for s in drawn]
    in_sql = list(
        Source.objects.filter(pk__in=[s.pk for s in made]).order_by(*by_weight()).values_list("code", flat=True)
    )
    assert [s.code for s in sorted(made, key=weight)] == in_sql


def test_an_inspection_page_lists_each_facts_sources_heaviest_first(client):
    """Ratings, findings and statements each list their sources in weight order (CQC's report before a local
    paper's story, whatever order they were cited in): `citations_in_order` reads them, `in_weight_order` sorts."""
    trust = TrustFactory(provider_id="ZZW01", slug="fictional-weir", name="Fictional Weir NHS Trust")
    inspection = InspectionFactory(trust=trust, slug="2019-05", published=datetime.date(2019, 5, 1))
    paper = SourceFactory(code="X9W-PAPER", publisher="Fictional Gazette", kind=SourceKind.LOCAL_NEWS)
    report = SourceFactory(code="X9W-REPORT", publisher="Care Quality Commission", kind=SourceKind.CQC_REPORT)
    for record in (
        RatingFactory(inspection=inspection, sources=[paper]),
        FindingFactory(inspection=inspection, sources=[paper]),
        StatementFactory(inspection=inspection, sources=[paper]),
    ):
        record.sources.add(report)  # cited second
    page = client.get(inspection.get_absolute_url()).content.decode()
    lists = page.split('<ul class="citations">')[1:]
    assert len(lists) == 3
    for cited in lists:
        assert cited.index("/sources/X9W-REPORT/") < cited.index("/sources/X9W-PAPER/")
