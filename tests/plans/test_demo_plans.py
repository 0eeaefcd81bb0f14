"""The demo organisation's plans: real schedules with a baseline and reported progress."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from steerco.accounts.models import User
from steerco.demo.organisation import load_demo_organisation
from steerco.demo.plans import CONSULTANT, PLANS
from steerco.plans.adapters import engine_plan, plan_inputs
from steerco.plans.models import Baseline, Task, TaskAssignment
from steerco.plans.selectors import (
    baseline_engine,
    plan_settings_get,
    plan_view,
    tasks_assigned_to,
)
from steerco.projects.models import Project


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for this module (it takes seconds), and empty the database after.

    Each test still runs in its own transaction, rolled back, on top of the loaded demo.
    """
    from django.core.management import call_command
    from django.test import override_settings

    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        load_demo_organisation()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


pytestmark = pytest.mark.django_db


def test_every_outlined_project_gets_a_schedulable_plan_of_100_to_300_tasks(demo):
    for code in PLANS:
        project = Project.objects.get(code=code)
        view = plan_view(project=project)
        assert view.error is None, code
        assert 100 <= len(view.rows) <= 300, (code, len(view.rows))
        # Finished work is never critical (as in MS Project), so a closed project has none.
        assert view.schedule.critical_path or project.status == Project.Status.CLOSED, code
        # Phases hold work packages which hold tasks: a three-level outline.
        assert any(row.summary for row in view.rows), code
        assert max(row.task.outline_level for row in view.rows) == 3, code
        first_phase = view.rows[0]
        assert first_phase.summary and first_phase.task.wbs == "1", code
        assert Baseline.objects.filter(project=project, number=0).exists(), code


def test_active_projects_report_progress_at_the_status_date(demo):
    project = Project.objects.get(code="CRM")
    view = plan_view(project=project)
    status_date = view.settings.status_date
    assert status_date is not None and status_date.weekday() == 4  # a Friday evening
    results = {row.task.uid: row.result for row in view.rows}
    leaves = [row for row in view.rows if not row.summary and row.task.duration_minutes]
    done = [row for row in leaves if row.task.percent_complete == 100]
    partial = [row for row in leaves if 0 < row.task.percent_complete < 100]
    assert done and partial
    for row in done:
        assert row.task.actual_finish is not None
        assert row.task.actual_finish <= status_date
    for row in partial:
        assert results[row.task.uid].start <= status_date


def test_some_work_slipped_against_the_approved_plan(demo):
    project = Project.objects.get(code="DATAPLAT")
    view = plan_view(project=project)
    variances = baseline_engine(project=project, inputs=view.inputs).variances(view.schedule, 0)
    assert any(v.duration_minutes > 0 for v in variances.values())


def test_closed_project_is_complete(demo):
    project = Project.objects.get(code="DCEXIT")
    leaves = Task.objects.filter(project=project, children__isnull=True, duration_minutes__gt=0)
    assert leaves.exists()
    assert not leaves.exclude(percent_complete=100).exists()


def test_team_members_have_tasks_to_update(demo):
    tom_tasks = Task.objects.filter(project__code="CRM", assignments__person__user__username="tom")
    assert tom_tasks.exists()


def test_demo_plans_assign_several_people_some_part_time(demo):
    for code in PLANS:
        rows = TaskAssignment.objects.filter(task__project__code=code)
        if Project.objects.get(code=code).memberships.filter(role="team_member").count() < 2:
            continue
        assert rows.values("person").distinct().count() >= 2, code
        assert rows.filter(units=Decimal("0.5")).exists(), code
        # Only the supplier's consultant is known by name alone.
        assert set(rows.filter(person__isnull=True).values_list("resource_name", flat=True)) <= {
            CONSULTANT
        }
        half = rows.filter(units=Decimal("0.5")).select_related("task").first()
        assert half.work_minutes == half.task.duration_minutes // 2


def test_tom_has_open_tasks_this_week_on_my_work(demo):
    """The demo's team members log in to real work: Tom's My work lists tasks running
    this week, from his assignments."""
    tom = User.objects.get(username="tom")
    mine = tasks_assigned_to(user=tom, person=tom.person)
    monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
    friday = monday + dt.timedelta(days=4)
    this_week = [
        item for item in mine if item.start.date() <= friday and item.finish.date() >= monday
    ]
    assert this_week, [(item.task.name, item.start, item.finish) for item in mine]
    assert all(item.task.percent_complete < 100 for item in mine)


def test_plans_start_on_the_project_start_and_loading_again_changes_nothing(demo):
    project = Project.objects.get(code="NETREFRESH")
    view = plan_view(project=project)
    # Planned to start Monday 4 May 2026, the Early May bank holiday in England: the plan's
    # UK calendar moves the first working minute to Tuesday.
    assert project.planned_start == dt.date(2026, 5, 4)
    assert view.start == dt.datetime(2026, 5, 5, 8, 0)
    count = Task.objects.count()
    load_demo_organisation()
    assert Task.objects.count() == count


def test_reported_progress_is_in_the_history_by_its_reporter_at_the_status_date(demo):
    from django.utils import timezone

    from steerco.projects.selectors import project_history

    project = Project.objects.get(code="CRM")
    status_date = plan_view(project=project).settings.status_date
    reported = timezone.make_aware(status_date)
    done = Task.objects.filter(project=project, percent_complete=100)
    assert done.exists()
    for task in done:
        latest = task.history.order_by("-history_date", "-history_id").first()
        assert latest.percent_complete == 100, task.name
        assert latest.history_date == reported, task.name
        assert latest.history_user.username == "mary", task.name  # CRM's project support
    # The project's history tells the plan's story in order: made, baselined, then reported.
    history = project_history(project_id=project.pk)
    reasons = [entry.reason for entry in history if entry.reason]
    progress = reasons.index(f"Progress reported at {status_date:%d %b %Y}")
    assert progress < reasons.index("Imported from crm.json")
    assert all(entry.when <= timezone.now() for entry in history)


def test_each_projects_computed_schedule_tells_its_story(demo):
    """The slips since approval (demo.plans.SLIPS) make the schedule's RAG agree with each
    project's description: on track, amber for a stated reason, red while on hold."""
    from steerco.plans.services import project_outlooks

    projects = list(Project.objects.all())
    by_id = project_outlooks(projects=projects)
    outlooks = {project.code: by_id[project.pk] for project in projects}
    for code in ("CRM", "NETREFRESH", "PAYROLL"):
        assert outlooks[code].rag == "green", (code, outlooks[code].rag_reason)
    assert outlooks["DATAPLAT"].rag == outlooks["RETENTION"].rag == "amber"
    assert outlooks["HQMOVE"].rag == "red"
    for code in ("PORTAL", "CLIMATE"):
        assert outlooks[code].rag_reason == "Not assessed: the project has no plan yet."
    assert outlooks["DCEXIT"].rag_reason == "Not assessed: the project is closed."
    # Every amber or red slip has its reason in the project's history.
    from steerco.projects.selectors import project_history

    dataplat = Project.objects.get(code="DATAPLAT")
    reasons = {entry.reason for entry in project_history(project_id=dataplat.pk)}
    assert "Finance asked to accept the reports over two month-end cycles, not one" in reasons


def test_a_milestone_promised_to_the_regulator_is_at_risk(demo):
    from steerco.plans.selectors import MilestoneState, milestone_statuses

    statuses = {
        status.task.name: status
        for status in milestone_statuses(project=Project.objects.get(code="RETENTION"))
    }
    promised = statuses["Policy applied in all systems"]
    assert promised.state == MilestoneState.AT_RISK
    assert "after its deadline" in promised.reason


def test_tom_has_open_crm_tasks_this_week(demo):
    """Tom, a team member who logs in, has unfinished CRM work running in the demo's
    current week, so his My work page has something to update."""
    from django.contrib.auth import get_user_model

    from steerco.plans.selectors import tasks_assigned_to

    today = dt.date.today()
    crm = Project.objects.get(code="CRM")
    assert crm.planned_start <= today <= crm.planned_finish, "the demo CRM runs now"
    monday = today - dt.timedelta(days=today.weekday())
    friday = monday + dt.timedelta(days=4)
    tom = get_user_model().objects.get(username="tom")
    this_week = [
        item
        for item in tasks_assigned_to(user=tom, person=tom.person)
        if item.start.date() <= friday and item.finish.date() >= monday
    ]
    assert this_week, "Tom has no open task this week"
    assert all(item.project_code == "CRM" for item in this_week)


def test_the_plan_read_for_figures_alone_is_the_plan_the_pages_schedule(demo):
    """``engine_plan`` (the outlook's quick reading, values instead of model rows) builds
    the same engine plan as ``plan_inputs`` (the pages'), calendars, outline, links and
    resource spans included, for every demo plan."""
    for code in PLANS:
        project = Project.objects.get(code=code)
        settings = plan_settings_get(project=project)
        quick = engine_plan(project, settings)
        assert quick.tasks and quick.links, code
        assert _comparable(quick) == _comparable(plan_inputs(project, settings).plan), code


def _comparable(plan) -> tuple:
    # Calendars compare by identity (the engine's calendars keep indexes): by uid here.
    def uid(calendar):
        return calendar.uid if calendar is not None else None

    return (
        [(replace(task, calendar=None), uid(task.calendar)) for task in plan.tasks],
        plan.links,
        uid(plan.calendar),
        (plan.start, plan.minutes_per_day, plan.status_date, plan.honor_constraints, plan.name),
    )
