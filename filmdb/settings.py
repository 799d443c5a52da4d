"""filmdb settings: one file, configured by environment variables.

Local defaults need no server (SQLite, local-memory cache, DEBUG on). Production is
`DJANGO_DEBUG=0` plus `DJANGO_SECRET_KEY` and `DJANGO_ALLOWED_HOSTS`; docs/configuration.md
lists every variable.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.log import DEFAULT_LOGGING

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 0 or 1 (got {value!r}).")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {value!r}).") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        # Refuse to start rather than sign sessions with a key anyone can read.
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG=0 filmdb needs a secret key: "
            "set DJANGO_SECRET_KEY to a long random string."
        )
    SECRET_KEY = "django-insecure-local-development-key-never-used-with-debug-off"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "filmdb",  # first: its templates/admin/ override the admin's own
    "filmdb.admin_site.FilmdbAdminConfig",  # django.contrib.admin with our site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "ninja",  # the API docs page's Swagger UI, served from here (no CDN)
    "reversion",
    "axes",
    "films",
    "people",
    "reviews",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the app server: compressed, hashed names, cached for a year.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The API's limit per address: outside the page cache, whose answers count too.
    "filmdb.api.rate_limit.RateLimitMiddleware",
    # ETag revalidation: a matching If-None-Match is answered with 304 and no body.
    "django.middleware.http.ConditionalGetMiddleware",
    # Cached pages for visitors, served before sessions, URL resolving and views.
    "filmdb.lib.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "filmdb.lib.csp.SitePolicyCSPMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "filmdb.urls"

TEMPLATES = [
    # The public pages, in Jinja2 (why: filmdb/templating.py).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "filmdb.templating.environment"},
    },
    # The admin's and the form widgets' templates (theirs and filmdb/templates/).
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "filmdb.wsgi.application"

POSTGRESQL = "django.db.backends.postgresql"
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# An index's included columns (films_film_status_newest_idx) serve PostgreSQL; SQLite
# builds the index without them, as it should.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # `.iterator()` (forms' model choices) reads through a client-side cursor: a
    # server-side one took three round trips for the search form's twenty genres, and a
    # transaction-pooling PgBouncer cannot keep one across transactions either.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    # A server that accepts and never answers would hold each request for psycopg's
    # default of 130 s, past gunicorn's 30 s that kills the worker: give up after a few
    # seconds with an error (503 from /healthz). A `connect_timeout` in DATABASE_URL wins.
    db_timeout_seconds = env_int("DJANGO_DB_CONNECT_TIMEOUT_SECONDS", 5)
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", db_timeout_seconds)
    # A connection kept between requests (CONN_MAX_AGE) whose server vanishes from the
    # network would wait on the kernel's retransmissions for a quarter of an hour: a query
    # the server has not acknowledged within the same few seconds ends the connection
    # (an error, and the next request connects anew), and an idle one is probed.
    for option, value in {
        "tcp_user_timeout": db_timeout_seconds * 1000,
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 5,
        "keepalives_count": 3,
    }.items():
        DATABASES["default"]["OPTIONS"].setdefault(option, value)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DJANGO_DB_PREPARED_STATEMENTS", True
):
    # Parameters bound on the server, and a query run five times on a connection is
    # prepared there: PostgreSQL plans it once per connection instead of on every request
    # (the film page's query took 0.25 ms instead of 0.8 ms). Turn it off behind a
    # transaction-pooling PgBouncer older than 1.21, which cannot keep prepared statements.
    DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=5)

# Visitors' reads from PostgreSQL streaming replicas (filmdb/lib/replicas.py): each URL
# becomes the database `replica_1`, `replica_2`, … Without any, everything reads from the
# primary as before and neither router nor middleware is installed.
DATABASE_REPLICAS = []
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    # No health check of its own: the replay check, a request's first query there, is one
    # (filmdb/lib/replicas.py), and a request saves Django's `SELECT 1`.
    replica = dj_database_url.parse(url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"])
    if not replica["ENGINE"] == DATABASES["default"]["ENGINE"] == POSTGRESQL:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URLS needs PostgreSQL, for the replicas and in DATABASE_URL."
        )
    # The primary's options (prepared statements, client-side cursors), and a short connect
    # timeout: a replica that is down costs a visitor this long once, then it is skipped.
    replica["OPTIONS"] = {
        **DATABASES["default"]["OPTIONS"],
        "connect_timeout": env_int("DATABASE_REPLICA_CONNECT_TIMEOUT_SECONDS", 2),
        **replica.get("OPTIONS", {}),
    }
    replica["DISABLE_SERVER_SIDE_CURSORS"] = True
    # Tests read the test database through it, as the replica would replay it.
    replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica_{number}"] = replica
    DATABASE_REPLICAS.append(f"replica_{number}")
# A replica further behind than this many seconds is skipped for
# DATABASE_REPLICA_RETRY_SECONDS, and the primary serves in its place.
DATABASE_REPLICA_MAX_LAG = env_int("DATABASE_REPLICA_MAX_LAG", 10)
DATABASE_REPLICA_RETRY_SECONDS = env_int("DATABASE_REPLICA_RETRY_SECONDS", 10)
# A replica seen to have replayed a WAL position is read for content up to it without
# asking again for this many seconds (0: ask on every request); its lag is asked anew
# after them, and whenever content newer than it saw is to be read.
DATABASE_REPLICA_CHECK_SECONDS = env_int("DATABASE_REPLICA_CHECK_SECONDS", 1)
if DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["filmdb.lib.replicas.ReplicaRouter"]
    # Right inside the page cache: it reads the content version a replica must have reached.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("filmdb.lib.page_cache.PageCacheMiddleware") + 1,
        "filmdb.lib.replica_reads.ReplicaReadMiddleware",
    )

REDIS_URL = env_str("REDIS_URL")
REDIS_TIMEOUT_MS = env_int("DJANGO_REDIS_TIMEOUT_MS", 1000)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "filmdb.lib.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            # Several sites (or test runs) on one Redis database keep apart by it.
            "KEY_PREFIX": env_str("DJANGO_CACHE_KEY_PREFIX"),
            # A Redis that does not answer costs a page this long at most, not redis-py's
            # 5 s per call; the backend then skips it for a while (filmdb/lib/redis_cache.py).
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_MS / 1000,
                "socket_timeout": REDIS_TIMEOUT_MS / 1000,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole public pages for visitors (filmdb/lib/page_cache.py); 0 turns page caching off. A
# change to the content retires every cached page at once, so this only bounds how long
# an unvisited page takes up room.
PAGE_CACHE_SECONDS = env_int("DJANGO_PAGE_CACHE_SECONDS", 600)

# Requests to the JSON API (/api/v1/) per client address and minute, across every worker
# and app server (in Redis; filmdb/api/rate_limit.py); more are answered 429. 0 turns the
# limit off.
API_RATE_LIMIT = env_int("DJANGO_API_RATE_LIMIT", 120)
if API_RATE_LIMIT < 0:
    raise ImproperlyConfigured(
        f"DJANGO_API_RATE_LIMIT must be 0 (no limit) or more (got {API_RATE_LIMIT})."
    )

# Visitors' searches on PostgreSQL end after this many milliseconds with a German page
# (filmdb/lib/timeouts.py): no single search ties up a worker. 0 turns the limit off.
SEARCH_TIMEOUT_MS = env_int("DJANGO_SEARCH_TIMEOUT_MS", 2000)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a login while its account and address, or its address, are locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed admin logins are counted per account and address: after 10 the right password,
# too, is refused for 15 minutes (a success resets the count). Never per account alone,
# so that nobody can lock an editor out by their name.
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 10)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("DJANGO_LOGIN_LOCKOUT_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# An address that fails 20 times across any accounts (guessing names) is locked as a whole
# for the same time; 0 turns this off (filmdb/logins.py).
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("DJANGO_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_HANDLER = "filmdb.logins.LoginHandler"
AXES_LOCKOUT_CALLABLE = "filmdb.logins.lockout_response"
# Behind proxies every login would come from the proxy's address, and the limit per
# address would lock all editors at once (and the API's limit would count all its clients
# as one): this many proxies in front of gunicorn each append the address they were
# reached from to X-Forwarded-For (0: no proxy; filmdb/lib/client_address.py). Its first
# name, DJANGO_LOGIN_PROXY_COUNT, is still read.
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", env_int("DJANGO_LOGIN_PROXY_COUNT", 0))
AXES_CLIENT_IP_CALLABLE = "filmdb.lib.client_address.client_address"
# Addresses and user agents of logins are deleted after 30 days, on the next login attempt.
LOGIN_RECORD_DAYS = env_int("DJANGO_LOGIN_RECORD_DAYS", 30)
if LOGIN_RECORD_DAYS < 1:
    raise ImproperlyConfigured(
        f"DJANGO_LOGIN_RECORD_DAYS must be 1 or more (got {LOGIN_RECORD_DAYS})."
    )

# Editors' sessions end after a working day, and when the browser closes.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_SECONDS", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch")]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env_str("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names need `collectstatic` first: `make serve` runs it.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded media served by Django itself: for local runs; production uses object storage
# or a web server in front.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", DEBUG)

# A film with 300 credits posts about 2,000 fields from its change page.
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DJANGO_DATA_UPLOAD_MAX_NUMBER_FIELDS", 10_000)

# Production hardening: on whenever DEBUG is off, each switchable by env var for a
# plain-HTTP local run (e.g. DJANGO_SECURE_SSL_REDIRECT=0).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers check health over plain HTTP and take a redirect for a failure.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    # Only behind a proxy that sets this header itself and strips it from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# Warnings and errors to standard error, where gunicorn's log (and `make serve`'s
# terminal) collects them: with DEBUG off Django itself only mails them to ADMINS, and
# a 500's traceback would be lost. Django's "Internal Server Error: /path" names the page.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "django.server": DEFAULT_LOGGING["formatters"]["django.server"],
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain"},
        "django.server": DEFAULT_LOGGING["handlers"]["django.server"],
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        # Through the root's handler alone: Django's own console handler would print
        # each message a second time with DEBUG on.
        "django": {"handlers": [], "level": "INFO"},
        # runserver's request lines, as Django prints them.
        "django.server": DEFAULT_LOGGING["loggers"]["django.server"],
    },
}

# Scripts only from our own files: JSON-LD is data, not script, and the pages need no
# inline script, so no nonces (which would not survive cached pages). Inline styles stay
# allowed for the admin's style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
