from __future__ import annotations

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


class UploadLimitMiddleware:
    """Refuse a request whose body is larger than its route accepts before it is read.

    Django streams files sent as multipart form data to disk whatever their size; the
    limits are in :mod:`steerco.core.uploads`. Placed first, so that neither the session,
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
