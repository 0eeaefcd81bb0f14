"""Project, portfolio and membership services: rules, versions and the audit trail."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from steerco.core.exceptions import DomainError, VersionConflict
from steerco.projects.models import Membership, Project
from steerco.projects.selectors import project_history, project_list
from steerco.projects.services import (
    membership_add,
    membership_change_role,
    membership_remove,
    project_close,
    project_create,
    project_delete,
    project_update,
)


def test_project_manager_creating_a_project_becomes_its_manager(org):
    project = project_create(actor=org.priya, code="delta", name="Delta intranet")
    assert project.code == "DELTA"
    assert project.manager == org.people["priya"]
    membership = Membership.objects.get(project=project, person=org.people["priya"])
    assert membership.role == Membership.Role.PROJECT_MANAGER


def test_duplicate_code_is_refused_with_the_field_named(org):
    with pytest.raises(ValidationError) as error:
        project_create(actor=org.bob, code="ALPHA", name="Another alpha")
    assert "code" in error.value.message_dict


def test_finish_before_start_is_refused(org):
    with pytest.raises(ValidationError) as error:
        project_create(
            actor=org.bob,
            code="EPS",
            name="Epsilon",
            planned_start=date(2027, 3, 1),
            planned_finish=date(2027, 2, 1),
        )
    assert "planned_finish" in error.value.message_dict
    assert not Project.objects.filter(code="EPS").exists()


def test_team_member_cannot_create_projects(org):
    with pytest.raises(PermissionDenied):
        project_create(actor=org.tom, code="ZETA", name="Zeta")


def test_update_with_stale_version_changes_nothing(org):
    alpha = Project.objects.get(pk=org.alpha.pk)
    project_update(actor=org.priya, project=alpha, expected_version=alpha.version, name="Alpha CRM")
    stale = Project.objects.get(pk=org.alpha.pk)
    stale_version = stale.version - 1
    with pytest.raises(VersionConflict) as conflict:
        project_update(
            actor=org.mary, project=stale, expected_version=stale_version, name="Overwritten"
        )
    assert conflict.value.current.name == "Alpha CRM"
    assert Project.objects.get(pk=org.alpha.pk).name == "Alpha CRM"


def test_invalid_update_does_not_bump_the_version(org):
    alpha = Project.objects.get(pk=org.alpha.pk)
    before = alpha.version
    with pytest.raises(ValidationError):
        project_update(
            actor=org.priya, project=alpha, expected_version=before, planned_finish=date(2025, 1, 1)
        )
    assert Project.objects.get(pk=org.alpha.pk).version == before


def test_outsider_cannot_update_and_learns_nothing(org):
    with pytest.raises(Http404):
        project_update(
            actor=org.olga, project=org.alpha, expected_version=org.alpha.version, name="x"
        )


def test_closing_records_the_date_and_needs_close_permission(org):
    with pytest.raises(PermissionDenied):
        project_close(actor=org.mary, project=org.alpha, expected_version=org.alpha.version)
    closed = project_close(actor=org.priya, project=org.alpha, expected_version=org.alpha.version)
    assert closed.status == Project.Status.CLOSED
    assert closed.closed_on is not None


def test_changing_the_manager_gives_the_new_manager_the_role(org):
    alpha = Project.objects.get(pk=org.alpha.pk)
    project_update(
        actor=org.bob, project=alpha, expected_version=alpha.version, manager=org.people["mary"]
    )
    role = Membership.objects.get(project=alpha, person=org.people["mary"]).role
    assert role == Membership.Role.PROJECT_MANAGER


def test_named_manager_cannot_be_removed_or_demoted(org):
    membership = Membership.objects.get(project=org.alpha, person=org.people["priya"])
    with pytest.raises(DomainError):
        membership_remove(actor=org.bob, membership=membership, expected_version=membership.version)
    with pytest.raises(DomainError):
        membership_change_role(
            actor=org.bob, membership=membership, role="viewer", expected_version=membership.version
        )


def test_support_officer_cannot_manage_members(org):
    with pytest.raises(PermissionDenied):
        membership_add(actor=org.mary, project=org.alpha, person=org.people["olga"], role="viewer")


def test_adding_a_member_twice_is_a_clear_error(org):
    with pytest.raises(DomainError, match="already a member"):
        membership_add(actor=org.priya, project=org.alpha, person=org.people["tom"], role="viewer")


def test_delete_is_for_pmo_and_keeps_history(org):
    with pytest.raises(PermissionDenied):
        project_delete(actor=org.priya, project=org.beta, expected_version=org.beta.version)
    project_delete(actor=org.bob, project=org.beta, expected_version=org.beta.version)
    assert not Project.objects.filter(pk=org.beta.pk).exists()
    # Deleting moves the project to the trash (issue 14): a change, with who and why.
    actions = [
        (e.subject, e.action, e.who, e.reason) for e in project_history(project_id=org.beta.pk)
    ]
    assert ("Project", "changed", "Bob Baker", "Moved to the trash") in actions


def test_history_names_who_changed_what(org):
    alpha = Project.objects.get(pk=org.alpha.pk)
    project_update(actor=org.mary, project=alpha, expected_version=alpha.version, status="on_hold")
    newest = project_history(project_id=alpha.pk)[0]
    assert newest.who == "Mary Moss"
    assert newest.action == "changed"
    assert [(c.field, c.old, c.new) for c in newest.changes] == [("status", "Active", "On hold")]


def test_history_includes_membership_changes(org):
    membership_add(actor=org.priya, project=org.alpha, person=org.people["rita"], role="viewer")
    newest = project_history(project_id=org.alpha.pk)[0]
    assert newest.subject == "Membership of Rita Reyes"
    assert newest.action == "created"
    assert newest.who == "Priya Patel"


def test_list_filters_and_search(org):
    assert [p.code for p in project_list(user=org.bob, status="active")] == ["ALPHA", "BETA"]
    assert [p.code for p in project_list(user=org.bob, search="office")] == ["GAMMA"]
    assert [p.code for p in project_list(user=org.tom, search="a")] == ["ALPHA"]
    assert not project_list(user=org.olga).exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_one_version_let_exactly_one_win(org):
    """Two sessions save the same version at the same moment on real PostgreSQL rows."""
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def save(username: str, name: str) -> None:
        from django.contrib.auth import get_user_model

        try:
            user = get_user_model().objects.get(username=username)
            project = Project.objects.get(pk=org.alpha.pk)
            start.wait(timeout=10)
            project_update(actor=user, project=project, expected_version=project.version, name=name)
            outcomes.append("saved")
        except VersionConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=("priya", "Name by Priya")),
        threading.Thread(target=save, args=("mary", "Name by Mary")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "saved"]
    final = Project.objects.get(pk=org.alpha.pk)
    assert final.version == org.alpha.version + 1
    assert final.name in {"Name by Priya", "Name by Mary"}
