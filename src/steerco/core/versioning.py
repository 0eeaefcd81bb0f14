"""Optimistic concurrency: every editable object carries an integer ``version``.

A save names the version it read. The version check and increment is one conditional
UPDATE, so two concurrent saves of the same version cannot both succeed: on PostgreSQL
the second waits on the row lock and then finds the version moved; on SQLite writes are
serialised by the database lock.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import F

from .exceptions import VersionConflict

M = TypeVar("M", bound="VersionedModel")


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


def versioned_update(
    instance: M,
    *,
    expected_version: int,
    changes: dict[str, Any],
    actor: Any = None,
    validate_exclude: Iterable[str] = (),
) -> M:
    """Apply ``changes`` to ``instance`` if nobody saved it since ``expected_version``.

    Raises VersionConflict carrying the current row when the version has moved, and
    django.core.exceptions.ValidationError when the new values are invalid; in both cases
    nothing is written. ``actor`` is recorded as the author in the history.
    """
    model = type(instance)
    # Restore the caller's object if the change is refused, so a form or a retry sees
    # what is stored rather than the rejected values.
    before = {field: getattr(instance, field) for field in [*changes, "version"]}
    try:
        with transaction.atomic():
            bumped = model.objects.filter(pk=instance.pk, version=expected_version).update(
                version=F("version") + 1
            )
            if bumped == 0:
                current = model.objects.filter(pk=instance.pk).first()
                raise VersionConflict(current, sent_version=expected_version)
            for field, value in changes.items():
                setattr(instance, field, value)
            instance.version = expected_version + 1
            instance.full_clean(exclude=list(validate_exclude))
            if actor is not None:
                instance._history_user = actor
            instance.save()
    except Exception:
        for field, value in before.items():
            setattr(instance, field, value)
        raise
    return instance


def changed_fields(before: models.Model, after_values: dict[str, Any]) -> dict[str, tuple]:
    """Fields whose submitted value differs from the stored one: {name: (stored, sent)}."""
    differences = {}
    for name, sent in after_values.items():
        stored = getattr(before, name)
        if stored != sent:
            differences[name] = (stored, sent)
    return differences
