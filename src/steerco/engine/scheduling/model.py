"""Plain data of the scheduling engine: what goes in (Plan) and what comes out (Schedule).

Conventions: datetimes are local naive wall-clock times; durations and lags are whole minutes of
*working* time (of the task's calendar) unless the matching ``elapsed`` flag says calendar time.
A task's ``start`` is the first working minute of its work and its ``finish`` the end of its last
working minute (both inclusive of the work, as MS Project shows them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from steerco.engine.scheduling.calendar import WorkingCalendar


class LinkType(Enum):
    """Dependency types; the value is MS Project's code in MSPDI files."""

    FF = 0
    FS = 1
    SF = 2
    SS = 3


class ConstraintType(Enum):
    """Date constraints; the value is MS Project's code in MSPDI files."""

    ASAP = 0  # as soon as possible
    ALAP = 1  # as late as possible
    MSO = 2  # must start on
    MFO = 3  # must finish on
    SNET = 4  # start no earlier than
    SNLT = 5  # start no later than
    FNET = 6  # finish no earlier than
    FNLT = 7  # finish no later than


@dataclass(frozen=True, slots=True)
class ResourceSpan:
    """One resource's share of a task: ``duration_minutes`` of working time of ``calendar``.

    A task with spans runs from the earliest span start to the latest span finish, each span
    starting at the task's driving date (MS Project's rule for tasks whose assigned resources
    work on their own calendars, e.g. a night shift). ``duration_minutes`` = work / units.
    """

    calendar: WorkingCalendar
    duration_minutes: int


@dataclass(slots=True)
class Task:
    """A WBS element. ``parent_uid`` is the enclosing summary task (None at the top).

    ``duration_minutes`` is working minutes of the task's calendar (``calendar`` or the plan's),
    or calendar minutes when ``elapsed``. ``start``/``finish`` are used only for manually
    scheduled tasks (``manual``), which keep them. ``remaining_duration_minutes`` (None = derived
    from ``percent_complete``) is the work still to do after ``actual_start``.
    """

    uid: int
    name: str = ""
    duration_minutes: int = 0
    wbs: str = ""
    outline_level: int = 1
    parent_uid: int | None = None
    summary: bool = False
    milestone: bool = False
    manual: bool = False
    start: dt.datetime | None = None
    finish: dt.datetime | None = None
    constraint: ConstraintType = ConstraintType.ASAP
    constraint_date: dt.datetime | None = None
    deadline: dt.datetime | None = None
    calendar: WorkingCalendar | None = None
    elapsed: bool = False
    percent_complete: float = 0.0
    actual_start: dt.datetime | None = None
    actual_finish: dt.datetime | None = None
    remaining_duration_minutes: int | None = None
    resource_spans: tuple[ResourceSpan, ...] = ()


@dataclass(slots=True)
class Link:
    """Dependency ``predecessor_uid`` → ``successor_uid``.

    ``lag_minutes`` is working minutes of the successor's calendar (negative = lead), or calendar
    minutes when ``lag_elapsed``. When ``lag_percent`` is set it replaces ``lag_minutes``: the lag
    is that percentage of the predecessor's duration (MS Project's "50%" lags).
    """

    predecessor_uid: int
    successor_uid: int
    type: LinkType = LinkType.FS
    lag_minutes: int = 0
    lag_percent: float | None = None
    lag_elapsed: bool = False


@dataclass(slots=True)
class Plan:
    """A network to schedule. ``start`` is the project start (local naive datetime): tasks
    that nothing else places start there, but an SNET, FNET, MSO or MFO date before it moves a
    task before it (the schedule's ``start`` is the earliest task start, as in MS Project).

    ``honor_constraints``: MS Project's "tasks will always honor their constraint dates"; when
    False, links win over SNLT/FNLT/MSO/MFO and the conflict shows as negative float only.
    ``status_date``: unfinished work is scheduled after it.
    """

    tasks: list[Task]
    links: list[Link] = field(default_factory=list)
    start: dt.datetime = dt.datetime(2000, 1, 3, 8, 0)
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    minutes_per_day: int = 480
    status_date: dt.datetime | None = None
    honor_constraints: bool = True
    critical_slack_limit_minutes: int = 0
    name: str = ""


@dataclass(slots=True)
class ScheduledTask:
    """Computed dates of one task (``start``/``finish`` are where it is scheduled: the early
    dates, or the late dates of an ALAP task) and its slack, as MS Project computes them.

    Slack is in working minutes of the task's calendar (its own calendar when it has one, else
    the project calendar, elapsed tasks included); negative means late:

    * ``start_slack_minutes`` = late start − early start; ``finish_slack_minutes`` = late
      finish − early finish, except that a task held at an honoured MSO/MFO/SNLT/FNLT date
      against its links counts from the finish its links would give it.
    * ``total_slack_minutes`` = min(start slack, finish slack); finish slack alone once the
      task has started; 0 once it is complete.
    * ``free_slack_minutes``: how far the task can slip without delaying any successor's
      early dates (the total slack when it has no successors); never negative, and not capped
      by total slack.
    """

    uid: int
    start: dt.datetime
    finish: dt.datetime
    early_start: dt.datetime
    early_finish: dt.datetime
    late_start: dt.datetime
    late_finish: dt.datetime
    total_slack_minutes: int
    free_slack_minutes: int
    critical: bool
    start_slack_minutes: int
    finish_slack_minutes: int


@dataclass(slots=True)
class Schedule:
    """The result of scheduling a Plan: dates per task uid, in the plan's task order.

    ``start`` is the earliest early start and ``finish`` the latest early finish of all tasks
    (``start`` may lie before the plan's start, see :class:`Plan`).
    """

    start: dt.datetime
    finish: dt.datetime
    tasks: Mapping[int, ScheduledTask]
    critical_path: list[int]
    warnings: list[str] = field(default_factory=list)
    #: The plan that was scheduled (for driving-predecessor queries); not part of equality.
    plan: Plan | None = field(default=None, repr=False, compare=False)
