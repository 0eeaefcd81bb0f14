"""Writes for allocations: request, approve or reject, fill a role, edit, delete, restore.

Who may do what (``accounts.rules``): a project's manager and support request allocations
on it and edit or withdraw their own requests while nobody has decided on them; resource
managers, the PMO and administrators (``ALLOCATIONS_MANAGE``) create approved allocations
directly, approve, reject, fill a request for a role with a person, and edit anything.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steerco.accounts.rules import P, check_project, has_perm, may_request_allocation
from steerco.core.exceptions import DomainError
from steerco.core.versioning import locked_at_version, versioned_update

from .models import Allocation

EDITABLE_FIELDS = (
    "person",
    "role",
    "amount",
    "unit",
    "start",
    "finish",
    "status",
    "probability",
    "note",
)


def _decimal(value, field: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter a number.")}) from None


def _normalised(changes: dict) -> dict:
    """Numbers as decimals; confirmed demand is certain, so its probability is 1."""
    changes = dict(changes)
    for name in ("amount", "probability"):
        if name in changes and changes[name] is not None:
            changes[name] = _decimal(changes[name], name)
    if changes.get("status") == Allocation.Status.CONFIRMED:
        changes["probability"] = Decimal(1)
    return changes


def check_may_request(actor, project) -> None:
    """404 for a project the actor may not see, 403 unless they may ask for people on it."""
    check_project(actor, project)  # 404 for projects the actor may not see
    if not may_request_allocation(actor, project):
        raise PermissionDenied(
            _("Only the project's manager and support, and resource managers, allocate people.")
        )


def check_manages(actor) -> None:
    """403 unless the actor decides on allocations (resource managers, PMO)."""
    if not has_perm(actor, P.ALLOCATIONS_MANAGE):
        raise PermissionDenied(_("Only resource managers and the PMO decide on allocations."))


def allocation_create(
    *,
    actor,
    project,
    amount,
    start,
    finish,
    person=None,
    role=None,
    unit: str = Allocation.Unit.HOURS_PER_WEEK,
    status: str = Allocation.Status.CONFIRMED,
    probability=1,
    note: str = "",
) -> Allocation:
    """A new allocation. A resource manager's is approved at once; a project manager's
    is a request that waits for one."""
    check_may_request(actor, project)
    now = timezone.now()
    manages = has_perm(actor, P.ALLOCATIONS_MANAGE)
    values = _normalised(
        {
            "amount": amount,
            "probability": probability if probability is not None else 1,
            "status": status,
        }
    )
    allocation = Allocation(
        project=project,
        person=person,
        role=role if role is not None else (person.primary_role if person else None),
        unit=unit,
        start=start,
        finish=finish,
        note=note.strip(),
        requested_by=actor,
        requested_at=now,
        state=Allocation.State.APPROVED if manages else Allocation.State.REQUESTED,
        decided_by=actor if manages else None,
        decided_at=now if manages else None,
        **values,
    )
    allocation.full_clean()
    allocation._history_user = actor
    allocation.save()
    return allocation


def allocation_update(
    *, actor, allocation: Allocation, expected_version: int, **changes
) -> Allocation:
    """Change an allocation. Its requester may change a request until it is decided; a
    change by them to an approved allocation sends it back to be approved again."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed: ") + ", ".join(sorted(unknown)))
    manages = has_perm(actor, P.ALLOCATIONS_MANAGE)
    if not manages:
        check_may_request(actor, allocation.project)
        if allocation.state == Allocation.State.REJECTED:
            raise DomainError(_("This request was rejected; make a new one instead."))
    changes = _normalised(changes)
    if not manages and allocation.state == Allocation.State.APPROVED:
        changes.update(state=Allocation.State.REQUESTED, decided_by=None, decided_at=None)
    return versioned_update(
        allocation, expected_version=expected_version, changes=changes, actor=actor
    )


def _decide(actor, allocation, expected_version, state, note=None) -> Allocation:
    check_manages(actor)
    changes = {"state": state, "decided_by": actor, "decided_at": timezone.now()}
    if note:
        changes["note"] = (allocation.note + "\n" + note).strip()
    return versioned_update(
        allocation, expected_version=expected_version, changes=changes, actor=actor
    )


def allocation_approve(*, actor, allocation: Allocation, expected_version: int) -> Allocation:
    if allocation.state == Allocation.State.APPROVED:
        raise DomainError(_("This allocation is already approved."))
    return _decide(actor, allocation, expected_version, Allocation.State.APPROVED)


def allocation_reject(
    *, actor, allocation: Allocation, expected_version: int, reason: str = ""
) -> Allocation:
    if allocation.state == Allocation.State.REJECTED:
        raise DomainError(_("This allocation is already rejected."))
    note = _("Rejected: %(reason)s") % {"reason": reason.strip()} if reason.strip() else None
    return _decide(actor, allocation, expected_version, Allocation.State.REJECTED, note)


def allocation_fill(*, actor, allocation: Allocation, expected_version: int, person) -> Allocation:
    """Name ``person`` for a request for a role, approving it. The role stays on the
    allocation as what was asked for."""
    check_manages(actor)
    if allocation.person_id is not None:
        raise DomainError(
            _("%(name)s is already named on this allocation.") % {"name": allocation.person}
        )
    if allocation.state == Allocation.State.REJECTED:
        raise DomainError(_("This request was rejected; it cannot be filled."))
    return versioned_update(
        allocation,
        expected_version=expected_version,
        changes={
            "person": person,
            "state": Allocation.State.APPROVED,
            "decided_by": actor,
            "decided_at": timezone.now(),
        },
        actor=actor,
    )


def check_may_remove(actor, allocation) -> None:
    if has_perm(actor, P.ALLOCATIONS_MANAGE):
        return
    check_may_request(actor, allocation.project)


def allocation_delete(*, actor, allocation: Allocation, expected_version: int) -> Allocation:
    """Withdraw an allocation: it stops counting at once and can be restored
    (``allocation_restore``) — a mistaken click costs nothing."""
    check_may_remove(actor, allocation)
    with transaction.atomic():
        current = locked_at_version(allocation, expected_version=expected_version)
        if current.deleted_at is not None:
            raise DomainError(_("This allocation has already been deleted."))
        current.deleted_at = timezone.now()
        current.deleted_by = actor
        current.version += 1
        current._history_user = actor
        current.save()
    return current


def allocation_restore(*, actor, allocation: Allocation, expected_version: int) -> Allocation:
    """Bring back a deleted allocation as it was. A restored allocation must still fit
    the person's employment."""
    check_may_remove(actor, allocation)
    with transaction.atomic():
        current = locked_at_version(allocation, expected_version=expected_version)
        if current.deleted_at is None:
            raise DomainError(_("This allocation is not deleted."))
        current.deleted_at = None
        current.deleted_by = None
        current.version += 1
        current.full_clean()
        current._history_user = actor
        current.save()
    return current
