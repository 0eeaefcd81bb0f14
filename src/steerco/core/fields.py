"""Model fields shared by several apps."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class LocalDateTimeField(models.Field):
    """A wall-clock datetime with no time zone, stored as ISO 8601 text ``YYYY-MM-DDTHH:MM:SS``.

    Plan dates are local times in the project's zone, as Microsoft Project treats them:
    "Monday 08:00" must stay Monday 08:00 whatever the server's zone or a change of daylight
    saving. Django's DateTimeField converts to UTC when USE_TZ is on, so plan dates use this
    field instead. The text form sorts chronologically, so ordering and range filters work.
    """

    description = _("Local date and time (no time zone)")

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = 19
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        return "CharField"

    def to_python(self, value):
        if value is None or isinstance(value, dt.datetime):
            return value.replace(tzinfo=None) if value is not None else None
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day)
        try:
            return dt.datetime.fromisoformat(str(value)).replace(tzinfo=None)
        except ValueError:
            raise ValidationError(
                _("“%(value)s” is not a date and time (YYYY-MM-DD HH:MM)."),
                code="invalid",
                params={"value": value},
            ) from None

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return None
        return dt.datetime.fromisoformat(value)

    def get_prep_value(self, value):
        value = self.to_python(value)
        if value is None:
            return None
        return value.replace(microsecond=0).isoformat(timespec="seconds")

    def value_to_string(self, obj) -> str:
        value = self.value_from_object(obj)
        return "" if value is None else value.isoformat(timespec="seconds")

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": LocalDateTimeFormField, **kwargs})


class LocalDateTimeFormField(forms.DateTimeField):
    """A form field that keeps the entered wall-clock time, without time-zone conversion."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        result = super().to_python(value)
        return result.replace(tzinfo=None) if result is not None else None

    def prepare_value(self, value):
        return value
