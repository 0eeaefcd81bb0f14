"""Calendars, CPM passes, float, critical path, progress and baselines (no I/O)."""

from steerco.engine.scheduling.calendar import (
    CalendarException,
    Form,
    WorkingCalendar,
    WorkWeek,
)
from steerco.engine.scheduling.cpm import Scheduler, driving_predecessors, schedule_plan
from steerco.engine.scheduling.model import (
    ConstraintType,
    Link,
    LinkType,
    Plan,
    Schedule,
    ScheduledTask,
    Task,
)
from steerco.engine.scheduling.network import ScheduleCycleError, ScheduleError

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
    "ScheduledTask",
    "Scheduler",
    "Task",
    "WorkWeek",
    "WorkingCalendar",
    "driving_predecessors",
    "schedule_plan",
]
