"""Milestone statuses and the project's outlook, against cases worked by hand on a wall
calendar for 2026 (England's public holidays: May Day is Monday 4 May).

The plan: Work (5 days) → Gate (a milestone), from Monday 27 April 2026 08:00 on an
England calendar. Work finishes Friday 1 May 17:00; so does Gate.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from steerco.plans import services
from steerco.plans.calendars import services as calendars
from steerco.plans.models import PlanOutlook, Task, TaskLink
from steerco.plans.selectors import MilestoneState, milestone_statuses, project_outlook
from steerco.projects.services import project_update

START = dt.datetime(2026, 4, 27, 8, 0)
DAY = 480


@pytest.fixture
def plan(org):
    project = org.alpha
    england = calendars.calendar_create(
        actor=org.mary, project=project, name="England", country="GB", subdivision="ENG"
    )
    calendars.project_calendar_set(actor=org.mary, project=project, calendar=england)
    settings = services.plan_settings(project)
    services.plan_update(
        actor=org.mary, project=project, expected_version=settings.version, start=START
    )
    work = services.task_create(
        actor=org.mary, project=project, name="Work", duration_minutes=5 * DAY
    )
    gate = services.task_create(actor=org.mary, project=project, name="Gate", milestone=True)
    services.link_create(actor=org.mary, project=project, predecessor=work, successor=gate)
    return project, work, gate


def lengthen(org, task: Task, days: int) -> None:
    task.refresh_from_db()
    services.task_update(
        actor=org.mary, task=task, expected_version=task.version, duration_minutes=days * DAY
    )


def only_milestone(project, **kwargs):
    (status,) = milestone_statuses(project=project, **kwargs)
    return status


# --- milestones -------------------------------------------------------------------------


def test_a_milestone_ten_working_days_late_across_weekends_and_a_holiday_is_10_days_late(org, plan):
    """Baseline 0: Gate on Friday 1 May. Work grows from 5 to 15 days: Mon 27 Apr–Fri 1 May
    (5), Tue 5–Fri 8 May (4, Monday 4 May is May Day), Mon 11–Fri 15 (5), Mon 18 (1): Gate
    on Monday 18 May, 17 calendar days later but 10 working days."""
    project, work, _gate = plan
    services.baseline_save(actor=org.mary, project=project, number=0)

    lengthen(org, work, 15)

    status = only_milestone(project)
    assert status.finish == dt.datetime(2026, 5, 18, 17, 0)
    assert status.baseline_finish == dt.datetime(2026, 5, 1, 17, 0)
    assert status.days_late == 10
    assert status.state == MilestoneState.LATE
    assert status.label == "Late"
    assert status.sentence == "Late against baseline 0 by 10 working days."


def test_a_milestone_on_its_baseline_date_is_on_track(org, plan):
    project, _work, _gate = plan
    services.baseline_save(actor=org.mary, project=project, number=0)

    status = only_milestone(project)

    assert (status.state, status.days_late) == (MilestoneState.ON_TRACK, 0)
    assert status.sentence == "On track: on its baseline 0 date."


def test_without_baseline_0_a_milestone_says_there_is_no_baseline(org, plan):
    project, _work, _gate = plan
    services.baseline_save(actor=org.mary, project=project, number=3)

    status = only_milestone(project)

    assert status.baseline_number is None and status.days_late is None
    assert status.state == MilestoneState.ON_TRACK
    assert status.sentence == "On track: no baseline to compare with."


def test_a_milestone_past_its_deadline_is_at_risk_by_working_days(org, plan):
    """Deadline Thursday 30 April; forecast Friday 1 May: 1 working day after it."""
    project, _work, gate = plan
    gate.refresh_from_db()
    services.task_update(
        actor=org.mary,
        task=gate,
        expected_version=gate.version,
        deadline=dt.datetime(2026, 4, 30, 17, 0),
    )

    status = only_milestone(project)

    assert status.state == MilestoneState.AT_RISK
    assert status.reasons == ["forecast 1 working day after its deadline of 30 Apr 2026"]
    assert status.sentence == (
        "At risk: forecast 1 working day after its deadline of 30 Apr 2026. "
        "No baseline to compare with."
    )


def test_a_must_finish_on_date_its_predecessors_cannot_meet_puts_the_milestone_at_risk(org, plan):
    """Gate must finish on Wednesday 29 April; Work ends Friday 1 May. Honouring the
    constraint keeps Gate on the 29th; as in Microsoft Project its finish slack is counted
    from where the links would put it, so its total slack is -2 working days, and the
    reason names the constraint the predecessors cannot meet."""
    project, _work, gate = plan
    gate.refresh_from_db()
    services.task_update(
        actor=org.mary,
        task=gate,
        expected_version=gate.version,
        constraint_type=Task.Constraint.MFO,
        constraint_date=dt.datetime(2026, 4, 29, 17, 0),
    )

    status = only_milestone(project)

    assert status.finish == dt.datetime(2026, 4, 29, 17, 0)
    assert status.total_float_minutes == -2 * DAY
    assert status.state == MilestoneState.AT_RISK
    assert status.reasons == [
        "its predecessors would move it 2 working days past its “must finish on” date"
    ]


def test_negative_slack_puts_a_milestone_at_risk_when_nothing_else_explains_it(org, plan):
    """Handover (1 day) follows Gate and is due by Wednesday 29 April; it would finish
    Tuesday 5 May, 3 working days late, so Gate, before it, has 3 days of negative slack
    though it has no deadline or constraint of its own."""
    project, _work, gate = plan
    handover = services.task_create(
        actor=org.mary,
        project=project,
        name="Handover",
        duration_minutes=DAY,
        deadline=dt.datetime(2026, 4, 29, 17, 0),
    )
    services.link_create(actor=org.mary, project=project, predecessor=gate, successor=handover)

    status = only_milestone(project)

    assert status.state == MilestoneState.AT_RISK
    assert status.total_float_minutes == -3 * DAY
    assert status.reasons == ["negative total slack of -3d: a date it depends on cannot be met"]


def test_a_reached_milestone_is_done_whatever_its_slip(org, plan):
    project, work, gate = plan
    services.baseline_save(actor=org.mary, project=project, number=0)
    lengthen(org, work, 6)
    gate.refresh_from_db()
    services.task_update(
        actor=org.mary, task=gate, expected_version=gate.version, percent_complete=100
    )

    status = only_milestone(project)

    assert status.state == MilestoneState.DONE
    assert status.sentence == (
        "Done: reached on 05 May 2026, late against baseline 0 by 1 working day."
    )


# --- the project's outlook --------------------------------------------------------------


def test_outlook_gives_each_slip_in_working_days_with_its_reason(org, plan):
    """Baseline 0 finishes Fri 1 May; Work grows to 15 days: forecast Mon 18 May, 10
    working days late. The planned finish typed in is Friday 8 May: Mon 11–Fri 15 and
    Mon 18 are 6 working days."""
    project, work, _gate = plan
    services.baseline_save(actor=org.mary, project=project, number=0)
    lengthen(org, work, 15)
    project = project_update(
        actor=org.bob,
        project=project,
        expected_version=project.version,
        planned_finish=dt.date(2026, 5, 8),
    )

    outlook = project_outlook(project=project)

    assert outlook.forecast_finish == dt.date(2026, 5, 18)
    assert outlook.baseline.date == dt.date(2026, 5, 1)
    assert outlook.baseline.days_late == 10
    assert outlook.baseline.sentence == "10 working days late against baseline 0"
    assert outlook.planned.days_late == 6
    assert outlook.planned.sentence == "6 working days late against the planned finish"
    assert outlook.rag == "amber"
    assert outlook.rag_reason == (
        "Amber: forecast finish 10 working days after baseline 0 (tolerance 5)"
    )
    assert [status.task.name for status in outlook.milestones] == ["Gate"]


@pytest.mark.parametrize(
    ("days", "rag", "reason"),
    [
        (5, "green", "Green: forecast finish on baseline 0"),
        (
            8,
            "green",
            "Green: forecast finish 3 working days after baseline 0, within the tolerance of "
            "5 working days",
        ),
        (30, "red", "Red: forecast finish 25 working days after baseline 0 (amber up to 20)"),
    ],
)
def test_the_schedule_rag_follows_the_tolerances(org, plan, days, rag, reason):
    """Work of 8 days ends Thu 7 May: 3 working days after Fri 1 May (Mon 4 May off); of
    30 days, Tue 9 June: 25 working days (Mon 25 May, the spring bank holiday, off)."""
    project, work, _gate = plan
    services.baseline_save(actor=org.mary, project=project, number=0)
    if days != 5:
        lengthen(org, work, days)

    outlook = project_outlook(project=project)

    assert (outlook.rag, outlook.rag_reason) == (rag, reason)


def test_tolerances_come_from_settings(org, plan, settings):
    settings.STEERCO_SCHEDULE_GREEN_DAYS = 0
    settings.STEERCO_SCHEDULE_AMBER_DAYS = 2
    project, work, _gate = plan
    services.baseline_save(actor=org.mary, project=project, number=0)
    lengthen(org, work, 8)

    outlook = project_outlook(project=project)

    assert outlook.rag_reason == (
        "Red: forecast finish 3 working days after baseline 0 (amber up to 2)"
    )


def test_without_baseline_0_the_rag_is_judged_on_the_planned_finish(org, plan):
    """The planned finish typed in for ALPHA is Friday 18 December 2026; the forecast,
    Friday 1 May, is well before it."""
    project, _work, _gate = plan

    outlook = project_outlook(project=project)

    assert outlook.baseline.sentence == "No baseline 0 saved"
    assert outlook.planned.days_late < 0
    assert outlook.rag == "green"
    assert outlook.rag_reason.startswith("Green: forecast finish ")
    assert outlook.rag_reason.endswith(" working days before the planned finish")


def test_without_a_baseline_or_a_planned_finish_the_rag_is_not_assessed(org):
    project = org.beta  # no planned finish
    services.task_create(actor=org.mary, project=project, name="Work")

    outlook = project_outlook(project=project)

    assert outlook.rag == "not_assessed"
    assert outlook.rag_reason == (
        "Not assessed: there is neither a baseline 0 nor a planned finish to compare the "
        "forecast finish with."
    )


def test_a_project_without_a_plan_or_closed_is_not_assessed(org, plan):
    assert project_outlook(project=org.gamma).rag_reason == (
        "Not assessed: the project has no plan yet."
    )
    project, _work, _gate = plan
    project = project_update(
        actor=org.bob, project=project, expected_version=project.version, status="closed"
    )
    assert project_outlook(project=project).rag_reason == "Not assessed: the project is closed."


def test_percent_complete_is_the_whole_plans_rounded_to_a_whole_percent(org, plan):
    """Work (5 days) at 77.5% and the milestone at 0%: (2400 × 77.5 + 0) / 2400 = 77.5,
    which rounds half up to 78."""
    project, work, _gate = plan
    work.refresh_from_db()
    services.task_update(
        actor=org.mary, task=work, expected_version=work.version, percent_complete="77.5"
    )

    assert project_outlook(project=project).percent_complete == 78


def test_an_unschedulable_plan_gives_its_reason_instead_of_a_forecast(org, plan):
    project, work, gate = plan
    # A loop the services would refuse, as a database edited by hand could hold.
    TaskLink.objects.create(project=project, predecessor=gate, successor=work)

    outlook = project_outlook(project=project)

    assert outlook.forecast_finish is None
    assert outlook.rag == "not_assessed"
    assert outlook.rag_reason.startswith("Not assessed: the plan cannot be scheduled.")
    assert "Work" in outlook.error


# --- the stored outlook that lists read -------------------------------------------------


def test_every_schedule_changing_write_stores_the_outlook(org, plan):
    project, work, gate = plan
    assert PlanOutlook.objects.get(project=project).forecast_finish == dt.date(2026, 5, 1)

    services.baseline_save(actor=org.mary, project=project, number=0)
    assert PlanOutlook.objects.get(project=project).baseline_finish == dt.date(2026, 5, 1)

    lengthen(org, work, 15)
    stored = PlanOutlook.objects.get(project=project)
    assert (stored.forecast_finish, stored.baseline_days_late) == (dt.date(2026, 5, 18), 10)

    link = TaskLink.objects.get(predecessor=work, successor=gate)
    services.link_delete(actor=org.mary, link=link, expected_version=link.version)
    assert PlanOutlook.objects.get(project=project).forecast_finish == dt.date(2026, 5, 18)

    work.refresh_from_db()
    services.task_delete(actor=org.mary, task=work, expected_version=work.version)
    assert PlanOutlook.objects.get(project=project).forecast_finish == dt.date(2026, 4, 27)


def test_lists_read_stored_outlooks_without_scheduling(org, plan, monkeypatch):
    project, work, _gate = plan
    services.baseline_save(actor=org.mary, project=project, number=0)
    lengthen(org, work, 15)

    def no_scheduling(*args, **kwargs):
        raise AssertionError("a list must not schedule a plan whose outlook is stored")

    monkeypatch.setattr(services, "schedule_plan", no_scheduling)
    with CaptureQueriesContext(connection) as queries:
        outlooks = services.project_outlooks(projects=[project])

    assert len(queries) == 1
    assert outlooks[project.pk].rag_reason == (
        "Amber: forecast finish 10 working days after baseline 0 (tolerance 5)"
    )


def test_a_list_recomputes_an_outlook_counted_from_an_old_planned_finish(org, plan):
    """The planned finish is the projects app's, edited without the plans app knowing:
    the stored slip against it is recounted when the list reads it."""
    project, _work, _gate = plan
    project = project_update(
        actor=org.bob,
        project=project,
        expected_version=project.version,
        planned_finish=dt.date(2026, 4, 29),
    )

    outlook = services.project_outlooks(projects=[project])[project.pk]

    assert outlook.planned.days_late == 2
    assert PlanOutlook.objects.get(project=project).planned_finish == dt.date(2026, 4, 29)


def test_a_list_computes_a_missing_outlook_without_creating_plan_settings(org):
    from steerco.plans.models import ProjectPlan

    outlook = services.project_outlooks(projects=[org.gamma])[org.gamma.pk]

    assert outlook.rag_reason == "Not assessed: the project has no plan yet."
    assert PlanOutlook.objects.filter(project=org.gamma).exists()
    assert not ProjectPlan.objects.filter(project=org.gamma).exists()
