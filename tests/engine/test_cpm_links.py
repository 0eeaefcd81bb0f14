"""Each dependency type and lag, worked by hand on the standard calendar (Mon–Fri, 8 h a day).

Conventions checked are MS Project's: a start moves to the next working minute, a finish at an
interval's end stays there (Friday 17:00), a finish driven by an SF link may sit at 08:00.
"""

from __future__ import annotations

from steerco.engine.scheduling import WorkingCalendar, schedule_plan

from .helpers import DAY, link, on, plan, task


def test_fs_successor_starts_next_morning():
    result = schedule_plan(plan([task(1, 1), task(2, 1)], [link(1, 2)]))
    assert result.tasks[1].finish == on(0, 17)
    assert result.tasks[2].start == on(1, 8)
    assert result.tasks[2].finish == on(1, 17)


def test_fs_lag_delays_successor_start_by_working_days():
    result = schedule_plan(plan([task(1, 1), task(2, 1)], [link(1, 2, lag_days=1)]))
    assert result.tasks[2].start == on(2, 8)


def test_fs_lag_over_a_weekend_counts_working_days_only():
    """Finish Friday 17:00 + 1 day lag = Monday 17:00, so the successor starts Tuesday."""
    result = schedule_plan(plan([task(1, 5), task(2, 1)], [link(1, 2, lag_days=1)]))
    assert result.tasks[1].finish == on(4, 17)
    assert result.tasks[2].start == on(8, 8)


def test_fs_lead_overlaps_the_predecessor():
    """Two-day task finishes Tue 17:00; a half-day lead starts the successor Tue 13:00."""
    result = schedule_plan(plan([task(1, 2), task(2, 1)], [link(1, 2, lag_days=-0.5)]))
    assert result.tasks[2].start == on(1, 13)
    assert result.tasks[2].finish == on(2, 12)


def test_ss_lag_delays_successor_start_by_working_days():
    result = schedule_plan(plan([task(1, 3), task(2, 1)], [link(1, 2, "SS", lag_days=1)]))
    assert result.tasks[2].start == on(1, 8)


def test_ff_aligns_the_finishes():
    result = schedule_plan(plan([task(1, 3), task(2, 1)], [link(1, 2, "FF")]))
    assert result.tasks[2].finish == on(2, 17)
    assert result.tasks[2].start == on(2, 8)


def test_ff_lag_delays_the_finish():
    result = schedule_plan(plan([task(1, 3), task(2, 1)], [link(1, 2, "FF", lag_days=1)]))
    assert result.tasks[2].finish == on(3, 17)


def test_sf_successor_finishes_when_predecessor_starts():
    """SF: successor finish >= predecessor start. MS Project shows the finish as Wed 08:00."""
    from steerco.engine.scheduling import ConstraintType

    predecessor = task(1, 1, constraint=ConstraintType.SNET, constraint_date=on(2, 8))
    result = schedule_plan(plan([predecessor, task(2, 1)], [link(1, 2, "SF")]))
    assert result.tasks[2].finish == on(2, 8)
    assert result.tasks[2].start == on(1, 8)


def test_percent_lag_is_a_share_of_the_predecessor_duration():
    result = schedule_plan(
        plan([task(1, 2), task(2, 1)], [link(1, 2, lag_percent=50.0)])
    )  # 50 % of 2 days = 1 day: Tue 17:00 + 1 day = Wed 17:00, so it starts Thursday
    assert result.tasks[2].start == on(3, 8)


def test_elapsed_lag_counts_calendar_time():
    """Mon 17:00 + 12 elapsed hours = Tue 05:00, so the successor starts Tue 08:00."""
    result = schedule_plan(
        plan([task(1, 1), task(2, 1)], [link(1, 2, lag_minutes=720, lag_elapsed=True)])
    )
    assert result.tasks[2].start == on(1, 8)


def test_lag_uses_the_successor_calendar():
    """The successor works Saturdays: Fri 17:00 + 1 day lag on its calendar = Sat 17:00,
    so it starts Monday; on the project calendar it would start Tuesday."""
    six_days = WorkingCalendar(
        name="Six days", week={5: ((480, 720), (780, 1020))}, base=WorkingCalendar()
    )
    result = schedule_plan(
        plan([task(1, 5), task(2, 1, calendar=six_days)], [link(1, 2, lag_days=1)])
    )
    assert result.tasks[2].start == on(7, 8)


def test_milestone_after_a_task_sits_at_its_finish():
    """MS Project puts a milestone after a Friday task at Friday 17:00, not Monday 08:00."""
    result = schedule_plan(plan([task(1, 5), task(2, 0, milestone=True)], [link(1, 2)]))
    assert result.tasks[2].start == result.tasks[2].finish == on(4, 17)


def test_task_on_its_own_calendar_uses_it_for_duration():
    weekend_only = WorkingCalendar(
        name="Weekend", week={d: (() if d < 5 else ((480, 1020),)) for d in range(7)}
    )
    result = schedule_plan(plan([task(1, 1, calendar=weekend_only)]))
    assert result.tasks[1].start == on(5, 8)
    assert result.tasks[1].finish == on(5, 16)


def test_elapsed_duration_runs_through_nights_and_weekends():
    """Three elapsed days (3 × 1440 calendar minutes) from Monday 08:00 end Thursday 08:00."""
    three_elapsed_days = task(1, 0, elapsed=True, duration_minutes=3 * 1440)
    result = schedule_plan(plan([three_elapsed_days]))
    assert result.tasks[1].start == on(0, 8)
    assert result.tasks[1].finish == on(3, 8)


def test_sf_lag_pushes_the_successor_finish():
    """SF + 1 day: successor finish >= predecessor start (Mon 08:00) + 1 day = Mon 17:00."""
    result = schedule_plan(plan([task(1, 2), task(2, 1)], [link(1, 2, "SF", lag_days=1)]))
    assert (result.tasks[2].start, result.tasks[2].finish) == (on(0, 8), on(0, 17))


def test_free_slack_over_an_ss_link():
    """A (3 d) SS+1d to B (1 d): B could start Tue; it starts Tue, so A's free slack is 0,
    while B, finishing Tue with the project ending Wed, has a day of free slack."""
    result = schedule_plan(plan([task(1, 3), task(2, 1)], [link(1, 2, "SS", lag_days=1)]))
    assert result.tasks[1].free_slack_minutes == 0
    assert result.tasks[2].free_slack_minutes == DAY
    assert result.tasks[2].total_slack_minutes == DAY


def test_a_successor_with_two_predecessors_waits_for_the_later():
    result = schedule_plan(
        plan([task(1, 1), task(2, 3), task(3, 1)], [link(1, 3), link(2, 3, "FF")])
    )
    assert result.tasks[3].finish == on(2, 17)  # FF with the 3-day task beats FS after day 1
    assert result.tasks[1].free_slack_minutes == DAY
