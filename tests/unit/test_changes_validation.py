"""Constraints evaluated in Python agree with SQL's three-valued logic."""

import datetime

from django.db.models import F, Q

from inspections.changes.validation import check_constraint_problems, q_holds, unique_clashes
from inspections.models import Inspection, Rating


def test_comparison_with_null_is_unknown_and_a_check_passes_on_unknown():
    inspection = Inspection(published=datetime.date(2015, 1, 1), visit_start=None)
    assert q_holds(Q(published__gte=F("visit_start")), inspection) is None
    assert q_holds(~Q(published__gte=F("visit_start")), inspection) is None
    assert q_holds(Q(visit_start__isnull=True) | Q(published__gte=F("visit_start")), inspection) is True


def test_published_before_visit_breaks_the_check_constraint():
    inspection = Inspection(
        inspection_type="focused", visit_start=datetime.date(2015, 3, 9), published=datetime.date(2015, 3, 1)
    )
    assert ("published", "A report cannot be published before the visit started.") in check_constraint_problems(
        inspection
    )


def test_conditional_unique_constraint_covers_only_matching_rows():
    trust_ratings = [Rating(inspection_id=1, key_question="safe", scope="trust") for _ in range(2)]
    service_ratings = [Rating(inspection_id=1, key_question="safe", scope="service", service_id=n) for n in (1, 2)]
    rows = list(enumerate(trust_ratings + service_ratings))
    clashes = unique_clashes(Rating, rows)
    assert [(owner, other) for owner, _, _, other in clashes] == [(1, 0)]
