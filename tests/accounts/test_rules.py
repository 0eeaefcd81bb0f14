"""The permission rules module against the roles matrix of the foundation issue."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from steerco.accounts.rules import (
    P,
    check_project,
    has_perm,
    trashed_project_for,
    visible_projects,
)


@pytest.mark.parametrize(
    ("username", "visible"),
    [
        ("admin", {"ALPHA", "BETA", "GAMMA"}),
        ("bob", {"ALPHA", "BETA", "GAMMA"}),
        ("erin", {"ALPHA", "BETA", "GAMMA"}),
        ("rita", {"ALPHA", "BETA", "GAMMA"}),
        ("priya", {"ALPHA", "BETA"}),
        ("mary", {"ALPHA", "BETA"}),
        ("tom", {"ALPHA"}),
        ("olga", set()),
    ],
)
def test_each_role_sees_exactly_its_projects(org, username, visible):
    codes = set(visible_projects(org.users[username]).values_list("code", flat=True))
    assert codes == visible


def test_outsider_gets_not_found_not_forbidden(org):
    with pytest.raises(Http404):
        check_project(org.olga, org.alpha, P.PROJECT_VIEW)


def test_executive_may_read_but_not_change(org):
    assert check_project(org.erin, org.alpha, P.PROJECT_VIEW) == org.alpha
    with pytest.raises(PermissionDenied):
        check_project(org.erin, org.alpha, P.PROJECT_CHANGE)


def test_support_changes_plan_but_does_not_manage_members(org):
    assert has_perm(org.mary, P.PLAN_CHANGE, org.alpha)
    assert not has_perm(org.mary, P.MEMBERS_MANAGE, org.alpha)


def test_team_member_updates_own_work_only(org):
    assert has_perm(org.tom, P.OWN_WORK_UPDATE, org.alpha)
    assert not has_perm(org.tom, P.PROJECT_CHANGE, org.alpha)
    assert not has_perm(org.tom, P.PROJECT_VIEW, org.beta)


@pytest.mark.parametrize(
    ("username", "allowed"),
    [
        ("admin", True),
        ("bob", True),
        ("priya", True),
        ("mary", False),
        ("tom", False),
        ("erin", False),
        ("rita", False),
        ("olga", False),
    ],
)
def test_who_may_create_projects(org, username, allowed):
    assert has_perm(org.users[username], P.PROJECT_CREATE) is allowed


def test_only_pmo_and_admin_delete_projects(org):
    assert has_perm(org.bob, P.PROJECT_DELETE, org.alpha)
    assert has_perm(org.admin, P.PROJECT_DELETE, org.alpha)
    assert not has_perm(org.priya, P.PROJECT_DELETE, org.alpha)


@pytest.mark.parametrize(
    ("username", "restore", "purge"),
    [
        ("admin", True, True),
        ("bob", True, False),
        ("priya", False, False),
        ("mary", False, False),
        ("tom", False, False),
        ("erin", False, False),
        ("rita", False, False),
        ("olga", False, False),
    ],
)
def test_who_restores_from_the_trash_and_who_purges(org, username, restore, purge):
    user = org.users[username]
    assert has_perm(user, P.TRASH_RESTORE) is restore
    assert has_perm(user, P.TRASH_PURGE) is purge


def test_a_project_in_the_trash_is_nobodys_to_see(org):
    from steerco.projects.services import project_delete

    project_delete(actor=org.bob, project=org.beta, expected_version=org.beta.version)
    for user in (org.admin, org.bob, org.priya):
        assert "BETA" not in set(visible_projects(user).values_list("code", flat=True))
        with pytest.raises(Http404):
            check_project(user, org.beta, P.PROJECT_VIEW)
    with pytest.raises(Http404):
        trashed_project_for(org.olga, org.beta.pk, P.TRASH_RESTORE)
    with pytest.raises(PermissionDenied):
        trashed_project_for(org.priya, org.beta.pk, P.TRASH_RESTORE)
    assert trashed_project_for(org.bob, org.beta.pk, P.TRASH_RESTORE).code == "BETA"


def test_inactive_user_has_no_rights(org):
    org.bob.is_active = False
    assert not has_perm(org.bob, P.PORTFOLIO_VIEW)
    assert not visible_projects(org.bob).exists()
