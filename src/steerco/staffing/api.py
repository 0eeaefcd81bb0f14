"""Allocations, skills and capacity over HTTP (/api/v1/allocations, /skills, /capacity).

The same services and selectors as the pages; errors map through ``core.api`` (a stale
``version`` is 409 with the current allocation, a broken rule 422 naming the field).
"""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from steerco.accounts.rules import P, has_perm, project_for, require_capacity_view
from steerco.core.api import (
    MAX_ID,
    InputSchema,
    ObjectId,
    PageNumbers,
    Version,
    register_conflict_schema,
    responses,
)
from steerco.core.exceptions import DomainError
from steerco.engine.capacity import CapacityError, DemandView, GroupBy, load_table
from steerco.resources.models import Person, Role, Skill

from . import selectors, services
from .forms import MAX_MONTHS, MAX_WEEKS
from .models import Allocation

router = Router(tags=["capacity"])

AllocationUnit = Literal[tuple(Allocation.Unit.values)]
AllocationStatus = Literal[tuple(Allocation.Status.values)]
AllocationState = Literal[tuple(Allocation.State.values)]


class AllocationOut(Schema):
    id: int
    version: int
    project: int = Field(..., description="Project id.")
    person: int | None = Field(None, description="Person id; null for an open request.")
    role: str | None = Field(None, description="The role asked for.")
    amount: Decimal
    unit: AllocationUnit
    start: dt.date
    finish: dt.date
    status: AllocationStatus
    probability: Decimal
    state: AllocationState
    requested_at: dt.datetime | None
    decided_at: dt.datetime | None
    note: str
    deleted: bool

    @staticmethod
    def resolve_project(obj) -> int:
        return obj.project_id

    @staticmethod
    def resolve_person(obj) -> int | None:
        return obj.person_id

    @staticmethod
    def resolve_role(obj) -> str | None:
        return obj.role.name if obj.role_id else None

    @staticmethod
    def resolve_deleted(obj) -> bool:
        return obj.deleted_at is not None


register_conflict_schema(Allocation, AllocationOut)


class AllocationCreateIn(InputSchema):
    project: ObjectId
    person: ObjectId | None = Field(None, description="Person id; leave out to ask for a role.")
    role: str | None = Field(None, max_length=100, description="Role name.")
    amount: Decimal = Field(..., ge=0, max_digits=9, decimal_places=2)
    unit: AllocationUnit = Allocation.Unit.HOURS_PER_WEEK
    start: dt.date
    finish: dt.date
    status: AllocationStatus = Allocation.Status.CONFIRMED
    probability: Decimal = Field(Decimal(1), ge=0, le=1, max_digits=4, decimal_places=3)
    note: str = Field("", max_length=5000)


class AllocationPatchIn(InputSchema):
    version: Version
    person: ObjectId | None = None
    role: str | None = Field(None, max_length=100)
    amount: Decimal | None = Field(None, ge=0, max_digits=9, decimal_places=2)
    unit: AllocationUnit | None = None
    start: dt.date | None = None
    finish: dt.date | None = None
    status: AllocationStatus | None = None
    probability: Decimal | None = Field(None, ge=0, le=1, max_digits=4, decimal_places=3)
    note: str | None = Field(None, max_length=5000)


class VersionIn(InputSchema):
    version: Version


class RejectIn(VersionIn):
    reason: str = Field("", max_length=500)


class FillIn(VersionIn):
    person: ObjectId


class SkillOut(Schema):
    id: int
    name: str
    category: str


class CapacityCellOut(Schema):
    period: str = Field(..., description="ISO week (2027-W03) or month (2027-03).")
    start: dt.date
    capacity: float
    demand: float
    confirmed: float
    tentative: float
    soft: float
    load_percent: float | None
    band: str | None


class CapacityRowOut(Schema):
    key: str = Field(..., description="Person id, role, team or skill name.")
    label: str
    cells: list[CapacityCellOut]


class CapacityOut(Schema):
    group_by: str
    interval: str
    start: dt.date
    finish: dt.date
    rows: list[CapacityRowOut]


def _person(person_id: int | None):
    if person_id is None:
        return None
    person = Person.objects.filter(pk=person_id, active=True).first()
    if person is None:
        raise DomainError(
            _("No active person %(id)s.") % {"id": person_id},
            fields={"person": [_("Unknown person.")]},
        )
    return person


def _role(name: str | None):
    if not name:
        return None
    role = Role.objects.filter(name__iexact=name.strip()).first()
    if role is None:
        raise DomainError(
            _("No role called '%(name)s'.") % {"name": name}, fields={"role": [_("Unknown role.")]}
        )
    return role


# --- skills -------------------------------------------------------------------------------


@router.get("skills", response=responses({200: list[SkillOut]}, 400, 403), summary="List skills")
@paginate(PageNumbers)
def skill_list(request, q: str | None = Query(None, max_length=100)):
    """The skills people are assessed in, by name."""
    require_capacity_view(request.auth)
    skills = Skill.objects.all()
    if q:
        skills = skills.filter(name__icontains=q.strip())
    return skills.order_by("name")


# --- allocations --------------------------------------------------------------------------


@router.get(
    "allocations",
    response=responses({200: list[AllocationOut]}, 400, 403),
    summary="List allocations",
)
@paginate(PageNumbers)
def allocation_list(
    request,
    project: int | None = Query(None, ge=1, le=MAX_ID, description="Project id."),
    person: int | None = Query(None, ge=1, le=MAX_ID, description="Person id."),
    state: AllocationState | None = None,
    open_requests: bool = Query(
        False, description="Only requests waiting for a decision or a person."
    ),
):
    require_capacity_view(request.auth)
    rows = (
        selectors.open_requests(user=request.auth)
        if open_requests
        else selectors.allocation_list(user=request.auth)
    )
    if project:
        rows = rows.filter(project_id=project)
    if person:
        rows = rows.filter(person_id=person)
    if state:
        rows = rows.filter(state=state)
    return rows


@router.post(
    "allocations",
    response=responses({201: AllocationOut}, 400, 403, 404, 422),
    summary="Create an allocation or a request",
)
def allocation_create(request, payload: AllocationCreateIn):
    """A project's manager or support makes a request; a resource manager's allocation is
    approved at once. Leave ``person`` out and name a ``role`` to ask for a role."""
    user = request.auth
    data = payload.model_dump()
    project = project_for(user, data.pop("project"))
    # Who may, before what was sent: a refusal must not depend on the body.
    services.check_may_request(user, project)
    allocation = services.allocation_create(
        actor=user,
        project=project,
        person=_person(data.pop("person")),
        role=_role(data.pop("role")),
        **data,
    )
    return Status(201, allocation)


def _allocation(request, allocation_id: int, include_deleted: bool = False) -> Allocation:
    return selectors.allocation_get(
        user=request.auth, allocation_id=allocation_id, include_deleted=include_deleted
    )


@router.get(
    "allocations/{allocation_id}",
    response=responses({200: AllocationOut}, 400, 404),
    summary="Get an allocation",
)
def allocation_get(request, allocation_id: ObjectId):
    return _allocation(request, allocation_id)


@router.patch(
    "allocations/{allocation_id}",
    response=responses({200: AllocationOut}, 400, 403, 404, 409, 422),
    summary="Change an allocation",
)
def allocation_update(request, allocation_id: ObjectId, payload: AllocationPatchIn):
    """Send ``version`` and the fields to change. A requester's change to an approved
    allocation sends it back for approval."""
    allocation = _allocation(request, allocation_id)
    if not has_perm(request.auth, P.ALLOCATIONS_MANAGE):
        services.check_may_request(request.auth, allocation.project)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    if "person" in changes:
        changes["person"] = _person(changes["person"])
    if "role" in changes:
        changes["role"] = _role(changes["role"])
    for required in ("amount", "unit", "start", "finish", "status", "probability"):
        if required in changes and changes[required] is None:
            raise DomainError(
                _("%(field)s cannot be empty.") % {"field": required},
                fields={required: [_("This field cannot be empty.")]},
            )
    if "note" in changes and changes["note"] is None:
        changes["note"] = ""
    return services.allocation_update(
        actor=request.auth, allocation=allocation, expected_version=version, **changes
    )


@router.delete(
    "allocations/{allocation_id}",
    response=responses({204: None}, 400, 403, 404, 409, 422),
    summary="Delete an allocation (it can be restored)",
)
def allocation_delete(
    request,
    allocation_id: ObjectId,
    version: int = Query(..., ge=1, le=MAX_ID, description="The version you read."),
):
    allocation = _allocation(request, allocation_id)
    services.allocation_delete(actor=request.auth, allocation=allocation, expected_version=version)
    return Status(204, None)


@router.post(
    "allocations/{allocation_id}/restore",
    response=responses({200: AllocationOut}, 400, 403, 404, 409, 422),
    summary="Restore a deleted allocation",
)
def allocation_restore(request, allocation_id: ObjectId, payload: VersionIn):
    allocation = _allocation(request, allocation_id, include_deleted=True)
    return services.allocation_restore(
        actor=request.auth, allocation=allocation, expected_version=payload.version
    )


@router.post(
    "allocations/{allocation_id}/approve",
    response=responses({200: AllocationOut}, 400, 403, 404, 409, 422),
    summary="Approve a request",
)
def allocation_approve(request, allocation_id: ObjectId, payload: VersionIn):
    allocation = _allocation(request, allocation_id)
    return services.allocation_approve(
        actor=request.auth, allocation=allocation, expected_version=payload.version
    )


@router.post(
    "allocations/{allocation_id}/reject",
    response=responses({200: AllocationOut}, 400, 403, 404, 409, 422),
    summary="Reject a request",
)
def allocation_reject(request, allocation_id: ObjectId, payload: RejectIn):
    allocation = _allocation(request, allocation_id)
    return services.allocation_reject(
        actor=request.auth,
        allocation=allocation,
        expected_version=payload.version,
        reason=payload.reason,
    )


@router.post(
    "allocations/{allocation_id}/fill",
    response=responses({200: AllocationOut}, 400, 403, 404, 409, 422),
    summary="Fill a request for a role with a person",
)
def allocation_fill(request, allocation_id: ObjectId, payload: FillIn):
    allocation = _allocation(request, allocation_id)
    services.check_manages(request.auth)
    return services.allocation_fill(
        actor=request.auth,
        allocation=allocation,
        expected_version=payload.version,
        person=_person(payload.person),
    )


# --- capacity -------------------------------------------------------------------------------


@router.get(
    "capacity",
    response=responses({200: CapacityOut}, 400, 403, 422),
    summary="Capacity against demand",
)
def capacity(
    request,
    start: dt.date = Query(..., alias="from", description="First day (inclusive)."),  # noqa: B008
    finish: dt.date = Query(..., alias="to", description="Last day (inclusive)."),  # noqa: B008
    group_by: Literal["person", "role", "team", "skill"] = "role",
    interval: Literal["week", "month"] = "week",
    include_tentative: bool = True,
    include_soft: bool = True,
    weighted: bool = Query(False, description="Weight soft and tentative demand by probability."),
):
    """Hours available and booked per person, role, team or skill, per ISO week or
    calendar month of the whole periods that hold ``from``–``to``."""
    require_capacity_view(request.auth)
    if finish < start:
        raise DomainError(
            _("The range ends before it starts."), fields={"to": [_("Before 'from'.")]}
        )
    limit = MAX_WEEKS * 7 if interval == "week" else MAX_MONTHS * 31
    if (finish - start).days > limit:
        raise DomainError(
            _("Ask for at most two years by week or three years by month."),
            fields={"to": [_("Too far from 'from'.")]},
        )
    try:
        model, inputs = selectors.capacity_model(first=start, last=finish, interval=interval)
    except CapacityError as error:
        raise DomainError(str(error)) from error
    view = DemandView(include_tentative, include_soft, weighted)
    table = load_table(model, GroupBy(group_by), view)
    rows = []
    for k, key in enumerate(table.keys):
        label = inputs.person_names.get(key, "") if group_by == "person" else str(key)
        cells = []
        for p, period in enumerate(table.periods):
            c, d = float(table.capacity[k, p]), float(table.demand[k, p])
            band = table.bands[k, p]
            cells.append(
                {
                    "period": period.label,
                    "start": period.start,
                    "capacity": round(c, 2),
                    "demand": round(d, 2),
                    "confirmed": round(float(table.confirmed[k, p]), 2),
                    "tentative": round(float(table.tentative[k, p]), 2),
                    "soft": round(float(table.soft[k, p]), 2),
                    "load_percent": round(d / c * 100, 1) if c > 0 else None,
                    "band": band.value if band is not None else None,
                }
            )
        rows.append({"key": str(key), "label": label, "cells": cells})
    return {
        "group_by": group_by,
        "interval": interval,
        "start": table.periods[0].start,
        "finish": table.periods[-1].last,
        "rows": rows,
    }
