"""Settings shared by every environment. Environment-specific modules import this and adjust."""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from .env import env_bool, env_decimal, env_int, env_list, env_str
from .storage import default_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SERVICE_NAME = env_str("SERVICE_NAME", "CSP Returns")
ORGANISATION_NAME = env_str("ORGANISATION_NAME", "West Midlands OPCC")
# Open grants data (reviews/opendata): 360Giving identifiers are "<prefix>-<local id>". A publisher registers its
# prefix with 360Giving; the funder's identifier is its org-id (e.g. GB-GOR-...), or the prefix if it has none.
OPEN_DATA_ID_PREFIX = env_str("OPEN_DATA_ID_PREFIX", "360G-wmopcc")
OPEN_DATA_FUNDER_ID = env_str("OPEN_DATA_FUNDER_ID", OPEN_DATA_ID_PREFIX)
OPEN_DATA_LICENCE = env_str(
    "OPEN_DATA_LICENCE", "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
)

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_tasks_db",
    "simple_history",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # The read-only API (reviews/api/) and its OpenAPI schema.
    "rest_framework",
    "drf_spectacular",
    "boroughs",
    "returns",
    "reviews",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a signed-in user unless its view says otherwise (login, password reset,
    # the accessibility statement and the privacy notice).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # allauth's sign-in steps and "confirm your password" redirects.
    "allauth.account.middleware.AccountMiddleware",
    # Signs people out SESSION_MAX_HOURS after they signed in (it needs the user and the messages).
    "boroughs.middleware.SessionMaxAgeMiddleware",
    "boroughs.middleware.SessionIdleMiddleware",
    # Nothing shown to a signed-in person is kept by a browser or proxy cache.
    "boroughs.middleware.NoStoreForSignedInMiddleware",
    # OPCC staff who must use two-step verification set it up before anything else (MFA_REQUIRED_FOR_OPCC).
    "boroughs.accounts.mfa.RequireMFAMiddleware",
    # Records who made each change in the models' history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "boroughs.context_processors.service",
            ],
            # GOV.UK-style dates and times ("1 January 2027 at 8:06pm") in every template (boroughs/formats.py).
            "builtins": ["boroughs.templatetags.govuk_dates"],
        },
    },
]

# SQLite (development) has the web server and the worker writing at once. WAL lets readers carry on while one
# writes; IMMEDIATE takes the write lock when a transaction begins, so a transaction that reads and then writes
# waits its turn (up to `timeout` seconds) instead of failing at once with "database is locked".
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


# Prepared statements on PostgreSQL (psycopg's server-side binding): every page runs the same few query shapes,
# and parsing and planning them again on each request was most of the database's work: 6-7 ms of its CPU a page
# on the demo, 2-3 ms prepared (docs/benchmark.md). A query is prepared on its second run on a connection, and
# connections live DATABASE_CONN_MAX_AGE seconds. DATABASE_PREPARED_STATEMENTS=false turns it off, as a pooler
# that cannot keep prepared statements (PgBouncer in transaction mode before 1.21) needs.
PREPARED_STATEMENTS = {"server_side_binding": True, "prepare_threshold": 2}


def database(url):
    config = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Options given in the URL's query string win over these defaults.
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # JIT off: at national scale the planner's cost estimates for the grid's forecast sums cross
        # jit_above_cost, and compiling took 35-45 ms of a query that runs in 7-10 ms without it. Short
        # OLTP queries never gain from it. A `?options=` in DATABASE_URL wins.
        prepared = PREPARED_STATEMENTS if env_bool("DATABASE_PREPARED_STATEMENTS", True) else {}
        config["OPTIONS"] = {"options": "-c jit=off", **prepared, **config.get("OPTIONS", {})}
    return config


DATABASES = {"default": database(env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
# Where "/" sends OPCC staff (view_all_boroughs): the review grid. A setting, so boroughs need not import reviews.
OPCC_HOME_URL_NAME = "reviews:grid"
LOGOUT_REDIRECT_URL = "login"

# Accounts: django-allauth signs people in and out, changes and resets passwords, and adds two-step verification
# (boroughs/accounts/). People sign in with their username; there is no sign-up; reset links go by email.
AUTHENTICATION_BACKENDS = ["boroughs.accounts.backends.AuthenticationBackend"]
ACCOUNT_ADAPTER = "boroughs.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_EMAIL_VERIFICATION = "none"
# Nobody outside the service is emailed: a reset asked for an unknown address sends nothing.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Sessions end when the browser closes or after SESSION_IDLE_MINUTES idle: there is no "remember me".
ACCOUNT_SESSION_REMEMBER = False
# Throttles, counted in the shared cache (CACHES) so every app server sees the same counts:
# - 10 failed sign-ins for one username lock it for SIGN_IN_LOCKOUT_MINUTES (the right password is refused too), and
#   20 failures a minute from one address stop that address; a two-step code counts as a sign-in;
# - 3 reset emails per address per 15 minutes, 20 reset requests a minute from one address.
SIGN_IN_LOCKOUT_MINUTES = 15
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"20/m/ip,10/{SIGN_IN_LOCKOUT_MINUTES}m/key",
    "reset_password": "20/m/ip,3/15m/key",
}
# App servers sit behind one proxy that appends the client's address to X-Forwarded-For; the per-address
# throttles read it from there (0 reads REMOTE_ADDR, for a server with no proxy in front).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ACCOUNT_FORMS = {
    "login": "boroughs.accounts.forms.LoginForm",
    "reauthenticate": "boroughs.accounts.forms.ReauthenticateForm",
    "change_password": "boroughs.accounts.forms.ChangePasswordForm",
    "set_password": "boroughs.accounts.forms.SetPasswordForm",
    "reset_password": "boroughs.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "boroughs.accounts.forms.ResetPasswordKeyForm",
}
MFA_ADAPTER = "boroughs.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# allauth refuses two-step verification while an address is unverified, against someone who signs up with
# another person's address; there is no sign-up here, and addresses are set by administrators.
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_FORMS = {
    "authenticate": "boroughs.accounts.forms.AuthenticateForm",
    "reauthenticate": "boroughs.accounts.forms.MFAReauthenticateForm",
    "activate_totp": "boroughs.accounts.forms.ActivateTOTPForm",
    "deactivate_totp": "boroughs.accounts.forms.DeactivateTOTPForm",
    "generate_recovery_codes": "boroughs.accounts.forms.GenerateRecoveryCodesForm",
}
# OPCC reviewers, OPCC admins and superusers must set up two-step verification before they can use the service
# (boroughs/accounts/mfa.py). Production requires it; development and tests offer it to everyone.
MFA_REQUIRED_FOR_OPCC = env_bool("MFA_REQUIRED", False)

# The cache holds the sign-in throttles and the used two-step codes, so it lives in the database that every
# app server shares (`migrate` creates its table: boroughs migration 0005). It also keeps the board's figures
# (reviews/board_cache.py: the board, the annex's appendix, a grid page's summary), an entry per page and change.
# Past MAX_ENTRIES Django culls a third of the entries by key, whatever they hold: Django's default, 300, could be
# passed on a busy day, and a culled throttle or used code would be counted or accepted afresh.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}

# Sessions live in the database so that any number of app servers can share them.
# They expire after SESSION_IDLE_MINUTES without a request (renewed at most once a minute: see below).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# Not saved on every request: boroughs.middleware.SessionIdleMiddleware renews it at most once a minute.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# The warning appears this many seconds before the session ends.
SESSION_WARNING_SECONDS = env_int("SESSION_WARNING_SECONDS", 120)
# However busy they are, people must sign in again this many hours after signing in (boroughs/middleware.py).
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # GOV.UK Frontend's fonts, images and JavaScript, from the pinned npm package.
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
]
STORAGES = {
    # The disk (MEDIA_ROOT), or object storage when STORAGE_URL or AWS_STORAGE_BUCKET_NAME is set: storage.py.
    "default": default_storage(env_str("STORAGE_URL", ""), environ=os.environ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "/media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Django 6.1 mailers. SMTP in production; dev uses the console and tests the memory backend.
EMAIL_BACKEND_PATH = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
_SMTP_OPTIONS = {
    "host": env_str("EMAIL_HOST", "localhost"),
    "port": env_int("EMAIL_PORT", 25),
    "username": env_str("EMAIL_HOST_USER", ""),
    "password": env_str("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS", False),
    "use_ssl": env_bool("EMAIL_USE_SSL", False),
    "timeout": env_int("EMAIL_TIMEOUT", 10),
}


def mailers(backend):
    options = _SMTP_OPTIONS if backend.endswith("smtp.EmailBackend") else {}
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


MAILERS = mailers(EMAIL_BACKEND_PATH)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CSP Returns <no-reply@csp-returns.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# GOV.UK Frontend needs one inline script (it marks the body as JavaScript-enabled);
# it carries the request's nonce, so nothing else inline may run.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The read-only API for analysts (reviews/api/README.md): bearer tokens only (boroughs/accounts/api_auth.py), no
# session, so no CSRF; JSON only (the browsable API would need the session and inline scripts); each
# token's owner may make 120 requests a minute (counted in the shared database cache).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["boroughs.accounts.api_auth.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["boroughs.accounts.api_auth.HoldsARole"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": "120/min"},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CSP Returns API",
    "DESCRIPTION": "Read-only: years, periods, boroughs, projects, indicators, returns, flags and published annexes.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
}

# Background work (emails, reminders, large exports) queues in PostgreSQL through django-tasks-db;
# any number of `manage.py db_worker` processes take it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A failing email is tried again this many times, waiting longer each time.
EMAIL_SEND_ATTEMPTS = env_int("EMAIL_SEND_ATTEMPTS", 5)
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Forecast outturn flags (returns/forecast.py): a likely underspend when the forecast is below this share
# of the allocation, a likely overspend above that one. Read as Decimal strings, never floats.
FORECAST_UNDERSPEND_BELOW = env_decimal("FORECAST_UNDERSPEND_BELOW", "0.90")
FORECAST_OVERSPEND_ABOVE = env_decimal("FORECAST_OVERSPEND_ABOVE", "1.00")
# A year with more project updates than this builds the analysts' workbook on the worker (reviews/data/).
ANALYSTS_WORKBOOK_INLINE_MAX = env_int("ANALYSTS_WORKBOOK_INLINE_MAX", 2000)
# An annex with more rows than this is exported on the worker in every format (reviews/exports/__init__.py).
EXPORT_INLINE_MAX_ROWS = env_int("EXPORT_INLINE_MAX_ROWS", 400)
# The annex PDF is rendered in parts of this many boroughs (memory grows with a part, not with the annex), by up
# to this many processes at once on the worker (reviews/exports/pdf/). Each process holds one part's pages.
ANNEX_PDF_PART_BOROUGHS = env_int("ANNEX_PDF_PART_BOROUGHS", 10)
ANNEX_PDF_PROCESSES = env_int("ANNEX_PDF_PROCESSES", os.cpu_count() or 1)
# The board view's figures are kept this long at most (and rebuilt at once when what they show changes).
BOARD_CACHE_SECONDS = env_int("BOARD_CACHE_SECONDS", 300)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every page it lays out at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
