"""gunicorn settings for production: `gunicorn -c cqc_site/gunicorn.conf.py --bind 127.0.0.1:8000 --workers N`.

Read by gunicorn, not Django; the site's own settings stay in settings.py. gunicorn 27 sends
`Server: gunicorn` with no version number (tests/faults checks every header for one).
"""

from gunicorn.glogging import Logger

wsgi_app = "cqc_site.wsgi"

# Threads, so a request waiting on a slow or hung database holds one thread, not the whole worker:
# static files and cached pages keep answering from the others (tests/faults/test_database_paused.py).
# A database wait is bounded (DB_CONNECT_TIMEOUT, DB_STATEMENT_TIMEOUT + 2 s) and answered 503, so
# `timeout`, the silence after which gunicorn kills a worker, stays well above it and is never reached.
worker_class = "gthread"
threads = 4
timeout = 60


class ClientAddressLogger(Logger):
    """The access log's `%(client)s`: the client's address by the site's proxy rule (cqc_site/proxies.py),
    where gunicorn's `%(h)s` behind a proxy is always the proxy's."""

    def atoms(self, resp, req, environ, request_time):
        from cqc_site.proxies import client_address  # in a worker, once the site is loaded

        return super().atoms(resp, req, environ, request_time) | {"client": client_address(environ)}


logger_class = ClientAddressLogger
# One access line per request on stdout; pid says which worker answered (tests/faults reads it).
accesslog = "-"
access_log_format = '%(t)s %(client)s "%(r)s" %(s)s %(b)s %(M)sms pid=%(p)s'
errorlog = "-"
# No control socket: nothing here uses gunicornc, and two instances on one host would share its path.
control_socket_disable = True
