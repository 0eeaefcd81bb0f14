"""Optimistic concurrency: every editable object carries an integer ``version``.

A save names the version it read. The version check and increment is one conditional
UPDATE, so two concurrent saves of the same version cannot both succeed: on PostgreSQL
the second waits on the row lock and then finds the version moved; on SQLite writes are
serialised by the database lock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import F

from .exceptions import ObjectGone, VersionConflict

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

    Changes that leave every field as it is write nothing: the version stays (clients
    holding it can still save) and no history row says "changed" about nothing. The
    version is still checked, so a stale no-op answers the same conflict as a stale edit.
    """
    model = type(instance)
    if not changed_fields(instance, changes):
        current = model._default_manager.filter(pk=instance.pk).first()
        if current is None or current.version != expected_version:
            raise VersionConflict(current, sent_version=expected_version)
        return instance
    # Restore the caller's object if the change is refused, so a form or a retry sees
    # what is stored rather than the rejected values.
    before = {field: getattr(instance, field) for field in [*changes, "version"]}
    try:
        with transaction.atomic():
            # The default manager sees every row, also those a model's ``objects`` leaves
            # out (a project in the trash, which restoring must still update).
            rows = model._default_manager.filter(pk=instance.pk)
            bumped = rows.filter(version=expected_version).update(version=F("version") + 1)
            if bumped == 0:
                current = rows.first()
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


def locked_at_version(instance: M, *, expected_version: int | None) -> M:
    """``instance`` re-read under a row lock, if it is still at ``expected_version``.

    Call inside a transaction: the lock (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite
    serialises writers anyway) is held until it commits, so no save can land between this
    check and the write that follows it. Raises ObjectGone when the row has been deleted
    and VersionConflict carrying the current row when it was saved since. Pass
    ``expected_version=None`` only for models without a ``version`` column (a baseline,
    a link between log items): they are locked and checked for existence only.
    """
    model = type(instance)
    current = model._default_manager.select_for_update().filter(pk=instance.pk).first()
    if current is None:
        raise ObjectGone(model)
    if expected_version is not None and current.version != expected_version:
        raise VersionConflict(current, sent_version=expected_version)
    return current


def versioned_delete(
    instance: M,
    *,
    expected_version: int | None,
    actor: Any,
    before: Callable[[M], None] | None = None,
) -> M:
    """Delete ``instance`` if nobody saved or deleted it since ``expected_version``.

    Locks the row, checks it (see ``locked_at_version``: ObjectGone if it is gone,
    VersionConflict if it moved), calls ``before(locked_row)`` to delete or check its
    dependents inside the same transaction, then deletes it with ``actor`` recorded as the
    author of the history row. Opens its own transaction (nested in the caller's, if
    any), so a refusal from ``before`` leaves nothing deleted. Returns the deleted row.
    Permission checks are the caller's: make them before calling.
    """
    with transaction.atomic():
        current = locked_at_version(instance, expected_version=expected_version)
        if before is not None:
            before(current)
        current._history_user = actor
        current.delete()
    return current


def changed_fields(before: models.Model, after_values: dict[str, Any]) -> dict[str, tuple]:
    """Fields whose submitted value differs from the stored one: {name: (stored, sent)}."""
    differences = {}
    for name, sent in after_values.items():
        stored = getattr(before, name)
        if stored != sent:
            differences[name] = (stored, sent)
    return differences
