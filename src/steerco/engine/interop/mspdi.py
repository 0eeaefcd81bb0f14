"""Microsoft Project XML (MSPDI) import and export.

Parsing goes through defusedxml: DTDs, entity declarations and external references are refused,
and input above :data:`MAX_BYTES` is refused before parsing; any of these, or malformed XML,
raise :class:`PlanFileError` with a message a user can act on.

Units in MSPDI: durations are ISO 8601 (``PT8H0M0S``) in minutes of working time (calendar time
for elapsed formats); ``LinkLag`` and slack are tenths of a minute; dates are local naive.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from steerco.engine.scheduling.baselines import BASELINE_NUMBERS, Baselines, BaselineTask
from steerco.engine.scheduling.calendar import CalendarException, WorkingCalendar, WorkWeek
from steerco.engine.scheduling.model import (
    ConstraintType,
    Link,
    LinkType,
    Plan,
    Schedule,
    Task,
)
from steerco.engine.scheduling.resources import WorkAssignment, resource_spans

NAMESPACE = "http://schemas.microsoft.com/project"
MAX_BYTES = 50 * 1024 * 1024

#: MSPDI duration/lag format codes that mean elapsed (calendar) time; 35+ are "estimated".
ELAPSED_FORMATS = frozenset({4, 6, 8, 10, 12, 20, 36, 38, 40, 42, 44, 52})
PERCENT_FORMATS = frozenset({19, 20, 51, 52})
#: The longest lead or lag read, in minutes: Microsoft Project's longest duration, 66 years
#: of 365 days (346,896,000 tenths of a minute: ``ValidationConst.MaxProjectDuration`` in
#: Microsoft.Office.Project.Server.Library, learn.microsoft.com/previous-versions/office/
#: project-class/gg206534). Project takes leads (negative lags) as well as lags, so the bound
#: holds either way; a file beyond it was not written by Project and would schedule a task
#: decades before the project starts.
MAX_LAG_MINUTES = 66 * 365 * 1440


class PlanFileError(ValueError):
    """A plan file cannot be read: malformed, hostile, too large or missing required data."""


@dataclass(slots=True)
class MsProjectValues:
    """Dates and slack as MS Project computed and saved them (None when absent)."""

    start: dt.datetime | None = None
    finish: dt.datetime | None = None
    early_start: dt.datetime | None = None
    early_finish: dt.datetime | None = None
    late_start: dt.datetime | None = None
    late_finish: dt.datetime | None = None
    total_slack_minutes: float | None = None
    free_slack_minutes: float | None = None
    critical: bool | None = None
    start_variance_minutes: float | None = None  # against baseline 0
    finish_variance_minutes: float | None = None


@dataclass(slots=True)
class Resource:
    uid: int
    name: str = ""
    type: int = 1  # 0 material, 1 work, 2 cost (MSPDI codes)
    max_units: float = 1.0
    calendar_uid: int | None = None


@dataclass(slots=True)
class Assignment:
    uid: int
    task_uid: int
    resource_uid: int
    units: float = 1.0
    work_minutes: int = 0
    work_contour: int = 0  # 0 flat; other codes spread work unevenly (MSPDI WorkContour)


@dataclass(slots=True)
class TaskBaseline:
    number: int
    start: dt.datetime | None
    finish: dt.datetime | None
    duration_minutes: int | None


@dataclass
class MspdiProject:
    """Everything read from one MSPDI file; ``plan`` is ready to schedule."""

    plan: Plan
    calendars: dict[int, WorkingCalendar]
    task_ids: dict[int, int]
    resources: list[Resource] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    baselines: dict[int, list[TaskBaseline]] = field(default_factory=dict)
    ms_project: dict[int, MsProjectValues] = field(default_factory=dict)
    schedule_from_start: bool = True


def baselines_of(project: MspdiProject) -> Baselines:
    """The file's saved baselines (numbers 0–10) as engine Baselines on the project calendar."""
    result = Baselines(project.plan.calendar)
    for uid, saved in project.baselines.items():
        for baseline in saved:
            if baseline.number in BASELINE_NUMBERS:
                result.record(
                    baseline.number,
                    uid,
                    BaselineTask(baseline.start, baseline.finish, baseline.duration_minutes),
                )
    return result


# --------------------------------------------------------------------------- reading helpers
_DURATION = re.compile(
    r"^(?P<sign>-)?P(?:(?P<y>[\d.]+)Y)?(?:(?P<mo>[\d.]+)M)?(?:(?P<d>[\d.]+)D)?"
    r"(?:T(?:(?P<h>[\d.]+)H)?(?:(?P<mi>[\d.]+)M)?(?:(?P<s>[\d.]+)S)?)?$"
)


def parse_duration_minutes(text: str | None) -> int:
    """Minutes in an ISO 8601 duration as MS Project writes it (``PT8H0M0S`` = 480).

    MS Project writes every duration in hours/minutes/seconds; days count as 24 hours here.
    """
    if not text:
        return 0
    match = _DURATION.match(text.strip())
    if not match:
        raise PlanFileError(f"Unreadable duration {text!r}.")
    parts = {
        key: float(value) for key, value in match.groupdict().items() if value and key != "sign"
    }
    if "y" in parts or "mo" in parts:
        raise PlanFileError(f"Duration {text!r} uses years or months, which MSPDI never does.")
    minutes = (
        parts.get("d", 0) * 1440
        + parts.get("h", 0) * 60
        + parts.get("mi", 0)
        + parts.get("s", 0) / 60
    )
    return -round(minutes) if match.group("sign") else round(minutes)


def format_duration(minutes: int) -> str:
    """Whole minutes as MS Project writes a duration: 480 -> ``PT8H0M0S``."""
    sign = "-" if minutes < 0 else ""
    minutes = abs(int(minutes))
    return f"{sign}PT{minutes // 60}H{minutes % 60}M0S"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _grandchildren(element: ET.Element, holder: str, name: str) -> list[ET.Element]:
    found = _child(element, holder)
    return [] if found is None else _children(found, name)


def _text(element: ET.Element, name: str) -> str | None:
    child = _child(element, name)
    if child is None or child.text is None:
        return None
    return child.text.strip()


def _int(element: ET.Element, name: str, default: int | None = None) -> int | None:
    value = _text(element, name)
    if value in (None, ""):
        return default
    try:
        return int(float(value))
    except (ValueError, OverflowError) as error:
        raise PlanFileError(f"<{name}> should be a whole number, not {value!r}.") from error


def _float(element: ET.Element, name: str, default: float | None = None) -> float | None:
    value = _text(element, name)
    if value in (None, ""):
        return default
    try:
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(value)
        return number
    except ValueError as error:
        raise PlanFileError(f"<{name}> should be a number, not {value!r}.") from error


def _tenths(element: ET.Element, name: str) -> float | None:
    """A value MSPDI stores in tenths of a minute, in minutes."""
    value = _float(element, name)
    return None if value is None else value / 10


def _bool(element: ET.Element, name: str, default: bool = False) -> bool:
    value = _text(element, name)
    if value in (None, ""):
        return default
    return value in ("1", "true", "True")


def _date(element: ET.Element, name: str) -> dt.datetime | None:
    value = _text(element, name)
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError as error:
        raise PlanFileError(f"<{name}> should be a date, not {value!r}.") from error


def _time_minutes(text: str | None, *, end: bool) -> int:
    if not text:
        return 0
    try:
        hours, minutes, *_ = (int(part) for part in text.split(":"))
    except ValueError as error:
        raise PlanFileError(f"Working time {text!r} should look like 08:00:00.") from error
    value = hours * 60 + minutes
    if not 0 <= value <= 1440:
        raise PlanFileError(f"Working time {text!r} is not a time of day.")
    return 1440 if end and value == 0 else value


# --------------------------------------------------------------------------- parsing
def parse_xml(data: bytes | str) -> ET.Element:
    """Parse untrusted XML safely; raise PlanFileError on hostile or malformed input."""
    size = len(data.encode() if isinstance(data, str) else data)
    if size > MAX_BYTES:
        raise PlanFileError(f"The file is {size} bytes; the limit is {MAX_BYTES} bytes.")
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise PlanFileError(
            f"The XML declares a DTD or entities, which plan files never need: {error}"
        ) from error
    except ET.ParseError as error:
        raise PlanFileError(f"The file is not well-formed XML: {error}") from error


def read_mspdi(data: bytes | str) -> MspdiProject:
    """Read an MSPDI document into a schedulable Plan plus everything else we understand.

    Raises PlanFileError for anything wrong with the file, never another exception.
    """
    root = parse_xml(data)
    try:
        return _read_project(root)
    except PlanFileError:
        raise
    except (ValueError, OverflowError, RecursionError, TypeError) as error:
        # Values MS Project never writes (calendar times that overlap, absurd numbers, ...).
        raise PlanFileError(f"The file holds a value that cannot be used: {error}") from error


def _read_project(root: ET.Element) -> MspdiProject:
    if _local(root.tag) != "Project":
        raise PlanFileError("This XML is not a Microsoft Project file (no <Project> root).")
    calendars = _read_calendars(root)
    project_calendar_uid = _int(root, "CalendarUID", None)
    if project_calendar_uid in calendars:
        project_calendar = calendars[project_calendar_uid]
    elif calendars:
        project_calendar = next(iter(calendars.values()))
    else:
        project_calendar = WorkingCalendar()
    start = _date(root, "StartDate")
    if start is None:
        raise PlanFileError("The project has no <StartDate>.")
    minutes_per_day = _int(root, "MinutesPerDay", 480) or 480
    tasks, links, ids, ms_values, baselines = _read_tasks(root, calendars, project_calendar)
    plan = Plan(
        tasks=tasks,
        links=links,
        start=start,
        calendar=project_calendar,
        minutes_per_day=minutes_per_day,
        status_date=_date(root, "StatusDate"),
        honor_constraints=_bool(root, "HonorConstraints", True),
        critical_slack_limit_minutes=(_int(root, "CriticalSlackLimit", 0) or 0) * minutes_per_day,
        name=_text(root, "Name") or _text(root, "Title") or "",
    )
    resources = [
        Resource(
            uid=_int(r, "UID"),
            name=_text(r, "Name") or "",
            type=_int(r, "Type", 1),
            max_units=_float(r, "MaxUnits", 1.0),
            calendar_uid=_int(r, "CalendarUID", None),
        )
        for r in _grandchildren(root, "Resources", "Resource")
        if _int(r, "UID") is not None
    ]
    assignments = [
        Assignment(
            uid=_int(a, "UID", 0),
            task_uid=_int(a, "TaskUID"),
            resource_uid=_int(a, "ResourceUID"),
            units=_float(a, "Units", 1.0),
            work_minutes=parse_duration_minutes(_text(a, "Work")),
            work_contour=_int(a, "WorkContour", 0),
        )
        for a in _grandchildren(root, "Assignments", "Assignment")
    ]
    _attach_resource_spans(plan, calendars, resources, assignments)
    return MspdiProject(
        plan=plan,
        calendars=calendars,
        task_ids=ids,
        resources=resources,
        assignments=assignments,
        baselines=baselines,
        ms_project=ms_values,
        schedule_from_start=_bool(root, "ScheduleFromStart", True),
    )


def _attach_resource_spans(plan, calendars, resources, assignments) -> None:
    """Give tasks whose work resources follow a different calendar their resource spans."""
    by_uid = {resource.uid: resource for resource in resources}
    per_task: dict[int, list[WorkAssignment]] = {}
    for assignment in assignments:
        resource = by_uid.get(assignment.resource_uid)
        if resource is None or resource.type != 1:
            continue
        per_task.setdefault(assignment.task_uid, []).append(
            WorkAssignment(
                calendar=calendars.get(resource.calendar_uid, plan.calendar),
                units=assignment.units,
                work_minutes=assignment.work_minutes,
                contoured=bool(assignment.work_contour),
            )
        )
    for task in plan.tasks:
        if task.uid in per_task:
            task.resource_spans = resource_spans(task, plan.calendar, per_task[task.uid])


def _working_times(element: ET.Element) -> tuple[tuple[int, int], ...]:
    holder = _child(element, "WorkingTimes")
    if holder is None:
        return ()
    intervals = []
    for item in _children(holder, "WorkingTime"):
        start = _time_minutes(_text(item, "FromTime"), end=False)
        finish = _time_minutes(_text(item, "ToTime"), end=True)
        if finish > start:
            intervals.append((start, finish))
    return tuple(intervals)


def _read_calendars(root: ET.Element) -> dict[int, WorkingCalendar]:
    holder = _child(root, "Calendars")
    if holder is None:
        return {}
    raw: dict[int, tuple[ET.Element, int | None]] = {}
    for element in _children(holder, "Calendar"):
        uid = _int(element, "UID")
        if uid is None:
            continue
        base_uid = _int(element, "BaseCalendarUID", -1)
        raw[uid] = (element, base_uid if base_uid not in (-1, None, uid) else None)
    built: dict[int, WorkingCalendar] = {}

    def build(uid: int, trail: tuple[int, ...] = ()) -> WorkingCalendar:
        if uid in built:
            return built[uid]
        if uid in trail:
            raise PlanFileError(f"Calendar {uid} is derived from itself.")
        element, base_uid = raw[uid]
        base = build(base_uid, (*trail, uid)) if base_uid in raw else None
        week: dict[int, tuple[tuple[int, int], ...]] = {}
        exceptions: list[CalendarException] = []
        weekdays = _child(element, "WeekDays")
        for day in _children(weekdays, "WeekDay") if weekdays is not None else []:
            day_type = _int(day, "DayType", -1)
            working = _bool(day, "DayWorking")
            intervals = _working_times(day) if working else ()
            if day_type == 0:  # MS Project 2003 style exception: a dated WeekDay
                period = _child(day, "TimePeriod")
                if period is not None:
                    first, last = _date(period, "FromDate"), _date(period, "ToDate")
                    if first and last:
                        exceptions.append(
                            CalendarException(first.date(), _inclusive_end(last), intervals)
                        )
            elif 1 <= day_type <= 7:
                week[(day_type + 5) % 7] = intervals  # DayType 1 = Sunday; Python 6 = Sunday
        holder_exceptions = _child(element, "Exceptions")
        for item in (
            _children(holder_exceptions, "Exception") if holder_exceptions is not None else []
        ):
            exceptions.extend(_read_exception(item))
        if base is None and not week:
            week = {d: () for d in range(7)}
        calendar = WorkingCalendar(
            name=_text(element, "Name") or f"Calendar {uid}",
            week=week,
            exceptions=exceptions,
            base=base,
            uid=uid,
            work_weeks=_read_work_weeks(element),
        )
        built[uid] = calendar
        return calendar

    for uid in raw:
        build(uid)
    return built


def _inclusive_end(moment: dt.datetime) -> dt.date:
    # A period ending at midnight (00:00) ends the day before; 23:59 ends that day.
    if moment.time() == dt.time(0, 0):
        return moment.date() - dt.timedelta(days=1)
    return moment.date()


def _occurrence_dates(item: ET.Element, first: dt.date, last: dt.date) -> list[dt.date] | None:
    """Dates of a recurring exception within first..last (schema codes in the comments);
    None for a plain range."""
    kind = _int(item, "Type", 1)
    period = max(_int(item, "Period", 1) or 1, 1)
    days = [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]
    if kind == 1:  # daily, every ``period`` days
        return days[::period] if period > 1 else None
    if kind == 6:  # weekly, every ``period`` weeks on the DaysOfWeek bits (1 = Sunday)
        mask = _int(item, "DaysOfWeek", 0) or 0
        return [
            d
            for d in days
            if mask & (1 << ((d.weekday() + 1) % 7)) and ((d - first).days // 7) % period == 0
        ]
    month = _int(item, "Month", None)
    month_day = _int(item, "MonthDay", None)

    def months_apart(day: dt.date) -> int:
        return (day.year - first.year) * 12 + day.month - first.month

    if kind == 2:  # yearly on Month (0 = January) and MonthDay
        return [d for d in days if d.month == (month or 0) + 1 and d.day == month_day]
    if kind == 4:  # monthly on MonthDay, every ``period`` months
        return [d for d in days if d.day == month_day and months_apart(d) % period == 0]
    if kind in (3, 5):  # yearly / monthly by position ("last Friday")
        item_code = _int(item, "MonthItem", 0) or 0
        position = _int(item, "MonthPosition", 0) or 0
        result = []
        for d in days:
            if kind == 3 and d.month != (month or 0) + 1:
                continue
            if kind == 5 and months_apart(d) % period:
                continue
            if _is_month_position(d, item_code, position):
                result.append(d)
        return result
    return None


def _matches_month_item(day: dt.date, item_code: int) -> bool:
    # MonthItem: 0 day, 1 weekday, 2 weekend day, 3..9 Sunday..Saturday
    if item_code == 0:
        return True
    if item_code == 1:
        return day.weekday() < 5
    if item_code == 2:
        return day.weekday() >= 5
    return (day.weekday() + 1) % 7 == item_code - 3


def _is_month_position(day: dt.date, item_code: int, position: int) -> bool:
    """Is ``day`` the (position+1)-th matching day of its month (4 = the last one)?"""
    if not _matches_month_item(day, item_code):
        return False
    first = day.replace(day=1)
    matching = [
        first + dt.timedelta(days=k)
        for k in range(31)
        if (first + dt.timedelta(days=k)).month == day.month
        and _matches_month_item(first + dt.timedelta(days=k), item_code)
    ]
    if position >= 4:
        return matching[-1] == day
    return position < len(matching) and matching[position] == day


def _read_exception(item: ET.Element) -> list[CalendarException]:
    period = _child(item, "TimePeriod")
    if period is None:
        return []
    first, last = _date(period, "FromDate"), _date(period, "ToDate")
    if first is None or last is None:
        return []
    intervals = _working_times(item) if _bool(item, "DayWorking") else ()
    name = _text(item, "Name") or ""
    end = _inclusive_end(last)
    dates = _occurrence_dates(item, first.date(), end)
    if dates is None:
        return [CalendarException(first.date(), end, intervals, name=name)]
    return [CalendarException(d, d, intervals, name=name) for d in dates]


def _read_work_weeks(element: ET.Element) -> list[WorkWeek]:
    holder = _child(element, "WorkWeeks")
    result = []
    for item in _children(holder, "WorkWeek") if holder is not None else []:
        period = _child(item, "TimePeriod")
        if period is None:
            continue
        first, last = _date(period, "FromDate"), _date(period, "ToDate")
        if first is None or last is None:
            continue
        week = {}
        days = _child(item, "WeekDays")
        for day in _children(days if days is not None else item, "WeekDay"):
            day_type = _int(day, "DayType", 0)
            if 1 <= day_type <= 7:
                working = _bool(day, "DayWorking")
                week[(day_type + 5) % 7] = _working_times(day) if working else ()
        result.append(WorkWeek(first.date(), _inclusive_end(last), week, _text(item, "Name") or ""))
    return result


def _read_tasks(root, calendars, project_calendar):
    holder = _child(root, "Tasks")
    tasks: list[Task] = []
    links: list[Link] = []
    ids: dict[int, int] = {}
    ms_values: dict[int, MsProjectValues] = {}
    baselines: dict[int, list[TaskBaseline]] = {}
    outline_stack: list[tuple[int, int]] = []  # (outline level, uid)
    for element in _children(holder, "Task") if holder is not None else []:
        uid = _int(element, "UID")
        if uid is None or _bool(element, "IsNull"):
            continue
        level = _int(element, "OutlineLevel", 1)
        while outline_stack and outline_stack[-1][0] >= level:
            outline_stack.pop()
        parent_uid = outline_stack[-1][1] if outline_stack else None
        outline_stack.append((level, uid))
        duration_format = _int(element, "DurationFormat", 7)
        constraint_code = _int(element, "ConstraintType", 0)
        try:
            constraint = ConstraintType(constraint_code)
        except ValueError as error:
            raise PlanFileError(
                f"Task {uid} has unknown ConstraintType {constraint_code}."
            ) from error
        calendar_uid = _int(element, "CalendarUID", -1)
        calendar = calendars.get(calendar_uid) if calendar_uid not in (-1, None) else None
        remaining_text = _text(element, "RemainingDuration")
        name = _text(element, "Name") or ""
        task = Task(
            uid=uid,
            name=name,
            duration_minutes=_task_duration(element, "Duration", uid, name),
            wbs=_text(element, "WBS") or "",
            outline_level=level,
            parent_uid=parent_uid,
            summary=_bool(element, "Summary"),
            milestone=_bool(element, "Milestone"),
            manual=_bool(element, "Manual"),
            start=_date(element, "Start"),
            finish=_date(element, "Finish"),
            constraint=constraint,
            constraint_date=_date(element, "ConstraintDate"),
            deadline=_date(element, "Deadline"),
            calendar=calendar if calendar is not project_calendar else None,
            elapsed=duration_format in ELAPSED_FORMATS,
            percent_complete=_float(element, "PercentComplete", 0.0),
            actual_start=_date(element, "ActualStart"),
            actual_finish=_date(element, "ActualFinish"),
            remaining_duration_minutes=(
                _task_duration(element, "RemainingDuration", uid, name) if remaining_text else None
            ),
        )
        tasks.append(task)
        ids[uid] = _int(element, "ID", uid)
        total = _tenths(element, "TotalSlack")
        free = _tenths(element, "FreeSlack")
        ms_values[uid] = MsProjectValues(
            start=task.start,
            finish=task.finish,
            early_start=_date(element, "EarlyStart"),
            early_finish=_date(element, "EarlyFinish"),
            late_start=_date(element, "LateStart"),
            late_finish=_date(element, "LateFinish"),
            total_slack_minutes=total,
            free_slack_minutes=free,
            critical=None if _text(element, "Critical") is None else _bool(element, "Critical"),
            start_variance_minutes=_tenths(element, "StartVariance"),
            finish_variance_minutes=_tenths(element, "FinishVariance"),
        )
        for baseline in _children(element, "Baseline"):
            duration_text = _text(baseline, "Duration")
            baselines.setdefault(uid, []).append(
                TaskBaseline(
                    number=_int(baseline, "Number", 0),
                    start=_date(baseline, "Start"),
                    finish=_date(baseline, "Finish"),
                    duration_minutes=(
                        parse_duration_minutes(duration_text) if duration_text else None
                    ),
                )
            )
        for link_element in _children(element, "PredecessorLink"):
            links.append(_read_link(link_element, uid))
    known = {task.uid for task in tasks}
    links = [link for link in links if link.predecessor_uid in known]
    return tasks, links, ids, ms_values, baselines


def _task_duration(element: ET.Element, name: str, uid: int, task_name: str) -> int:
    """A task's duration element in minutes, refused when negative (as the task list's are):
    Project never writes one, and the scheduler would finish the task before it starts."""
    text = _text(element, name)
    minutes = parse_duration_minutes(text)
    if minutes < 0:
        raise PlanFileError(
            f"Task {uid} '{task_name}' has a negative {name} ({text}); a duration is 0 or more."
        )
    return minutes


def _read_link(element: ET.Element, successor_uid: int) -> Link:
    predecessor_uid = _int(element, "PredecessorUID")
    if predecessor_uid is None:
        raise PlanFileError(f"Task {successor_uid} has a predecessor link without a task.")
    type_code = _int(element, "Type", 1)
    try:
        link_type = LinkType(type_code)
    except ValueError as error:
        raise PlanFileError(
            f"Task {successor_uid} has an unknown link type {type_code}."
        ) from error
    lag_format = _int(element, "LagFormat", 7)
    raw_lag = _float(element, "LinkLag", 0.0) or 0.0
    percent = lag_format in PERCENT_FORMATS
    if not percent and abs(raw_lag) > MAX_LAG_MINUTES * 10:
        raise PlanFileError(
            f"The link from task {predecessor_uid} to task {successor_uid} has a lag of "
            f"{round(raw_lag / 10):,} minutes; Microsoft Project accepts leads and lags of at "
            f"most {MAX_LAG_MINUTES:,} minutes (66 years)."
        )
    return Link(
        predecessor_uid=predecessor_uid,
        successor_uid=successor_uid,
        type=link_type,
        # LinkLag is tenths of a minute; for percent formats, tenths of a percent.
        lag_minutes=0 if percent else round(raw_lag / 10),
        lag_percent=raw_lag / 10 if percent else None,
        lag_elapsed=lag_format in ELAPSED_FORMATS,
    )


# --------------------------------------------------------------------------- writing
#: Element order of the MSPDI schema (a sequence), for the elements we write: the writer
#: follows these; a test checks the written order against files saved by MS Project, and the
#: schema documentation puts StatusDate after HonorConstraints (no reference file has one).
PROJECT_ORDER = (
    "SaveVersion",
    "Name",
    "Title",
    "ScheduleFromStart",
    "StartDate",
    "FinishDate",
    "CriticalSlackLimit",
    "CalendarUID",
    "MinutesPerDay",
    "HonorConstraints",
    "StatusDate",
    "Calendars",
    "Tasks",
    "Resources",
    "Assignments",
)
TASK_ORDER = (
    "UID",
    "ID",
    "Name",
    "Manual",
    "IsNull",
    "WBS",
    "OutlineNumber",
    "OutlineLevel",
    "Start",
    "Finish",
    "Duration",
    "DurationFormat",
    "Milestone",
    "Summary",
    "Critical",
    "EarlyStart",
    "EarlyFinish",
    "LateStart",
    "LateFinish",
    "FreeSlack",
    "TotalSlack",
    "PercentComplete",
    "ActualStart",
    "ActualFinish",
    "RemainingDuration",
    "ConstraintType",
    "CalendarUID",
    "ConstraintDate",
    "Deadline",
    "PredecessorLink",
)
LINK_ORDER = ("PredecessorUID", "Type", "LinkLag", "LagFormat")
CALENDAR_ORDER = (
    "UID",
    "Name",
    "IsBaseCalendar",
    "BaseCalendarUID",
    "WeekDays",
    "Exceptions",
    "WorkWeeks",
)


def _iso(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def _hhmm(minutes: int) -> str:
    return f"{(minutes // 60) % 24:02d}:{minutes % 60:02d}:00"


class _Writer:
    def __init__(self) -> None:
        self.calendar_uids: dict[int, int] = {}
        self.calendars: list[WorkingCalendar] = []

    def calendar_uid(self, calendar: WorkingCalendar) -> int:
        key = id(calendar)
        if key not in self.calendar_uids:
            if calendar.base is not None:
                self.calendar_uid(calendar.base)
            self.calendar_uids[key] = len(self.calendar_uids) + 1
            self.calendars.append(calendar)
        return self.calendar_uids[key]


def _add(parent: ET.Element, name: str, value) -> ET.Element:
    element = ET.SubElement(parent, name)
    if value is not None:
        element.text = value if isinstance(value, str) else str(value)
    return element


def _write_working_times(parent: ET.Element, intervals) -> None:
    holder = ET.SubElement(parent, "WorkingTimes")
    for start, finish in intervals:
        item = ET.SubElement(holder, "WorkingTime")
        _add(item, "FromTime", _hhmm(start))
        _add(item, "ToTime", _hhmm(finish))


def _write_calendar(parent: ET.Element, calendar: WorkingCalendar, writer: _Writer) -> None:
    element = ET.SubElement(parent, "Calendar")
    _add(element, "UID", writer.calendar_uid(calendar))
    _add(element, "Name", calendar.name)
    _add(element, "IsBaseCalendar", 0 if calendar.base is not None else 1)
    base_uid = writer.calendar_uid(calendar.base) if calendar.base is not None else -1
    _add(element, "BaseCalendarUID", base_uid)
    week = (
        calendar.week
        if calendar.base is not None
        else {
            day: calendar.intervals_on(dt.date(2001, 1, 1) + dt.timedelta(days=day))
            for day in range(7)
        }
        | calendar.week
    )
    weekdays = ET.SubElement(element, "WeekDays")
    for python_day in sorted(week, key=lambda d: (d + 1) % 7):
        day = ET.SubElement(weekdays, "WeekDay")
        _add(day, "DayType", (python_day + 1) % 7 + 1)
        _add(day, "DayWorking", 1 if week[python_day] else 0)
        if week[python_day]:
            _write_working_times(day, week[python_day])
    if calendar.exceptions:
        holder = ET.SubElement(element, "Exceptions")
        for exception in calendar.exceptions:
            item = ET.SubElement(holder, "Exception")
            _add(item, "EnteredByOccurrences", 0)
            period = ET.SubElement(item, "TimePeriod")
            last = exception.finish
            if exception.recurring_yearly:
                last = dt.date(max(exception.finish.year, 2049), exception.finish.month, 28)
            _add(
                period,
                "FromDate",
                _iso(dt.datetime.combine(exception.start, dt.time())),
            )
            _add(period, "ToDate", _iso(dt.datetime.combine(last, dt.time(23, 59))))
            _add(item, "Occurrences", 1)
            _add(item, "Name", exception.name)
            if exception.recurring_yearly:
                _add(item, "Type", 2)
                _add(item, "Month", exception.start.month - 1)
                _add(item, "MonthDay", exception.start.day)
            else:
                _add(item, "Type", 1)
            _add(item, "DayWorking", 1 if exception.intervals else 0)
            if exception.intervals:
                _write_working_times(item, exception.intervals)
    _write_work_weeks(element, calendar)


def _write_work_weeks(element: ET.Element, calendar: WorkingCalendar) -> None:
    if not calendar.work_weeks:
        return
    holder = ET.SubElement(element, "WorkWeeks")
    for work_week in calendar.work_weeks:
        item = ET.SubElement(holder, "WorkWeek")
        period = ET.SubElement(item, "TimePeriod")
        _add(period, "FromDate", _iso(dt.datetime.combine(work_week.start, dt.time())))
        _add(period, "ToDate", _iso(dt.datetime.combine(work_week.finish, dt.time(23, 59))))
        _add(item, "Name", work_week.name)
        days = ET.SubElement(item, "WeekDays")
        for python_day in sorted(work_week.week, key=lambda d: (d + 1) % 7):
            day = ET.SubElement(days, "WeekDay")
            _add(day, "DayType", (python_day + 1) % 7 + 1)
            _add(day, "DayWorking", 1 if work_week.week[python_day] else 0)
            if work_week.week[python_day]:
                _write_working_times(day, work_week.week[python_day])


def _outline_order(plan: Plan) -> list[tuple[Task, int, str]]:
    """Tasks in outline (depth-first) order with their outline level and number."""
    children: dict[int | None, list[Task]] = {}
    for task in plan.tasks:
        children.setdefault(task.parent_uid, []).append(task)
    roots = children.get(None, [])
    ordered: list[tuple[Task, int, str]] = []
    zero_root = len(roots) == 1 and roots[0].uid == 0 and children.get(0)

    def visit(task: Task, level: int, number: str) -> None:
        ordered.append((task, level, number))
        for position, child in enumerate(children.get(task.uid, []), start=1):
            visit(child, level + 1, f"{number}.{position}" if level > 0 else str(position))

    if zero_root:
        visit(roots[0], 0, "0")
    else:
        for position, task in enumerate(roots, start=1):
            visit(task, 1, str(position))
    return ordered


def write_mspdi(plan: Plan, schedule: Schedule | None = None) -> bytes:
    """Export ``plan`` (and, if given, its computed dates) as MSPDI XML in schema order.

    Resource spans are written as one work resource per span calendar with an assignment of
    the span's minutes at 100 % units. Public-holiday countries are not exported (MSPDI has no
    such notion): write holidays as calendar exceptions first if the file must reproduce them.
    """
    writer = _Writer()
    project_calendar_uid = writer.calendar_uid(plan.calendar)
    for task in plan.tasks:
        if task.calendar is not None:
            writer.calendar_uid(task.calendar)
        for span in task.resource_spans:
            writer.calendar_uid(span.calendar)
    root = ET.Element("Project", xmlns=NAMESPACE)
    _add(root, "SaveVersion", 14)
    _add(root, "Name", plan.name)
    _add(root, "Title", plan.name)
    _add(root, "ScheduleFromStart", 1)
    _add(root, "StartDate", _iso(plan.start))
    if schedule is not None:
        _add(root, "FinishDate", _iso(schedule.finish))
    _add(
        root,
        "CriticalSlackLimit",
        plan.critical_slack_limit_minutes // plan.minutes_per_day,
    )
    _add(root, "CalendarUID", project_calendar_uid)
    _add(root, "MinutesPerDay", plan.minutes_per_day)
    _add(root, "HonorConstraints", 1 if plan.honor_constraints else 0)
    if plan.status_date is not None:
        _add(root, "StatusDate", _iso(plan.status_date))
    calendars = ET.SubElement(root, "Calendars")
    written = 0
    while written < len(writer.calendars):  # writing may register base calendars
        _write_calendar(calendars, writer.calendars[written], writer)
        written += 1
    tasks_element = ET.SubElement(root, "Tasks")
    links_by_successor: dict[int, list[Link]] = {}
    for link in plan.links:
        links_by_successor.setdefault(link.successor_uid, []).append(link)
    for position, (task, level, number) in enumerate(_outline_order(plan)):
        _write_task(
            tasks_element,
            task,
            level,
            number,
            position,
            schedule,
            writer,
            links_by_successor.get(task.uid, []),
        )
    _write_resource_spans(root, plan, writer)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _write_resource_spans(root: ET.Element, plan: Plan, writer: _Writer) -> None:
    spans = [(task.uid, span) for task in plan.tasks for span in task.resource_spans]
    if not spans:
        return
    resource_uids: dict[int, int] = {}
    resources = ET.SubElement(root, "Resources")
    for _, span in spans:
        if id(span.calendar) in resource_uids:
            continue
        uid = resource_uids[id(span.calendar)] = len(resource_uids) + 1
        element = ET.SubElement(resources, "Resource")
        _add(element, "UID", uid)
        _add(element, "ID", uid)
        _add(element, "Name", span.calendar.name)
        _add(element, "Type", 1)
        _add(element, "MaxUnits", 1)
        _add(element, "CalendarUID", writer.calendar_uid(span.calendar))
    assignments = ET.SubElement(root, "Assignments")
    for number, (task_uid, span) in enumerate(spans, start=1):
        element = ET.SubElement(assignments, "Assignment")
        _add(element, "UID", number)
        _add(element, "TaskUID", task_uid)
        _add(element, "ResourceUID", resource_uids[id(span.calendar)])
        _add(element, "Units", 1)
        _add(element, "Work", format_duration(span.duration_minutes))


def _write_task(parent, task, level, number, position, schedule, writer, links) -> None:
    element = ET.SubElement(parent, "Task")
    _add(element, "UID", task.uid)
    _add(element, "ID", position)
    _add(element, "Name", task.name)
    _add(element, "Manual", 1 if task.manual else 0)
    _add(element, "IsNull", 0)
    _add(element, "WBS", task.wbs or number)
    _add(element, "OutlineNumber", number)
    _add(element, "OutlineLevel", level)
    result = schedule.tasks.get(task.uid) if schedule is not None else None
    start = result.start if result is not None else task.start
    finish = result.finish if result is not None else task.finish
    if start is not None:
        _add(element, "Start", _iso(start))
    if finish is not None:
        _add(element, "Finish", _iso(finish))
    _add(element, "Duration", format_duration(task.duration_minutes))
    _add(element, "DurationFormat", 8 if task.elapsed else 7)
    _add(element, "Milestone", 1 if task.milestone else 0)
    _add(element, "Summary", 1 if task.summary else 0)
    if result is not None:
        _add(element, "Critical", 1 if result.critical else 0)
        _add(element, "EarlyStart", _iso(result.early_start))
        _add(element, "EarlyFinish", _iso(result.early_finish))
        _add(element, "LateStart", _iso(result.late_start))
        _add(element, "LateFinish", _iso(result.late_finish))
        _add(element, "FreeSlack", result.free_slack_minutes * 10)
        _add(element, "TotalSlack", result.total_slack_minutes * 10)
    _add(element, "PercentComplete", f"{task.percent_complete:g}")
    if task.actual_start is not None:
        _add(element, "ActualStart", _iso(task.actual_start))
    if task.actual_finish is not None:
        _add(element, "ActualFinish", _iso(task.actual_finish))
    if task.remaining_duration_minutes is not None:
        _add(
            element,
            "RemainingDuration",
            format_duration(task.remaining_duration_minutes),
        )
    _add(element, "ConstraintType", task.constraint.value)
    _add(
        element,
        "CalendarUID",
        writer.calendar_uid(task.calendar) if task.calendar else -1,
    )
    if task.constraint_date is not None:
        _add(element, "ConstraintDate", _iso(task.constraint_date))
    if task.deadline is not None:
        _add(element, "Deadline", _iso(task.deadline))
    for link in links:
        item = ET.SubElement(element, "PredecessorLink")
        _add(item, "PredecessorUID", link.predecessor_uid)
        _add(item, "Type", link.type.value)
        if link.lag_percent is not None:
            _add(item, "LinkLag", round(link.lag_percent * 10))
            _add(item, "LagFormat", 20 if link.lag_elapsed else 19)
        else:
            _add(item, "LinkLag", link.lag_minutes * 10)
            _add(item, "LagFormat", 4 if link.lag_elapsed else 3)
