"""Rules the plan's pages, API and status reports share: who may update progress, setting
a task's predecessors, milestones at risk and baseline variances."""

from __future__ import annotations

import datetime as dt

import pytest

from steerco.accounts.rules import may_update_progress
from steerco.core.exceptions import DomainError
from steerco.engine.interop.tasklist import parse_predecessors
from steerco.plans import services
from steerco.plans.models import Baseline, TaskLink
from steerco.plans.selectors import baseline_comparison, milestone_statuses

MONDAY = dt.datetime(2026, 1, 5, 8, 0)
DAY = 480


@pytest.fixture
def plan(org):
    """Design (2d) → Build (3d) → Launch (milestone), from Monday 5 January 2026."""
    settings = services.plan_settings(org.alpha)
    services.plan_update(
        actor=org.mary, project=org.alpha, expected_version=settings.version, start=MONDAY
    )
    design = services.task_create(
        actor=org.mary, project=org.alpha, name="Design", duration_minutes=2 * DAY
    )
    build = services.task_create(
        actor=org.mary, project=org.alpha, name="Build", duration_minutes=3 * DAY
    )
    launch = services.task_create(actor=org.mary, project=org.alpha, name="Launch", milestone=True)
    services.link_create(actor=org.mary, project=org.alpha, predecessor=design, successor=build)
    services.link_create(actor=org.mary, project=org.alpha, predecessor=build, successor=launch)
    return design, build, launch


def test_a_team_member_may_update_progress_of_their_own_task_only(org):
    tom = {org.people["tom"].pk}
    others = {org.people["priya"].pk}

    assert may_update_progress(org.tom, org.alpha, assigned_person_ids=tom)
    assert may_update_progress(org.tom, org.alpha, assigned_person_ids=tom | others)
    assert not may_update_progress(org.tom, org.alpha, assigned_person_ids=others)
    assert not may_update_progress(org.tom, org.alpha, assigned_person_ids=set())
    assert not may_update_progress(org.tom, org.beta, assigned_person_ids=tom)
    assert not may_update_progress(org.olga, org.alpha, assigned_person_ids=tom)


def test_setting_predecessors_replaces_the_links_in_one_change(org, plan):
    design, _build, launch = plan
    wanted = [(design, entry) for entry in parse_predecessors("1SS+1d")]

    services.task_predecessors_set(actor=org.priya, task=launch, predecessors=wanted)

    links = TaskLink.objects.filter(successor=launch)
    assert [(link.predecessor_id, link.type, link.lag_minutes) for link in links] == [
        (design.pk, TaskLink.Type.SS, DAY)
    ]
    reasons = set(
        TaskLink.history.filter(successor_id=launch.pk, history_user=org.priya).values_list(
            "history_change_reason", flat=True
        )
    )
    assert reasons == {"Set the predecessors of task 'Launch'"}


def test_setting_predecessors_that_make_a_loop_changes_nothing(org, plan):
    design, _build, launch = plan

    with pytest.raises(DomainError):
        services.task_predecessors_set(
            actor=org.priya,
            task=design,
            predecessors=[(launch, entry) for entry in parse_predecessors("3")],
        )

    assert not TaskLink.objects.filter(successor=design).exists()


def test_a_milestone_past_its_deadline_is_at_risk(org, plan):
    *_tasks, launch = plan
    services.task_update(
        actor=org.mary,
        task=launch,
        expected_version=launch.version,
        deadline=dt.datetime(2026, 1, 8, 17, 0),
    )

    (status,) = milestone_statuses(project=org.alpha, baseline_number=None)

    assert status.finish == dt.datetime(2026, 1, 9, 17, 0)
    assert status.at_risk
    assert status.reasons == ["forecast 1 working day after its deadline of 08 Jan 2026"]


def test_a_slip_shows_as_late_against_the_baseline(org, plan):
    design, build, launch = plan
    services.baseline_save(actor=org.mary, project=org.alpha, number=0)
    design.refresh_from_db()
    services.task_update(
        actor=org.mary, task=design, expected_version=design.version, duration_minutes=3 * DAY
    )

    comparison = baseline_comparison(
        project=org.alpha, baseline=Baseline.objects.get(project=org.alpha, number=0)
    )

    assert comparison.slipped == 3
    assert comparison.variances[0].finish_minutes == DAY
    assert {row.task.pk for row in comparison.variances} == {design.pk, build.pk, launch.pk}
    (milestone,) = milestone_statuses(project=org.alpha, baseline_number=0)
    assert milestone.variance_minutes == DAY
