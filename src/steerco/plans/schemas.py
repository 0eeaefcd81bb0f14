"""API shapes of a project's plan: its settings, tasks, dependencies, baselines, the
computed schedule and plan files.

Plan dates are local wall-clock times of the project, without an offset, as Microsoft
Project and its files treat them ("Monday 08:00" stays Monday 08:00): they are written
``2026-01-05T08:00:00`` and a value sent with an offset (``Z``, ``+01:00``) or as a Unix
timestamp is malformed, since converting it would silently move the date. Durations and
lags are minutes of working time unless marked elapsed. References to other objects
(``parent``, ``after``, ``calendar``, ``predecessor``, ``successor``) are
integer ids both ways. In update bodies (``...PatchIn``) a field left out is left alone;
only fields that may be empty accept ``null``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

from steerco.core.api import InputSchema, ObjectId, Version
from steerco.engine.interop.tasklist import format_predecessors
from steerco.engine.scheduling.assignment_notation import format_resources

from .adapters import link_to_engine
from .models import ProjectPlan, Task, TaskAssignment, TaskLink

ConstraintName = Literal[tuple(Task.Constraint.names)]
LinkTypeName = Literal[tuple(TaskLink.Type.names)]
ExportFormat = Literal["mspdi", "json", "csv", "xlsx"]
Direction = Literal["up", "down"]

LOCAL_TIME_ONLY = "plan dates are local times without offset"


# Plan dates are naive: wall-clock times of the project, as Microsoft Project keeps them.
# OpenAPI's ``date-time`` is RFC 3339, which requires an offset, so declaring them so was
# untrue (every answer "violated" the document); they are described as what they are.
LOCAL_TIME_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$"
_LOCAL_TIME_SCHEMA = {
    "type": "string",
    "pattern": LOCAL_TIME_PATTERN,
    "description": (
        "Local wall-clock time without offset, e.g. 2026-01-05T08:00:00: a time in the "
        "time zone of the project's calendar, as Microsoft Project keeps plan dates "
        "(not an RFC 3339 date-time, which would need an offset)."
    ),
    "examples": ["2026-01-05T08:00:00"],
}
_LOCAL_TIME = re.compile(LOCAL_TIME_PATTERN)


def _local_time_text(value):
    # Only what the document promises: an offset, a bare date or a Unix time would each
    # be read some other way by some client.
    if isinstance(value, str) and not _LOCAL_TIME.match(value):
        raise ValueError(LOCAL_TIME_ONLY)
    if isinstance(value, int | float):
        raise ValueError(LOCAL_TIME_ONLY)
    return value


def _without_offset(value: datetime) -> datetime:
    if value.tzinfo is not None:
        raise ValueError(LOCAL_TIME_ONLY)
    return value


LocalDateTime = Annotated[
    datetime,
    BeforeValidator(_local_time_text),
    AfterValidator(_without_offset),
    WithJsonSchema(_LOCAL_TIME_SCHEMA),
]
"""A plan date sent by a client: local wall-clock time, refused with an offset."""

LocalDateTimeOut = Annotated[datetime, WithJsonSchema(_LOCAL_TIME_SCHEMA)]
"""A plan date answered: local wall-clock time, written without offset."""
Minutes = Annotated[int, Field(ge=0, le=2**31 - 1)]
SignedMinutes = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
LagPercent = Annotated[Decimal, Field(ge=-99999, le=99999, max_digits=7, decimal_places=2)]
BaselineNumber = Annotated[int, Field(ge=0, le=10, description="Baseline number, 0 to 10.")]

_Input = InputSchema


def predecessors_text(task: Task) -> str:
    """The task's predecessors as MS Project writes them, naming tasks by uid.

    Uses the links prefetched with their predecessors (see ``api.plan_tasks``) and the
    ``plan_minutes_per_day`` annotation when present, so a page of tasks costs no query
    per task; a lone task (a 409's current object) looks them up.
    """
    links = getattr(task, "_prefetched_objects_cache", {}).get("predecessor_links")
    if links is None:
        links = task.predecessor_links.select_related("predecessor").order_by(
            "predecessor__position"
        )
    links = list(links)
    if not links:
        return ""
    minutes_per_day = getattr(task, "plan_minutes_per_day", None)
    if minutes_per_day is None:
        minutes_per_day = (
            ProjectPlan.objects.filter(project_id=task.project_id)
            .values_list("minutes_per_day", flat=True)
            .first()
        ) or ProjectPlan._meta.get_field("minutes_per_day").default
    uid_of = {task.pk: task.uid, **{link.predecessor_id: link.predecessor.uid for link in links}}
    return format_predecessors(
        [link_to_engine(link, uid_of) for link in links], minutes_per_day=minutes_per_day
    )


# --- plan settings ------------------------------------------------------------------


class PlanOut(Schema):
    """The plan's scheduling settings; the plan is the project's, so it has no id of its own."""

    project: int = Field(..., description="Project id.")
    version: int
    start: LocalDateTimeOut = Field(..., description="Project start, local time.")
    status_date: LocalDateTimeOut | None
    calendar: int | None = Field(None, description="Calendar id; null = the default calendar.")
    minutes_per_day: int
    minutes_per_week: int
    honor_constraints: bool

    @staticmethod
    def resolve_project(obj: ProjectPlan) -> int:
        return obj.project_id

    @staticmethod
    def resolve_calendar(obj: ProjectPlan) -> int | None:
        return obj.calendar_id


class PlanPatchIn(_Input):
    # Defaults of None are not validated, so leaving a field out is allowed while an
    # explicit null for a field that cannot be empty is rejected as malformed.
    version: Version
    start: LocalDateTime = None
    status_date: LocalDateTime | None = None
    calendar: ObjectId | None = None
    minutes_per_day: Annotated[int, Field(ge=1, le=1440)] = None
    minutes_per_week: Annotated[int, Field(ge=1, le=10080)] = None
    honor_constraints: bool = None


# --- tasks --------------------------------------------------------------------------


class AssignmentOut(Schema):
    name: str = Field(..., description="The resource's name (a person's, as the directory has it).")
    person: int | None = Field(
        None, description="Person id; null for a resource an imported file knew by name only."
    )
    units: float = Field(..., description="Share of the resource's time: 1 = 100%.")
    work_minutes: int = Field(..., description="Working minutes of work: duration × units.")

    @staticmethod
    def resolve_name(obj: TaskAssignment) -> str:
        return obj.resource_name

    @staticmethod
    def resolve_person(obj: TaskAssignment) -> int | None:
        return obj.person_id

    @staticmethod
    def resolve_units(obj: TaskAssignment) -> float:
        return float(obj.units)


class AssignmentIn(_Input):
    name: str = Field(..., min_length=1, max_length=200, description="A person's name.")
    units: Annotated[Decimal, Field(ge=0, le=100, decimal_places=3)] = Field(
        Decimal(1), description="Share of the person's time: 1 = 100% (the default), 0.5 = 50%."
    )


class TaskOut(Schema):
    id: int
    version: int
    uid: int = Field(..., description="Stable id within the project (MS Project's UID).")
    wbs: str
    name: str
    outline_level: int
    parent: int | None = Field(None, description="Task id of the summary task above.")
    position: int = Field(..., description="Row in outline order, from 1.")
    summary: bool = Field(..., description="True if the task has subtasks.")
    duration_minutes: int
    elapsed: bool
    milestone: bool
    manual: bool
    manual_start: LocalDateTimeOut | None
    manual_finish: LocalDateTimeOut | None
    constraint_type: ConstraintName
    constraint_date: LocalDateTimeOut | None
    deadline: LocalDateTimeOut | None
    calendar: int | None = Field(None, description="Calendar id; null = the plan's calendar.")
    percent_complete: float
    actual_start: LocalDateTimeOut | None
    actual_finish: LocalDateTimeOut | None
    remaining_duration_minutes: int | None
    notes: str
    resources: str = Field(
        ...,
        description="The task's assignments in MS Project's Resource Names notation: "
        "'Priya[50%], Tom' (units in brackets when not 100%).",
    )
    assignments: list[AssignmentOut] = Field(
        ..., description="The same assignments, one object each, in name order."
    )
    predecessors: str = Field(
        ...,
        description="Dependencies into this task in MS Project notation, naming tasks by "
        "uid: '3, 5SS, 7FF-1d, 4SF+50%'.",
    )

    @staticmethod
    def resolve_parent(obj: Task) -> int | None:
        return obj.parent_id

    @staticmethod
    def resolve_summary(obj: Task) -> bool:
        annotated = getattr(obj, "has_children", None)
        return obj.children.exists() if annotated is None else annotated

    @staticmethod
    def resolve_constraint_type(obj: Task) -> str:
        return Task.Constraint(obj.constraint_type).name

    @staticmethod
    def resolve_calendar(obj: Task) -> int | None:
        return obj.calendar_id

    @staticmethod
    def resolve_percent_complete(obj: Task) -> float:
        return float(obj.percent_complete)

    @staticmethod
    def resolve_resources(obj: Task) -> str:
        return format_resources([(a.resource_name, a.units) for a in obj.assignments.all()])

    @staticmethod
    def resolve_assignments(obj: Task) -> list[TaskAssignment]:
        return list(obj.assignments.all())

    @staticmethod
    def resolve_predecessors(obj: Task) -> str:
        return predecessors_text(obj)


class _TaskFieldsIn(_Input):
    elapsed: bool = None
    milestone: bool = None
    manual: bool = None
    manual_start: LocalDateTime | None = None
    manual_finish: LocalDateTime | None = None
    constraint_type: ConstraintName = None
    constraint_date: LocalDateTime | None = None
    deadline: LocalDateTime | None = None
    calendar: ObjectId | None = Field(None, description="Calendar id.")
    percent_complete: Percent = None
    actual_start: LocalDateTime | None = None
    actual_finish: LocalDateTime | None = None
    remaining_duration_minutes: Minutes | None = None
    notes: str = None
    resources: str = Field(
        None,
        max_length=2000,
        description="Replace the task's assignments: people of the directory by name, in "
        "MS Project's notation, 'Priya[50%], Tom'; '' removes them all. Not with "
        "'assignments'.",
    )
    assignments: list[AssignmentIn] = Field(
        None,
        max_length=500,
        description="Replace the task's assignments, one object each; [] removes them all. "
        "Not with 'resources'.",
    )


class TaskCreateIn(_TaskFieldsIn):
    name: str
    duration_minutes: Minutes = Field(
        None, description="Working minutes; 480 (one day) by default, 0 for a milestone."
    )
    after: ObjectId | None = Field(
        None, description="Task id: insert just after this task's subtree, as its sibling."
    )
    parent: ObjectId | None = Field(
        None, description="Task id: insert as the last subtask of this task."
    )


class TaskPatchIn(_TaskFieldsIn):
    version: Version
    name: str = None
    duration_minutes: Minutes = None


class TaskOutlineIn(_Input):
    version: Version | None = Field(
        None, description="The version you read; if the task changed since, 409."
    )


class TaskMoveIn(TaskOutlineIn):
    direction: Direction


# --- dependencies -------------------------------------------------------------------


class LinkOut(Schema):
    id: int
    version: int
    predecessor: int = Field(..., description="Task id.")
    successor: int = Field(..., description="Task id.")
    type: LinkTypeName
    lag_minutes: int = Field(..., description="Working minutes; negative = lead.")
    lag_percent: float | None = Field(
        None, description="Lag as a percentage of the predecessor's duration, if set."
    )
    lag_elapsed: bool

    @staticmethod
    def resolve_predecessor(obj: TaskLink) -> int:
        return obj.predecessor_id

    @staticmethod
    def resolve_successor(obj: TaskLink) -> int:
        return obj.successor_id

    @staticmethod
    def resolve_type(obj: TaskLink) -> str:
        return TaskLink.Type(obj.type).name

    @staticmethod
    def resolve_lag_percent(obj: TaskLink) -> float | None:
        return None if obj.lag_percent is None else float(obj.lag_percent)


class LinkCreateIn(_Input):
    predecessor: ObjectId = Field(..., description="Task id.")
    successor: ObjectId = Field(..., description="Task id.")
    type: LinkTypeName = "FS"
    lag_minutes: SignedMinutes = 0
    lag_percent: LagPercent | None = None
    lag_elapsed: bool = False


class LinkPatchIn(_Input):
    version: Version
    type: LinkTypeName = None
    lag_minutes: SignedMinutes = None
    lag_percent: LagPercent | None = None
    lag_elapsed: bool = None


# --- baselines ----------------------------------------------------------------------


class BaselineOut(Schema):
    number: int
    name: str
    version: int = Field(description="Send it to overwrite this baseline.")
    saved_at: datetime
    saved_by: str | None = Field(None, description="Username of whoever saved it.")
    project_start: LocalDateTimeOut | None
    project_finish: LocalDateTimeOut | None
    protected: bool = Field(
        description="Only the project manager or the PMO may overwrite or delete it."
    )
    reason: str = Field(description="Why a protected baseline was last overwritten.")

    @staticmethod
    def resolve_saved_by(obj) -> str | None:
        return obj.saved_by.username if obj.saved_by_id else None


class BaselineTaskOut(Schema):
    uid: int
    name: str
    baseline_start: LocalDateTimeOut | None
    baseline_finish: LocalDateTimeOut | None
    baseline_duration_minutes: int | None
    start: LocalDateTimeOut | None = Field(
        None, description="Current start; null if no longer planned."
    )
    finish: LocalDateTimeOut | None = Field(None, description="Current finish.")
    start_variance_minutes: int | None = Field(
        None, description="Working minutes, current minus baseline (positive = later)."
    )
    finish_variance_minutes: int | None
    duration_variance_minutes: int | None


class BaselineDetailOut(BaselineOut):
    schedule_error: str | None = Field(
        None, description="Why the current plan cannot be scheduled (then no variances)."
    )
    tasks: list[BaselineTaskOut]


class BaselineCreateIn(_Input):
    number: BaselineNumber = 0
    name: Annotated[str, Field(max_length=100)] = ""
    version: Version | None = Field(
        None,
        description=(
            "Required to overwrite a saved baseline: the version you reviewed (409 with "
            "the stored baseline otherwise). Leave out for a number not yet saved."
        ),
    )
    protected: bool | None = Field(
        None,
        description=(
            "Baseline 0 only. Left out: a baseline keeps its protection, and a new "
            "baseline 0 saved by the project manager or the PMO is protected."
        ),
    )
    reason: Annotated[str, Field(max_length=500)] = Field(
        "", description="Why: required to overwrite a protected baseline; kept in its history."
    )


# --- schedule and files -------------------------------------------------------------


class ProjectDatesOut(Schema):
    start: LocalDateTimeOut
    finish: LocalDateTimeOut


class ScheduledTaskOut(Schema):
    uid: int
    name: str
    wbs: str
    summary: bool
    milestone: bool
    start: LocalDateTimeOut
    finish: LocalDateTimeOut
    early_start: LocalDateTimeOut
    early_finish: LocalDateTimeOut
    late_start: LocalDateTimeOut
    late_finish: LocalDateTimeOut
    total_slack_minutes: int
    free_slack_minutes: int
    critical: bool


class ScheduleOut(Schema):
    """The shape of ``steerco schedule --format json``."""

    project: ProjectDatesOut
    tasks: list[ScheduledTaskOut]


class ImportReportOut(Schema):
    """``tasks`` the file brought; ``added``, ``updated``, ``kept``, ``deleted`` the plan's
    tasks (a replace deletes every task of the old plan); ``baselines_kept`` the numbers of
    the project's baselines left as they were."""

    format: Literal["mspdi", "json", "csv", "xlsx"]
    mode: Literal["replace", "update"]
    tasks: int
    links: int
    calendars: int
    baselines: int
    added: int
    updated: int
    kept: int
    deleted: int
    assignments: int
    baselines_kept: list[int]
    notes: list[str]


class PlanImportOut(Schema):
    """A large import, written by a background job: the plan changes only when it ends
    ``switched``; ``failed`` leaves the plan as it was."""

    id: int
    state: Literal["staging", "switched", "failed"] = Field(
        ..., description="staging: being written; switched: imported; failed: nothing changed."
    )
    progress: int = Field(..., description="Per cent done, 0 to 100.")
    tasks: int
    filename: str
    message: str = Field(..., description="Why it failed, when it did.")
    created_at: datetime
    finished_at: datetime | None
    job_id: int | None
    status_url: str
    job_url: str | None = Field(None, description="The job's page, for a browser.")


class RowProblemOut(Schema):
    row: int = Field(..., description="Spreadsheet row, from 1, the header included.")
    column: str
    message: str


class ImportRefusedOut(Schema):
    detail: str
    code: str
    fields: dict[str, list[str]] = {}
    problems: list[RowProblemOut] = []


# --- calendars ----------------------------------------------------------------------

#: A weekday's working periods as [from, to] minutes after midnight, e.g. [[480, 720]].
Intervals = list[
    Annotated[list[Annotated[int, Field(ge=0, le=1440)]], Field(min_length=2, max_length=2)]
]
Week = Annotated[
    dict[Literal["0", "1", "2", "3", "4", "5", "6"], Intervals],
    Field(description='Weekday "0" (Monday) to "6" → [[from, to], ...] minutes; [] = off.'),
]


class CalendarOut(Schema):
    id: int
    version: int
    name: str
    project: int | None = Field(None, description="Project id; null = organisation-wide.")
    base: int | None = Field(None, description="Organisation calendar this one derives from.")
    week: dict[str, list[list[int]]]
    country: str = Field(..., description="ISO code whose public holidays are off; '' = none.")
    subdivision: str

    @staticmethod
    def resolve_project(obj) -> int | None:
        return obj.project_id

    @staticmethod
    def resolve_base(obj) -> int | None:
        return obj.base_id


class CalendarCreateIn(_Input):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    base: ObjectId | None = None
    week: Week = None
    country: Annotated[str, Field(max_length=8)] = ""
    subdivision: Annotated[str, Field(max_length=16)] = ""


class CalendarPatchIn(_Input):
    version: Version
    name: Annotated[str, Field(min_length=1, max_length=100)] = None
    base: ObjectId | None = None
    week: Week = None
    country: Annotated[str, Field(max_length=8)] = None
    subdivision: Annotated[str, Field(max_length=16)] = None


class CalendarExceptionOut(Schema):
    id: int
    name: str
    start: date
    finish: date
    intervals: list[list[int]] = Field(..., description="Working periods; [] = non-working.")
    recurring_yearly: bool


class CalendarExceptionIn(_Input):
    name: Annotated[str, Field(max_length=100)] = ""
    start: date
    finish: date | None = Field(None, description="Last day; omitted = the start day.")
    intervals: Intervals = []
    recurring_yearly: bool = False
