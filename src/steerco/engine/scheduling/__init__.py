"""Calendars, CPM passes, float, critical path, progress and baselines (no I/O)."""

from steerco.engine.scheduling.calendar import (
    CalendarException,
    Form,
    WorkingCalendar,
    WorkWeek,
)
from steerco.engine.scheduling.cpm import Scheduler, driving_predecessors, schedule_plan
from steerco.engine.scheduling.errors import (
    ScheduleCycleError,
    ScheduleError,
    ScheduleHorizonError,
)
from steerco.engine.scheduling.model import (
    ConstraintType,
    Link,
    LinkType,
    Plan,
    Schedule,
    ScheduledTask,
    Task,
)

__all__ = [
    "CalendarException",
    "ConstraintType",
    "Form",
    "Link",
    "LinkType",
    "Plan",
    "Schedule",
    "ScheduleCycleError",
    "ScheduleError",
    "ScheduleHorizonError",
    "ScheduledTask",
    "Scheduler",
    "Task",
    "WorkWeek",
    "WorkingCalendar",
    "driving_predecessors",
    "schedule_plan",
]
