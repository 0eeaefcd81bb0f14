"""Production settings: secure cookies, HSTS, and nothing generated on the fly.

Required environment: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (PostgreSQL), and EMAIL_HOST
(or EMAIL_BACKEND) so that digests and password resets are sent rather than printed.
Behind a reverse proxy, also STEERCO_TRUSTED_PROXIES (see steerco.accounts.throttle).
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

# Checked before the base settings are read: without SECRET_KEY they would generate and
# store a local key, which a production server must never silently fall back to.
if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")
if not os.environ.get("ALLOWED_HOSTS"):
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the environment for production.")
# Without it the base settings fall back to a SQLite file in the data directory.
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured(
        "DATABASE_URL must be set in the environment for production "
        "(e.g. postgres://steerco:…@db/steerco)."
    )

from steerco.core.checks import NOT_SENDING

from .settings import *  # noqa: F403
from .settings import EMAIL_BACKEND, env_flag

if EMAIL_BACKEND in NOT_SENDING:
    raise ImproperlyConfigured(
        "EMAIL_HOST (or EMAIL_BACKEND) must be set in the environment for production: with "
        f"{EMAIL_BACKEND} digests and password-reset links would be printed or lost."
    )

SECRET_KEY = os.environ["SECRET_KEY"]

DEBUG = False
STEERCO_PRODUCTION = True

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
