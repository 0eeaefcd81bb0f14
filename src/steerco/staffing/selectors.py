"""Reads for allocations and capacity: rows turned into the capacity engine's inputs.

``capacity_inputs`` loads everything the engine needs between two dates in a fixed number
of queries (people, their roles, skills, leave; allocations), plus, for the work assigned
in plans, one scheduling of each plan that assigns work to someone (a plan's task dates
are computed, not stored: ADR 19 says why that is the one cost per project).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404

from steerco.accounts.rules import (
    P,
    has_perm,
    person_of,
    visible_projects,
)
from steerco.engine.capacity import (
    Allocation as EngineAllocation,
)
from steerco.engine.capacity import (
    CapacityModel,
    Horizon,
    Leave,
    Person,
    Status,
    TaskAssignment,
    Unit,
    build_capacity,
)
from steerco.engine.scheduling import ScheduleError, schedule_plan
from steerco.plans.adapters import engine_plan
from steerco.plans.models import TaskAssignment as PlanAssignment
from steerco.plans.selectors import plan_settings_get
from steerco.projects.models import Membership, Project
from steerco.resources.calendars import public_holidays
from steerco.resources.models import Leave as LeaveRow
from steerco.resources.models import Person as PersonRow
from steerco.resources.models import PersonSkill

from .models import Allocation

MINUTES_PER_HOUR = 60


@dataclass
class CapacityInputs:
    """The engine's inputs and what a page needs to name them."""

    people: list[Person]
    allocations: list[EngineAllocation]
    assignments: list[TaskAssignment]
    organisation_holidays: frozenset[dt.date]
    project_names: dict[int, str] = field(default_factory=dict)
    person_names: dict[int, str] = field(default_factory=dict)
    unschedulable: list[str] = field(default_factory=list)


def _years(first: dt.date, last: dt.date) -> tuple[int, int]:
    # Horizons reach to whole weeks and months, a few days into the years either side.
    return first.year - 1, last.year + 1


def capacity_inputs(
    *,
    first: dt.date,
    last: dt.date,
    person_ids: Collection[int] | None = None,
    roles: Collection[str] | None = None,
    include_plans: bool = True,
) -> CapacityInputs:
    """People and the demand on them that touches ``first``–``last`` (inclusive).

    ``person_ids``: only these people (and only the demand on them); ``roles``: only the
    people whose primary role is one of these and the open requests for them. Rejected
    and deleted allocations are not demand; requested ones are (the resource manager
    sees what is asked for); the people in the directory who are inactive are left out.
    """
    years = _years(first, last)
    people_rows = PersonRow.objects.filter(active=True).filter(
        Q(employment_end__isnull=True) | Q(employment_end__gte=first),
        Q(employment_start__isnull=True) | Q(employment_start__lte=last),
    )
    if person_ids is not None:
        people_rows = people_rows.filter(pk__in=list(person_ids))
    if roles is not None:
        people_rows = people_rows.filter(primary_role__name__in=list(roles))
    people_rows = list(people_rows.select_related("primary_role").order_by("name", "pk"))
    ids = [p.pk for p in people_rows]
    id_set = set(ids)
    other_roles: dict[int, list[str]] = {}
    for person_id, name in PersonRow.roles.through.objects.filter(person_id__in=ids).values_list(
        "person_id", "role__name"
    ):
        other_roles.setdefault(person_id, []).append(name)
    skills: dict[int, dict[str, int]] = {}
    for person_id, name, level in PersonSkill.objects.filter(person_id__in=ids).values_list(
        "person_id", "skill__name", "level"
    ):
        skills.setdefault(person_id, {})[name] = level
    leave: dict[int, list[Leave]] = {}
    for person_id, start, finish, fraction in LeaveRow.objects.filter(
        person_id__in=ids,
        finish__gte=first - dt.timedelta(days=31),
        start__lte=last + dt.timedelta(days=31),
    ).values_list("person_id", "start", "finish", "day_fraction"):
        leave.setdefault(person_id, []).append(Leave(start, finish, float(fraction)))

    calendars = Counter()
    people = []
    for row in people_rows:
        primary = row.primary_role.name if row.primary_role_id else None
        roles_of = ([primary] if primary else []) + sorted(
            r for r in other_roles.get(row.pk, []) if r != primary
        )
        calendars[(row.holiday_country, row.holiday_subdivision)] += 1
        people.append(
            Person(
                id=row.pk,
                name=row.name,
                team=row.team,
                roles=tuple(roles_of),
                skills=skills.get(row.pk, {}),
                weekly_hours=float(row.weekly_hours),
                working_weekdays=tuple(sorted(row.working_weekdays)),
                part_time=row.part_time_percent / 100,
                availability=row.availability_percent / 100,
                employment_start=row.employment_start,
                employment_end=row.employment_end,
                leave=tuple(leave.get(row.pk, ())),
                holidays=public_holidays(row.holiday_country, row.holiday_subdivision, *years),
            )
        )
    # Open requests for a role are spread over the organisation's working days: those of
    # the country (and region) most people work in.
    common = calendars.most_common(1)
    organisation_holidays = public_holidays(*common[0][0], *years) if common else frozenset()

    rows = Allocation.objects.filter(start__lte=last, finish__gte=first).exclude(
        state=Allocation.State.REJECTED
    )
    if person_ids is not None or roles is not None:
        named = Q(person_id__in=ids)
        if roles is not None:
            named |= Q(person__isnull=True, role__name__in=list(roles))
        rows = rows.filter(named)
    allocations = []
    project_ids = set()
    for values in rows.values(
        "pk",
        "project_id",
        "person_id",
        "role__name",
        "amount",
        "unit",
        "start",
        "finish",
        "status",
        "probability",
    ):
        person_id = values["person_id"]
        if person_id is not None and person_id not in id_set:
            continue  # on someone inactive or outside the employment asked for
        status = Status(values["status"])
        allocations.append(
            EngineAllocation(
                id=values["pk"],
                project_id=values["project_id"],
                start=values["start"],
                finish=values["finish"],
                amount=float(values["amount"]),
                unit=Unit(values["unit"]),
                status=status,
                probability=1.0 if status is Status.CONFIRMED else float(values["probability"]),
                person_id=person_id,
                role=None if person_id is not None else values["role__name"],
            )
        )
        project_ids.add(values["project_id"])

    assignments: list[TaskAssignment] = []
    unschedulable: list[str] = []
    if include_plans:
        assignments, unschedulable = _plan_work(first, last, id_set)
        project_ids.update(a.project_id for a in assignments)
    project_names = {
        pk: f"{code} {name}"
        for pk, code, name in Project.objects.filter(pk__in=project_ids).values_list(
            "pk", "code", "name"
        )
    }
    return CapacityInputs(
        people=people,
        allocations=allocations,
        assignments=assignments,
        organisation_holidays=organisation_holidays,
        project_names=project_names,
        person_names={p.id: p.name for p in people},
        unschedulable=unschedulable,
    )


def _plan_work(
    first: dt.date, last: dt.date, person_ids: set[int]
) -> tuple[list[TaskAssignment], list[str]]:
    """Task assignments of the people with the scheduled dates of their tasks.

    One query finds the plans that assign work to these people; each such plan is then
    loaded and scheduled once. A task's work is its assignment's ``work_minutes``; tasks
    finished (100 %) are no demand any more, summary tasks carry none of their own.
    """
    if not person_ids:
        return [], []
    rows = list(
        PlanAssignment.objects.filter(
            person_id__in=person_ids,
            work_minutes__gt=0,
            task__percent_complete__lt=100,
            task__project__deleted_at__isnull=True,
        )
        .filter(
            Q(task__project__planned_start__isnull=True)
            | Q(task__project__planned_start__lte=last),
            Q(task__project__planned_finish__isnull=True)
            | Q(task__project__planned_finish__gte=first),
        )
        .values_list("pk", "person_id", "work_minutes", "task__uid", "task__project_id")
    )
    by_project: dict[int, list] = {}
    for row in rows:
        by_project.setdefault(row[4], []).append(row)
    found: list[TaskAssignment] = []
    unschedulable: list[str] = []
    for project in Project.objects.filter(pk__in=list(by_project)).order_by("code"):
        try:
            schedule = schedule_plan(engine_plan(project, plan_settings_get(project=project)))
        except ScheduleError as problem:
            unschedulable.append(f"{project.code}: {problem}")
            continue
        for pk, person_id, minutes, uid, project_id in by_project[project.pk]:
            task = schedule.tasks.get(uid)
            if task is None:
                continue
            start, finish = task.start.date(), task.finish.date()
            if finish < first or start > last:
                continue
            found.append(
                TaskAssignment(
                    id=pk,
                    project_id=project_id,
                    person_id=person_id,
                    start=start,
                    finish=max(finish, start),
                    work_hours=minutes / MINUTES_PER_HOUR,
                )
            )
    return found, unschedulable


def capacity_model(
    *,
    first: dt.date,
    last: dt.date,
    interval: str = "week",
    inputs: CapacityInputs | None = None,
    **filters,
) -> tuple[CapacityModel, CapacityInputs]:
    """The capacity engine's model over the whole weeks or months of ``first``–``last``."""
    horizon = Horizon.covering(first, last, interval)
    if inputs is None:
        inputs = capacity_inputs(
            first=horizon.start, last=horizon.end - dt.timedelta(days=1), **filters
        )
    model = build_capacity(
        inputs.people,
        inputs.allocations,
        inputs.assignments,
        horizon=horizon,
        organisation_holidays=inputs.organisation_holidays,
    )
    return model, inputs


# --- allocations ------------------------------------------------------------------------


def allocation_list(*, user, include_deleted: bool = False) -> QuerySet:
    """Allocations the user may see: every one for those who manage allocations or look
    across projects, else those on projects the user can see."""
    manager = Allocation.all_objects if include_deleted else Allocation.objects
    rows = manager.select_related(
        "project", "person", "role", "requested_by__person", "decided_by__person"
    )
    if not (has_perm(user, P.ALLOCATIONS_MANAGE) or has_perm(user, P.PORTFOLIO_VIEW)):
        rows = rows.filter(project__in=visible_projects(user))
    return rows.filter(project__deleted_at__isnull=True).order_by("start", "pk")


def allocation_get(*, user, allocation_id: int, include_deleted: bool = False) -> Allocation:
    """An allocation the user may see; 404 like an unknown id otherwise."""
    found = (
        allocation_list(user=user, include_deleted=include_deleted).filter(pk=allocation_id).first()
    )
    if found is None:
        raise Http404("No such allocation.")
    return found


def open_requests(*, user) -> QuerySet:
    """Requests waiting for a resource manager: requested, or approved for a role nobody
    has been named for yet."""
    return allocation_list(user=user).filter(
        Q(state=Allocation.State.REQUESTED)
        | Q(state=Allocation.State.APPROVED, person__isnull=True)
    )


def requestable_projects(*, user) -> QuerySet:
    """Projects the user may ask for people on."""
    if has_perm(user, P.ALLOCATIONS_MANAGE):
        return Project.objects.order_by("code")
    person = person_of(user)
    if person is None:
        return Project.objects.none()
    return (
        Project.objects.filter(
            memberships__person=person,
            memberships__role__in=[
                Membership.Role.PROJECT_MANAGER,
                Membership.Role.PROJECT_SUPPORT,
            ],
        )
        .distinct()
        .order_by("code")
    )
