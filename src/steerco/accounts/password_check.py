"""A recent password check on the browser session, asked for before sensitive changes.

Creating or revoking API tokens needs it: a stolen session cookie or an unattended
browser should not be enough to mint a token that outlives the session, and a leaked
token, which never has a session, cannot do it at all. Typing the password (logging in,
changing it, or the "Confirm your password" page) records the moment in the session;
the check holds for ``PASSWORD_CHECK_VALID`` after that.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.http import HttpRequest
from django.utils import timezone

PASSWORD_CHECK_VALID = timedelta(minutes=10)
SESSION_KEY = "accounts_password_checked_at"


def password_check_record(request: HttpRequest) -> None:
    """Note that the user has just typed their password correctly in this session."""
    request.session[SESSION_KEY] = timezone.now().timestamp()


def password_check_valid_until(request: HttpRequest) -> datetime | None:
    """When this session's password check lapses, or None if there is no current one."""
    session = getattr(request, "session", None)
    checked_at = session.get(SESSION_KEY) if session is not None else None
    if not isinstance(checked_at, int | float):
        return None
    until = datetime.fromtimestamp(checked_at, tz=timezone.get_current_timezone())
    until += PASSWORD_CHECK_VALID
    return until if until > timezone.now() else None


def password_checked_recently(request: HttpRequest) -> bool:
    return password_check_valid_until(request) is not None
