"""Settings for Expertisekaart, read from the environment.

Safe defaults for local use: SQLite in the project folder, DEBUG off unless DJANGO_DEBUG says
otherwise. Production (DEBUG off) refuses to start without DJANGO_SECRET_KEY.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from expertisekaart.logs import json_logs_on

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it (50+ random characters) for production, "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only-never-use-in-production"

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # SimpleAdminConfig with our AdminSite (two-factor sign-in): autodiscovery would import
    # leaflet.admin, which needs GDAL (GeoDjango).
    "expertisekaart.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Trigram lookups and search types; its lookups register on PostgreSQL connections only.
    "django.contrib.postgres",
    "django_filters",
    "leaflet",
    "phonenumber_field",
    "csp",
    "simple_history",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "netwerk",
]

MIDDLEWARE = [
    # First: every log line written while answering carries the request's id.
    "expertisekaart.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks a user who has given their two-factor code in this session (request.user.otp_device).
    "django_otp.middleware.OTPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "expertisekaart.headers.SecurityHeadersMiddleware",
    "expertisekaart.headers.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "expertisekaart.urls"
WSGI_APPLICATION = "expertisekaart.wsgi.application"

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
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "expertisekaart.context_processors.network",
            ],
        },
    },
]
# Django's form renderer with the common widget templates written in Python (see the module).
FORM_RENDERER = "expertisekaart.form_renderer.FastWidgetRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that accepts connections but never answers must not hang a worker (or /healthz).
    # The statement timeout is meant for web requests: wsgi.py gives it a default, manage.py
    # (migrations, imports, the bench) runs without one unless the environment sets it.
    database_options = DATABASES["default"].setdefault("OPTIONS", {})
    database_options["connect_timeout"] = envint("DATABASE_CONNECT_TIMEOUT", 5)
    if statement_timeout_ms := envint("DATABASE_STATEMENT_TIMEOUT_MS", 0):
        database_options["options"] = " ".join(
            [database_options.get("options", ""), f"-c statement_timeout={statement_timeout_ms}"]
        ).strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

# Shared by all processes in Redis (REDIS_URL), else each process's own memory. A Redis that is
# down or slow costs a request at most one short timeout: the cache then answers as an empty one
# for REDIS_RETRY_SECONDS, with a warning in the log (expertisekaart/cache.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_TIMEOUT_SECONDS = float(os.environ.get("REDIS_TIMEOUT_SECONDS") or 0.25)
CACHES = {
    "default": (
        {
            "BACKEND": "expertisekaart.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            # For installations sharing one Redis database.
            "KEY_PREFIX": os.environ.get("REDIS_KEY_PREFIX", ""),
            "RETRY_SECONDS": float(os.environ.get("REDIS_RETRY_SECONDS") or 5),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
            },
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# A rate limit whose counter cannot be read (Redis down) lets the request through: the pages
# keep answering, unlimited until Redis is back.
RATELIMIT_FAIL_OPEN = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "expertisekaart.passwords.DutchMinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Brute-force protection (django-axes) on the admin and the site login: after
# AXES_FAILURE_LIMIT failed attempts for one user name from one address, that pair is locked
# for AXES_COOLOFF_HOURS. Locking on the pair keeps an attacker from locking out a coordinator.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Its log lines name the path only, not the user name and address (expertisekaart/logs.py).
AXES_CLIENT_STR_CALLABLE = "expertisekaart.logs.axes_client_without_personal_data"

# Behind a reverse proxy every request comes from the proxy: name the header (as a META key, e.g.
# HTTP_X_REAL_IP) in which the proxy passes the visitor's address, for rate limits and axes.
CLIENT_IP_HEADER = os.environ.get("DJANGO_CLIENT_IP_HEADER", "")
if CLIENT_IP_HEADER:
    RATELIMIT_IP_META_KEY = CLIENT_IP_HEADER
    AXES_IPWARE_META_PRECEDENCE_ORDER = (CLIENT_IP_HEADER, "REMOTE_ADDR")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "expertisekaart@localhost")

# Security: strict by default in production, relaxed only for local development over http.
SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
# The public pages may be embedded (?embed=1) in the network's own website: framing is governed by
# CSP frame-ancestors (DJANGO_FRAME_ANCESTORS, below; the admin and sign-in pages send 'none',
# see expertisekaart/headers.py). X-Frame-Options would overrule it, so it is not sent, and
# the deploy check that asks for its middleware is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W002"]
# No page uses these browser features (there is no "use my location" in the search).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    ]
)

TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-bijdragers',
)


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0].replace('{s}', '*')}"


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", _origin(TILE_URL)],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        # Set but empty means: no site may frame the pages.
        "frame-ancestors": envlist("DJANGO_FRAME_ANCESTORS", "'self'") or ["'none'"],
    }
}

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (52.09, 5.12),
    "DEFAULT_ZOOM": 9,
    "MIN_ZOOM": 6,
    "MAX_ZOOM": 18,
    "TILES": [("OpenStreetMap", TILE_URL, {"attribution": TILE_ATTRIBUTION, "maxZoom": 19})],
    "ATTRIBUTION_PREFIX": "Leaflet",
    "RESET_VIEW": False,
    "PLUGINS": {
        "markercluster": {
            "css": [
                "vendor/leaflet.markercluster-1.5.3/MarkerCluster.css",
                "vendor/leaflet.markercluster-1.5.3/MarkerCluster.Default.css",
            ],
            "js": ["vendor/leaflet.markercluster-1.5.3/leaflet.markercluster.js"],
            "auto-include": True,
        }
    },
}

# The network this installation serves: name, logo and brand colour drive the theme.
NETWORK_NAME = os.environ.get("NETWORK_NAME", "Netwerk Palliatieve Zorg (demo)")
NETWORK_SHORT_NAME = os.environ.get("NETWORK_SHORT_NAME", "Expertisekaart")
NETWORK_BRAND_COLOUR = os.environ.get("NETWORK_BRAND_COLOUR", "#00567a")
NETWORK_LOGO_URL = os.environ.get("NETWORK_LOGO_URL", "")
NETWORK_CONTACT_EMAIL = os.environ.get("NETWORK_CONTACT_EMAIL", "coordinator@example.org")

# Two-factor sign-in (expertisekaart/two_factor.py): administrators and coordinators give a code
# from an authenticator app after their password. On in production; off with DEBUG, so local
# development and the tests sign in with a password only unless they switch it on.
TWO_FACTOR_REQUIRED = envbool("DJANGO_TWO_FACTOR", not DEBUG)
# The name the authenticator app shows beside the code.
OTP_TOTP_ISSUER = NETWORK_SHORT_NAME
# After a wrong code the next try waits 1 s, then 2, 4, 8... (never 0: that turns it off).
OTP_TOTP_THROTTLE_FACTOR = 1

# Availability of a place counts as unknown when not updated within this many days.
PLACE_FRESHNESS_DAYS = envint("PLACE_FRESHNESS_DAYS", 7)
# Per care setting (the values of netwerk.places.places.CareSetting); each falls back to the above.
PLACE_FRESHNESS_DAYS_BY_SETTING = {
    "hospice": envint("PLACE_FRESHNESS_DAYS_HOSPICE", PLACE_FRESHNESS_DAYS),
    "instelling": envint("PLACE_FRESHNESS_DAYS_INSTELLING", PLACE_FRESHNESS_DAYS),
    "thuis": envint("PLACE_FRESHNESS_DAYS_THUIS", PLACE_FRESHNESS_DAYS),
}
# Requests per IP address to the update links of teams without an account (django-ratelimit).
PLACE_UPDATE_LINK_RATE = os.environ.get("PLACE_UPDATE_LINK_RATE", "60/h")

# An update link works for this many days after it was made (renewing makes a new one); the
# start page lists links within UPDATE_LINK_WARNING_DAYS of the end.
UPDATE_LINK_VALID_DAYS = envint("UPDATE_LINK_VALID_DAYS", 365)
UPDATE_LINK_WARNING_DAYS = envint("UPDATE_LINK_WARNING_DAYS", 30)

# Organisations not verified for this many months are listed as "te controleren".
VERIFICATION_MONTHS = envint("VERIFICATION_MONTHS", 6)

# Spreadsheet imports in the admin: larger files are refused before they are read.
IMPORT_MAX_BYTES = envint("IMPORT_MAX_KILOBYTES", 2048) * 1024
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 5000)

# Locations placed on their address (postcode + house number) by PDOK Locatieserver, the free
# national service on the BAG, when a location is saved or imported without coordinates; the
# PC4 centroid when it is off, unreachable or does not know the address. Off unless switched on
# (the site needs network access); the tests fake the service.
GEOCODING_PDOK = envbool("GEOCODING_PDOK", False)
GEOCODING_PDOK_URL = os.environ.get(
    "GEOCODING_PDOK_URL", "https://api.pdok.nl/bzk/locatieserver/search/v3_1/free"
)
GEOCODING_TIMEOUT_SECONDS = float(os.environ.get("GEOCODING_TIMEOUT_SECONDS", "3"))
# django-import-export: a confirmed import is one transaction, and row changes land in history.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Off: it strips a leading "=" and so changes the data; netwerk/spreadsheet_cells.py quotes
# formula-like cells instead (OWASP), and the import takes the quote off again.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False

# "Meld een fout": at most this many reports per address (django-ratelimit syntax), and this long.
ERROR_REPORT_RATE = os.environ.get("ERROR_REPORT_RATE", "5/h")
ERROR_REPORT_MAX_LENGTH = 2000

PHONENUMBER_DEFAULT_REGION = "NL"
PHONENUMBER_DB_FORMAT = "E164"
PHONENUMBER_DEFAULT_FORMAT = "NATIONAL"

# One JSON object per line with the request's id (DJANGO_LOG_JSON, on in production), else
# plain lines; never personal data or update-link tokens (expertisekaart/logs.py).
LOG_JSON = json_logs_on()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Update-link tokens never reach the log (Django writes the path of a 404 or a CSRF failure).
    "filters": {
        "redact_secrets": {"()": "expertisekaart.log_redaction.RedactSecrets"},
        "request_id": {"()": "expertisekaart.logs.RequestIdFilter"},
    },
    "formatters": {
        "json": {"()": "expertisekaart.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact_secrets", "request_id"],
            **({"formatter": "json"} if LOG_JSON else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# Errors reported to Sentry (or a compatible service such as GlitchTip) when SENTRY_DSN is set;
# off by default. Without personal data (expertisekaart/error_tracking.py).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from expertisekaart.error_tracking import error_tracking_start

    error_tracking_start(SENTRY_DSN, environment=os.environ.get("SENTRY_ENVIRONMENT", ""))

# Personal data (AVG). `manage.py purge_expired`, run daily, removes login records (django-axes:
# user name, IP address, user agent) older than LOGIN_RECORDS_RETENTION_DAYS, and the reporter's
# e-mail address of error reports older than ERROR_REPORT_EMAIL_RETENTION_DAYS (closing a report
# removes it at once). The privacy page states both periods.
LOGIN_RECORDS_RETENTION_DAYS = envint("LOGIN_RECORDS_RETENTION_DAYS", 90)
ERROR_REPORT_EMAIL_RETENTION_DAYS = envint("ERROR_REPORT_EMAIL_RETENTION_DAYS", 183)
# Registrations for the agenda's events (name, e-mail address, organisation) are removed this
# many days after the event ended; the privacy page states it.
EVENT_REGISTRATION_RETENTION_DAYS = envint("EVENT_REGISTRATION_RETENTION_DAYS", 30)
EVENT_REGISTRATION_RATE = os.environ.get("EVENT_REGISTRATION_RATE", "10/h")

# Open data (netwerk/open_data, /api/v1/ and /open-data/): the licence it is published under,
# the requests per address per period to the API (django-ratelimit syntax), where
# `manage.py export_open_data` writes its dated downloads and how many it keeps, and the site's
# own address for links in a download made outside a request.
OPEN_DATA_LICENCE_NAME = os.environ.get("OPEN_DATA_LICENCE_NAME", "CC BY 4.0")
OPEN_DATA_LICENCE_URL = os.environ.get(
    "OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/deed.nl"
)
OPEN_DATA_API_RATE = os.environ.get("OPEN_DATA_API_RATE", "600/h")
OPEN_DATA_EXPORT_DIR = Path(os.environ.get("OPEN_DATA_EXPORT_DIR", BASE_DIR / "open-data"))
OPEN_DATA_EXPORTS_KEPT = envint("OPEN_DATA_EXPORTS_KEPT", 14)
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000")

# Neighbours (netwerk/neighbours, `manage.py sync_neighbours`): how long one request to a
# neighbour's API may take in all, how large one page may be, how many pages one list may have,
# and whether a neighbour's address must use https (off only for development and tests).
NEIGHBOUR_TIMEOUT_SECONDS = envint("NEIGHBOUR_TIMEOUT_SECONDS", 10)
NEIGHBOUR_MAX_PAGE_BYTES = envint("NEIGHBOUR_MAX_PAGE_BYTES", 5_000_000)
NEIGHBOUR_MAX_PAGES = envint("NEIGHBOUR_MAX_PAGES", 100)
NEIGHBOUR_HTTPS_ONLY = envbool("NEIGHBOUR_HTTPS_ONLY", not DEBUG)
