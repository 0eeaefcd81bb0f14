"""How assigned work resources on their own calendars shape a task (MS Project's rule).

A task whose work resources follow calendars different from the project's (a night shift,
a part-timer) runs from its driving date until the last resource has done its share:
each resource works ``work / units`` minutes of *its own* calendar. Where every resource
follows the project calendar the task is an ordinary duration and needs no spans.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from steerco.engine.scheduling.calendar import WorkingCalendar
from steerco.engine.scheduling.model import ResourceSpan, Task


@dataclass(frozen=True, slots=True)
class WorkAssignment:
    """A work resource's assignment to a task: its calendar, units (1.0 = full time) and
    work in minutes; ``contoured`` work was reshaped by hand and lasts the task's duration."""

    calendar: WorkingCalendar
    units: float
    work_minutes: int
    contoured: bool = False


def same_working_time(calendar: WorkingCalendar, other: WorkingCalendar) -> bool:
    """True when ``calendar`` is ``other`` or derived from it without changes of its own."""
    while calendar is not other:
        if calendar.week or calendar.exceptions or calendar.base is None:
            return False
        calendar = calendar.base
    return True


def resource_spans(
    task: Task, project_calendar: WorkingCalendar, assignments: Iterable[WorkAssignment]
) -> tuple[ResourceSpan, ...]:
    """The spans ``task`` should carry, or () when its resources change nothing.

    Summary and manually scheduled tasks never carry spans. Assignments with no units are
    ignored (they add no working time).
    """
    if task.summary or task.manual:
        return ()
    spans = []
    differs = False
    for assignment in assignments:
        if assignment.units <= 0:
            continue
        if assignment.contoured:
            minutes = task.duration_minutes
        else:
            minutes = round(assignment.work_minutes / assignment.units)
        spans.append(ResourceSpan(assignment.calendar, minutes))
        if not same_working_time(assignment.calendar, project_calendar):
            differs = True
    return tuple(spans) if differs else ()


def fixed_units_work(duration_minutes: int, units: float) -> int:
    """The work of an assignment to a fixed-units task, in minutes: Project's
    ``Work = Duration × Units``, the duration in working minutes of the task (an
    assignment at 50 % to a 5-day task is 2.5 days of work)."""
    return max(0, round(duration_minutes * float(units)))
