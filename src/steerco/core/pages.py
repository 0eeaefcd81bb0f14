"""Service errors on pages, mapped once: the pages' counterpart of ``core/api.py``.

A view calls one service inside ``try: ... except SERVICE_ERRORS as error:`` and hands the
error to ``refusal``, which says what the page shows and with which status:

=============================================  ======  ==================================
raised                                         status  the page shows
=============================================  ======  ==================================
VersionConflict (the row is still there)       409     the conflict panel: who changed
                                                       what, current values against yours
ObjectGone, VersionConflict without a row      404     "deleted by someone else"
Clash (e.g. a room already booked)             409     its message, naming what it clashes with
DomainError                                    422     its message, beside the field named
django.core.exceptions.ValidationError         422     the messages, beside their fields
PermissionDenied                               403     its message
=============================================  ======  ==================================

An htmx request is answered 200 whatever the refusal (``page_status``): htmx swaps only
successful answers, and these pages show the refusal inside the fragment they swap.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _

from .conflicts import Conflict, describe_conflict
from .exceptions import Clash, DomainError, ObjectGone, VersionConflict
from .forms import add_service_errors

SERVICE_ERRORS = (DomainError, ValidationError, PermissionDenied)
"""What a service may raise for a request a person can correct; VersionConflict and
ObjectGone are DomainErrors. Anything else is a bug and stays a 500."""


@dataclass(frozen=True)
class Refusal:
    """What a page shows for a refused write."""

    status: int  # 409, 404, 422 or 403
    message: str  # one sentence a person can act on
    conflict: Conflict | None = None  # the panel, after a version conflict
    current: Any = None  # the stored row after a version conflict

    @property
    def gone(self) -> bool:
        """The object was deleted meanwhile: there is nothing left to show or retry."""
        return self.status == 404

    @property
    def stale(self) -> bool:
        """Someone saved the object since the page was rendered."""
        return self.status == 409


def refusal(
    error: Exception, *, form: forms.Form | None = None, submitted: dict | None = None
) -> Refusal:
    """Map a service error to what the page shows.

    ``form``: the error's messages are added to it (beside the fields they name, else
    form-wide). ``submitted``: the changes the user sent ({field: value}); with a version
    conflict they produce the conflict panel (``ui/_conflict.html``). Raises TypeError for
    anything that is not a service error, so bugs are not dressed up as refusals.
    """
    if isinstance(error, VersionConflict) and error.current is None:
        error = ObjectGone(message=_("This has been deleted by someone else."))
    if isinstance(error, ObjectGone):
        status, current, conflict = 404, None, None
    elif isinstance(error, Clash):
        status, current, conflict = 409, None, None
    elif isinstance(error, VersionConflict):
        status, current = 409, error.current
        conflict = describe_conflict(error, submitted) if submitted is not None else None
    elif isinstance(error, DomainError | ValidationError):
        status, current, conflict = 422, None, None
    elif isinstance(error, PermissionDenied):
        status, current, conflict = 403, None, None
    else:
        raise TypeError(f"Not a service error: {error!r}")
    if form is not None:
        add_service_errors(form, error)
    return Refusal(status=status, message=message_of(error), conflict=conflict, current=current)


def message_of(error: Exception) -> str:
    """The one-line message of a service error."""
    if isinstance(error, DomainError):
        return error.message
    if isinstance(error, ValidationError):
        return "; ".join(str(message) for message in error.messages)
    if isinstance(error, PermissionDenied):
        return str(error) or _("You are not allowed to do this.")
    return str(error)


def is_partial(request) -> bool:
    """True when htmx asks for a fragment: an htmx request that is neither boosted nor a
    history restore (those two need the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx and not htmx.boosted and not htmx.history_restore_request)


def page_status(request, status: int) -> int:
    """The status to answer a refusal with: ``status`` for a plain request, 200 for any
    htmx request, which would not swap a 4xx answer into the page."""
    return 200 if getattr(request, "htmx", False) else status


def render_page(
    request, template: str, context: dict, *, fragment: str | None = None, status: int = 200
):
    """Render ``template``, or only its ``#fragment`` (django-template-partials) when htmx
    asks for a fragment; a refusal's ``status`` goes through ``page_status``."""
    name = f"{template}#{fragment}" if fragment and is_partial(request) else template
    return render(request, name, context, status=page_status(request, status))


def posted_version(request, obj) -> int:
    """The ``version`` the page rendered, as posted. A post without one (a form from before
    pages sent it) means the object as it is now."""
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return obj.version
    return version if version >= 1 else obj.version
