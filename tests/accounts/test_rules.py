"""The permission rules module against the roles matrix of the foundation issue."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from steerco.accounts.rules import P, check_project, has_perm, visible_projects


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


def test_inactive_user_has_no_rights(org):
    org.bob.is_active = False
    assert not has_perm(org.bob, P.PORTFOLIO_VIEW)
    assert not visible_projects(org.bob).exists()
