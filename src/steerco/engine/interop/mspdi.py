"""Microsoft Project XML (MSPDI) import and export.

Input is untrusted. A document type declaration is refused before the document is parsed:
entities can only be declared in one, so without it there is nothing to expand (the
"billion laughs") and nothing external to fetch (a file or an address named by a ``SYSTEM``
entity). Input above :data:`MAX_BYTES` is refused before that. Any of these, or malformed
XML, raise :class:`PlanFileError` with a message a user can act on. The document is then
parsed by the standard library's C parser; tasks and links are read a column at a time (see
"reading by columns"), and anything the column reader would refuse is read again task by task,
which words the refusal. A 100,000-task file reads in about a second and a half.

Units in MSPDI: durations are ISO 8601 (``PT8H0M0S``) in minutes of working time (calendar time
for elapsed formats); ``LinkLag`` and slack are tenths of a minute; dates are local naive.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from functools import cached_property, lru_cache
from itertools import chain, compress, count
from operator import attrgetter
from typing import Any
from xml.parsers import expat

import numpy as np

from steerco.engine.collector import collector_paused
from steerco.engine.scheduling.baselines import BASELINE_NUMBERS, Baselines, BaselineTask
from steerco.engine.scheduling.calendar import (
    CalendarException,
    WorkingCalendar,
    WorkWeek,
    public_holidays,
)
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
    """A resource of the file. The reader sets ``calendar_uid``; the writer takes
    ``calendar``, the working time the resource follows (the project's when None), and
    writes the resource's own calendar derived from it, as Microsoft Project does."""

    uid: int
    name: str = ""
    type: int = 1  # 0 material, 1 work, 2 cost (MSPDI codes)
    max_units: float = 1.0
    calendar_uid: int | None = None
    email: str = ""
    calendar: WorkingCalendar | None = None


@dataclass(slots=True)
class TaskBaseline:
    """One saved baseline of a task or of an assignment; None where it was never saved."""

    number: int
    start: dt.datetime | None
    finish: dt.datetime | None
    duration_minutes: int | None
    work_minutes: int | None = None


@dataclass(slots=True)
class Assignment:
    uid: int
    task_uid: int
    resource_uid: int
    units: float = 1.0
    work_minutes: int = 0
    work_contour: int = 0  # 0 flat; other codes spread work unevenly (MSPDI WorkContour)
    start: dt.datetime | None = None
    finish: dt.datetime | None = None
    baselines: list[TaskBaseline] = field(default_factory=list)


#: How many years after a plan's finish its calendars' public holidays are written out.
HOLIDAY_YEARS_AFTER = 5
#: MSPDI's WorkContour code for work reshaped by hand ("Contoured").
CONTOURED = 8


@dataclass
class MspdiProject:
    """Everything read from one MSPDI file; ``plan`` is ready to schedule."""

    plan: Plan
    calendars: dict[int, WorkingCalendar]
    task_ids: dict[int, int]
    resources: list[Resource] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    baselines: dict[int, list[TaskBaseline]] = field(default_factory=dict)
    ms_project: Mapping[int, MsProjectValues] = field(default_factory=dict)
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


#: A plan repeats a few durations thousands of times ("PT8H0M0S"): each is worked out once.
_duration_minutes = lru_cache(maxsize=4096)(parse_duration_minutes)


def format_duration(minutes: int) -> str:
    """Whole minutes as MS Project writes a duration: 480 -> ``PT8H0M0S``."""
    sign = "-" if minutes < 0 else ""
    minutes = abs(int(minutes))
    return f"{sign}PT{minutes // 60}H{minutes % 60}M0S"


class _LocalNames(dict):
    """Element tags without their namespace (``{http://...}UID`` -> ``UID``), each tag worked
    out once: a file has a few dozen tags and millions of elements. A hostile file's
    thousands of invented tags are worked out each time rather than kept."""

    KEPT = 1000

    def __missing__(self, tag: str) -> str:
        name = tag.rpartition("}")[2]
        if len(self) < self.KEPT:
            self[tag] = name
        return name


_LOCAL = _LocalNames()

#: An element's children by name (the first of each name); see :func:`_fields`.
Fields = dict[str, ET.Element]


def _local(tag: str) -> str:
    return _LOCAL[tag]


def _fields(element: ET.Element) -> Fields:
    """``element``'s children by name, the first child of each name, in one pass over them:
    reading a task's twenty values then takes twenty lookups, not twenty scans of its
    children (which made a 100,000-task file take twenty seconds)."""
    return {_LOCAL[child.tag]: child for child in reversed(element)}


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    tags = set(map(attrgetter("tag"), element)) if len(element) > 100 else ()
    if len(tags) == 1 and _LOCAL[next(iter(tags))] == name:
        # A holder of many children of one name (Tasks, Assignments): all of them, at C speed.
        return list(element)
    return [child for child in element if _LOCAL[child.tag] == name]


def _grandchildren(fields: Fields, holder: str, name: str) -> list[ET.Element]:
    found = fields.get(holder)
    return [] if found is None else _children(found, name)


def _text(fields: Fields, name: str) -> str | None:
    child = fields.get(name)
    if child is None or child.text is None:
        return None
    return child.text.strip()


# Each reader below takes an element's text, stripped and not empty, and the element's name
# for its message; the helpers after them read one element of a Fields map, where an absent
# or empty element gives the default.
def _whole(text: str, name: str) -> int:
    try:
        return int(text)
    except ValueError:
        return _whole_from_decimal(text, name)


def _whole_from_decimal(text: str, name: str) -> int:
    """A whole number written as a decimal ("1.0", "1e3"), as some tools write them."""
    try:
        return int(float(text))
    except (ValueError, OverflowError) as error:
        raise PlanFileError(f"<{name}> should be a whole number, not {text!r}.") from error


def _number(text: str, name: str) -> float:
    try:
        number = float(text)
        if not math.isfinite(number):
            raise ValueError(text)
        return number
    except ValueError as error:
        raise PlanFileError(f"<{name}> should be a number, not {text!r}.") from error


def _tenths_of_minutes(text: str, name: str) -> float:
    """A value MSPDI stores in tenths of a minute, in minutes."""
    return _number(text, name) / 10


def _flag(text: str, name: str) -> bool:
    return text in ("1", "true", "True")


def _moment(text: str, name: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError as error:
        raise PlanFileError(f"<{name}> should be a date, not {text!r}.") from error


def _plain(text: str, name: str) -> str:
    return text


def _minutes(text: str, name: str) -> int:
    return _duration_minutes(text)


def _int(fields: Fields, name: str, default: int | None = None) -> int | None:
    value = _text(fields, name)
    return _whole(value, name) if value else default


def _float(fields: Fields, name: str, default: float | None = None) -> float | None:
    value = _text(fields, name)
    return _number(value, name) if value else default


def _bool(fields: Fields, name: str, default: bool = False) -> bool:
    value = _text(fields, name)
    return _flag(value, name) if value else default


def _date(fields: Fields, name: str) -> dt.datetime | None:
    value = _text(fields, name)
    return _moment(value, name) if value else None


def _texts(element: ET.Element) -> dict[str, str | None]:
    """``element``'s children's texts by name, the first child of each name, in one pass."""
    return {_LOCAL[child.tag]: child.text for child in reversed(element)}


def _values(texts: dict[str, str | None], readers: dict[str, Callable]) -> dict[str, Any]:
    """The values of the elements in ``texts`` that ``readers`` reads, each by its reader;
    an empty element is left out, as an absent one is. Only the elements present cost a
    call, so a task's thirty possible values cost little when it has eight. Read in the
    document's order, so the first bad value is the one reported."""
    values = {}
    for name, text in reversed(texts.items()):
        read = readers.get(name)
        if read is not None and text and (text := text.strip()):
            values[name] = read(text, name)
    return values


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
class _DocumentType(Exception):
    """The document declares a DTD (raised by the check before parsing)."""


class _RootReached(Exception):
    """The check before parsing has seen all it needs: the prolog ended without a DTD."""


def _refuse_document_type(data: bytes | str) -> None:
    """Raise PlanFileError if the prolog declares a document type, reading only the prolog.

    A DTD is the only place XML can declare entities, whether expanding ones or external
    ones, and it can only stand before the root element; plan files never carry one. The
    check uses the same parser (expat) as the parse that follows, so both read the bytes
    in the same encoding.
    """

    def document_type(*_) -> None:
        raise _DocumentType

    def root(*_) -> None:
        raise _RootReached

    checker = expat.ParserCreate()
    checker.StartDoctypeDeclHandler = document_type
    checker.StartElementHandler = root
    try:
        checker.Parse(data, True)
    except _RootReached:
        return
    except _DocumentType:
        raise PlanFileError(
            "The XML declares a DTD or entities, which plan files never need."
        ) from None
    except expat.ExpatError as error:
        raise PlanFileError(f"The file is not well-formed XML: {error}") from error


def parse_xml(data: bytes | str) -> ET.Element:
    """Parse untrusted XML safely; raise PlanFileError on hostile or malformed input."""
    size = len(data.encode() if isinstance(data, str) else data)
    if size > MAX_BYTES:
        raise PlanFileError(f"The file is {size} bytes; the limit is {MAX_BYTES} bytes.")
    _refuse_document_type(data)
    try:
        return ET.fromstring(data)  # noqa: S314 - the prolog was checked: no DTD, no entities
    except ET.ParseError as error:
        raise PlanFileError(f"The file is not well-formed XML: {error}") from error


def read_mspdi(data: bytes | str) -> MspdiProject:
    """Read an MSPDI document into a schedulable Plan plus everything else we understand.

    Raises PlanFileError for anything wrong with the file, never another exception; a
    predecessor link to a task the file does not hold is refused, naming both tasks.
    """
    with collector_paused():
        # The parsed document is dropped inside, before the collector runs again: it would
        # otherwise walk its million elements once more on the way out.
        return _read_document(data)


def _read_document(data: bytes | str) -> MspdiProject:
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
    fields = _fields(root)
    calendars = _read_calendars(fields)
    project_calendar_uid = _int(fields, "CalendarUID", None)
    if project_calendar_uid in calendars:
        project_calendar = calendars[project_calendar_uid]
    elif calendars:
        project_calendar = next(iter(calendars.values()))
    else:
        project_calendar = WorkingCalendar()
    start = _date(fields, "StartDate")
    if start is None:
        raise PlanFileError("The project has no <StartDate>.")
    minutes_per_day = _int(fields, "MinutesPerDay", 480) or 480
    tasks, links, ids, ms_values, baselines = _read_tasks(fields, calendars, project_calendar)
    plan = Plan(
        tasks=tasks,
        links=links,
        start=start,
        calendar=project_calendar,
        minutes_per_day=minutes_per_day,
        status_date=_date(fields, "StatusDate"),
        honor_constraints=_bool(fields, "HonorConstraints", True),
        critical_slack_limit_minutes=(_int(fields, "CriticalSlackLimit", 0) or 0) * minutes_per_day,
        name=_text(fields, "Name") or _text(fields, "Title") or "",
    )
    resources = [
        Resource(
            uid=_int(r, "UID"),
            name=_text(r, "Name") or "",
            type=_int(r, "Type", 1),
            max_units=_float(r, "MaxUnits", 1.0),
            calendar_uid=_int(r, "CalendarUID", None),
            email=_text(r, "EmailAddress") or "",
        )
        for r in map(_fields, _grandchildren(fields, "Resources", "Resource"))
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
            start=_date(a, "Start"),
            finish=_date(a, "Finish"),
            baselines=(
                [_read_baseline(item) for item in _children(element, "Baseline")]
                if "Baseline" in a
                else []
            ),
        )
        for element in _grandchildren(fields, "Assignments", "Assignment")
        for a in (_fields(element),)
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
        schedule_from_start=_bool(fields, "ScheduleFromStart", True),
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
    for task in plan.tasks if per_task else ():
        if task.uid in per_task:
            task.resource_spans = resource_spans(task, plan.calendar, per_task[task.uid])


def _working_times(fields: Fields) -> tuple[tuple[int, int], ...]:
    intervals = []
    for item in map(_fields, _grandchildren(fields, "WorkingTimes", "WorkingTime")):
        start = _time_minutes(_text(item, "FromTime"), end=False)
        finish = _time_minutes(_text(item, "ToTime"), end=True)
        if finish > start:
            intervals.append((start, finish))
    return tuple(intervals)


def _read_calendars(project: Fields) -> dict[int, WorkingCalendar]:
    raw: dict[int, tuple[Fields, int | None]] = {}
    for fields in map(_fields, _grandchildren(project, "Calendars", "Calendar")):
        uid = _int(fields, "UID")
        if uid is None:
            continue
        base_uid = _int(fields, "BaseCalendarUID", -1)
        raw[uid] = (fields, base_uid if base_uid not in (-1, None, uid) else None)
    built: dict[int, WorkingCalendar] = {}

    def build(uid: int, trail: tuple[int, ...] = ()) -> WorkingCalendar:
        if uid in built:
            return built[uid]
        if uid in trail:
            raise PlanFileError(f"Calendar {uid} is derived from itself.")
        fields, base_uid = raw[uid]
        base = build(base_uid, (*trail, uid)) if base_uid in raw else None
        week: dict[int, tuple[tuple[int, int], ...]] = {}
        exceptions: list[CalendarException] = []
        for day in map(_fields, _grandchildren(fields, "WeekDays", "WeekDay")):
            day_type = _int(day, "DayType", -1)
            working = _bool(day, "DayWorking")
            intervals = _working_times(day) if working else ()
            if day_type == 0:  # MS Project 2003 style exception: a dated WeekDay
                period = day.get("TimePeriod")
                if period is not None:
                    period_fields = _fields(period)
                    first = _date(period_fields, "FromDate")
                    last = _date(period_fields, "ToDate")
                    if first and last:
                        exceptions.append(
                            CalendarException(first.date(), _inclusive_end(last), intervals)
                        )
            elif 1 <= day_type <= 7:
                week[(day_type + 5) % 7] = intervals  # DayType 1 = Sunday; Python 6 = Sunday
        for item in _grandchildren(fields, "Exceptions", "Exception"):
            exceptions.extend(_read_exception(_fields(item)))
        if base is None and not week:
            week = {d: () for d in range(7)}
        calendar = WorkingCalendar(
            name=_text(fields, "Name") or f"Calendar {uid}",
            week=week,
            exceptions=exceptions,
            base=base,
            uid=uid,
            work_weeks=_read_work_weeks(fields),
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


def _occurrence_dates(item: Fields, first: dt.date, last: dt.date) -> list[dt.date] | None:
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


def _read_exception(item: Fields) -> list[CalendarException]:
    period = item.get("TimePeriod")
    if period is None:
        return []
    period_fields = _fields(period)
    first, last = _date(period_fields, "FromDate"), _date(period_fields, "ToDate")
    if first is None or last is None:
        return []
    intervals = _working_times(item) if _bool(item, "DayWorking") else ()
    name = _text(item, "Name") or ""
    end = _inclusive_end(last)
    dates = _occurrence_dates(item, first.date(), end)
    if dates is None:
        return [CalendarException(first.date(), end, intervals, name=name)]
    return [CalendarException(d, d, intervals, name=name) for d in dates]


def _read_work_weeks(calendar: Fields) -> list[WorkWeek]:
    result = []
    for item in _grandchildren(calendar, "WorkWeeks", "WorkWeek"):
        fields = _fields(item)
        period = fields.get("TimePeriod")
        if period is None:
            continue
        period_fields = _fields(period)
        first, last = _date(period_fields, "FromDate"), _date(period_fields, "ToDate")
        if first is None or last is None:
            continue
        week = {}
        days = fields.get("WeekDays")
        for day in map(_fields, _children(days if days is not None else item, "WeekDay")):
            day_type = _int(day, "DayType", 0)
            if 1 <= day_type <= 7:
                working = _bool(day, "DayWorking")
                week[(day_type + 5) % 7] = _working_times(day) if working else ()
        week_name = _text(fields, "Name") or ""
        result.append(WorkWeek(first.date(), _inclusive_end(last), week, week_name))
    return result


#: How each task element the reader uses is read.
TASK_READERS: dict[str, Callable] = {
    "UID": _whole,
    "ID": _whole,
    "IsNull": _flag,
    "Name": _plain,
    "WBS": _plain,
    "OutlineLevel": _whole,
    "Duration": _minutes,
    "DurationFormat": _whole,
    "Summary": _flag,
    "Milestone": _flag,
    "Manual": _flag,
    "Start": _moment,
    "Finish": _moment,
    "ConstraintType": _whole,
    "ConstraintDate": _moment,
    "Deadline": _moment,
    "CalendarUID": _whole,
    "PercentComplete": _number,
    "ActualStart": _moment,
    "ActualFinish": _moment,
    "RemainingDuration": _minutes,
    "EarlyStart": _moment,
    "EarlyFinish": _moment,
    "LateStart": _moment,
    "LateFinish": _moment,
    "TotalSlack": _tenths_of_minutes,
    "FreeSlack": _tenths_of_minutes,
    "Critical": _flag,
    "StartVariance": _tenths_of_minutes,
    "FinishVariance": _tenths_of_minutes,
}
#: MSPDI's codes (a dictionary is quicker than the Enum's lookup, a million times over).
_LINK_TYPES = {link_type.value: link_type for link_type in LinkType}
_CONSTRAINTS = {constraint.value: constraint for constraint in ConstraintType}
#: How each element of a task's PredecessorLink is read.
LINK_READERS: dict[str, Callable] = {
    "PredecessorUID": _whole,
    "Type": _whole,
    "LagFormat": _whole,
    "LinkLag": _number,
}


def _read_tasks(project: Fields, calendars, project_calendar):
    """The file's tasks, links, ids, saved values and baselines, read a column at a time;
    anything the column reader leaves alone is read again a row at a time."""
    elements = _grandchildren(project, "Tasks", "Task")
    try:
        return _read_task_columns(elements, calendars, project_calendar)
    except (_Irregular, ValueError, OverflowError, TypeError):
        # A value that cannot be used, a task or link the file should not hold, or the same
        # name in two namespaces: the row reader, which reads task by task and link by link
        # in document order, reports the first fault where the file shows it (or reads the
        # namespaces as it always has).
        return _read_task_rows(elements, calendars, project_calendar)


def _read_task_rows(elements: list[ET.Element], calendars, project_calendar):
    """:func:`_read_tasks` a task at a time, in document order: the reference the column
    reader must agree with, and the one that words every refusal."""
    tasks: list[Task] = []
    links: list[Link] = []
    ids: dict[int, int] = {}
    ms_values: dict[int, MsProjectValues] = {}
    baselines: dict[int, list[TaskBaseline]] = {}
    outline_stack: list[tuple[int, int]] = []  # (outline level, uid)
    for element in elements:
        texts = _texts(element)
        values = _values(texts, TASK_READERS)
        uid = values.get("UID")
        if uid is None or values.get("IsNull", False):
            continue
        level = values.get("OutlineLevel", 1)
        while outline_stack and outline_stack[-1][0] >= level:
            outline_stack.pop()
        parent_uid = outline_stack[-1][1] if outline_stack else None
        outline_stack.append((level, uid))
        constraint_code = values.get("ConstraintType", 0)
        constraint = _CONSTRAINTS.get(constraint_code)
        if constraint is None:
            raise PlanFileError(f"Task {uid} has unknown ConstraintType {constraint_code}.")
        calendar_uid = values.get("CalendarUID", -1)
        calendar = calendars.get(calendar_uid) if calendar_uid != -1 else None
        name = values.get("Name", "")
        for duration in ("Duration", "RemainingDuration"):
            if values.get(duration, 0) < 0:
                # Project never writes one, and the scheduler would finish the task
                # before it starts (the task list refuses them too).
                raise PlanFileError(
                    f"Task {uid} '{name}' has a negative {duration} "
                    f"({texts[duration].strip()}); a duration is 0 or more."
                )
        task = Task(
            uid=uid,
            name=name,
            duration_minutes=values.get("Duration", 0),
            wbs=values.get("WBS", ""),
            outline_level=level,
            parent_uid=parent_uid,
            summary=values.get("Summary", False),
            milestone=values.get("Milestone", False),
            manual=values.get("Manual", False),
            start=values.get("Start"),
            finish=values.get("Finish"),
            constraint=constraint,
            constraint_date=values.get("ConstraintDate"),
            deadline=values.get("Deadline"),
            calendar=calendar if calendar is not project_calendar else None,
            elapsed=values.get("DurationFormat", 7) in ELAPSED_FORMATS,
            percent_complete=values.get("PercentComplete", 0.0),
            actual_start=values.get("ActualStart"),
            actual_finish=values.get("ActualFinish"),
            remaining_duration_minutes=values.get("RemainingDuration"),
        )
        tasks.append(task)
        ids[uid] = values.get("ID", uid)
        ms_values[uid] = MsProjectValues(
            start=task.start,
            finish=task.finish,
            early_start=values.get("EarlyStart"),
            early_finish=values.get("EarlyFinish"),
            late_start=values.get("LateStart"),
            late_finish=values.get("LateFinish"),
            total_slack_minutes=values.get("TotalSlack"),
            free_slack_minutes=values.get("FreeSlack"),
            # Not saved (None) differs from saved empty (not critical).
            critical=values.get("Critical", None if texts.get("Critical") is None else False),
            start_variance_minutes=values.get("StartVariance"),
            finish_variance_minutes=values.get("FinishVariance"),
        )
        # Only a task that has one of these repeated elements is looked through again.
        if "Baseline" in texts:
            baselines.setdefault(uid, []).extend(
                _read_baseline(item) for item in _children(element, "Baseline")
            )
        if "PredecessorLink" in texts:
            links.extend(
                _read_link(_texts(item), uid) for item in _children(element, "PredecessorLink")
            )
    _refuse_links_to_missing_tasks(tasks, links)
    return tasks, links, ids, ms_values, baselines


def _read_baseline(element: ET.Element) -> TaskBaseline:
    fields = _fields(element)
    duration_text = _text(fields, "Duration")
    work_text = _text(fields, "Work")
    return TaskBaseline(
        number=_int(fields, "Number", 0),
        start=_date(fields, "Start"),
        finish=_date(fields, "Finish"),
        duration_minutes=parse_duration_minutes(duration_text) if duration_text else None,
        work_minutes=parse_duration_minutes(work_text) if work_text else None,
    )


def _refuse_links_to_missing_tasks(tasks: list[Task], links: list[Link]) -> None:
    """Raise PlanFileError for the first link whose predecessor the file does not hold.

    Microsoft Project never writes one; a file that has one was cut or edited by hand, and
    scheduling it without the link would move the task without a word.
    """
    by_uid = {task.uid: task for task in tasks}
    for link in links:
        if link.predecessor_uid not in by_uid:
            successor = by_uid[link.successor_uid]
            raise PlanFileError(
                f"Task {successor.uid} '{successor.name}' has a predecessor link to task "
                f"{link.predecessor_uid}, which is not in the file (or is a blank row)."
            )


def _read_link(texts: dict[str, str | None], successor_uid: int) -> Link:
    values = _values(texts, LINK_READERS)
    predecessor_uid = values.get("PredecessorUID")
    if predecessor_uid is None:
        raise PlanFileError(f"Task {successor_uid} has a predecessor link without a task.")
    type_code = values.get("Type", 1)
    link_type = _LINK_TYPES.get(type_code)
    if link_type is None:
        raise PlanFileError(f"Task {successor_uid} has an unknown link type {type_code}.")
    lag_format = values.get("LagFormat", 7)
    raw_lag = values.get("LinkLag", 0.0)
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


# --------------------------------------------------------------------------- reading by columns
# A 100,000-task file has a million task and link elements. Reading them task by task costs
# Python calls per value; reading them a column at a time (every task's UID, then every task's
# Duration, ...) leaves the walking to C loops: numpy finds each task's first child of a name
# among all the tasks' children at once, ``int`` reads a column of whole numbers, and every
# other text is converted once per distinct text (a plan repeats a few dozen durations, dates
# and codes thousands of times). The values are read by the row reader's own readers, so each
# one reads the same either way.
class _Irregular(Exception):
    """The column reader met something it leaves to the row reader (see :func:`_read_tasks`)."""


class _Children:
    """The children of a list of elements (the rows), as columns in document order: each
    child's tag, its text and the number of its row. numpy then finds every row's first child
    of a tag at once, where a Python loop would look at each child in turn."""

    def __init__(self, rows: list[ET.Element]) -> None:
        self.size = len(rows)
        self.elements = list(chain.from_iterable(rows))
        self.counts = list(map(len, rows))
        self.texts = np.fromiter(
            map(attrgetter("text"), self.elements), dtype=object, count=len(self.elements)
        )
        self.tags = list(map(attrgetter("tag"), self.elements))
        #: The number of children of every row when all rows hold the same tags in the same
        #: order (as every link does in a file Microsoft Project wrote), else 0.
        self.stride = self._stride()
        #: Tags by local name. The row reader reads a name in two namespaces as one.
        self.tags_by_name: dict[str, str] = {}
        for tag in dict.fromkeys(self.tags[: self.stride]) if self.stride else self.tag_numbers[1]:
            name = _LOCAL[tag]
            if name in self.tags_by_name:
                raise _Irregular(f"<{name}> in two namespaces")
            self.tags_by_name[name] = tag

    def _stride(self) -> int:
        stride = self.counts[0] if self.counts else 0
        if not stride or len(self.elements) != stride * self.size or min(self.counts) < stride:
            return 0
        # Every row has ``stride`` children; is every row's j-th child's tag the first row's?
        # (``list.count`` compares tags, which the parser shares, by identity first.)
        tags = self.tags
        if all(tags[j::stride].count(tags[j]) == self.size for j in range(stride)):
            return stride
        return 0

    @cached_property
    def owners(self) -> np.ndarray:
        """The number of each child's row."""
        return np.repeat(np.arange(self.size), self.counts)

    @cached_property
    def tag_numbers(self) -> tuple[np.ndarray, dict[str, int]]:
        """Each child's tag as a number (the position where the tag first comes), and the
        numbers by tag."""
        numbers: dict[str, int] = {}
        return np.array(list(map(numbers.setdefault, self.tags, count())), np.intp), numbers

    def named(self, name: str) -> np.ndarray:
        """Positions of the children named ``name``, in document order."""
        if name not in self.tags_by_name:
            return np.empty(0, dtype=np.intp)
        tag_numbers, numbers = self.tag_numbers
        return np.flatnonzero(tag_numbers == numbers[self.tags_by_name[name]])

    def first_texts(self, name: str) -> list[str | None]:
        """Each row's text of its first child named ``name``: None where it has none, or
        where that child has no text (as :func:`_texts` gives them). A new list each time."""
        if self.stride and name in self.tags_by_name:
            # Each row's first child of the name is at the same place in every row.
            first = self.tags.index(self.tags_by_name[name])
            return self.texts[first :: self.stride].tolist()
        column = np.full(self.size, None, dtype=object)
        where = self.named(name)
        if len(where):
            owners = self.owners[where]
            first = np.empty(len(owners), dtype=bool)
            first[0] = True
            np.not_equal(owners[1:], owners[:-1], out=first[1:])
            column[owners[first]] = self.texts[where[first]]
        return column.tolist()


class _Converted(dict):
    """One element name's texts converted by its reader, each distinct text once. An absent
    element or one without text gives ``absent``, a blank one ``blank``: the defaults of the
    row reader, which treats the two alike everywhere but in ``Critical``."""

    def __init__(self, read: Callable, name: str, absent: Any, blank: Any) -> None:
        super().__init__()
        self.read, self.name, self.absent, self.blank = read, name, absent, blank

    def __missing__(self, text: str | None) -> Any:
        if text is None:
            value = self.absent
        else:
            stripped = text.strip()
            value = self.read(stripped, self.name) if stripped else self.blank
        self[text] = value
        return value


_NOT_GIVEN = object()


def _column(
    children: _Children,
    readers: dict[str, Callable],
    name: str,
    default: Any = None,
    blank: Any = _NOT_GIVEN,
) -> list:
    """Every element's value of its child ``name``, read by its reader in ``readers``, or
    ``default`` where it has none (``blank`` where the child is blank, if given)."""
    if name not in children.tags_by_name:
        return [default] * children.size
    texts = children.first_texts(name)
    read = readers[name]
    if read is _plain:
        if None in texts:
            return [default if text is None else (text.strip() or default) for text in texts]
        stripped = list(map(str.strip, texts))
        return [text or default for text in stripped] if "" in stripped else stripped
    if read is _whole:
        # Identifiers are all different: ``int`` reads them at C speed, stripping white space
        # as the row reader does; a column with a gap or a decimal goes the general way.
        try:
            return list(map(int, texts))
        except (TypeError, ValueError):
            pass
    converted = _Converted(read, name, default, default if blank is _NOT_GIVEN else blank)
    return list(map(converted.__getitem__, texts))


def _in_field_order(cls: type, columns: dict[str, Any]) -> list:
    """``columns`` as positional arguments of the dataclass ``cls`` (``map`` passes no
    keywords); they must be its first fields, whatever their order in ``columns``."""
    return [columns[item.name] for item in dataclass_fields(cls)[: len(columns)]]


def _read_task_columns(elements: list[ET.Element], calendars, project_calendar):
    """:func:`_read_task_rows`'s result, read a column at a time. Raises _Irregular (or a
    reader's error) for anything it leaves to the row reader: a value that cannot be read,
    a task or link to refuse, a name in two namespaces."""
    children = _Children(elements)

    def column(name: str, default: Any = None, blank: Any = _NOT_GIVEN) -> list:
        return _column(children, TASK_READERS, name, default, blank)

    # Every value is read, of blank rows too, as the row reader reads them.
    values = {
        "uid": column("UID"),
        "name": column("Name", ""),
        "duration_minutes": column("Duration", 0),
        "wbs": column("WBS", ""),
        "outline_level": column("OutlineLevel", 1),
        "summary": column("Summary", False),
        "milestone": column("Milestone", False),
        "manual": column("Manual", False),
        "start": column("Start"),
        "finish": column("Finish"),
        "constraint": column("ConstraintType", 0),
        "constraint_date": column("ConstraintDate"),
        "deadline": column("Deadline"),
        "calendar": column("CalendarUID", -1),
        "elapsed": column("DurationFormat", 7),
        "percent_complete": column("PercentComplete", 0.0),
        "actual_start": column("ActualStart"),
        "actual_finish": column("ActualFinish"),
        "remaining_duration_minutes": column("RemainingDuration"),
    }
    saved = {
        "early_start": column("EarlyStart"),
        "early_finish": column("EarlyFinish"),
        "late_start": column("LateStart"),
        "late_finish": column("LateFinish"),
        "total_slack_minutes": column("TotalSlack"),
        "free_slack_minutes": column("FreeSlack"),
        # Not saved (None) differs from saved empty (not critical).
        "critical": column("Critical", None, False),
        "start_variance_minutes": column("StartVariance"),
        "finish_variance_minutes": column("FinishVariance"),
    }
    ids = column("ID")
    nulls = column("IsNull", False)
    row_uids = values["uid"]
    holding_baselines = np.zeros(children.size, dtype=bool)
    holding_baselines[children.owners[children.named("Baseline")]] = True
    holding_baselines = holding_baselines.tolist()
    kept = None
    if None in row_uids or any(nulls):
        # Rows without a UID and blank rows are skipped, as Microsoft Project skips them.
        kept = [uid is not None and not null for uid, null in zip(row_uids, nulls, strict=True)]
        elements, ids, holding_baselines = (
            list(compress(items, kept)) for items in (elements, ids, holding_baselines)
        )
        values = {key: list(compress(items, kept)) for key, items in values.items()}
        saved = {key: list(compress(items, kept)) for key, items in saved.items()}
    uids = values["uid"]
    values["constraint"] = list(map(_CONSTRAINTS.get, values["constraint"]))
    remaining = [minutes for minutes in values["remaining_duration_minutes"] if minutes is not None]
    if (
        None in values["constraint"]
        or min(values["duration_minutes"], default=0) < 0
        or min(remaining, default=0) < 0
    ):
        raise _Irregular("a task to refuse")
    values["parent_uid"] = _parents(values["outline_level"], uids)
    task_calendars = {}
    for uid in set(values["calendar"]):
        calendar = calendars.get(uid) if uid != -1 else None
        task_calendars[uid] = calendar if calendar is not project_calendar else None
    values["calendar"] = list(map(task_calendars.__getitem__, values["calendar"]))
    values["elapsed"] = list(map(ELAPSED_FORMATS.__contains__, values["elapsed"]))
    tasks = list(map(Task, *_in_field_order(Task, values)))
    saved["start"], saved["finish"] = values["start"], values["finish"]
    ms_values = _SavedValues(uids, _in_field_order(MsProjectValues, saved))
    baselines: dict[int, list[TaskBaseline]] = {}
    for uid, element in compress(zip(uids, elements, strict=True), holding_baselines):
        baselines.setdefault(uid, []).extend(
            _read_baseline(item) for item in _children(element, "Baseline")
        )
    uid_texts = children.first_texts("UID")
    if kept is not None:
        uid_texts = list(compress(uid_texts, kept))
    links = _read_link_columns(children, kept, row_uids, dict(zip(uid_texts, uids, strict=True)))
    return (
        tasks,
        links,
        dict(zip(uids, ids, strict=True))
        if None not in ids
        else {uid: uid if id_ is None else id_ for uid, id_ in zip(uids, ids, strict=True)},
        ms_values,
        baselines,
    )


class _SavedValues(Mapping[int, MsProjectValues]):
    """The values MS Project saved, by task uid, made on first use: scheduling a file never
    asks for them, and a 100,000-task file would make 100,000 of them."""

    def __init__(self, uids: list[int], columns: list[list]) -> None:
        self._uids, self._columns = uids, columns

    @cached_property
    def _values(self) -> dict[int, MsProjectValues]:
        return dict(zip(self._uids, map(MsProjectValues, *self._columns), strict=True))

    def __getitem__(self, uid: int) -> MsProjectValues:
        return self._values[uid]

    def __iter__(self) -> Iterator[int]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def _parents(levels: list[int], uids: list[int]) -> list[int | None]:
    """Each task's summary task: the last task before it with a lower outline level."""
    parents: list[int | None] = []
    outline_stack: list[tuple[int, int]] = []  # (outline level, uid)
    for level, uid in zip(levels, uids, strict=True):
        while outline_stack and outline_stack[-1][0] >= level:
            outline_stack.pop()
        parents.append(outline_stack[-1][1] if outline_stack else None)
        outline_stack.append((level, uid))
    return parents


def _read_link_columns(
    tasks: _Children, kept: list[bool] | None, row_uids: list, uids: dict[str | None, int]
) -> list[Link]:
    """The PredecessorLink elements among ``tasks`` (the task rows' children), read a column
    at a time: those of the rows in ``kept`` (all when None), whose uids are ``row_uids``.
    ``uids``: the uid of each task the file holds (every link must start from one of them),
    by the text of its UID element."""
    where = tasks.named("PredecessorLink")
    owners = tasks.owners[where]
    if kept is not None:
        keep = np.array(kept, dtype=bool)[owners]
        where, owners = where[keep], owners[keep]
    if not len(where):
        return []
    successors = list(map(row_uids.__getitem__, owners.tolist()))
    links = _Children(list(map(tasks.elements.__getitem__, where.tolist())))

    def column(name: str, default: Any = None) -> list:
        return _column(links, LINK_READERS, name, default)

    # A link names its predecessor as the file writes that task's UID, so the task's text
    # finds its uid without reading the number again; any other text is read as a number.
    predecessors = list(map(uids.get, links.first_texts("PredecessorUID")))
    if None in predecessors:
        predecessors = column("PredecessorUID")
        if None in predecessors or not set(predecessors).issubset(uids.values()):
            raise _Irregular("a link to refuse")
    types = list(map(_LINK_TYPES.get, column("Type", 1)))
    if None in types:
        raise _Irregular("a link to refuse")
    lags = list(zip(column("LagFormat", 7), column("LinkLag", 0.0), strict=True))
    lag_values = {lag: _lag_values(*lag) for lag in set(lags)}
    lag_minutes, lag_percents, lags_elapsed = zip(*map(lag_values.__getitem__, lags), strict=True)
    columns = {
        "predecessor_uid": predecessors,
        "successor_uid": successors,
        "type": types,
        "lag_minutes": lag_minutes,
        "lag_percent": lag_percents,
        "lag_elapsed": lags_elapsed,
    }
    return list(map(Link, *_in_field_order(Link, columns)))


def _lag_values(lag_format: int, raw_lag: float) -> tuple[int, float | None, bool]:
    """``Link``'s lag minutes, lag percent and lag elapsed for a LagFormat and a LinkLag (in
    tenths of a minute, or of a percent); raise _Irregular for a lag the row reader refuses."""
    percent = lag_format in PERCENT_FORMATS
    if not percent and abs(raw_lag) > MAX_LAG_MINUTES * 10:
        raise _Irregular("a lag to refuse")
    return (
        0 if percent else round(raw_lag / 10),
        raw_lag / 10 if percent else None,
        lag_format in ELAPSED_FORMATS,
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
    "Baseline",
)
LINK_ORDER = ("PredecessorUID", "Type", "LinkLag", "LagFormat")
#: A task's baseline; an assignment's has no Duration.
BASELINE_ORDER = ("Number", "Start", "Finish", "Duration", "Work")
RESOURCE_ORDER = (
    "UID",
    "ID",
    "Name",
    "Type",
    "IsNull",
    "EmailAddress",
    "MaxUnits",
    "CalendarUID",
)
ASSIGNMENT_ORDER = (
    "UID",
    "TaskUID",
    "ResourceUID",
    "Finish",
    "Start",
    "Units",
    "Work",
    "WorkContour",
    "Baseline",
)
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
    def __init__(self, holiday_years: range = range(0)) -> None:
        self.calendar_uids: dict[int, int] = {}
        self.calendars: list[WorkingCalendar] = []
        #: The years whose public holidays a calendar with a country writes as exceptions.
        self.holiday_years = holiday_years

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
    if calendar.base is not None and not calendar.week:
        # A derived calendar that changes no weekday (a resource's, as a rule): Project
        # writes no WeekDays for it.
        _write_exceptions(element, calendar, writer)
        _write_work_weeks(element, calendar)
        return
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
    _write_exceptions(element, calendar, writer)
    _write_work_weeks(element, calendar)


def _exceptions_to_write(calendar: WorkingCalendar, years: range) -> list[CalendarException]:
    """The calendar's exceptions, then its country's public holidays in ``years`` as
    non-working exceptions: MSPDI has no notion of a country, and a file without them would
    schedule work on bank holidays. Its own exceptions come first, so they still win."""
    exceptions = list(calendar.exceptions)
    if calendar.country:
        name = f"Public holiday ({calendar.country})"
        for year in years:
            for day in sorted(public_holidays(calendar.country, calendar.subdivision, year)):
                exceptions.append(CalendarException(day, day, (), name=name))
    return exceptions


def _write_exceptions(element: ET.Element, calendar: WorkingCalendar, writer: _Writer) -> None:
    exceptions = _exceptions_to_write(calendar, writer.holiday_years)
    if exceptions:
        holder = ET.SubElement(element, "Exceptions")
        for exception in exceptions:
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


def write_mspdi(
    plan: Plan,
    schedule: Schedule | None = None,
    *,
    resources: list[Resource] | None = None,
    assignments: Sequence[Assignment] = (),
    baselines: dict[int, list[TaskBaseline]] | None = None,
) -> bytes:
    """Export ``plan`` (and, if given, its computed dates) as MSPDI XML in schema order.

    ``resources`` and ``assignments`` are written as given (resource uids from 1; the
    unnamed resource 0 Microsoft Project always writes comes first), each resource with its
    own calendar derived from the one it follows. Without ``resources``, resource spans are
    written as one work resource per span calendar with an assignment of the span's minutes
    at 100 % units. ``baselines`` are each task's saved baselines (0–10) by task uid, as
    :func:`read_mspdi` returns them. MSPDI has no public-holiday countries: a calendar's
    country's holidays are written as exceptions, from the year before the plan starts to
    ``HOLIDAY_YEARS_AFTER`` years after it finishes.
    """
    last_year = (schedule.finish if schedule is not None else plan.start).year
    writer = _Writer(range(plan.start.year - 1, last_year + HOLIDAY_YEARS_AFTER + 1))
    project_calendar_uid = writer.calendar_uid(plan.calendar)
    for task in plan.tasks:
        if task.calendar is not None:
            writer.calendar_uid(task.calendar)
        if resources is None:
            for span in task.resource_spans:
                writer.calendar_uid(span.calendar)
    resource_calendars = {
        resource.uid: WorkingCalendar(
            name=resource.name or f"Resource {resource.uid}",
            week={},
            base=resource.calendar or plan.calendar,
        )
        for resource in resources or ()
        if resource.type == 1
    }
    for calendar in resource_calendars.values():
        writer.calendar_uid(calendar)
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
            (baselines or {}).get(task.uid, ()),
        )
    if resources is None:
        _write_resource_spans(root, plan, writer)
    else:
        _write_resources(root, resources, resource_calendars, writer)
        _write_assignments(root, assignments)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _write_resources(
    root: ET.Element,
    resources: list[Resource],
    calendars: dict[int, WorkingCalendar],
    writer: _Writer,
) -> None:
    holder = ET.SubElement(root, "Resources")
    # Project writes an unnamed resource 0 in every file, assigned to nothing.
    unassigned = ET.SubElement(holder, "Resource")
    _add(unassigned, "UID", 0)
    _add(unassigned, "ID", 0)
    _add(unassigned, "Type", 1)
    _add(unassigned, "IsNull", 0)
    _add(unassigned, "MaxUnits", "1.00")
    for position, resource in enumerate(resources, start=1):
        element = ET.SubElement(holder, "Resource")
        _add(element, "UID", resource.uid)
        _add(element, "ID", position)
        _add(element, "Name", resource.name)
        _add(element, "Type", resource.type)
        _add(element, "IsNull", 0)
        if resource.email:
            _add(element, "EmailAddress", resource.email)
        _add(element, "MaxUnits", f"{resource.max_units:.2f}")
        if resource.uid in calendars:
            _add(element, "CalendarUID", writer.calendar_uid(calendars[resource.uid]))


def _write_assignments(root: ET.Element, assignments: list[Assignment]) -> None:
    holder = ET.SubElement(root, "Assignments")
    for assignment in assignments:
        element = ET.SubElement(holder, "Assignment")
        _add(element, "UID", assignment.uid)
        _add(element, "TaskUID", assignment.task_uid)
        _add(element, "ResourceUID", assignment.resource_uid)
        if assignment.finish is not None:
            _add(element, "Finish", _iso(assignment.finish))
        if assignment.start is not None:
            _add(element, "Start", _iso(assignment.start))
        _add(element, "Units", f"{assignment.units:g}")
        _add(element, "Work", format_duration(assignment.work_minutes))
        _add(element, "WorkContour", assignment.work_contour)
        for baseline in assignment.baselines:
            _write_baseline(element, baseline, with_duration=False)


def _write_baseline(parent: ET.Element, baseline: TaskBaseline, *, with_duration: bool) -> None:
    element = ET.SubElement(parent, "Baseline")
    _add(element, "Number", baseline.number)
    if baseline.start is not None:
        _add(element, "Start", _iso(baseline.start))
    if baseline.finish is not None:
        _add(element, "Finish", _iso(baseline.finish))
    if with_duration and baseline.duration_minutes is not None:
        _add(element, "Duration", format_duration(baseline.duration_minutes))
    if baseline.work_minutes is not None:
        _add(element, "Work", format_duration(baseline.work_minutes))


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


def _write_task(parent, task, level, number, position, schedule, writer, links, baselines) -> None:
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
    for baseline in sorted(baselines, key=lambda entry: entry.number):
        _write_baseline(element, baseline, with_duration=True)
