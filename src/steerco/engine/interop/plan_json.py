"""SteerCo's JSON plan format (``"format": "steerco-plan"``), read and written as text.

Datetimes are ISO 8601 local times without offset; durations and lags are working minutes.
Example::

    {"format": "steerco-plan", "version": 1, "name": "Office move",
     "start": "2027-01-04T08:00:00",
     "calendar": {"name": "Standard", "country": "GB",   (or the name of one in "calendars")
                  "week": {"mon": [["08:00", "12:00"], ["13:00", "17:00"]], ...},
                  "exceptions": [{"start": "2027-08-02", "finish": "2027-08-06",
                                  "intervals": []}]},
     "tasks": [{"uid": 1, "name": "Design", "duration_minutes": 2400}],
     "links": [{"predecessor": 1, "successor": 2, "type": "FS", "lag_minutes": 0}]}
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

from steerco.engine.interop.mspdi import PlanFileError
from steerco.engine.interop.plan_json_schema import DAYS as _DAYS
from steerco.engine.interop.plan_json_schema import FORMAT_NAME, MAX_MINUTES, load_plan_document
from steerco.engine.scheduling.calendar import CalendarException, WorkingCalendar, WorkWeek
from steerco.engine.scheduling.model import ConstraintType, Link, LinkType, Plan, Task


def _time(text: str, *, end: bool) -> int:
    hours, minutes = (int(part) for part in text.split(":")[:2])
    value = hours * 60 + minutes
    return 1440 if end and value == 0 else value


def _hhmm(minutes: int) -> str:
    return f"{(minutes // 60) % 24:02d}:{minutes % 60:02d}" if minutes < 1440 else "24:00"


def _minutes(value: Any, field: str, *, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise PlanFileError(f"'{field}' should be a number of minutes, not {value!r}.")
    if abs(value) > MAX_MINUTES:
        raise PlanFileError(f"'{field}' of {value} minutes is more than a century.")
    return round(value)


def _moment(value: str | None, field: str) -> dt.datetime | None:
    if value in (None, ""):
        return None
    try:
        return dt.datetime.fromisoformat(value).replace(tzinfo=None)
    except (TypeError, ValueError) as error:
        raise PlanFileError(f"'{field}' should be an ISO 8601 date, not {value!r}.") from error


def _calendar_from_json(data: dict[str, Any], named: dict[str, WorkingCalendar]) -> WorkingCalendar:
    week = {}
    for index, day in enumerate(_DAYS):
        if day in data.get("week", {}):
            week[index] = tuple(
                (_time(a, end=False), _time(b, end=True)) for a, b in data["week"][day]
            )
    exceptions = [
        CalendarException(
            start=dt.date.fromisoformat(item["start"]),
            finish=dt.date.fromisoformat(item.get("finish", item["start"])),
            intervals=tuple(
                (_time(a, end=False), _time(b, end=True)) for a, b in item.get("intervals", [])
            ),
            recurring_yearly=bool(item.get("recurring_yearly", False)),
            name=item.get("name", ""),
        )
        for item in data.get("exceptions", [])
    ]
    work_weeks = [
        WorkWeek(
            start=dt.date.fromisoformat(item["start"]),
            finish=dt.date.fromisoformat(item["finish"]),
            week={
                _DAYS.index(day): tuple(
                    (_time(a, end=False), _time(b, end=True)) for a, b in intervals
                )
                for day, intervals in item.get("week", {}).items()
            },
            name=item.get("name", ""),
        )
        for item in data.get("work_weeks", [])
    ]
    base_name = data.get("base")
    base = named.get(base_name) if base_name else None
    if base_name and base is None:
        raise PlanFileError(f"Calendar '{data.get('name')}' names an unknown base '{base_name}'.")
    if base is None and "week" not in data:
        week = {d: (((480, 720), (780, 1020)) if d < 5 else ()) for d in range(7)}
    return WorkingCalendar(
        name=data.get("name", "Standard"),
        week=week,
        exceptions=exceptions,
        base=base,
        country=data.get("country"),
        subdivision=data.get("subdivision"),
        work_weeks=work_weeks,
    )


def read_plan_json(text: str | bytes) -> Plan:
    """Parse a SteerCo JSON plan; raise PlanFileError with a readable message if invalid.

    The text's nesting depth and every field's type, length and range are checked first
    (:func:`~.plan_json_schema.load_plan_document`), so no malformed file reaches the code
    below or raises anything but PlanFileError.
    """
    data = load_plan_document(text)
    try:
        named: dict[str, WorkingCalendar] = {}
        for item in data.get("calendars", []):
            named[item["name"]] = _calendar_from_json(item, named)
        reference = data.get("calendar", {})
        if isinstance(reference, str):
            if reference not in named:
                raise PlanFileError(f"The plan names an unknown calendar '{reference}'.")
            calendar = named[reference]
        else:
            calendar = _calendar_from_json(reference, named)
            named.setdefault(calendar.name, calendar)
        tasks = [
            _task_from_json(item, named, number)
            for number, item in enumerate(data.get("tasks", []), start=1)
        ]
        links = [
            Link(
                predecessor_uid=int(item["predecessor"]),
                successor_uid=int(item["successor"]),
                type=LinkType[item.get("type", "FS")],
                lag_minutes=_minutes(item.get("lag_minutes", 0), "lag_minutes"),
                lag_percent=item.get("lag_percent"),
                lag_elapsed=bool(item.get("lag_elapsed", False)),
            )
            for item in data.get("links", [])
        ]
        start = _moment(data.get("start"), "start")
        if start is None:
            raise PlanFileError("The plan has no 'start'.")
        return Plan(
            tasks=tasks,
            links=links,
            start=start,
            calendar=calendar,
            minutes_per_day=int(data.get("minutes_per_day", 480)),
            status_date=_moment(data.get("status_date"), "status_date"),
            honor_constraints=bool(data.get("honor_constraints", True)),
            name=data.get("name", ""),
        )
    except PlanFileError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
        raise PlanFileError(f"The plan is missing or misstates a field: {error!r}") from error


def _task_from_json(item: dict[str, Any], named: dict[str, WorkingCalendar], number: int) -> Task:
    calendar_name = item.get("calendar")
    if calendar_name and calendar_name not in named:
        raise PlanFileError(f"Task {item.get('uid')} names an unknown calendar '{calendar_name}'.")
    try:
        return _task_fields(item, named, calendar_name)
    except PlanFileError as error:  # a date the schema cannot judge: say whose it is
        raise PlanFileError(f"Task {number} (uid {item['uid']}): {error}") from error


def _task_fields(
    item: dict[str, Any], named: dict[str, WorkingCalendar], calendar_name: str | None
) -> Task:
    return Task(
        uid=int(item["uid"]),
        name=item.get("name", ""),
        duration_minutes=_minutes(item.get("duration_minutes", 0), "duration_minutes"),
        wbs=item.get("wbs", ""),
        parent_uid=None if item.get("parent_uid") is None else int(item["parent_uid"]),
        summary=bool(item.get("summary", False)),
        milestone=bool(item.get("milestone", False)),
        manual=bool(item.get("manual", False)),
        start=_moment(item.get("start"), "start"),
        finish=_moment(item.get("finish"), "finish"),
        constraint=ConstraintType[item.get("constraint", "ASAP")],
        constraint_date=_moment(item.get("constraint_date"), "constraint_date"),
        deadline=_moment(item.get("deadline"), "deadline"),
        calendar=named[calendar_name] if calendar_name else None,
        elapsed=bool(item.get("elapsed", False)),
        percent_complete=float(item.get("percent_complete", 0)),
        actual_start=_moment(item.get("actual_start"), "actual_start"),
        actual_finish=_moment(item.get("actual_finish"), "actual_finish"),
        remaining_duration_minutes=_minutes(
            item.get("remaining_duration_minutes"), "remaining_duration_minutes", optional=True
        ),
    )


def _calendar_to_json(calendar: WorkingCalendar) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": calendar.name,
        "week": {
            _DAYS[day]: [[_hhmm(a), _hhmm(b)] for a, b in intervals]
            for day, intervals in sorted(calendar.week.items())
        },
        "exceptions": [
            {
                "start": e.start.isoformat(),
                "finish": e.finish.isoformat(),
                "intervals": [[_hhmm(a), _hhmm(b)] for a, b in e.intervals],
                "recurring_yearly": e.recurring_yearly,
                "name": e.name,
            }
            for e in calendar.exceptions
        ],
    }
    if calendar.work_weeks:
        data["work_weeks"] = [
            {
                "start": w.start.isoformat(),
                "finish": w.finish.isoformat(),
                "week": {
                    _DAYS[day]: [[_hhmm(a), _hhmm(b)] for a, b in intervals]
                    for day, intervals in sorted(w.week.items())
                },
                "name": w.name,
            }
            for w in calendar.work_weeks
        ]
    if calendar.base is not None:
        data["base"] = calendar.base.name
    if calendar.country:
        data["country"] = calendar.country
    if calendar.subdivision:
        data["subdivision"] = calendar.subdivision
    return data


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def write_plan_json(plan: Plan) -> str:
    """Serialise ``plan`` to SteerCo's JSON plan format (calendars by name)."""
    ordered: list[WorkingCalendar] = []  # bases before the calendars derived from them

    def register(calendar: WorkingCalendar | None) -> None:
        if calendar is None or any(calendar is known for known in ordered):
            return
        register(calendar.base)
        ordered.append(calendar)

    register(plan.calendar)
    for task in plan.tasks:
        register(task.calendar)
    names = [calendar.name for calendar in ordered]
    if len(set(names)) != len(names):
        raise ValueError(f"Calendars need distinct names to be saved as JSON: {names}")
    data = {
        "format": FORMAT_NAME,
        "version": 1,
        "name": plan.name,
        "start": _iso(plan.start),
        "status_date": _iso(plan.status_date),
        "minutes_per_day": plan.minutes_per_day,
        "honor_constraints": plan.honor_constraints,
        "calendars": [_calendar_to_json(c) for c in ordered],
        "calendar": plan.calendar.name,
        "tasks": [
            {
                "uid": t.uid,
                "name": t.name,
                "wbs": t.wbs,
                "parent_uid": t.parent_uid,
                "summary": t.summary,
                "milestone": t.milestone,
                "manual": t.manual,
                "duration_minutes": t.duration_minutes,
                "start": _iso(t.start),
                "finish": _iso(t.finish),
                "constraint": t.constraint.name,
                "constraint_date": _iso(t.constraint_date),
                "deadline": _iso(t.deadline),
                "calendar": t.calendar.name if t.calendar is not None else None,
                "elapsed": t.elapsed,
                "percent_complete": t.percent_complete,
                "actual_start": _iso(t.actual_start),
                "actual_finish": _iso(t.actual_finish),
                "remaining_duration_minutes": t.remaining_duration_minutes,
            }
            for t in plan.tasks
        ],
        "links": [
            {
                "predecessor": k.predecessor_uid,
                "successor": k.successor_uid,
                "type": k.type.name,
                "lag_minutes": k.lag_minutes,
                "lag_percent": k.lag_percent,
                "lag_elapsed": k.lag_elapsed,
            }
            for k in plan.links
        ],
    }
    return json.dumps(data, indent=2)
