"""A plan the engine cannot schedule raises ScheduleError, worded for what went wrong.

Every cause (a loop, a calendar without working time, dates past a calendar's horizon or
past the year 9999) reaches the caller as one exception type, so pages, the API and the
command line can show ``str(error)`` as it is.
"""

from __future__ import annotations

import datetime as dt

import pytest

from steerco.engine.scheduling import (
    ScheduleError,
    ScheduleHorizonError,
    Task,
    WorkingCalendar,
    schedule_plan,
)

from .helpers import DAY, MON, link, on, plan, task

#: Working minutes in a standard year, near enough: 52 weeks of five days.
YEAR = 260 * DAY


def _refusal(the_plan) -> ScheduleError:
    with pytest.raises(ScheduleError) as caught:
        schedule_plan(the_plan)
    return caught.value


def _idle(name: str) -> WorkingCalendar:
    return WorkingCalendar(name=name, week={day: () for day in range(7)})


# --------------------------------------------------------------------------- the horizon
def test_a_plan_past_the_horizon_says_so_with_the_date_and_the_task():
    """A 150-year task is a typing mistake: the message names the horizon date and the task,
    not 'no working time in a century' as before, which blamed the calendar."""
    refusal = _refusal(plan([task(1, 1, "Design"), task(2, 150 * 260, "Build")], [link(1, 2)]))

    assert isinstance(refusal, ScheduleHorizonError)
    assert (refusal.task, refusal.calendar, refusal.before) == ("Build", "Standard", False)
    assert 100 <= (refusal.horizon - MON).days / 365.25 <= 102
    assert str(refusal) == (
        f"The plan runs past {refusal.horizon.isoformat()}, the horizon of calendar 'Standard' "
        "(a plan may span about a century): task 'Build' would finish after it. Check for "
        "very long durations or lags, or dates far in the past or future."
    )


def test_the_task_that_crosses_the_horizon_is_named_not_the_ones_after_it():
    """Four 40-year stages: the third is the one running over the horizon; the fourth, which
    finishes last, lies wholly beyond it."""
    stages = [task(i, 40 * 260, f"Stage {i}") for i in range(1, 5)]

    refusal = _refusal(plan(stages, [link(1, 2), link(2, 3), link(3, 4)]))

    assert refusal.task == "Stage 3"
    assert "task 'Stage 3' would finish after it" in str(refusal)


def test_a_long_task_inside_a_summary_is_named_rather_than_the_summary():
    the_plan = plan(
        [
            Task(1, "Phase", summary=True),
            Task(2, "Build", 150 * YEAR, parent_uid=1),
            task(3, 1, "Next"),
        ],
        [link(1, 3)],
    )

    assert _refusal(the_plan).task == "Build"


def test_a_lag_past_the_horizon_names_the_task_it_pushes():
    refusal = _refusal(
        plan([task(1, 1, "Design"), task(2, 1, "Build")], [link(1, 2, lag_days=150 * 260)])
    )

    assert isinstance(refusal, ScheduleHorizonError) and refusal.task == "Build"


def test_a_deadline_far_in_the_past_runs_before_the_horizon():
    refusal = _refusal(plan([task(1, 1, "Sign-off", deadline=dt.datetime(1900, 1, 1, 17))]))

    assert isinstance(refusal, ScheduleHorizonError)
    assert refusal.before and refusal.horizon < dt.date(1900, 1, 1)
    assert str(refusal).startswith(f"The plan runs before {refusal.horizon.isoformat()}, ")
    assert "task 'Sign-off' would start before it" in str(refusal)


# --------------------------------------------------------------------------- the year limits
def test_a_plan_past_the_year_9999_says_that_is_the_last_date():
    the_plan = plan([task(1, 500, "Endless")])
    the_plan.start = dt.datetime(9999, 6, 1, 8)

    refusal = _refusal(the_plan)

    assert isinstance(refusal, ScheduleHorizonError)
    assert (refusal.horizon, refusal.calendar) == (dt.date.max, None)
    assert str(refusal) == (
        "The plan runs past 9999-12-31, the last date that can be scheduled: task 'Endless' "
        "would finish after it. Check for very long durations or lags, or dates far in the "
        "past or future."
    )


def test_an_actual_start_in_the_year_1_says_that_is_the_first_date():
    started = task(1, 2, "Old", actual_start=dt.datetime(1, 1, 1), percent_complete=50.0)

    refusal = _refusal(plan([started]))

    assert str(refusal).startswith(
        "The plan runs before 0001-01-01, the first date that can be scheduled: task 'Old' "
        "would start before it."
    )


def test_elapsed_time_past_the_year_9999_names_the_task():
    the_plan = plan([task(1, 0, "Cure", duration_minutes=400 * 24 * 60, elapsed=True)])
    the_plan.start = dt.datetime(9999, 6, 1, 8)

    refusal = _refusal(the_plan)

    assert isinstance(refusal, ScheduleHorizonError) and refusal.horizon is None
    assert str(refusal).startswith(
        "The plan runs outside the dates that can be scheduled (the years 1 to 9999): "
        "task 'Cure' would run outside them."
    )


# --------------------------------------------------------------------------- no working time
def test_a_project_calendar_without_working_time_says_so():
    refusal = _refusal(plan([task(1, 1, "Build")], calendar=_idle("Idle")))

    assert not isinstance(refusal, ScheduleHorizonError)
    assert str(refusal) == (
        "Calendar 'Idle' has no working time, so nothing can be scheduled on it. "
        "Give the calendar working hours on at least one day."
    )


def test_a_task_calendar_without_working_time_names_the_task():
    night = _idle("Night shift")
    the_plan = plan([task(1, 1, "Build"), task(2, 1, "Patch", calendar=night)])

    first, again = _refusal(the_plan), _refusal(the_plan)

    expected = (
        "Calendar 'Night shift' has no working time, so task 'Patch' cannot be scheduled on "
        "it. Give the calendar working hours on at least one day."
    )
    # The second run finds the calendar already searched: the wording must not change.
    assert str(first) == str(again) == expected


def test_a_plan_within_the_horizon_still_schedules():
    """Ninety years of work is absurd but inside the horizon: it is scheduled, not refused."""
    result = schedule_plan(plan([task(1, 90 * 260, "Long")]))

    assert result.finish.year >= MON.year + 89
    assert result.tasks[1].finish == result.finish
    assert on(0, 8) == result.start
