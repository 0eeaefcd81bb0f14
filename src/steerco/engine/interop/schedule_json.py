"""A schedule as JSON, and the status date it is computed as of, given as text.

``steerco schedule --format json`` and ``GET /api/v1/projects/{id}/schedule`` both answer
:func:`schedule_as_json` and both read ``--status-date`` / ``?status_date=`` with
:func:`status_date_from_text`, so the command line and the API cannot drift apart.
"""

from __future__ import annotations

import datetime as dt

from steerco.engine.scheduling import Plan, Schedule, WorkingCalendar
from steerco.engine.scheduling.calendar import CalendarError, NoWorkingTimeError


class StatusDateError(ValueError):
    """A status date that cannot be used; the message starts with the value as given."""


def schedule_as_json(plan: Plan, schedule: Schedule) -> dict:
    """The project's span and every task's dates, slack and criticality, in plan order."""
    return {
        "project": {
            "start": schedule.start.isoformat(),
            "finish": schedule.finish.isoformat(),
        },
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
            for task in plan.tasks
            for r in (schedule.tasks[task.uid],)
        ],
    }


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
