"""How large a request body may be, and the 413 answer to one that is larger.

Django limits request bodies read as form fields or JSON (``DATA_UPLOAD_MAX_MEMORY_SIZE``)
but not files sent as multipart form data: those are streamed to a temporary file whatever
their size, so a 400 MB upload to the plan import was received whole, then refused. Here:

* :func:`body_limit`: each route that takes a file accepts the file limit its import checks
  (``STEERCO_UPLOAD_LIMITS`` in the settings), plus :data:`ENVELOPE_BYTES` for the form
  around it; every other route accepts ``DATA_UPLOAD_MAX_MEMORY_SIZE``, what Django lets a
  form or JSON body hold.
* ``core.middleware.UploadLimitMiddleware`` refuses a request whose ``Content-Length`` is
  over its route's limit before anything reads the body.

No upload handler is needed for a body whose length is not declared (a chunked upload):
Django reads no more of a body than its ``Content-Length`` says (the WSGI request's stream
is limited to it, and the multipart parser reads nothing when it is absent), so such a
body is never read, whatever the server passes on. Under ASGI the server hands Django the
whole body first; ``steerco serve`` runs gunicorn with WSGI.

A refusal is 413 with a message naming the limit: the API's JSON error shape under /api/,
a page otherwise.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

#: Room for the multipart envelope around a file: boundaries, part headers and the other
#: form fields (the CSRF token, a checkbox). The files' own limits are checked exactly by
#: the imports, so this only has to be generous.
ENVELOPE_BYTES = 64 * 1024


def file_limit(path: str) -> int | None:
    """The largest file the route at ``path`` takes, in bytes; None when it takes no file."""
    for pattern, limit in settings.STEERCO_UPLOAD_LIMITS:
        if re.fullmatch(pattern, path):
            return limit
    return None


def body_limit(path: str) -> int | None:
    """The largest request body the route at ``path`` accepts, in bytes (None: no limit)."""
    limit = file_limit(path)
    if limit is not None:
        return limit + ENVELOPE_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def too_large(request: HttpRequest, limit: int | None) -> HttpResponse:
    """The 413 answer to a body over ``limit`` bytes (a file limit, or a body limit when
    the route takes no file), in the API's shape under /api/ and as a page elsewhere."""
    file_size = file_limit(request.path_info)
    if file_size is not None:
        detail = _(
            "The file is larger than %(size)s, the most this import takes; nothing was read. "
            "Split the file, or remove what the import does not need from it."
        ) % {"size": _megabytes(file_size)}
    else:
        detail = _(
            "The request is larger than %(size)s, the most this address takes; nothing was "
            "read. Files can be imported only where a page offers to import them."
        ) % {"size": _megabytes(limit or 0)}
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"detail": detail, "code": "too_large", "fields": {}}, status=413)
    else:
        page = render_to_string("core/too_large.html", {"detail": detail})
        response = HttpResponse(page, status=413)
    # The body stays unread; the server, not the application, closes the connection after
    # such a request (WSGI forbids an application's Connection header).
    return response
