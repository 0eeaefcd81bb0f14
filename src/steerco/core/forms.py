"""Form helpers every app's forms share: plain labels, and service errors shown inline.

Views normally reach ``add_service_errors`` through ``core.pages.refusal``, which also
chooses the status code and the conflict panel.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext

from .exceptions import DomainError


class PlainLabels:
    """Mixin: labels read "Name", not Django's default "Name:"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def add_service_errors(form: forms.Form, error: Exception) -> None:
    """Show a DomainError, ValidationError or PermissionDenied on ``form``.

    Messages naming a field the form shows go beside that field; everything else is a
    form-wide error, so nothing a service says is lost or turned into a 500.
    """
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            fields = {name: [str(m) for m in msgs] for name, msgs in error.message_dict.items()}
        else:
            fields = {"__all__": [str(m) for m in error.messages]}
        _add(form, fields, general=None)
    elif isinstance(error, DomainError):
        _add(form, error.fields, general=error.message)
    elif isinstance(error, PermissionDenied):
        form.add_error(None, str(error) or gettext("You are not allowed to do this."))
    else:
        raise TypeError(f"Not a service error: {error!r}")


def _add(form: forms.Form, fields: dict[str, list[str]], general: str | None) -> None:
    for name, messages in fields.items():
        target = name if name in form.fields else None
        if target is None and general is not None:
            continue  # the general message already says it
        for message in messages:
            form.add_error(target, message)
    if general is not None:
        form.add_error(None, general)
