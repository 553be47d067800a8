"""gunicorn settings for production: `gunicorn -c cqc_site/gunicorn.conf.py --bind ... --workers N`.

Read by gunicorn, not Django; the site's own settings stay in settings.py. gunicorn 27 sends
`Server: gunicorn` with no version number (tests/faults checks every header for one).
"""

wsgi_app = "cqc_site.wsgi"
# One access line per request on stdout; pid says which worker answered (tests/faults reads it).
accesslog = "-"
access_log_format = '%(t)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms pid=%(p)s'
errorlog = "-"
# No control socket: nothing here uses gunicornc, and two instances on one host would share its path.
control_socket_disable = True
