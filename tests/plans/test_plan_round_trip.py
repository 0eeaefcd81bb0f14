"""The demo CRM plan exported as Microsoft Project XML and imported again (ADR 16).

Into a new project the file gives the same tasks, links, assignments, baselines and dates;
into the CRM project itself, by task UID, it changes nothing and records nothing.
"""

from __future__ import annotations

import pytest

from steerco.demo.organisation import load_demo_organisation
from steerco.plans.models import (
    Baseline,
    BaselineTask,
    ProjectPlan,
    Task,
    TaskAssignment,
    TaskLink,
    WorkCalendar,
)
from steerco.plans.selectors import plan_view
from steerco.plans.transfer import UPDATE, plan_export, plan_import
from steerco.projects.models import Project
from steerco.projects.services import project_create

pytestmark = pytest.mark.django_db

AUDITED = (Task, TaskLink, WorkCalendar, ProjectPlan, Baseline)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo organisation, loaded once for the module and emptied after it."""
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


def _admin():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="admin")


def _plan_of(project) -> dict:
    """Everything the round trip must keep, by task UID (row ids differ between projects)."""
    tasks = list(Task.objects.filter(project=project).order_by("position"))
    uid_of = {task.pk: task.uid for task in tasks}
    view = plan_view(project=project)
    assert view.error is None
    return {
        "tasks": [
            (
                task.uid,
                task.name,
                task.position,
                task.outline_level,
                task.wbs,
                uid_of.get(task.parent_id),
                task.duration_minutes,
                task.elapsed,
                task.milestone,
                task.manual,
                task.constraint_type,
                task.constraint_date,
                task.deadline,
                task.percent_complete,
                task.actual_start,
                task.actual_finish,
                task.remaining_duration_minutes,
            )
            for task in tasks
        ],
        "links": sorted(
            (
                uid_of[link.predecessor_id],
                uid_of[link.successor_id],
                link.type,
                link.lag_minutes,
                link.lag_percent,
                link.lag_elapsed,
            )
            for link in TaskLink.objects.filter(project=project)
        ),
        "assignments": sorted(
            (
                uid_of[a.task_id],
                a.resource_name,
                a.person_id,
                a.units,
                a.work_minutes,
                a.contoured,
            )
            for a in TaskAssignment.objects.filter(task__project=project)
        ),
        "baselines": {
            number: sorted(
                BaselineTask.objects.filter(
                    baseline__project=project, baseline__number=number
                ).values_list("task_uid", "start", "finish", "duration_minutes")
            )
            for number in Baseline.objects.filter(project=project).values_list("number", flat=True)
        },
        "dates": {
            row.task.uid: (row.result.start, row.result.finish, row.result.critical)
            for row in view.rows
        },
        "status_date": view.settings.status_date,
    }


def _history_rows() -> int:
    return sum(model.history.count() for model in AUDITED)


def test_the_crm_plan_exported_and_imported_into_a_new_project_is_the_same_plan(demo):
    """The issue's round trip: tasks, links, assignments, baselines and dates."""
    admin = _admin()
    crm = Project.objects.get(code="CRM")
    before = _plan_of(crm)
    # Given a plan worth the name: the demo's, with its people and its approved baseline.
    assert len(before["tasks"]) > 100 and len(before["links"]) > 100
    assert len(before["assignments"]) > 50
    assert any(a[2] is None for a in before["assignments"])  # a resource known by name
    assert any(a[3] != 1 for a in before["assignments"])  # part-time units
    assert 0 in before["baselines"] and len(before["baselines"][0]) == len(before["tasks"])
    assert any(task[13] and task[13] < 100 for task in before["tasks"])  # work in progress
    content, content_type, _name = plan_export(actor=admin, project=crm, fmt="mspdi")
    assert content_type == "application/xml" and b"<Assignments>" in content
    copy = project_create(actor=admin, code="CRM2", name="CRM copy", status="active")

    report = plan_import(actor=admin, project=copy, data=content, filename="crm-plan.xml")

    assert report.tasks == len(before["tasks"]) and report.baselines == len(before["baselines"])
    assert report.assignments == len(before["assignments"])
    after = _plan_of(copy)
    for part in ("tasks", "links", "assignments", "baselines", "status_date", "dates"):
        assert after[part] == before[part], part


def test_importing_the_export_into_the_same_plan_by_uid_changes_nothing(demo):
    admin = _admin()
    crm = Project.objects.get(code="CRM")
    before = _plan_of(crm)
    versions = dict(Task.objects.filter(project=crm).values_list("uid", "version"))
    content, _type, _name = plan_export(actor=admin, project=crm, fmt="mspdi")
    history = _history_rows()

    report = plan_import(
        actor=admin, project=crm, data=content, filename="crm-plan.xml", mode=UPDATE
    )

    assert (report.added, report.updated, report.kept, report.deleted) == (0, 0, 0, 0)
    assert report.baselines == 0 and report.baselines_kept == sorted(before["baselines"])
    assert _history_rows() == history
    assert _plan_of(crm) == before
    assert dict(Task.objects.filter(project=crm).values_list("uid", "version")) == versions
