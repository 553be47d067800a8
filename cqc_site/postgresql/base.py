"""Django's PostgreSQL backend, with a limit on every wait for the server's answer.

The server's `statement_timeout` (settings: DB_STATEMENT_TIMEOUT) ends a slow statement cleanly,
and `connect_timeout` (DB_CONNECT_TIMEOUT) bounds a new connection. Neither helps when the server
is hung (its processes paused, a stuck disk, a host gone without closing the connection): a kept
connection's query then waits for an answer that never comes, holding the worker's thread until
gunicorn kills the worker. Here psycopg stops waiting after `answer_timeout` seconds (a little
more than the statement time-out, so a live server always answers first) and closes the
connection, and the request gets the usual 503. Settings select this backend for postgres:// URLs.
"""

import psycopg
from django.db.backends.postgresql import base

#: A kept connection's health check (SELECT 1) that gets no answer this soon is dropped and replaced.
HEALTH_CHECK_SECONDS = 2.0


class AnswerTimeoutConnection(psycopg.Connection):
    """A psycopg connection that waits at most `answer_timeout` seconds for each answer from the server.

    psycopg 3 routes every exchange with the server (execute, fetch from a server-side cursor,
    commit, rollback) through `Connection.wait`, whose `timeout` its own callers leave unset.
    """

    answer_timeout: float | None = None

    def wait(self, gen, interval=psycopg.connection._WAIT_INTERVAL, timeout=None):
        if timeout is not None or self.answer_timeout is None:
            return super().wait(gen, interval, timeout)
        try:
            return super().wait(gen, interval, self.answer_timeout)
        except psycopg.errors._WaitTimeout:
            self.pgconn.finish()  # stopped mid-exchange: the connection cannot be used again
            raise psycopg.OperationalError(
                f"the database server did not answer within {self.answer_timeout:g} s; connection closed"
            ) from None


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        self.answer_timeout = params.pop("answer_timeout", None)  # ours, not a libpq parameter
        return params

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        connection.__class__ = AnswerTimeoutConnection  # psycopg.connect() has no class argument
        connection.answer_timeout = self.answer_timeout
        return connection

    def is_usable(self):
        if self.connection is None or self.connection.closed:
            return False
        budget = self.connection.answer_timeout
        self.connection.answer_timeout = HEALTH_CHECK_SECONDS if budget is None else min(budget, HEALTH_CHECK_SECONDS)
        try:
            return super().is_usable()
        finally:
            self.connection.answer_timeout = budget
