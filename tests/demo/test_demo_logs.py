"""The demo's project logs: every project has a believable RAID history to show."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from steerco.demo.organisation import load_demo_organisation
from steerco.logs.kinds import KINDS
from steerco.logs.models import ChangeRequest, Issue, ItemLink, ProjectDependency, Risk
from steerco.logs.selectors import actions_for_person, escalated_issues, item_history, item_list
from steerco.projects.models import Project

User = get_user_model()

_SCALES = importlib.import_module("steerco.logs.migrations.0002_default_scales")


def _seed_scales() -> None:
    # The organisation's scales come from a data migration; a flush by another demo
    # module empties them, and later tests expect them back.
    _SCALES.seed(apps, None)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for this module (it takes seconds), and empty the database after."""
    from django.core.management import call_command
    from django.test import override_settings

    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        _seed_scales()
        load_demo_organisation()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        _seed_scales()


pytestmark = pytest.mark.django_db


def user(username: str):
    return User.objects.get(username=username)


def items_of(project, kind: str, state: str = "all"):
    return item_list(user=user("bob"), project=project, kind=kind, state=state)


def all_items(project) -> list:
    return [item for kind in KINDS for item in items_of(project, kind)]


def test_every_demo_project_has_log_items_and_active_ones_have_dozens(demo):
    for project in Project.objects.all():
        count = len([item for item in all_items(project) if item.project_id == project.pk])
        assert count >= 8, (project.code, count)
        if project.status == Project.Status.ACTIVE:
            assert count >= 36, (project.code, count)


def test_every_kind_of_item_appears_and_closed_projects_mostly_closed(demo):
    crm = Project.objects.get(code="CRM")
    for kind in KINDS:
        assert items_of(crm, kind).exists(), kind
    dcexit = Project.objects.get(code="DCEXIT")
    assert items_of(dcexit, "lessons").count() >= 5
    open_items = sum(items_of(dcexit, kind, "open").count() for kind in KINDS if kind != "lessons")
    closed_items = sum(
        items_of(dcexit, kind, "closed").count() for kind in KINDS if kind != "lessons"
    )
    assert closed_items > 3 * open_items


def test_the_pmo_sees_open_escalations_including_one_to_a_named_person(demo):
    escalated = list(escalated_issues(user=user("bob")))
    to_pmo = [issue for issue in escalated if issue.escalated_to_pmo]
    assert len(to_pmo) >= 2
    assert any(issue.escalated_to is not None for issue in escalated)
    assert all(issue.is_open and issue.escalation_reason for issue in escalated)
    assert all(issue.escalated_on <= timezone.localdate() for issue in escalated)


@pytest.mark.parametrize("username", ["tom", "priya", "mary"])
def test_tom_priya_and_mary_each_own_overdue_open_actions(demo, username):
    person = user(username).person
    today = timezone.localdate()
    overdue = [
        action
        for action in actions_for_person(user=user(username), person=person)
        if action.due_date and action.due_date < today
    ]
    assert overdue, username
    assert all(action.is_overdue(today) for action in overdue)


def test_some_actions_are_blocked_with_the_reason_and_some_done_on_a_past_date(demo):
    crm = Project.objects.get(code="CRM")
    actions = items_of(crm, "actions")
    assert all(a.blocked_by for a in actions.filter(status="blocked"))
    assert actions.filter(status="blocked").exists()
    done = actions.filter(status="done")
    assert done.exists()
    assert all(a.completed_on < timezone.localdate() for a in done)


def test_a_risk_that_occurred_became_a_linked_issue(demo):
    issue = Issue.objects.filter(from_risk__isnull=False).select_related("from_risk").first()
    assert issue is not None
    assert issue.from_risk.status == Risk.Status.OCCURRED
    assert ItemLink.objects.filter(
        source_id=issue.pk, target_id=issue.from_risk.pk, relation="raised_from"
    ).exists()


def test_a_dependency_between_two_demo_projects_shows_in_both_logs(demo):
    crm = Project.objects.get(code="CRM")
    dataplat = Project.objects.get(code="DATAPLAT")
    shared = ProjectDependency.objects.filter(project=crm, other_project=dataplat).first()
    assert shared is not None
    assert shared in items_of(crm, "dependencies")
    assert shared in items_of(dataplat, "dependencies")
    assert ProjectDependency.objects.exclude(external_party="").exists()


def test_change_requests_cover_every_status_with_approvals_dated_in_the_past(demo):
    statuses = set(ChangeRequest.objects.values_list("status", flat=True))
    assert statuses == set(ChangeRequest.Status.values)
    crm = Project.objects.get(code="CRM")
    assert set(items_of(crm, "changes").values_list("status", flat=True)) == set(
        ChangeRequest.Status.values
    )
    for change in ChangeRequest.objects.filter(status__in=["approved", "rejected"]):
        assert change.decided_by is not None
        assert change.decided_at < timezone.now() - dt.timedelta(hours=1)
    approved = ChangeRequest.objects.filter(status__in=["approved", "implemented"])
    assert approved.exclude(schedule_adjustment_days=None).exists()
    assert approved.exclude(budget_adjustment=None).exists()


def test_history_spans_months_and_items_change_over_time(demo):
    crm = Project.objects.get(code="CRM")
    months = set()
    edited = 0
    for item in all_items(crm):
        if item.project_id != crm.pk:
            continue
        entries = item_history(item)
        months |= {(entry.when.year, entry.when.month) for entry in entries}
        edited += any(entry.changes for entry in entries)
        assert item.created_at.date() == item.raised_on or item.created_at < timezone.now()
        assert all(entry.who != "system" for entry in entries)
    assert len(months) >= 3
    assert edited >= 20
    risk = Risk.objects.get(project=crm, title__startswith="Legacy member data")
    changed = {change.field for entry in item_history(risk) for change in entry.changes}
    assert "probability" in changed


def test_items_are_written_by_the_people_who_keep_the_log(demo):
    crm = Project.objects.get(code="CRM")
    authors = set()
    for item in all_items(crm):
        if item.project_id == crm.pk:
            authors |= {entry.who for entry in item_history(item)}
    # Project support and the manager keep CRM's log; the engineer updates his actions.
    assert authors == {"Mary Okafor", "Priya Shah", "Tom Fletcher"}


def test_texts_have_no_unfilled_placeholders(demo):
    for project in Project.objects.all():
        for item in all_items(project):
            for field in item._meta.concrete_fields:
                value = getattr(item, field.attname)
                if isinstance(value, str):
                    for placeholder in ("[[", "{date}", "{sponsor}"):
                        assert placeholder not in value, (item.ref, field.name)


def test_items_are_raised_within_the_projects_life(demo):
    today = timezone.localdate()
    for project in Project.objects.all():
        for item in all_items(project):
            if item.project_id != project.pk:
                continue
            assert item.raised_on <= today, (project.code, item.ref)
            assert item.raised_on >= project.created_at.date() - dt.timedelta(days=1) or (
                (today - project.created_at.date()).days < 28
            ), (project.code, item.ref)


def test_some_risks_affect_plan_tasks(demo):
    from steerco.plans.models import Task

    links = ItemLink.objects.filter(relation="affects", target_type__model="task")
    assert links.count() >= 5
    assert Task.objects.filter(pk__in=links.values("target_id")).count() == links.count()


def test_lessons_library_is_rich_and_searchable(demo):
    from steerco.logs.selectors import lessons_library

    lessons = lessons_library(user=user("bob"))
    assert lessons.count() >= 20
    assert {lesson.lesson_type for lesson in lessons} == {"went_well", "to_improve"}
    assert len({lesson.category for lesson in lessons}) >= 5
    assert lessons_library(user=user("bob"), q="supplier").exists()


def test_loading_the_demo_again_adds_no_log_items(demo):
    def counts():
        totals = {slug: kind.model.objects.count() for slug, kind in KINDS.items()}
        totals.update({f"history {slug}": k.model.history.count() for slug, k in KINDS.items()})
        totals["links"] = ItemLink.objects.count()
        return totals

    before = counts()

    result = load_demo_organisation()

    assert counts() == before
    assert "log items" not in result.created
