"""Deployment checks (``steerco check --deploy``): what a real installation must not run with.

The production settings refuse to start without these (``steerco.config.production``); the
checks say the same of any other settings module a deployment uses.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register

#: E-mail backends that print, keep or drop messages instead of sending them.
NOT_SENDING = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register(Tags.database, deploy=True)
def check_database_is_configured(app_configs, **kwargs):
    database = settings.DATABASES["default"]
    default_file = getattr(settings, "DEFAULT_SQLITE_FILE", None)
    if (
        database["ENGINE"].endswith("sqlite3")
        and default_file is not None
        and Path(str(database["NAME"])) == Path(default_file)
    ):
        return [
            Error(
                "DATABASE_URL is not set, so the data is kept in the local SQLite file "
                f"{default_file}.",
                hint="Set DATABASE_URL, e.g. postgres://steerco:…@db/steerco.",
                id="steerco.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_email_is_sent(app_configs, **kwargs):
    if settings.EMAIL_BACKEND in NOT_SENDING:
        return [
            Error(
                f"E-mail is not sent: EMAIL_BACKEND is {settings.EMAIL_BACKEND}, so daily "
                "digests and password-reset links would be printed or lost.",
                hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) "
                "to send through SMTP, or EMAIL_BACKEND to another sending backend.",
                id="steerco.E002",
            )
        ]
    return []
