"""Why a plan cannot be scheduled: the one exception the scheduler raises, and its wording.

:func:`~steerco.engine.scheduling.schedule_plan` raises :class:`ScheduleError` for every plan
it cannot schedule, whichever part of the engine found the problem: the network (a dependency
loop, two tasks with one uid), a calendar with no working time, or dates running past a
calendar's horizon or past the years 1 to 9999 that dates can hold. Callers show
``str(error)`` as it is; :func:`unschedulable` writes the message for the calendar and date
problems, in one place.
"""

from __future__ import annotations

import datetime as dt

from steerco.engine.scheduling.calendar import (
    CalendarError,
    CalendarHorizonError,
    NoWorkingTimeError,
)


class ScheduleError(ValueError):
    """The plan cannot be scheduled; the message says why in the user's terms."""


class ScheduleCycleError(ScheduleError):
    """The dependencies form a loop. ``cycle`` lists the task uids of the loop in order."""

    def __init__(self, message: str, cycle: list[int]) -> None:
        super().__init__(message)
        self.cycle = cycle


class ScheduleHorizonError(ScheduleError):
    """The plan runs past the dates that can be worked out.

    ``horizon`` is the last date reached (with ``before``, the first), None when only the
    years 1 to 9999 are known to be the limit; ``task`` names the task that crosses it, when
    known; ``calendar`` names the calendar whose horizon it is (None for the year limits).
    """

    def __init__(
        self,
        message: str,
        *,
        horizon: dt.date | None,
        before: bool,
        task: str | None,
        calendar: str | None,
    ) -> None:
        super().__init__(message)
        self.horizon = horizon
        self.before = before
        self.task = task
        self.calendar = calendar


def unschedulable(cause: Exception, *, task: str | None = None) -> ScheduleError:
    """The ScheduleError to raise for ``cause``, met while scheduling ``task`` if known.

    ``cause`` is a ScheduleError (returned as it is), a CalendarError or an OverflowError (a
    date beyond the year 9999 or before the year 1).
    """
    if isinstance(cause, ScheduleError):
        return cause
    if isinstance(cause, NoWorkingTimeError):
        victim = f"task '{task}' cannot be scheduled" if task else "nothing can be scheduled"
        return ScheduleError(
            f"Calendar '{cause.calendar}' has no working time, so {victim} on it. "
            "Give the calendar working hours on at least one day."
        )
    if isinstance(cause, CalendarHorizonError):
        return _horizon_error(cause.horizon, cause.before, task, cause.calendar)
    if isinstance(cause, OverflowError):
        return _horizon_error(None, False, task, None)
    if isinstance(cause, CalendarError):  # e.g. public holidays of an unknown country
        return ScheduleError(str(cause))
    raise TypeError(f"Not a reason a plan cannot be scheduled: {cause!r}")


def _horizon_error(
    horizon: dt.date | None, before: bool, task: str | None, calendar: str | None
) -> ScheduleHorizonError:
    hint = "very long durations or lags, or dates far in the past or future"
    if horizon is None:
        where = "outside the dates that can be scheduled (the years 1 to 9999)"
        crossing = f"task '{task}' would run outside them" if task else ""
    else:
        side = "before" if before else "past"
        if horizon in (dt.date.min, dt.date.max):
            reach = "first" if before else "last"
            where = f"{side} {horizon.isoformat()}, the {reach} date that can be scheduled"
            calendar = None
        else:
            # The calendar stops looking for working time once the plan's dates span a century
            # (see calendar.py); saying so tells the user the horizon is not a calendar setting.
            where = (
                f"{side} {horizon.isoformat()}, the horizon of calendar '{calendar}' "
                "(a plan may span about a century)"
            )
        verb = "start before" if before else "finish after"
        crossing = f"task '{task}' would {verb} it" if task else ""
    message = (
        f"The plan runs {where}" + (f": {crossing}" if crossing else "") + f". Check for {hint}."
    )
    return ScheduleHorizonError(
        message, horizon=horizon, before=before, task=task, calendar=calendar
    )
