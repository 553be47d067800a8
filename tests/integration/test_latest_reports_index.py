"""The latest reports across every trust (`Inspection.objects.newest_first()`: /national/, the feeds) are read from
the index migration 0013 makes on PostgreSQL, not by sorting every report held: the index's columns must match the
order exactly, or PostgreSQL sorts (4 ms at 232 trusts, more with every trust imported)."""

import pytest
from django.db import connection, transaction

from inspections.models import Inspection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the index is PostgreSQL's (SQLite refuses NULLS LAST)"
    ),
]


def test_the_latest_reports_are_read_from_their_index():
    sql, params = Inspection.objects.newest_first()[:20].query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test database is small enough to scan otherwise
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "inspection_newest_first" in plan, plan
    assert "Sort" not in plan.split("inspection_newest_first")[0], plan
