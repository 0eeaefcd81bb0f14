from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired

from . import uploads


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Pages require a login; the API authenticates itself and answers 401 instead.

    Redirecting an API client to an HTML login form would hide the real error, so
    requests under /api/ are left to the API's own authentication.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class ApiErrorShapeMiddleware:
    """Give /api/ answers that Django produced outside the API the API's JSON error shape.

    An unknown path under /api/ (Django's 404 page) and a method an operation does not accept
    (django-ninja's plain 405) would otherwise be HTML or text, which clients cannot parse.
    """

    _CODES = {
        404: ("Not found: no such API resource.", "not_found"),
        405: ("This method is not allowed on this resource.", "method_not_allowed"),
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path_info.startswith("/api/")
            and response.status_code in self._CODES
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            from django.http import JsonResponse

            detail, code = self._CODES[response.status_code]
            replacement = JsonResponse(
                {"detail": detail, "code": code, "fields": {}}, status=response.status_code
            )
            if response.has_header("Allow"):
                replacement["Allow"] = response["Allow"]
            return replacement
        return response


class SecurityHeadersMiddleware:
    """Send the Content-Security-Policy and Permissions-Policy on every response.

    Both come from settings (``STEERCO_CONTENT_SECURITY_POLICY``, ``STEERCO_PERMISSIONS_POLICY``).
    A view that ever needs another policy sets the header itself, and it is kept. None does:
    even the API's docs page (django-ninja's Swagger UI) loads only its own script files.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy", settings.STEERCO_CONTENT_SECURITY_POLICY
        )
        response.headers.setdefault("Permissions-Policy", settings.STEERCO_PERMISSIONS_POLICY)
        return response


class SessionTimeoutMiddleware:
    """End a signed-in session after ``STEERCO_SESSION_IDLE_TIMEOUT`` without a request, or
    ``SESSION_COOKIE_AGE`` after the login however busy it was.

    Django alone offers one or the other: its expiry is absolute unless every request saves
    the session, which then makes it idle-only. The session keeps when it started and when it
    was last used; the latter is written at most once a minute, not on every request.
    """

    STARTED = "steerco_session_started"
    SEEN = "steerco_session_seen"
    # How stale "last seen" may get before it is written again: a minute of idle time is
    # nothing against hours, and it spares the session store a write per request.
    RESOLUTION = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.setdefault(self.STARTED, now)
            seen = session.get(self.SEEN, now)
            idle = settings.STEERCO_SESSION_IDLE_TIMEOUT.total_seconds()
            if now - seen > idle or now - started > settings.SESSION_COOKIE_AGE:
                # The request goes on anonymous: pages send it to the login form, the API
                # answers 401 unless it brought a token.
                logout(request)
            elif now - seen >= self.RESOLUTION or self.SEEN not in session:
                session[self.SEEN] = now
        return self.get_response(request)


def session_started(sender, request, user, **kwargs):
    """A login (by form or password reset) starts both clocks afresh, even in a kept session."""
    if request is None or not hasattr(request, "session"):
        return  # a login signalled outside a request has no session to time
    now = time.time()
    request.session[SessionTimeoutMiddleware.STARTED] = now
    request.session[SessionTimeoutMiddleware.SEEN] = now


class UploadLimitMiddleware:
    """Refuse a request whose body is larger than its route accepts before it is read.

    Django streams files sent as multipart form data to disk whatever their size; the
    limits are in :mod:`steerco.core.uploads`. Placed before the session, so that neither it,
    the CSRF check nor the view reads the body of a request that is refused.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = uploads.body_limit(request.path_info)
        if limit is not None and _declared_length(request) > limit:
            return uploads.too_large(request, limit)
        return self.get_response(request)


def _declared_length(request) -> int:
    """The body's length as the client declared it; 0 when it did not (Django then reads
    no body at all) or declared nonsense."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0
