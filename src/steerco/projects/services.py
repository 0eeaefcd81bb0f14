"""Writes for projects, portfolios and memberships. Every entry point calls these."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steerco.accounts.rules import P, check_project, forget_cached_roles, person_of, require_perm
from steerco.core.exceptions import DomainError
from steerco.core.versioning import versioned_delete, versioned_update

from .models import Membership, Portfolio, Project

PROJECT_EDITABLE_FIELDS = (
    "code",
    "name",
    "description",
    "sponsor",
    "manager",
    "portfolio",
    "status",
    "health",
    "planned_start",
    "planned_finish",
)
_CLOSING_STATUSES = {Project.Status.CLOSED, Project.Status.CANCELLED}


def _ensure_manager_membership(project: Project, actor) -> None:
    """The named manager always holds the Project manager role on the project."""
    if project.manager_id is None:
        return
    membership = Membership.objects.filter(project=project, person=project.manager).first()
    if membership is None:
        membership = Membership(
            project=project, person=project.manager, role=Membership.Role.PROJECT_MANAGER
        )
        membership._history_user = actor
        membership.save()
    elif membership.role != Membership.Role.PROJECT_MANAGER:
        versioned_update(
            membership,
            expected_version=membership.version,
            changes={"role": Membership.Role.PROJECT_MANAGER},
            actor=actor,
        )


def project_create(
    *,
    actor,
    code: str,
    name: str,
    description: str = "",
    sponsor=None,
    manager=None,
    portfolio: Portfolio | None = None,
    status: str = Project.Status.PROPOSED,
    health: str = Project.Health.NOT_ASSESSED,
    planned_start: date | None = None,
    planned_finish: date | None = None,
) -> Project:
    """Create a project; its manager (by default the creator's person) becomes a member."""
    require_perm(actor, P.PROJECT_CREATE)
    if manager is None:
        manager = person_of(actor)
    project = Project(
        code=code.strip().upper(),
        name=name.strip(),
        description=description,
        sponsor=sponsor,
        manager=manager,
        portfolio=portfolio,
        status=status,
        health=health,
        planned_start=planned_start,
        planned_finish=planned_finish,
    )
    if status in _CLOSING_STATUSES:
        project.closed_on = timezone.localdate()
    project.full_clean()
    with transaction.atomic():
        project._history_user = actor
        project.save()
        _ensure_manager_membership(project, actor)
    forget_cached_roles(actor)
    return project


def project_update(*, actor, project: Project, expected_version: int, **changes) -> Project:
    """Change project fields, refusing the save if someone else saved since
    ``expected_version``."""
    unknown = set(changes) - set(PROJECT_EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    check_project(actor, project, P.PROJECT_CHANGE)
    new_status = changes.get("status", project.status)
    if new_status != project.status and new_status in _CLOSING_STATUSES:
        check_project(actor, project, P.PROJECT_CLOSE)
        changes["closed_on"] = timezone.localdate()
    elif new_status not in _CLOSING_STATUSES:
        changes["closed_on"] = None
    if changes.get("code"):
        changes["code"] = changes["code"].strip().upper()
    with transaction.atomic():
        versioned_update(project, expected_version=expected_version, changes=changes, actor=actor)
        _ensure_manager_membership(project, actor)
    forget_cached_roles(actor)
    return project


def project_close(
    *, actor, project: Project, expected_version: int, status: str = Project.Status.CLOSED
) -> Project:
    if status not in _CLOSING_STATUSES:
        raise DomainError(_("A project is closed as 'closed' or 'cancelled'."))
    check_project(actor, project, P.PROJECT_CLOSE)
    return project_update(
        actor=actor, project=project, expected_version=expected_version, status=status
    )


def project_delete(*, actor, project: Project, expected_version: int) -> None:
    """Delete a project for good (PMO and administrators only); history is kept.

    Its memberships are deleted one by one first, so each leaves a history row naming
    ``actor``.
    """
    check_project(actor, project, P.PROJECT_DELETE)

    def delete_memberships(locked: Project) -> None:
        for membership in locked.memberships.all():
            membership._history_user = actor
            membership.delete()

    versioned_delete(
        project, expected_version=expected_version, actor=actor, before=delete_memberships
    )


def membership_add(*, actor, project: Project, person, role: str) -> Membership:
    check_project(actor, project, P.MEMBERS_MANAGE)
    if Membership.objects.filter(project=project, person=person).exists():
        raise DomainError(
            _("%(person)s is already a member of this project; change their role instead.")
            % {"person": person},
            fields={"person": [_("Already a member.")]},
        )
    membership = Membership(project=project, person=person, role=role)
    membership.full_clean()
    membership._history_user = actor
    membership.save()
    return membership


def membership_change_role(
    *, actor, membership: Membership, role: str, expected_version: int
) -> Membership:
    check_project(actor, membership.project, P.MEMBERS_MANAGE)
    project = membership.project
    if membership.person_id == project.manager_id and role != Membership.Role.PROJECT_MANAGER:
        raise DomainError(
            _(
                "%(person)s is the project's manager; name another manager before changing "
                "their role."
            )
            % {"person": membership.person},
            fields={"role": [_("The named manager keeps the Project manager role.")]},
        )
    return versioned_update(
        membership, expected_version=expected_version, changes={"role": role}, actor=actor
    )


def membership_remove(*, actor, membership: Membership, expected_version: int) -> None:
    """Remove a member, if the membership is still at ``expected_version``."""
    project = membership.project
    check_project(actor, project, P.MEMBERS_MANAGE)
    if membership.person_id == project.manager_id:
        raise DomainError(
            _("%(person)s is the project's manager; name another manager before removing them.")
            % {"person": membership.person}
        )
    versioned_delete(membership, expected_version=expected_version, actor=actor)


def portfolio_create(
    *, actor, code: str, name: str, description: str = "", owner=None
) -> Portfolio:
    require_perm(actor, P.PORTFOLIO_MANAGE)
    portfolio = Portfolio(
        code=code.strip().upper(), name=name.strip(), description=description, owner=owner
    )
    portfolio.full_clean()
    portfolio._history_user = actor
    portfolio.save()
    return portfolio


def portfolio_update(*, actor, portfolio: Portfolio, expected_version: int, **changes) -> Portfolio:
    require_perm(actor, P.PORTFOLIO_MANAGE)
    allowed = {"code", "name", "description", "owner"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    return versioned_update(
        portfolio, expected_version=expected_version, changes=changes, actor=actor
    )


def portfolio_delete(*, actor, portfolio: Portfolio, expected_version: int) -> None:
    """Delete a portfolio if still at ``expected_version``; its projects stay, outside any
    portfolio."""
    require_perm(actor, P.PORTFOLIO_MANAGE)
    versioned_delete(portfolio, expected_version=expected_version, actor=actor)
