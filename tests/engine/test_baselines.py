"""Baselines 0–10 and variances in working minutes."""

from __future__ import annotations

import pytest

from steerco.engine.scheduling import schedule_plan
from steerco.engine.scheduling.baselines import Baselines

from .helpers import DAY, link, plan, task


def test_variance_against_a_saved_baseline():
    """Design slips from 2 to 3 days: Build starts and finishes a day later; its own
    duration is unchanged."""
    the_plan = plan([task(1, 2, "Design"), task(2, 1, "Build")], [link(1, 2)])
    baselines = Baselines(the_plan.calendar)
    baselines.save(schedule_plan(the_plan), 0)
    the_plan.tasks[0].duration_minutes = 3 * DAY
    variances = baselines.variances(schedule_plan(the_plan), 0)
    assert (variances[1].start_minutes, variances[1].finish_minutes) == (0, DAY)
    assert variances[1].duration_minutes == DAY
    assert (variances[2].start_minutes, variances[2].finish_minutes) == (DAY, DAY)
    assert variances[2].duration_minutes == 0


def test_eleven_numbered_baselines_are_kept_apart():
    the_plan = plan([task(1, 1)])
    baselines = Baselines(the_plan.calendar)
    for number in range(11):
        the_plan.tasks[0].duration_minutes = (number + 1) * DAY
        baselines.save(schedule_plan(the_plan), number)
    current = schedule_plan(the_plan)  # 11 days
    assert baselines.variances(current, 10)[1].duration_minutes == 0
    assert baselines.variances(current, 0)[1].duration_minutes == 10 * DAY


def test_only_numbers_0_to_10_exist():
    baselines = Baselines(plan([task(1, 1)]).calendar)
    with pytest.raises(ValueError):
        baselines.save(schedule_plan(plan([task(1, 1)])), 11)
    with pytest.raises(KeyError):
        baselines.variances(schedule_plan(plan([task(1, 1)])), 3)


def test_variances_match_ms_project_for_baseline_0(shared):
    """task-baselines-project2019-mspdi.xml: MS Project saved StartVariance/FinishVariance
    (tenths of a minute) against baseline 0 for tasks whose baseline 0 has a start or finish
    (e.g. baseline finish 2014-03-01 09:00 against 2018-10-18 17:00: 580,320 minutes)."""
    from steerco.engine.interop.mspdi import baselines_of, read_mspdi

    project = read_mspdi(shared.file("mspdi", "task-baselines-project2019-mspdi.xml").read_bytes())
    variances = baselines_of(project).variances(schedule_plan(project.plan), 0)
    compared = 0
    for uid, variance in variances.items():
        expected = project.ms_project[uid]
        if variance.start_minutes is not None:
            assert variance.start_minutes == expected.start_variance_minutes
            compared += 1
        if variance.finish_minutes is not None:
            assert variance.finish_minutes == expected.finish_variance_minutes
            compared += 1
    assert compared >= 4
