"""A schedule as JSON, and the status date it is computed as of, given as text.

``steerco schedule --format json`` and ``GET /api/v1/projects/{id}/schedule`` both answer
:func:`schedule_as_json` (the command line writes it as text with :func:`write_schedule_json`,
which a test holds to the same value) and both read ``--status-date`` / ``?status_date=`` with
:func:`status_date_from_text`, so the command line and the API cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from json.encoder import encode_basestring_ascii
from operator import attrgetter
from typing import TextIO

from steerco.engine.scheduling import Plan, Schedule, ScheduledTask, WorkingCalendar
from steerco.engine.scheduling.calendar import CalendarError, NoWorkingTimeError
from steerco.engine.scheduling.results import ScheduledTasks


class StatusDateError(ValueError):
    """A status date that cannot be used; the message starts with the value as given."""


def schedule_as_json(plan: Plan, schedule: Schedule) -> dict:
    """The project's span and every task's dates, slack and criticality, in plan order."""
    return {
        "project": _project_span(schedule),
        "tasks": [
            {
                "uid": task.uid,
                "name": task.name,
                "wbs": task.wbs,
                "summary": task.summary,
                "milestone": task.milestone,
                "start": r.start.isoformat(),
                "finish": r.finish.isoformat(),
                "early_start": r.early_start.isoformat(),
                "early_finish": r.early_finish.isoformat(),
                "late_start": r.late_start.isoformat(),
                "late_finish": r.late_finish.isoformat(),
                "total_slack_minutes": r.total_slack_minutes,
                "free_slack_minutes": r.free_slack_minutes,
                "critical": r.critical,
            }
            for task, r in zip(plan.tasks, _results_in_plan_order(plan, schedule), strict=True)
        ],
    }


def write_schedule_json(plan: Plan, schedule: Schedule, out: TextIO) -> None:
    """Write :func:`schedule_as_json`'s document to ``out`` as JSON text, a task a line.

    The same JSON value (a test holds the two together), written straight to text a column
    at a time: building a dictionary per task and encoding it took longer, for a
    100,000-task plan, than reading the file and scheduling it. Names are escaped as
    ``json.dumps`` escapes them.
    """
    tasks = plan.tasks
    results = _result_columns(plan, schedule)
    # A plan's 600,000 dates are a thousand or so moments: each is written out once.
    isoformat = _Isoformats().__getitem__

    def column(name: str) -> list:
        return list(map(attrgetter(name), tasks))

    def booleans(values: list) -> Iterator[str]:
        return map(_BOOLEANS.__getitem__, map(bool, values))

    lines = map(
        _TASK_LINE.__mod__,
        zip(
            column("uid"),
            map(encode_basestring_ascii, column("name")),
            map(encode_basestring_ascii, column("wbs")),
            booleans(column("summary")),
            booleans(column("milestone")),
            *(map(isoformat, results[name]) for name in _DATES),
            results["total_slack_minutes"],
            results["free_slack_minutes"],
            booleans(results["critical"]),
            strict=True,
        ),
    )
    project = json.dumps(_project_span(schedule))
    out.write(f'{{\n  "project": {project},\n  "tasks": [')
    if tasks:
        out.write("\n    ")
        out.write(",\n    ".join(lines))
        out.write("\n  ")
    out.write("]\n}\n")


_DATES = ("start", "finish", "early_start", "early_finish", "late_start", "late_finish")
#: One task of write_schedule_json, its values in schedule_as_json's order. ``%s`` writes
#: a value as ``str`` does, and ``%`` takes a tuple of values quicker than ``str.format``.
_TASK_LINE = (
    '{"uid": %s, "name": %s, "wbs": %s, "summary": %s, "milestone": %s, '
    + ", ".join(f'"{name}": "%s"' for name in _DATES)
    + ', "total_slack_minutes": %s, "free_slack_minutes": %s, "critical": %s}'
)
_BOOLEANS = ("false", "true")
_RESULT_FIELDS = (*_DATES, "total_slack_minutes", "free_slack_minutes", "critical")


class _Isoformats(dict):
    """Moments in ISO format, each worked out once."""

    def __missing__(self, moment: dt.datetime) -> str:
        text = self[moment] = moment.isoformat()
        return text


def _result_columns(plan: Plan, schedule: Schedule) -> dict[str, list]:
    """The results' dates, slack and criticality by field name, each a list in plan order:
    the engine's own columns when it holds them in that order, else read from each task's
    result."""
    results = schedule.tasks
    if isinstance(results, ScheduledTasks) and list(results) == [task.uid for task in plan.tasks]:
        return results.columns()
    in_order = _results_in_plan_order(plan, schedule)
    return {name: list(map(attrgetter(name), in_order)) for name in _RESULT_FIELDS}


def _project_span(schedule: Schedule) -> dict:
    return {"start": schedule.start.isoformat(), "finish": schedule.finish.isoformat()}


def _results_in_plan_order(plan: Plan, schedule: Schedule) -> list[ScheduledTask]:
    """Each task's result, in the plan's order: the schedule's own list when it is in that
    order (the engine's is, and builds it in one sweep), else looked up task by task."""
    results = schedule.tasks
    uids = [task.uid for task in plan.tasks]
    if list(results) == uids:
        return list(results.values())
    return [results[uid] for uid in uids]


def status_date_from_text(text: str, calendar: WorkingCalendar) -> dt.datetime:
    """``text``, an ISO date or date and time, as a status date on ``calendar``.

    A date alone means the end of that working day (the end of the last working interval
    on or before it). An offset (``+01:00``) is kept for the caller to judge: plan dates
    are local times, so the API refuses one and the command line drops it, as plan files do.
    Raises StatusDateError.
    """
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise StatusDateError(f"{text!r} is not an ISO date or date and time.") from None
    if len(text) <= 10:  # a date alone
        try:
            moment = calendar.previous_working_time(moment + dt.timedelta(days=1))
        except NoWorkingTimeError as error:
            raise StatusDateError(
                f"{text!r} cannot end a working day: calendar '{error.calendar}' has no "
                "working time."
            ) from None
        except (CalendarError, OverflowError):
            # Past the calendar's horizon, or the day after is past the year 9999.
            raise StatusDateError(f"{text!r} is outside the dates that can be scheduled.") from None
    return moment
