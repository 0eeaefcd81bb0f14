"""Constraints dated before the project start move a task before it, as in MS Project.

MS Project holds a task at the project start only when nothing else schedules it. A start
typed into an auto-scheduled task becomes a start-no-earlier-than constraint, and a date
before the project start then moves the task there; a must-start-on date does the same, and
an FNET or MFO date places the task by its finish, so a date that leaves too little time
before it starts the task before the project start. Tasks as soon as possible are never moved
earlier: a task without predecessors or constraint starts at the project start, and a task
following an early one does not start before the project start either. The project's own
start is then the earliest task start. (MPXJ's ``MicrosoftScheduler``, written to reproduce
MS Project's dates, places a task without predecessors at its SNET or FNET date in the same
way, not at the project start.)

Calendar: the standard week, Mon–Fri 08:00–12:00 and 13:00–17:00; the project starts on
Monday 2024-05-06 08:00 (``on(0, 8)``); ``on(-7, 8)`` is Monday 2024-04-29, the week before.
"""

from __future__ import annotations

import pytest

from steerco.engine.scheduling import ConstraintType, WorkingCalendar, schedule_plan

from .helpers import DAY, link, on, plan, task

SIX_DAY_WEEK = WorkingCalendar(name="Six days", week={5: ((480, 720), (780, 1020))})


@pytest.mark.parametrize("constraint", [ConstraintType.SNET, ConstraintType.MSO])
@pytest.mark.parametrize("honor", [True, False])
def test_start_constraint_before_project_start_moves_the_task_before_it(constraint, honor):
    # A (2 d) must start on / no earlier than Mon 29 Apr 08:00, a week before the project
    # start: it works Mon 29 and Tue 30 Apr. B (1 d) has no predecessor and no constraint:
    # it starts at the project start, Mon 6 May. The project starts with A.
    result = schedule_plan(
        plan(
            [task(1, 2, constraint=constraint, constraint_date=on(-7, 8)), task(2, 1)],
            honor_constraints=honor,
        )
    )
    a, b = result.tasks[1], result.tasks[2]
    assert (a.start, a.finish) == (on(-7, 8), on(-6, 17))
    assert (b.start, b.finish) == (on(0, 8), on(0, 17))
    assert result.start == on(-7, 8)
    assert result.finish == on(0, 17)


@pytest.mark.parametrize("constraint", [ConstraintType.FNET, ConstraintType.MFO])
@pytest.mark.parametrize("honor", [True, False])
def test_finish_constraint_before_project_start_moves_the_task_before_it(constraint, honor):
    # A (2 d) must finish on / no earlier than Fri 3 May 17:00, so it starts Thu 2 May 08:00,
    # two working days before the project start, rather than at the project start (which
    # would finish it Tue 7 May).
    result = schedule_plan(
        plan(
            [task(1, 2, constraint=constraint, constraint_date=on(-3, 17))], honor_constraints=honor
        )
    )
    a = result.tasks[1]
    assert (a.early_start, a.early_finish) == (on(-4, 8), on(-3, 17))
    assert result.start == on(-4, 8)


def test_asap_successor_of_an_early_task_still_starts_at_the_project_start():
    # A (2 d, SNET Mon 29 Apr) finishes Tue 30 Apr 17:00. Its successor C (1 d, as soon as
    # possible) could follow on Wed 1 May, but only a constraint moves a task before the project
    # start: C starts Mon 6 May. A can therefore slip Wed 1, Thu 2 and Fri 3 May without
    # delaying C or the project: 3 days of free and total slack.
    result = schedule_plan(
        plan(
            [task(1, 2, constraint=ConstraintType.SNET, constraint_date=on(-7, 8)), task(3, 1)],
            [link(1, 3)],
        )
    )
    a, c = result.tasks[1], result.tasks[3]
    assert (c.start, c.finish) == (on(0, 8), on(0, 17))
    assert a.free_slack_minutes == a.total_slack_minutes == 3 * DAY
    assert result.start == on(-7, 8)


def test_constraint_after_project_start_and_plain_tasks_are_unchanged():
    # The rule only removes the project start as a floor for placed tasks: an SNET after the
    # project start still holds the task to its date, an SNLT task starts at the project start.
    result = schedule_plan(
        plan(
            [
                task(1, 1, constraint=ConstraintType.SNET, constraint_date=on(2, 8)),
                task(2, 1, constraint=ConstraintType.SNLT, constraint_date=on(3, 8)),
                task(3, 1),
            ]
        )
    )
    assert result.tasks[1].start == on(2, 8)
    assert result.tasks[2].start == result.tasks[3].start == on(0, 8)
    assert result.start == on(0, 8)


def test_tasks_worked_in_datetimes_follow_the_same_rule():
    # A (2 d) on a Mon–Sat calendar of its own, SNET Mon 29 Apr: Mon 29 – Tue 30 Apr.
    # B (1 eday, elapsed: 24 hours) FNET Thu 2 May 17:00: Wed 1 May 17:00 – Thu 2 May 17:00.
    result = schedule_plan(
        plan(
            [
                task(
                    1,
                    2,
                    calendar=SIX_DAY_WEEK,
                    constraint=ConstraintType.SNET,
                    constraint_date=on(-7, 8),
                ),
                task(
                    2,
                    0,
                    duration_minutes=24 * 60,
                    elapsed=True,
                    constraint=ConstraintType.FNET,
                    constraint_date=on(-4, 17),
                ),
            ]
        )
    )
    assert (result.tasks[1].start, result.tasks[1].finish) == (on(-7, 8), on(-6, 17))
    assert (result.tasks[2].start, result.tasks[2].finish) == (on(-5, 17), on(-4, 17))
    assert result.start == on(-7, 8)


def test_honoured_mfo_on_a_calendar_of_its_own_schedules():
    # B (1 d, Mon–Sat calendar) must finish on Thu 9 May 17:00 although A (5 d) before it ends
    # Fri 10 May: honoured, B works Thu 9 May. (This used to fail: the task had no start
    # floor and its calendar was asked for the first working time after year 1.)
    result = schedule_plan(
        plan(
            [
                task(1, 5),
                task(
                    2,
                    1,
                    calendar=SIX_DAY_WEEK,
                    constraint=ConstraintType.MFO,
                    constraint_date=on(3, 17),
                ),
            ],
            [link(1, 2)],
        )
    )
    assert (result.tasks[2].start, result.tasks[2].finish) == (on(3, 8), on(3, 17))
