"""Properties that hold for any network, checked on random plans with hypothesis."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steerco.engine.scheduling import (
    ConstraintType,
    Link,
    LinkType,
    Plan,
    Scheduler,
    Task,
    cpm,
    schedule_plan,
)

START = dt.datetime(2024, 5, 6, 8, 0)
DAY = 480


@st.composite
def networks(draw, *, max_tasks: int = 30, rich: bool = False) -> Plan:
    """Acyclic plans: links only go from a lower to a higher task number.

    ``rich`` adds summaries, constraints, milestones, manual tasks and progress.
    """
    count = draw(st.integers(1, max_tasks))
    tasks = []
    for uid in range(1, count + 1):
        minutes = draw(st.sampled_from([0, 60, 240, DAY, 2 * DAY, 3 * DAY + 120, 5 * DAY]))
        tasks.append(
            Task(uid=uid, name=f"T{uid}", duration_minutes=minutes, milestone=minutes == 0)
        )
    links = []
    for successor in range(2, count + 1):
        for predecessor in draw(st.lists(st.integers(1, successor - 1), max_size=3, unique=True)):
            links.append(
                Link(
                    predecessor,
                    successor,
                    draw(st.sampled_from(list(LinkType))),
                    draw(st.sampled_from([0, 0, 0, 60, DAY, 2 * DAY, -DAY // 2, -DAY])),
                )
            )
    plan = Plan(tasks=tasks, links=links, start=START)
    if rich:
        _enrich(draw, plan)
    return plan


def _enrich(draw, plan: Plan) -> None:
    tasks = plan.tasks
    linked = {link.successor_uid for link in plan.links} | {
        link.predecessor_uid for link in plan.links
    }
    unlinked = [task for task in tasks if task.uid not in linked]
    if len(unlinked) >= 2:  # a summary over some unlinked tasks, with its own links
        summary, *inside = unlinked[: draw(st.integers(2, min(4, len(unlinked))))]
        summary.summary = True
        for task in inside:
            task.parent_uid = summary.uid
    for task in tasks:
        if task.summary or task.parent_uid is not None:
            continue
        choice = draw(st.integers(0, 12))
        if choice == 1:
            task.constraint = draw(st.sampled_from(list(ConstraintType)))
            task.constraint_date = START + dt.timedelta(days=draw(st.integers(0, 20)), hours=1)
        elif choice == 2:
            task.deadline = START + dt.timedelta(days=draw(st.integers(0, 20)), hours=9)
        elif choice == 3:
            task.manual = True
            task.start = START + dt.timedelta(days=draw(st.integers(0, 5)))
            task.finish = task.start + dt.timedelta(days=1, hours=9)
        elif choice == 4:
            task.actual_start = START
            task.percent_complete = draw(st.sampled_from([25.0, 50.0, 100.0]))
            if task.percent_complete == 100.0:
                task.actual_finish = START + dt.timedelta(days=2, hours=9)
    if draw(st.booleans()):
        plan.status_date = START + dt.timedelta(days=draw(st.integers(0, 9)), hours=4)
    plan.honor_constraints = draw(st.booleans())


def _position(plan: Plan, moment: dt.datetime) -> int:
    return plan.calendar.position(moment)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_every_dependency_is_respected_with_its_lag(plan: Plan) -> None:
    result = schedule_plan(plan)
    for link in plan.links:
        pred, succ = result.tasks[link.predecessor_uid], result.tasks[link.successor_uid]
        source = pred.early_finish if link.type in (LinkType.FS, LinkType.FF) else pred.early_start
        target = succ.early_start if link.type in (LinkType.FS, LinkType.SS) else succ.early_finish
        assert _position(plan, target) >= _position(plan, source) + link.lag_minutes
    for scheduled in result.tasks.values():
        assert scheduled.early_start >= plan.start


@settings(max_examples=100, deadline=None)
@given(networks())
def test_float_is_never_negative_without_constraints(plan: Plan) -> None:
    """Without constraints no slack is negative. Free slack is not bounded by total slack (MS
    Project computes the two independently): a task whose FF link with a lead feeds a milestone
    held at the project start can slip without moving the milestone, yet finishes the project."""
    result = schedule_plan(plan)
    for scheduled in result.tasks.values():
        assert scheduled.total_slack_minutes >= 0
        assert scheduled.free_slack_minutes >= 0
        assert scheduled.total_slack_minutes == min(
            scheduled.start_slack_minutes, scheduled.finish_slack_minutes
        )
    assert not result.warnings


@settings(max_examples=100, deadline=None)
@given(networks(rich=True))
def test_free_slack_is_never_negative(plan: Plan) -> None:
    """Whatever constraints, deadlines and progress do to total slack, free slack stays >= 0."""
    result = schedule_plan(plan)
    assert all(scheduled.free_slack_minutes >= 0 for scheduled in result.tasks.values())


@settings(max_examples=100, deadline=None)
@given(networks())
def test_critical_path_runs_from_project_start_to_finish(plan: Plan) -> None:
    result = schedule_plan(plan)
    critical = [result.tasks[uid] for uid in result.critical_path]
    assert critical
    assert min(_position(plan, t.early_start) for t in critical) == _position(plan, result.start)
    assert max(_position(plan, t.early_finish) for t in critical) == _position(plan, result.finish)


@settings(max_examples=60, deadline=None)
@given(networks(rich=True))
def test_rescheduling_is_deterministic(plan: Plan) -> None:
    scheduler = Scheduler(plan)
    first = scheduler.schedule()
    assert scheduler.schedule() == first
    assert schedule_plan(dataclasses.replace(plan)) == first


@settings(max_examples=60, deadline=None)
@given(networks(max_tasks=40, rich=True))
def test_whole_array_path_equals_the_task_by_task_path(plan: Plan) -> None:
    """The numpy path for wide waves and the per-task path implement the same rules."""
    saved = cpm.VECTOR_MIN
    try:
        cpm.VECTOR_MIN = 0
        vectorised = schedule_plan(plan)
        cpm.VECTOR_MIN = 10**9
        task_by_task = schedule_plan(plan)
    finally:
        cpm.VECTOR_MIN = saved
    assert vectorised == task_by_task
    assert vectorised.critical_path == task_by_task.critical_path
