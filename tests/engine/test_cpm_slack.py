"""Total and free slack as MS Project computes them, worked by hand.

Microsoft's field definitions (Project's help, "Total Slack", "Start Slack", "Finish Slack" and
"Free Slack" task fields):

* start slack = late start − early start; finish slack = late finish − early finish;
* total slack = the smaller of the two;
* free slack = how long the task can be delayed without delaying any successor; "if the task
  has no successor tasks, free slack is the same as total slack". Delaying a task never makes
  room for a successor, so free slack is never negative, and it is not derived from total
  slack: a task on a late chain can have negative total slack and yet 0 free slack.

An honoured must-finish-on or must-start-on date holds a task against its links; MS Project
then shows the conflict on the task itself, with start slack 0 (early and late start both at
the date) and negative total slack (T. Boyle, "Mandatory Constraints in Microsoft Project and
Primavera P6", 2016, on an MSO task whose early and late starts are equal yet whose total
slack is not zero). The finish slack is measured from the finish the links would give.

Units: working minutes of the task's calendar (its own, else the project calendar).
Calendar: Mon–Fri 08:00–12:00 and 13:00–17:00 (480 minutes = ``DAY``); the project starts
Monday 2024-05-06 08:00 = ``on(0, 8)``; ``on(4, 17)`` is Friday 10 May 17:00.
"""

from __future__ import annotations

import pytest

from steerco.engine.scheduling import ConstraintType, WorkingCalendar, schedule_plan

from .helpers import DAY, link, on, plan, task

SIX_DAY_WEEK = WorkingCalendar(name="Six days", week={5: ((480, 720), (780, 1020))})


def slack(result, uid) -> tuple[int, int, int, int]:
    """(start slack, finish slack, total slack, free slack) of task ``uid``, in minutes."""
    t = result.tasks[uid]
    return (
        t.start_slack_minutes,
        t.finish_slack_minutes,
        t.total_slack_minutes,
        t.free_slack_minutes,
    )


# ------------------------------------------------------------------ total slack


def test_mfo_milestone_after_a_task_finishing_a_day_late_has_minus_one_day_of_slack():
    """The example of issue 9: A (5 d) finishes Fri 10 May 17:00 and feeds (FS) milestone M,
    which must finish on Thu 9 May 17:00.

    Honoured, M sits at Thu 17:00: early start = late start = Thu 17:00, start slack 0. Its
    links would put it at Fri 17:00, a day after its late finish: finish slack −1 day, so total
    slack −1 day. A must finish by M's late start, Thu 17:00, but finishes Fri: −1 day of
    total slack, and 0 free slack (it cannot make room for M by slipping)."""
    result = schedule_plan(
        plan(
            [
                task(1, 5, "A"),
                task(
                    2,
                    0,
                    "M",
                    milestone=True,
                    constraint=ConstraintType.MFO,
                    constraint_date=on(3, 17),
                ),
            ],
            [link(1, 2)],
        )
    )
    milestone = result.tasks[2]
    assert (milestone.start, milestone.finish) == (on(3, 17), on(3, 17))
    assert slack(result, 2) == (0, -DAY, -DAY, 0)
    assert slack(result, 1) == (-DAY, -DAY, -DAY, 0)
    assert result.tasks[1].critical and milestone.critical


def test_mfo_milestone_not_honoured_moves_and_keeps_minus_one_day_of_slack():
    """The same plan when links win over constraints: M moves to Fri 10 May 17:00, its late
    dates stay at the MFO date, Thu 17:00: start and finish slack −1 day each. A unchanged."""
    result = schedule_plan(
        plan(
            [
                task(1, 5, "A"),
                task(
                    2,
                    0,
                    "M",
                    milestone=True,
                    constraint=ConstraintType.MFO,
                    constraint_date=on(3, 17),
                ),
            ],
            [link(1, 2)],
            honor_constraints=False,
        )
    )
    assert result.tasks[2].start == on(4, 17)
    assert slack(result, 2) == (-DAY, -DAY, -DAY, 0)
    assert slack(result, 1) == (-DAY, -DAY, -DAY, 0)


@pytest.mark.parametrize("constraint", [ConstraintType.MSO, ConstraintType.SNLT])
def test_honoured_start_constraint_against_links_shows_the_conflict_on_the_task(constraint):
    """A (5 d) ends Fri 10 May; B (1 d) follows it but must start on / no later than Wed 8 May
    08:00. Honoured, B works Wed 8 May (start slack 0); its links would have it work Mon 13 May,
    three working days (Thu, Fri, Mon) after its late finish Wed 17:00: finish and total slack
    −3 days. A must finish by Tue 7 May 17:00: −3 days too."""
    result = schedule_plan(
        plan(
            [task(1, 5, "A"), task(2, 1, "B", constraint=constraint, constraint_date=on(2, 8))],
            [link(1, 2)],
        )
    )
    assert (result.tasks[2].start, result.tasks[2].finish) == (on(2, 8), on(2, 17))
    assert slack(result, 2) == (0, -3 * DAY, -3 * DAY, 0)
    assert slack(result, 1) == (-3 * DAY, -3 * DAY, -3 * DAY, 0)


def test_honoured_constraint_later_than_its_links_keeps_zero_finish_slack():
    """B must start on Wed 8 May but A (1 d) lets it start Tue: nothing conflicts, B has no
    slack left (its dates are fixed), A can slip a day until B's fixed start."""
    result = schedule_plan(
        plan(
            [
                task(1, 1, "A"),
                task(2, 1, "B", constraint=ConstraintType.MSO, constraint_date=on(2, 8)),
            ],
            [link(1, 2)],
        )
    )
    assert slack(result, 2) == (0, 0, 0, 0)
    assert slack(result, 1) == (DAY, DAY, DAY, DAY)


def test_total_slack_is_the_smaller_of_start_and_finish_slack_for_an_elapsed_task():
    """E (24 elapsed hours, SNET Fri 10 May 08:00) runs Fri 08:00 – Sat 11 May 08:00 and
    feeds S (½ d), which the 6-day task L makes end with the project on Mon 13 May 17:00.

    S: late start Mon 13:00, so E's late finish is Mon 13:00 and its late start 24 hours
    earlier, Sun 12 May 13:00. In working time of E's calendar (the project calendar):
    start slack = Fri 08:00 → Sun 13:00 = Friday's 8 hours = 480 min; finish slack = Sat 08:00
    → Mon 13:00 = Monday morning = 240 min. Total slack = the smaller, 240. Free slack: E's
    finish can move from Sat 08:00 to Mon 08:00, S's early start, which is 0 working minutes."""
    result = schedule_plan(
        plan(
            [
                task(1, 6, "L"),
                task(
                    2,
                    0,
                    "E",
                    duration_minutes=24 * 60,
                    elapsed=True,
                    constraint=ConstraintType.SNET,
                    constraint_date=on(4, 8),
                ),
                task(3, 0.5, "S"),
            ],
            [link(2, 3)],
        )
    )
    e = result.tasks[2]
    assert (e.early_start, e.early_finish) == (on(4, 8), on(5, 8))
    assert (e.late_start, e.late_finish) == (on(6, 13), on(7, 13))
    assert slack(result, 2) == (480, 240, 240, 0)
    assert not e.critical


def test_slack_of_a_task_on_its_own_calendar_is_its_own_working_time():
    """B (4 d) works Mon–Sat on a calendar of its own; A (6 d) on the project calendar ends
    Mon 13 May; C (1 d) follows both, Tue 14 May.

    B works Mon 6 – Thu 9 May. Its late finish is C's late start, Tue 14 08:00, i.e. the end
    of its Monday 13 May; counting back 4 of its days (Mon 13, Sat 11, Fri 10, Thu 9) its late
    start is Thu 9 May 08:00. On B's calendar: start slack Mon 6 → Thu 9 = 3 days; finish
    slack Thu 9 17:00 → Mon 13 17:00 = Fri, Sat, Mon = 3 days (the project calendar would
    count 2, skipping Saturday). Free slack: to C's early start, the same 3 days."""
    result = schedule_plan(
        plan(
            [task(1, 6, "A"), task(2, 4, "B", calendar=SIX_DAY_WEEK), task(3, 1, "C")],
            [link(1, 3), link(2, 3)],
        )
    )
    b = result.tasks[2]
    assert (b.early_finish, b.late_start, b.late_finish) == (on(3, 17), on(3, 8), on(7, 17))
    assert slack(result, 2) == (3 * DAY, 3 * DAY, 3 * DAY, 3 * DAY)


def test_honoured_mfo_on_its_own_calendar_measures_the_conflict_on_that_calendar():
    """B (1 d, Mon–Sat calendar) must finish on Thu 9 May 17:00 after A (5 d, ends Fri 10).
    Honoured, B works Thu 9. Its links would have it work Sat 11 May (its calendar works
    Saturdays): finish slack Sat 11 17:00 → Thu 9 17:00 = −2 of its days (Fri, Sat). A must
    finish by Wed 8 May 17:00: −2 days on the project calendar."""
    result = schedule_plan(
        plan(
            [
                task(1, 5, "A"),
                task(
                    2,
                    1,
                    "B",
                    calendar=SIX_DAY_WEEK,
                    constraint=ConstraintType.MFO,
                    constraint_date=on(3, 17),
                ),
            ],
            [link(1, 2)],
        )
    )
    assert slack(result, 2) == (0, -2 * DAY, -2 * DAY, 0)
    assert slack(result, 1) == (-2 * DAY, -2 * DAY, -2 * DAY, 0)


# ------------------------------------------------------------------ free slack


def test_late_chain_has_negative_total_slack_and_zero_free_slack():
    """X (2 d) → Y (3 d): Y finishes Fri 10 May but has a deadline Wed 8 May 17:00. Both have
    −2 days of total slack. X's successor Y starts right after X: 0 free slack. Y has no
    successor, so its free slack is its total slack, −2 days, which as free slack is 0."""
    result = schedule_plan(
        plan([task(1, 2, "X"), task(2, 3, "Y", deadline=on(2, 17))], [link(1, 2)])
    )
    assert slack(result, 1) == (-2 * DAY, -2 * DAY, -2 * DAY, 0)
    assert slack(result, 2) == (-2 * DAY, -2 * DAY, -2 * DAY, 0)


@pytest.mark.parametrize(
    ("deadline", "total"),
    [(on(1, 12), DAY // 2), (on(0, 12), -DAY // 2)],
    ids=["deadline-Tue-noon", "deadline-Mon-noon-missed"],
)
def test_free_slack_is_not_capped_by_total_slack(deadline, total):
    """P (1 d, Mon) and R (2 d, Mon–Tue) both feed Q (1 d, Wed). P can slip all of Tuesday
    before Q's early start moves: 1 day of free slack. A deadline on P cuts its late finish,
    and so its total slack, not that day: deadline Tue 12:00 leaves ½ day of total slack, a
    deadline Mon 12:00 (missed) −½ day."""
    result = schedule_plan(
        plan(
            [task(1, 1, "P", deadline=deadline), task(2, 2, "R"), task(3, 1, "Q")],
            [link(1, 3), link(2, 3)],
        )
    )
    assert slack(result, 1) == (total, total, total, DAY)


def test_free_slack_follows_link_type_and_lag():
    """A (2 d, Mon–Tue) —FF +1 d→ B (1 d); C (4 d, Mon–Thu) —FS→ D (1 d, Fri) and B —FS→ D.
    B must finish a day after A: Wed 17:00 (it works Wed). A can slip until B's finish would
    move: 0 free slack. B can slip Thursday before D's start: 1 day."""
    result = schedule_plan(
        plan(
            [task(1, 2, "A"), task(2, 1, "B"), task(3, 4, "C"), task(4, 1, "D")],
            [link(1, 2, "FF", lag_days=1), link(3, 4), link(2, 4)],
        )
    )
    assert result.tasks[2].finish == on(2, 17)
    assert result.tasks[1].free_slack_minutes == 0
    assert result.tasks[2].free_slack_minutes == DAY
    assert result.tasks[1].total_slack_minutes == DAY


def test_completed_task_has_no_slack():
    """A task complete before the status date neither slips nor holds anything: 0 and 0."""
    result = schedule_plan(
        plan(
            [
                task(
                    1,
                    1,
                    "Done",
                    actual_start=on(0, 8),
                    actual_finish=on(0, 17),
                    percent_complete=100.0,
                ),
                task(2, 3, "Next"),
                task(3, 5, "Long"),
            ],
            [link(1, 2)],
            status_date=on(1, 17),
        )
    )
    assert slack(result, 1) == (0, 0, 0, 0)
