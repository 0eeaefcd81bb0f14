"""Translate a project's plan rows into the scheduling engine's dataclasses and back.

Every function here issues a fixed number of queries whatever the number of tasks, so
the plan page's query count does not grow with the plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from operator import itemgetter
from types import SimpleNamespace

from django.db.models import Q

from steerco.core.exceptions import DomainError
from steerco.engine.interop.mspdi import CONTOURED
from steerco.engine.interop.mspdi import Assignment as FileAssignment
from steerco.engine.interop.mspdi import Resource as FileResource
from steerco.engine.interop.mspdi import TaskBaseline as FileBaseline
from steerco.engine.scheduling import (
    CalendarException as EngineException,
)
from steerco.engine.scheduling import (
    ConstraintType,
    Link,
    LinkType,
    Plan,
    Schedule,
    ScheduleError,
    Task,
    WorkingCalendar,
)
from steerco.engine.scheduling.resources import WorkAssignment, resource_spans

from .models import BaselineTask, ProjectPlan, TaskAssignment, TaskLink, WorkCalendar
from .models import Task as TaskRow


class Unschedulable(DomainError):
    """The project's plan cannot be scheduled (HTTP 422 ``unschedulable``).

    The message is the engine's ScheduleError as it is, so the plan page, a refused edit,
    the API and ``steerco schedule`` all say the same thing.
    """

    code = "unschedulable"

    def __init__(self, error: ScheduleError, *, fields: dict[str, list[str]] | None = None):
        super().__init__(str(error), fields=fields)


def _week(raw: dict) -> dict[int, tuple[tuple[int, int], ...]]:
    return {int(day): tuple(tuple(pair) for pair in intervals) for day, intervals in raw.items()}


def calendars_to_engine(rows: list[WorkCalendar]) -> dict[int, WorkingCalendar]:
    """Engine calendars keyed by row id, bases resolved (rows must include every base)."""
    by_id = {row.pk: row for row in rows}
    built: dict[int, WorkingCalendar] = {}

    def build(row: WorkCalendar, seen: frozenset[int] = frozenset()) -> WorkingCalendar:
        if row.pk in built:
            return built[row.pk]
        base = None
        if row.base_id and row.base_id in by_id and row.base_id not in seen:
            base = build(by_id[row.base_id], seen | {row.pk})
        calendar = WorkingCalendar(
            name=row.name,
            week=_week(row.week),
            exceptions=[
                EngineException(
                    start=e.start,
                    finish=e.finish,
                    intervals=tuple(tuple(pair) for pair in e.intervals),
                    recurring_yearly=e.recurring_yearly,
                    name=e.name,
                )
                for e in row.exceptions.all()
            ],
            base=base,
            country=row.country or None,
            subdivision=row.subdivision or None,
            uid=row.pk,
        )
        built[row.pk] = calendar
        return calendar

    for row in rows:
        build(row)
    return built


@dataclass
class PlanInputs:
    """The engine plan of a project and the rows it came from."""

    settings: ProjectPlan
    plan: Plan
    rows: list[TaskRow]
    links: list[TaskLink]
    calendars: dict[int, WorkingCalendar]
    #: Each task's assignments by task id (tasks without any are absent), in name order.
    assignments: dict[int, list[TaskAssignment]] = field(default_factory=dict)

    @property
    def row_by_uid(self) -> dict[int, TaskRow]:
        return {row.uid: row for row in self.rows}


def project_calendar_rows(project) -> list[WorkCalendar]:
    """The project's calendars plus the organisation-wide ones they may derive from."""
    return list(
        WorkCalendar.objects.filter(Q(project=project) | Q(project__isnull=True)).prefetch_related(
            "exceptions"
        )
    )


#: The engine's enumerations by stored value: calling the enumeration for each of the
#: 260,000 tasks and links of a large plan took a second (it stays the fallback, for a
#: value given as a member).
_CONSTRAINTS = {member.value: member for member in ConstraintType}
_LINK_TYPES = {member.value: member for member in LinkType}


def task_to_engine(row: TaskRow, summary: bool, calendars: dict[int, WorkingCalendar]) -> Task:
    return Task(
        uid=row.uid,
        name=row.name,
        duration_minutes=0 if row.milestone and not row.duration_minutes else row.duration_minutes,
        wbs=row.wbs,
        outline_level=row.outline_level,
        parent_uid=None,  # set by the caller, which knows parents' uids
        summary=summary,
        milestone=row.milestone,
        manual=row.manual,
        start=row.manual_start,
        finish=row.manual_finish,
        constraint=_CONSTRAINTS.get(row.constraint_type) or ConstraintType(row.constraint_type),
        constraint_date=row.constraint_date,
        deadline=row.deadline,
        calendar=calendars.get(row.calendar_id) if row.calendar_id else None,
        elapsed=row.elapsed,
        percent_complete=float(row.percent_complete),
        actual_start=row.actual_start,
        actual_finish=row.actual_finish,
        remaining_duration_minutes=row.remaining_duration_minutes,
    )


def link_to_engine(link: TaskLink, uid_of: dict[int, int]) -> Link:
    return Link(
        predecessor_uid=uid_of[link.predecessor_id],
        successor_uid=uid_of[link.successor_id],
        type=_LINK_TYPES.get(link.type) or LinkType(link.type),
        lag_minutes=link.lag_minutes,
        lag_percent=float(link.lag_percent) if link.lag_percent is not None else None,
        lag_elapsed=link.lag_elapsed,
    )


def plan_inputs(project, settings: ProjectPlan) -> PlanInputs:
    """Load the project's plan rows (five queries) and build the engine's Plan. Tasks'
    assignments shape their spans as Project's resource calendars do, whichever way they
    were written (a file, the grid, the API)."""
    calendars = calendars_to_engine(project_calendar_rows(project))
    rows = list(TaskRow.objects.filter(project=project).order_by("position"))
    links = list(TaskLink.objects.filter(project=project))
    assignments = _assignments_by_task(project)
    plan = _engine_plan(project, settings, rows, links, assignments, calendars)
    return PlanInputs(
        settings=settings,
        plan=plan,
        rows=rows,
        links=links,
        calendars=calendars,
        assignments=assignments,
    )


#: The fields of a task and of a link that the engine's plan is built from
#: (``task_to_engine``, ``link_to_engine``, and the outline).
_ENGINE_TASK_FIELDS = (
    "pk",
    "parent_id",
    "uid",
    "name",
    "milestone",
    "duration_minutes",
    "wbs",
    "outline_level",
    "manual",
    "manual_start",
    "manual_finish",
    "constraint_type",
    "constraint_date",
    "deadline",
    "calendar_id",
    "elapsed",
    "percent_complete",
    "actual_start",
    "actual_finish",
    "remaining_duration_minutes",
)
_ENGINE_LINK_FIELDS = (
    "predecessor_id",
    "successor_id",
    "type",
    "lag_minutes",
    "lag_percent",
    "lag_elapsed",
)


def engine_plan(
    project,
    settings: ProjectPlan,
    *,
    written: tuple[list[dict], list[dict]] | None = None,
) -> Plan:
    """The engine's Plan of the project, as ``plan_inputs`` builds it, for callers that
    only schedule it (the outlook after an import or a delete): its tasks and links are
    read as values, not model instances, which for a 100,000-task plan saves seconds.

    ``written`` is the plan's tasks and links as the caller has just written them (field
    values by attname, each task with its ``id``): an import that holds its 100,000 rows
    does not read them back (seconds more). The calendars, assignments and ``settings``
    are read as they stand."""
    calendars = calendars_to_engine(project_calendar_rows(project))
    if written is None:
        rows = [
            SimpleNamespace(**values)
            for values in TaskRow.objects.filter(project=project)
            .order_by("position")
            .values(*_ENGINE_TASK_FIELDS)
        ]
        links = [
            SimpleNamespace(**values)
            for values in TaskLink.objects.filter(project=project).values(*_ENGINE_LINK_FIELDS)
        ]
    else:
        task_values, link_values = written
        rows = [
            SimpleNamespace(pk=values["id"], **values)
            for values in sorted(task_values, key=itemgetter("position"))
        ]
        links = [SimpleNamespace(**values) for values in link_values]
    assignments = _assignments_by_task(project)
    return _engine_plan(project, settings, rows, links, assignments, calendars)


def _assignments_by_task(project) -> dict[int, list[TaskAssignment]]:
    assignments: dict[int, list[TaskAssignment]] = {}
    for assignment in TaskAssignment.objects.filter(task__project=project):
        assignments.setdefault(assignment.task_id, []).append(assignment)
    return assignments


def _engine_plan(project, settings, rows, links, assignments, calendars) -> Plan:
    """The engine's Plan from the plan's rows (model instances or values with the same
    names), in outline order."""
    uid_of = {row.pk: row.uid for row in rows}
    parents = {row.parent_id for row in rows if row.parent_id}
    tasks = []
    for row in rows:
        task = task_to_engine(row, row.pk in parents, calendars)
        task.parent_uid = uid_of.get(row.parent_id) if row.parent_id else None
        tasks.append(task)
    project_calendar = (
        calendars.get(settings.calendar_id) if settings.calendar_id else None
    ) or WorkingCalendar()
    for row, task in zip(rows, tasks, strict=True):
        if row.pk in assignments:
            task.resource_spans = resource_spans(
                task,
                project_calendar,
                [
                    WorkAssignment(
                        calendar=calendars.get(a.calendar_id, project_calendar),
                        units=float(a.units),
                        work_minutes=a.work_minutes,
                        contoured=a.contoured,
                    )
                    for a in assignments[row.pk]
                ],
            )
    return Plan(
        tasks=tasks,
        links=[link_to_engine(link, uid_of) for link in links],
        start=settings.start,
        calendar=project_calendar,
        minutes_per_day=settings.minutes_per_day,
        status_date=settings.status_date,
        honor_constraints=settings.honor_constraints,
        name=str(project),
    )


@dataclass
class PlanFileParts:
    """What a plan file carries besides the plan: resources, assignments and baselines,
    in the shapes of ``steerco.engine.interop.mspdi``."""

    resources: list[FileResource]
    assignments: list[FileAssignment]
    baselines: dict[int, list[FileBaseline]]


def plan_file_parts(project, inputs: PlanInputs, schedule: Schedule | None) -> PlanFileParts:
    """The project's assignments as resources and assignments, and its saved baselines by
    task uid, for the tasks of ``inputs`` (two queries).

    One resource per person, or per name for a resource known only by its name, and per
    calendar the assignments follow; a person's e-mail goes with them. An assignment carries
    its task's dates in each baseline (Microsoft Project keeps both).
    """
    baselines: dict[int, list[FileBaseline]] = {}
    in_plan = {task.uid for task in inputs.plan.tasks}
    # By project, not by an IN list of the plan's uids (too long for SQLite in a large plan).
    for row in (
        BaselineTask.objects.filter(baseline__project=project)
        .order_by("baseline__number", "task_uid")
        .values_list("baseline__number", "task_uid", "start", "finish", "duration_minutes")
    ):
        number, uid, start, finish, duration = row
        if uid not in in_plan:
            continue  # a task deleted since: MSPDI keeps baselines on the tasks
        baselines.setdefault(uid, []).append(FileBaseline(number, start, finish, duration))
    uid_of = {row.pk: row.uid for row in inputs.rows}
    resources: dict[tuple, FileResource] = {}
    assignments = []
    for row in (
        TaskAssignment.objects.filter(task__project=project)
        .select_related("person")
        .order_by("task__position", "resource_name", "pk")
    ):
        key = (row.person_id, row.resource_name if row.person_id is None else "", row.calendar_id)
        if key not in resources:
            resources[key] = FileResource(
                uid=len(resources) + 1,
                name=row.person.name if row.person else row.resource_name,
                email=row.person.email if row.person else "",
                calendar=inputs.calendars.get(row.calendar_id) if row.calendar_id else None,
            )
        uid = uid_of[row.task_id]
        result = schedule.tasks.get(uid) if schedule is not None else None
        assignments.append(
            FileAssignment(
                uid=len(assignments) + 1,
                task_uid=uid,
                resource_uid=resources[key].uid,
                units=float(row.units),
                work_minutes=row.work_minutes,
                work_contour=CONTOURED if row.contoured else 0,
                start=result.start if result else None,
                finish=result.finish if result else None,
                baselines=[
                    FileBaseline(saved.number, saved.start, saved.finish, None)
                    for saved in baselines.get(uid, ())
                ],
            )
        )
    return PlanFileParts(list(resources.values()), assignments, baselines)


def default_plan_start(project) -> dt.datetime:
    day = project.planned_start or dt.date.today()
    return dt.datetime(day.year, day.month, day.day, 8, 0)
