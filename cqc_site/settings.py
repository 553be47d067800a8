"""Settings for the CQC inspection-history site, read from the environment in one place.

Every variable is listed in `.env.example`. Defaults suit a laptop: SQLite, DEBUG on.
With DEBUG off a SECRET_KEY must be given; start-up stops with a message otherwise.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str) -> str:
    """The variable's value; unset and empty (as in a copied .env.example) both mean the default."""
    return os.environ.get(name) or default


def env_int(name: str, default: int) -> int:
    raw = env(name, str(default))
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_float(name: str, default: float) -> float:
    raw = env(name, str(default))
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number of seconds.") from None


def env_bool(name: str, default: bool) -> bool:
    raw = env(name, "")
    if raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use true or false.")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG=false set SECRET_KEY in the environment, e.g. "
            "export SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tables2",
    "django_filters",
    "csp",
    "simple_history",
    "axes",
    "ninja",  # serves the API docs' Swagger UI from local static files, not a CDN
    "corsheaders",
    "inspections",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cqc_site.middleware.PrivateByDefaultMiddleware",  # admin, posts, forms: private, no-store (sees the session)
    "corsheaders.middleware.CorsMiddleware",  # open CORS on /api/ only (CORS_URLS_REGEX)
    "cqc_site.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files leave here, already gzip/brotli compressed
    "django.middleware.gzip.GZipMiddleware",  # pages; BREACH: see docs/decisions/0004
    "cqc_site.middleware.RejectMalformedInputMiddleware",  # NUL bytes, undecodable input: 400
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "cqc_site.middleware.DatabaseUnavailableMiddleware",  # database unreachable or hung: 503, not 500
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "cqc_site.urls"
WSGI_APPLICATION = "cqc_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # The app's template libraries live in its web layer (inspections/web/), registered here by the names
            # templates `{% load %}`.
            "libraries": {
                "jinja_parts": "inspections.web.templatetags.jinja_parts",
                "registration": "inspections.web.templatetags.registration",
                "rating_styles": "inspections.web.rating_styles",
            },
        },
    },
    # The partials a page repeats hundreds of times (grid, chart, shares, trust list rows) are Jinja2 templates
    # (`*.jinja` beside the others), included from Django's with {% jinja %}; listed second, so a page's own
    # template is always Django's.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "inspections.web.jinja.environment"},
    },
]

# Connections are kept CONN_MAX_AGE seconds and checked before each request reuses them, so a
# database restart costs one reconnect instead of a 500 on every worker.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# A slow or hung database holds a request for a bounded time, then the page is a 503 (cqc_site/postgresql):
# a new connection waits DB_CONNECT_TIMEOUT seconds; the server ends any statement after DB_STATEMENT_TIMEOUT
# milliseconds; and a server that answers nothing at all (hung) is given up 2 s after that. 0 turns off the last two
# (e.g. `DB_STATEMENT_TIMEOUT=0 manage.py migrate` for a long migration on a large table).
DB_STATEMENT_TIMEOUT = env_int("DB_STATEMENT_TIMEOUT", 5000)
if DB_STATEMENT_TIMEOUT < 0:
    raise ImproperlyConfigured(f"DB_STATEMENT_TIMEOUT={DB_STATEMENT_TIMEOUT} must be 0 (off) or more milliseconds.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "cqc_site.postgresql"
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5))
    if DB_STATEMENT_TIMEOUT > 0:
        _options["options"] = f"{_options.get('options', '')} -c statement_timeout={DB_STATEMENT_TIMEOUT}".strip()
        _options["answer_timeout"] = DB_STATEMENT_TIMEOUT / 1000 + 2
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Page cache (inspections/web/page_cache.py): pages are kept until any edit, import or fixture load replaces
# the data version (inspections/changes/version.py). CACHE_URL: locmem:// (default; one process),
# file:///path (shared by the workers of one machine), redis://host:6379/0 (shared by every server), dummy:// (off).
CACHE_BACKENDS = {
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    "file": "django.core.cache.backends.filebased.FileBasedCache",
    "redis": "django.core.cache.backends.redis.RedisCache",
    "dummy": "django.core.cache.backends.dummy.DummyCache",
}
CACHE_URL = env("CACHE_URL", "locmem://")
_cache_scheme = CACHE_URL.partition("://")[0]
if _cache_scheme not in CACHE_BACKENDS:
    raise ImproperlyConfigured(
        f"CACHE_URL={CACHE_URL!r}: use locmem://, file:///path, redis://host:port/db or dummy://."
    )
CACHES = {
    "default": {
        "BACKEND": CACHE_BACKENDS[_cache_scheme],
        "LOCATION": {"file": CACHE_URL.removeprefix("file://"), "redis": CACHE_URL}.get(_cache_scheme, ""),
        "OPTIONS": {"MAX_ENTRIES": 2000} if _cache_scheme in ("locmem", "file") else {},
    }
}

# The data version is one database row (inspections/changes/version.py), so every process agrees whatever the
# cache; each process holds what it read for at most DATA_VERSION_SECONDS (a change made elsewhere shows that late).
DATA_VERSION_SECONDS = env_float("DATA_VERSION_SECONDS", 1.0)
# Asking again, a request waits at most DATA_VERSION_WAIT_SECONDS for the database (on a thread of its own), then
# serves under the version it holds: a hung database delays no cached page.
DATA_VERSION_WAIT_SECONDS = env_float("DATA_VERSION_WAIT_SECONDS", 0.5)
# Public pages' Cache-Control (inspections/web/page_cache.py): browsers and a CDN may keep a page PAGE_MAX_AGE
# seconds, then serve it up to PAGE_STALE_SECONDS more while they ask again (the ETag answers 304 if unchanged).
PAGE_MAX_AGE = env_int("PAGE_MAX_AGE", 60)
PAGE_STALE_SECONDS = env_int("PAGE_STALE_SECONDS", 600)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in lockout (django-axes, database handler: shared by every worker, survives restarts).
# Five failures for one user name, or from one address, within 15 minutes refuse further sign-ins
# from it for 15 minutes, even with the right password. A success does not clear earlier failures
# (else one valid account would reset an address's count); `manage.py axes_reset` unlocks by hand.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "cqc_site.middleware.lockout_response"
AXES_CLIENT_IP_CALLABLE = "cqc_site.proxies.client_ip"
# Failures are logged with the address; user names are masked (people type passwords there).
AXES_SENSITIVE_PARAMETERS = ["username"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# plotly.min.js comes from the installed plotly package, served as /static/plotly/plotly.min.js:
# no CDN, so pages work offline and the Content-Security-Policy can stay 'self'.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "cqc_site.plotly_static.PlotlyJsFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Browser features no page uses, switched off (Permissions-Policy header, cqc_site/middleware.py).
PERMISSIONS_POLICY = [
    "accelerometer",
    "camera",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "payment",
    "usb",
]

# Every page names static files through {% static %}, so only the hashed copies are kept and
# compressed (gzip and, with Brotli installed, brotli): half the files for collectstatic to compress.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
# The feeds' stylesheet (web/feeds.py): browsers apply an XSLT only when it is served as one (pages are nosniff).
WHITENOISE_MIMETYPES = {".xsl": "text/xsl"}

# Strict Content-Security-Policy: scripts only from this site, never inline.
# plotly.js injects its own <style> rules, so styles allow 'unsafe-inline' (scripts never do).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
# How many proxies in front of gunicorn append the address they were reached from to X-Forwarded-For.
# The client's address (sign-in lockout, API rate limit, access log) is read that far from the right and
# no further (cqc_site/proxies.py); 0 ignores the header. django-ninja's throttles read the same count.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if BEHIND_TLS_PROXY else 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT={TRUSTED_PROXY_COUNT} must be 0 or more.")
NINJA_NUM_PROXIES = TRUSTED_PROXY_COUNT
# Behind a TLS proxy, plain-HTTP requests are redirected; HSTS is opt-in because it is hard to undo.
SECURE_SSL_REDIRECT = BEHIND_TLS_PROXY
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0)
# Subdomains and preload bind every subdomain and browsers' built-in lists too: each is its own choice.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)

# The JSON API is open data: any site may read it from a browser; nothing else is shared across origins.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False
# Requests per client address per minute on the API; past it, 429 with Retry-After.
API_RATE_LIMIT = env("API_RATE_LIMIT", "120/m")

# How many NHS trusts England has, for /national/'s "we hold N of them" (issue 28): the figure issue 28 gives, with its
# source as it names it. A fact with its source, changed by a commit when the source changes, not by the environment.
NHS_TRUSTS_IN_ENGLAND = 205
NHS_TRUSTS_IN_ENGLAND_SOURCE = "NHS Organisation Data Service (ODS), open NHS trusts at the end of 2025"
# Below this many trusts held, /national/ leads with how few it holds and leaves out the shares and the map, which
# would read as a national picture drawn from a handful of trusts.
NATIONAL_PICTURE_MIN_TRUSTS = 20

DJANGO_TABLES2_TEMPLATE = "_partials/table.html"

# CQC's public Syndication API, read by `manage.py import_cqc` (not by any page).
CQC_API_URL = env("CQC_API_URL", "https://api.service.cqc.org.uk/public/v1")
CQC_API_KEY = env("CQC_API_KEY", "")
# The User-Agent the import sends: the site's name and a contact address, as CQC asks of its API's clients.
# Empty: a default naming the project only, and the command says to set it.
CQC_USER_AGENT = env("CQC_USER_AGENT", "")

# Where the whole-dataset downloads are written, once per data version (inspections/publishing/dataset_files.py).
DOWNLOADS_DIR = env("DOWNLOADS_DIR", str(Path(tempfile.gettempdir()) / "cqc-downloads"))

# Email (alerts: inspections/alerts/). EMAIL_URL names the backend and server in one value (dj-email-url):
# console:// prints each message (the default, as in `make run`), smtp://user:password@host:587/?tls=True sends,
# memory:// keeps them in memory (Django's locmem backend; tests use it whatever is set), dummy:// drops them.
# Characters such as @ in the password are percent-encoded (%40).
EMAIL_URL = env("EMAIL_URL", "console://")
try:
    _email = dj_email_url.parse(EMAIL_URL)
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]  # absent for a scheme dj-email-url does not know
except (KeyError, ValueError):
    raise ImproperlyConfigured(
        f"EMAIL_URL={EMAIL_URL!r}: use console://, smtp://user:password@host:587/?tls=True, smtps://..., memory:// "
        "or dummy://."
    ) from None
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = _email["EMAIL_TIMEOUT"] or 30  # seconds: a mail server that hangs fails that message, not the run
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "NHS trust inspection histories <alerts@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's address as a reader reaches it, for the links in alert emails (sent by a command, with no request).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Alert sign-ups allowed per email address and per client address (cqc_site/proxies.py) in an hour.
ALERT_SIGNUPS_PER_ADDRESS = env_int("ALERT_SIGNUPS_PER_ADDRESS", 3)
ALERT_SIGNUPS_PER_IP = env_int("ALERT_SIGNUPS_PER_IP", 20)

# One line per event on stderr. A request with a Host not in ALLOWED_HOSTS is a warning of one
# line (bots send thousands), not an error with a traceback.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_warning": {"()": "cqc_site.logs.OneLineWarning"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "console_one_line": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["one_line_warning"]},
    },
    "loggers": {
        "django.security.DisallowedHost": {"handlers": ["console_one_line"], "propagate": False},
        "axes.apps": {"level": "WARNING"},  # a version banner at every start-up, even of `check`
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}
