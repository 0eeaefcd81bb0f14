"""Telling a user whose save was refused what the other person changed.

Works for any model with a ``version`` and django-simple-history: the history row at the
version the user read separates their edits from the other person's. Pages render the
result with ``ui/_conflict.html``; ``core.pages.refusal`` builds it for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from .exceptions import VersionConflict
from .formats import day_text, moment_text
from .history import latest_author
from .versioning import changed_fields


@dataclass(frozen=True)
class ConflictRow:
    label: str
    current: str
    yours: str
    changed_by_other: bool


@dataclass(frozen=True)
class Conflict:
    message: str
    changed_by: str | None
    other_fields: list[str]
    rows: list[ConflictRow]


def _display(instance, name: str, value) -> str:
    if value is None or value == "":
        return "—"
    field = type(instance)._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, date):
        return moment_text(value) if isinstance(value, datetime) else day_text(value)
    return str(value)


def _raw(record, name: str):
    field = type(record)._meta.get_field(name)
    if field.is_relation:
        return getattr(record, f"{name}_id")
    return getattr(record, name)


def describe_conflict(error: VersionConflict, submitted: dict) -> Conflict:
    """Describe a stale save: which fields the other person changed, current vs yours.

    The history row at the version the user read tells their edits apart from the other
    person's; without it every differing field is listed.
    """
    current = error.current
    model = type(current)
    history = model.history.filter(id=current.pk)
    base = history.filter(version=error.sent_version).order_by("-history_date").first()
    changed_by = latest_author(current)
    differing = changed_fields(current, submitted)
    rows = []
    other_fields = []
    for name in submitted:
        field = model._meta.get_field(name)
        label = str(field.verbose_name).capitalize()
        by_other = base is not None and _raw(base, name) != _raw(current, name)
        if by_other:
            other_fields.append(label)
        if name in differing:
            stored, sent = differing[name]
            rows.append(
                ConflictRow(
                    label=label,
                    current=_display(current, name, stored),
                    yours=_display(current, name, sent),
                    changed_by_other=by_other,
                )
            )
    return Conflict(
        message=error.message, changed_by=changed_by, other_fields=other_fields, rows=rows
    )
