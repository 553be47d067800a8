"""A longer statement time-out for deliberate long work (an import, building a whole-dataset download).

Every connection carries DB_STATEMENT_TIMEOUT, sized for a web request. Work that is known to be long
asks for more for one block, run as a transaction; the limit and the wait for the server's answer
both return to what they were when the block ends. Elsewhere than PostgreSQL this does nothing but open
the transaction.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction

#: Added to the statement time-out for the wait on a server that answers nothing (as in cqc_site/postgresql/base.py).
ANSWER_MARGIN_SECONDS = 2


@contextmanager
def statement_timeout(milliseconds: int, *, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Within this block, one transaction, each statement may run `milliseconds` (0: without a limit)."""
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor != "postgresql":
            yield
            return
        set_limit = "SELECT current_setting('statement_timeout'), set_config('statement_timeout', %s, true)"
        with connection.cursor() as cursor:
            cursor.execute(set_limit, [str(milliseconds)])
            usual_limit = cursor.fetchone()[0]
        raw = connection.connection
        usual_wait = raw.answer_timeout
        raw.answer_timeout = milliseconds / 1000 + ANSWER_MARGIN_SECONDS if milliseconds else None
        try:
            yield
        finally:
            raw.answer_timeout = usual_wait
        # Inside an outer transaction the limit would last until it ends (a savepoint keeps SET LOCAL); on an
        # error the rollback to the savepoint has already undone it.
        with connection.cursor() as cursor:
            cursor.execute(set_limit, [usual_limit])
