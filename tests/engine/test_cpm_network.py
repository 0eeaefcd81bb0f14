"""Network behaviour: a textbook CPM case, constraints, summaries, progress, cycles, drivers."""

from __future__ import annotations

import dataclasses

import pytest

from steerco.engine.scheduling import (
    ConstraintType,
    ScheduleCycleError,
    Scheduler,
    driving_predecessors,
    schedule_plan,
)

from .helpers import DAY, link, on, plan, task

# --------------------------------------------------------------------------- textbook case
#: Hillier & Lieberman, *Introduction to Operations Research*, chapter "Project Management with
#: PERT/CPM", Reliable Construction Co. (durations in weeks; here one week = one working day).
#: activity: (duration, predecessors, published ES, published LS, published slack)
RELIABLE = {
    "A": (2, "", 0, 0, 0),
    "B": (4, "A", 2, 2, 0),
    "C": (10, "B", 6, 6, 0),
    "D": (6, "C", 16, 20, 4),
    "E": (4, "C", 16, 16, 0),
    "F": (5, "E", 20, 20, 0),
    "G": (7, "D", 22, 26, 4),
    "H": (9, "EG", 29, 33, 4),
    "I": (7, "C", 16, 18, 2),
    "J": (8, "FI", 25, 25, 0),
    "K": (4, "J", 33, 34, 1),
    "L": (5, "J", 33, 33, 0),
    "M": (2, "H", 38, 42, 4),
    "N": (6, "KL", 38, 38, 0),
}


def _reliable_plan():
    uid = {name: i + 1 for i, name in enumerate(RELIABLE)}
    tasks = [task(uid[name], d, name) for name, (d, *_rest) in RELIABLE.items()]
    links = [link(uid[p], uid[name]) for name, (_d, preds, *_r) in RELIABLE.items() for p in preds]
    return plan(tasks, links), uid


def test_textbook_network_early_and_late_starts_and_slack():
    """Published ES, LS and slack of the Reliable Construction network (44-week project)."""
    the_plan, uid = _reliable_plan()
    result = schedule_plan(the_plan)
    calendar = the_plan.calendar
    for name, (_d, _p, early, late, slack) in RELIABLE.items():
        scheduled = result.tasks[uid[name]]
        assert (
            calendar.working_minutes_between(the_plan.start, scheduled.early_start) == early * DAY
        )
        assert calendar.working_minutes_between(the_plan.start, scheduled.late_start) == late * DAY
        assert scheduled.total_slack_minutes == slack * DAY, name
    assert calendar.working_minutes_between(the_plan.start, result.finish) == 44 * DAY


def test_textbook_network_critical_path():
    """The published critical path is A-B-C-E-F-J-L-N."""
    the_plan, uid = _reliable_plan()
    result = schedule_plan(the_plan)
    names = {v: k for k, v in uid.items()}
    assert [names[u] for u in result.critical_path] == list("ABCEFJLN")


def test_free_slack_is_the_gap_to_the_earliest_successor():
    """I finishes at 23 and J starts at 25: free slack 2; D's slack is shared with G (free 0)."""
    the_plan, uid = _reliable_plan()
    result = schedule_plan(the_plan)
    assert result.tasks[uid["I"]].free_slack_minutes == 2 * DAY
    assert result.tasks[uid["D"]].free_slack_minutes == 0
    assert result.tasks[uid["M"]].free_slack_minutes == 4 * DAY


# --------------------------------------------------------------------------- constraints
def _with(uid, kind, date, days=1):
    return task(uid, days, constraint=ConstraintType[kind], constraint_date=date)


def test_snet_pushes_the_start():
    result = schedule_plan(plan([_with(1, "SNET", on(2, 8))]))
    assert result.tasks[1].start == on(2, 8)


def test_fnet_pushes_the_finish():
    result = schedule_plan(plan([_with(1, "FNET", on(3, 17))]))
    assert (result.tasks[1].start, result.tasks[1].finish) == (on(3, 8), on(3, 17))


def test_mso_honoured_overrides_links_and_reports_negative_float():
    """A 3-day predecessor ends Wed; 'must start on' Tue holds B on Tue when honoured."""
    the_plan = plan([task(1, 3, "A"), _with(2, "MSO", on(1, 8))], [link(1, 2)])
    result = schedule_plan(the_plan)
    assert result.tasks[2].start == on(1, 8)
    assert result.tasks[1].total_slack_minutes == -2 * DAY
    assert any("'A'" in warning for warning in result.warnings)


def test_mso_not_honoured_lets_links_win_with_negative_float():
    the_plan = plan([task(1, 3), _with(2, "MSO", on(1, 8))], [link(1, 2)], honor_constraints=False)
    result = schedule_plan(the_plan)
    assert result.tasks[2].start == on(3, 8)
    assert result.tasks[2].total_slack_minutes == -2 * DAY


def test_mfo_fixes_the_finish():
    result = schedule_plan(plan([_with(1, "MFO", on(2, 17))]))
    assert (result.tasks[1].start, result.tasks[1].finish) == (on(2, 8), on(2, 17))


def test_snlt_caps_the_start_when_honoured():
    the_plan = plan([task(1, 3), _with(2, "SNLT", on(1, 8))], [link(1, 2)])
    assert schedule_plan(the_plan).tasks[2].start == on(1, 8)
    the_plan.honor_constraints = False
    result = schedule_plan(the_plan)
    assert result.tasks[2].start == on(3, 8)
    assert result.tasks[2].total_slack_minutes == -2 * DAY


def test_fnlt_caps_the_late_finish():
    """Beside a 5-day task, a 1-day task that must finish by Tue has 1 day of slack."""
    result = schedule_plan(plan([task(1, 5), _with(2, "FNLT", on(1, 17))]))
    assert result.tasks[2].late_finish == on(1, 17)
    assert result.tasks[2].total_slack_minutes == DAY


def test_alap_schedules_at_the_late_dates():
    result = schedule_plan(plan([task(1, 5), _with(2, "ALAP", None)]))
    assert (result.tasks[2].start, result.tasks[2].finish) == (on(4, 8), on(4, 17))
    assert result.tasks[2].early_start == on(0, 8)


def test_deadline_limits_the_late_finish():
    """MS Project: a deadline acts on late finish (and so total slack), not on the dates."""
    result = schedule_plan(plan([task(1, 5), task(2, 1, deadline=on(2, 17))]))
    assert result.tasks[2].start == on(0, 8)
    assert result.tasks[2].total_slack_minutes == 2 * DAY


def test_missed_deadline_gives_negative_float():
    result = schedule_plan(plan([task(1, 3, deadline=on(1, 17))]))
    assert result.tasks[1].total_slack_minutes == -DAY
    assert result.tasks[1].critical


# --------------------------------------------------------------------------- summaries
def _summary_plan(extra_tasks=(), extra_links=()):
    tasks = [
        task(10, 0, "Phase", summary=True),
        task(11, 2, "A", parent_uid=10),
        task(12, 1, "B", parent_uid=10),
        *extra_tasks,
    ]
    return plan(tasks, [link(11, 12), *extra_links])


def test_summary_spans_its_children():
    result = schedule_plan(_summary_plan())
    assert (result.tasks[10].start, result.tasks[10].finish) == (on(0, 8), on(2, 17))


def test_link_into_a_summary_delays_all_its_children():
    the_plan = _summary_plan([task(1, 2, "Before")], [link(1, 10)])
    result = schedule_plan(the_plan)
    assert result.tasks[11].start == on(2, 8)
    assert result.tasks[10].start == on(2, 8)


def test_link_out_of_a_summary_uses_its_rolled_up_dates():
    the_plan = _summary_plan([task(2, 1, "After")], [link(10, 2, "SS", lag_days=1)])
    result = schedule_plan(the_plan)
    assert result.tasks[2].start == on(1, 8)
    the_plan.links[-1] = link(10, 2)
    assert schedule_plan(the_plan).tasks[2].start == on(3, 8)


def test_summary_late_dates_roll_up_from_children():
    the_plan = _summary_plan([task(3, 5, "Long")])
    result = schedule_plan(the_plan)
    assert result.tasks[10].late_start == result.tasks[11].late_start == on(2, 8)
    assert result.tasks[10].late_finish == on(4, 17)


# --------------------------------------------------------------------------- manual tasks
def test_manual_task_keeps_its_dates_and_drives_successors():
    manual = task(1, 1, manual=True, start=on(2, 8), finish=on(3, 17))
    result = schedule_plan(plan([manual, task(2, 1)], [link(1, 2)]))
    assert (result.tasks[1].start, result.tasks[1].finish) == (on(2, 8), on(3, 17))
    assert result.tasks[2].start == on(4, 8)


# --------------------------------------------------------------------------- progress
def test_completed_task_keeps_actual_dates_and_is_not_critical():
    done = task(1, 2, actual_start=on(0, 8), actual_finish=on(2, 17), percent_complete=100)
    result = schedule_plan(plan([done, task(2, 1)], [link(1, 2)]))
    assert (result.tasks[1].start, result.tasks[1].finish) == (on(0, 8), on(2, 17))
    assert not result.tasks[1].critical
    assert result.tasks[2].start == on(3, 8)


def test_remaining_work_is_scheduled_after_the_status_date():
    """4-day task, started Mon, 25 % done; status date Wed 17:00: 3 days remain from Thu,
    so it finishes Monday of the next week 17:00."""
    started = task(1, 4, actual_start=on(0, 8), percent_complete=25)
    result = schedule_plan(plan([started], status_date=on(2, 17)))
    assert result.tasks[1].start == on(0, 8)
    assert result.tasks[1].finish == on(7, 17)


def test_explicit_remaining_duration_wins_over_percent_complete():
    started = task(1, 4, actual_start=on(0, 8), percent_complete=25, remaining_duration_minutes=DAY)
    result = schedule_plan(plan([started], status_date=on(2, 17)))
    assert result.tasks[1].finish == on(3, 17)


def test_unstarted_tasks_start_after_the_status_date():
    result = schedule_plan(plan([task(1, 1)], status_date=on(2, 12)))
    assert result.tasks[1].start == on(2, 13)


# --------------------------------------------------------------------------- cycles
def test_cycle_error_names_the_tasks_in_the_loop():
    the_plan = plan(
        [task(1, 1, "Design"), task(2, 1, "Build"), task(3, 1, "Test")],
        [link(1, 2), link(2, 3), link(3, 1)],
    )
    with pytest.raises(ScheduleCycleError) as caught:
        schedule_plan(the_plan)
    assert str(caught.value) == "Task 'Design' depends on itself through 'Build' → 'Test'"
    assert caught.value.cycle == [1, 2, 3]


def test_cycle_through_a_summary_and_its_child_is_refused():
    the_plan = _summary_plan(extra_links=[link(10, 11)])
    with pytest.raises(ScheduleCycleError):
        schedule_plan(the_plan)


def test_self_link_is_a_cycle():
    with pytest.raises(ScheduleCycleError, match="'Solo' depends on itself"):
        schedule_plan(plan([task(1, 1, "Solo")], [link(1, 1)]))


# --------------------------------------------------------------------------- drivers, re-runs
def test_driving_predecessor_is_the_one_that_sets_the_start():
    the_plan = plan([task(1, 2), task(2, 1), task(3, 1)], [link(1, 3), link(2, 3)])
    result = schedule_plan(the_plan)
    assert driving_predecessors(result, 3) == [1]


def test_rescheduling_after_an_edit_equals_a_fresh_schedule():
    the_plan, uid = _reliable_plan()
    scheduler = Scheduler(the_plan)
    scheduler.schedule()
    scheduler.update_task(uid["D"], duration_minutes=12 * DAY)
    again = scheduler.schedule()
    fresh = schedule_plan(dataclasses.replace(the_plan))
    assert again == fresh
    assert [u for u in again.critical_path][:4] == [uid[n] for n in "ABCD"]


def test_direct_plan_edits_need_a_refresh():
    the_plan = plan([task(1, 1), task(2, 1)], [link(1, 2)])
    scheduler = Scheduler(the_plan)
    the_plan.tasks[0].duration_minutes = 3 * DAY
    scheduler.refresh()
    assert scheduler.schedule().tasks[2].start == on(3, 8)
    scheduler.update_link(0, lag_minutes=DAY)
    assert scheduler.schedule().tasks[2].start == on(4, 8)
    scheduler.update_task(2, constraint=ConstraintType.SNET, constraint_date=on(7, 8))
    assert scheduler.schedule().tasks[2].start == on(7, 8)
    assert scheduler.schedule() == schedule_plan(the_plan)
