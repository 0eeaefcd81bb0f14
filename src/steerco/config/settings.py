"""Settings for SteerCo, read from the environment.

Local use needs no configuration at all: the database is a SQLite file and the secret
key is generated once and kept in the data directory. Production deployments use
``steerco.config.production`` and must set SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
CHECKOUT_DIR = PACKAGE_DIR.parent.parent


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("STEERCO_DATA_DIR") or CHECKOUT_DIR / "var").resolve()


def _private_data_dir() -> None:
    """Create the data directory readable by its owner only: it holds the secret key and the
    SQLite database. An existing directory is left as its owner set it."""
    DATA_DIR.parent.mkdir(parents=True, exist_ok=True)
    DATA_DIR.mkdir(mode=0o700, exist_ok=True)


def _local_secret_key() -> str:
    """Keep a generated key in the data directory so sessions survive restarts."""
    _private_data_dir()
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
DEBUG = env_flag("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "steerco.core",
    "steerco.ui",
    "steerco.accounts",
    "steerco.resources",
    "steerco.projects",
    "steerco.plans",
    "steerco.logs",
    "steerco.staffing",
    "steerco.bookings",
    "steerco.jobs",
    "steerco.home",
    "steerco.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "steerco.core.middleware.SecurityHeadersMiddleware",
    "steerco.core.middleware.UploadLimitMiddleware",
    "steerco.core.middleware.ApiErrorShapeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "steerco.core.middleware.SessionTimeoutMiddleware",
    "steerco.core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "steerco.config.urls"
WSGI_APPLICATION = "steerco.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "steerco.ui.context_processors.navigation",
            ],
        },
    }
]

DEFAULT_SQLITE_FILE = DATA_DIR / "steerco.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_FILE}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets pages read while a worker writes; the busy timeout turns lock waits
    # into short pauses instead of "database is locked" errors.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    if Path(DATABASES["default"]["NAME"]) == DEFAULT_SQLITE_FILE:
        _private_data_dir()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sessions end after 8 hours without a request, and two weeks after the login however busy
# (steerco.core.middleware.SessionTimeoutMiddleware).
STEERCO_SESSION_IDLE_TIMEOUT = timedelta(
    hours=float(os.environ.get("STEERCO_SESSION_IDLE_HOURS", "8"))
)
SESSION_COOKIE_AGE = int(timedelta(days=14).total_seconds())

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (steerco.accounts.throttle): a username is locked after
# STEERCO_LOGIN_FAILURE_LIMIT failures from anywhere, an address after
# STEERCO_LOGIN_ADDRESS_FAILURE_LIMIT failures across usernames, each for AXES_COOLOFF_TIME.
AXES_HANDLER = "steerco.accounts.throttle.LoginThrottle"
AXES_FAILURE_LIMIT = int(os.environ.get("STEERCO_LOGIN_FAILURE_LIMIT", "5"))
STEERCO_LOGIN_ADDRESS_FAILURE_LIMIT = int(
    os.environ.get("STEERCO_LOGIN_ADDRESS_FAILURE_LIMIT", "20")
)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Guesses made while locked do not restart the clock, so nobody can keep a user out for ever.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "steerco.accounts.throttle.client_address"
# Which reverse proxies' X-Forwarded-For to believe: their number ("1") or their addresses or
# networks ("10.0.0.5,10.1.0.0/16"). Unset, the connection's address is the client's.
STEERCO_TRUSTED_PROXIES: int | list[str] = (
    int(_proxies)
    if (_proxies := os.environ.get("STEERCO_TRUSTED_PROXIES", "").strip()).isdigit()
    else env_list("STEERCO_TRUSTED_PROXIES", [])
)
# Password-reset requests (steerco.accounts.throttle): at most this many per hour for one
# e-mail address, and as many from one client address; beyond that the page answers as
# usual but no e-mail goes out.
STEERCO_PASSWORD_RESET_LIMIT = int(os.environ.get("STEERCO_PASSWORD_RESET_LIMIT", "5"))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("STEERCO_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Serve assets straight from the apps too, so `steerco serve` works before (or without)
# `collectstatic`; production settings turn this off and serve the collected files.
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"

# Locally e-mails are printed; naming an SMTP host is enough to send them for real.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "steerco@localhost")
if os.environ.get("EMAIL_HOST"):
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", True)

TASKS = {
    "default": {
        "BACKEND": os.environ.get("STEERCO_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# A running job tells the database it is alive at least every 30 s while it reports its
# progress; one that has said nothing for this many minutes is taken for abandoned (its
# worker was killed) and is queued once more or marked failed (steerco.jobs.services).
STEERCO_JOB_STALE_MINUTES = int(os.environ.get("STEERCO_JOB_STALE_MINUTES", "10"))
# A running worker purges, once a day, the projects that have been in the trash for 30
# days (steerco.projects.tasks); false leaves that to `steerco purge_trash`.
STEERCO_TRASH_PURGE = env_flag("STEERCO_TRASH_PURGE", True)

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
SIMPLE_HISTORY_REVERT_DISABLED = True

# Uploads: the largest file each import takes, in bytes, as the import itself checks it
# (plans.transfer.import_limit() reads STEERCO_PLAN_UPLOAD_MAX_BYTES for plan files; the log
# import reads STEERCO_SPREADSHEET_UPLOAD_MAX_BYTES, which may lower the shared spreadsheet
# reader's 10 MB but not raise it). A request to another address may hold
# DATA_UPLOAD_MAX_MEMORY_SIZE (Django's default, 2.5 MB). Larger bodies are refused with
# 413 before they are read (steerco.core.uploads).
# A larger plan limit can be set; Microsoft Project XML files are read up to 50 MB (about
# 100,000 tasks), the reader's own limit.
STEERCO_PLAN_UPLOAD_MAX_BYTES = int(
    os.environ.get("STEERCO_PLAN_UPLOAD_MAX_BYTES") or 20 * 1024 * 1024
)
STEERCO_SPREADSHEET_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
# The addresses that take a file (regular expressions matching the whole path) and its limit.
STEERCO_UPLOAD_LIMITS = [
    (r"/api/v1/projects/\d+/plan/import", STEERCO_PLAN_UPLOAD_MAX_BYTES),
    (r"/projects/\d+/plan/import/", STEERCO_PLAN_UPLOAD_MAX_BYTES),
    (r"/projects/\d+/logs/[-\w]+/import/", STEERCO_SPREADSHEET_UPLOAD_MAX_BYTES),
]

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Sent on every response by steerco.core.middleware.SecurityHeadersMiddleware. Scripts only
# from our own files: no inline script, no event-handler attribute, no eval (htmx is told not
# to, in ui/base.html). Styles only from our own stylesheets: no <style> element and no style
# attribute in any page (tests/core/test_security_headers.py checks the templates and the
# HTML built in Python; the browser tests fail on any refusal). The plan grid indents by
# class and the Gantt chart on the page takes its look from plans/gantt.css. Scripts may
# still set element.style through the DOM (the plan's divider does), which style-src allows.
STEERCO_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# No page uses a camera, microphone, location, payment or sensors; copying to the clipboard
# (API tokens) is the one feature we use, for our own pages only.
STEERCO_PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "camera=()",
        "geolocation=()",
        "gyroscope=()",
        "magnetometer=()",
        "microphone=()",
        "payment=()",
        "usb=()",
        "browsing-topics=()",
        "clipboard-write=(self)",
    ]
)

# Production settings set this to True; `steerco demo` refuses to run then.
STEERCO_PRODUCTION = False

# Where links in e-mails point: the address people open SteerCo at.
STEERCO_BASE_URL = os.environ.get("STEERCO_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# When a running worker sends the daily digest (local time, HH:MM), or "off".
STEERCO_DIGEST_TIME = os.environ.get("STEERCO_DIGEST_TIME", "07:00")
# How many days ahead the digest looks for actions and reviews coming due.
STEERCO_DIGEST_HORIZON_DAYS = int(os.environ.get("STEERCO_DIGEST_HORIZON_DAYS", "7"))
# How far ahead a recurring booking's occurrences exist as bookings (and so block others).
STEERCO_BOOKING_HORIZON_DAYS = int(os.environ.get("STEERCO_BOOKING_HORIZON_DAYS", "365"))

# The schedule's RAG (docs/glossary.md, "Schedule RAG"): a forecast finish up to this many
# working days after the approved baseline (or, without one, the planned finish) is green,
# up to the second figure amber, later than that red.
STEERCO_SCHEDULE_GREEN_DAYS = int(os.environ.get("STEERCO_SCHEDULE_GREEN_DAYS", "5"))
STEERCO_SCHEDULE_AMBER_DAYS = int(os.environ.get("STEERCO_SCHEDULE_AMBER_DAYS", "20"))
