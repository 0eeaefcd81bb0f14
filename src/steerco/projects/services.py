"""Writes for projects, portfolios and memberships. Every entry point calls these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from steerco.accounts.rules import P, check_project, forget_cached_roles, person_of, require_perm
from steerco.core.exceptions import DomainError, ObjectGone
from steerco.core.history import change_set
from steerco.core.versioning import locked_at_version, versioned_delete, versioned_update

from .models import TRASH_DAYS, Membership, Portfolio, Project
from .purging import run_purge_steps

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


def project_delete(*, actor, project: Project, expected_version: int) -> Project:
    """Move a project to the trash (PMO and administrators): it leaves every list, count
    and page, and keeps all its data, restorable for ``TRASH_DAYS`` days."""
    check_project(actor, project, P.PROJECT_DELETE)
    project._change_reason = _("Moved to the trash")
    try:
        return versioned_update(
            project,
            expected_version=expected_version,
            changes={"deleted_at": timezone.now(), "deleted_by": actor},
            actor=actor,
        )
    finally:
        project._change_reason = None


def project_restore(*, actor, project: Project, expected_version: int) -> Project:
    """Bring a project back from the trash, as it was (PMO and administrators)."""
    require_perm(actor, P.TRASH_RESTORE)
    if not project.in_trash:
        raise DomainError(_("%(code)s is not in the trash.") % {"code": project.code})
    project._change_reason = _("Restored from the trash")
    try:
        versioned_update(
            project,
            expected_version=expected_version,
            changes={"deleted_at": None, "deleted_by": None},
            actor=actor,
        )
    finally:
        project._change_reason = None
    forget_cached_roles(actor)
    return project


def purge_due_on(project: Project) -> date:
    """The day from which a trashed project is purged automatically."""
    return timezone.localdate(project.deleted_at + timedelta(days=TRASH_DAYS))


@dataclass(frozen=True)
class PurgeCount:
    kind: str  # "tasks", "risks", "memberships"
    count: int


def _cascading_relations(model: type[models.Model]):
    """The relations whose rows the database deletes with a row of ``model``: every one,
    hidden ones included (the logs point at projects without a reverse name)."""
    for relation in model._meta.get_fields(include_hidden=True):
        if (
            relation.auto_created
            and not relation.concrete
            and (relation.one_to_many or relation.one_to_one)
            and relation.on_delete is models.CASCADE
            and relation.related_model is not model
        ):
            yield relation


def purge_counts(project: Project) -> list[PurgeCount]:
    """What purging ``project`` deletes, counted per kind, whatever app keeps it (read
    from the models' relations, so a new app's rows are counted without being named)."""
    conditions: dict[type[models.Model], Q] = {}

    def walk(model, rows: models.QuerySet, depth: int) -> None:
        if depth > 4:
            return
        for relation in _cascading_relations(model):
            related = relation.related_model
            condition = Q(**{f"{relation.field.name}__in": rows.values("pk")})
            conditions[related] = conditions.get(related, Q(pk__in=[])) | condition
            walk(related, related._base_manager.filter(condition), depth + 1)

    walk(Project, Project.all_objects.filter(pk=project.pk), 0)
    counts = []
    for model, condition in conditions.items():
        if model._meta.app_label == project._meta.app_label and model is not Membership:
            continue
        count = model._base_manager.filter(condition).count()
        if count:
            counts.append(PurgeCount(kind=str(model._meta.verbose_name_plural), count=count))
    return sorted(counts, key=lambda item: (-item.count, item.kind))


def project_purge(*, actor, project: Project, expected_version: int | None = None) -> None:
    """Delete a trashed project and everything it holds, for good (administrators; the
    automatic purge after ``TRASH_DAYS`` days passes ``actor=None``).

    Every row goes inside one change set, so each history row the deletion leaves, down
    to the last task and log item, names who purged it and why. Apps keeping rows in
    other projects that point at this one rewrite them first (``projects.purging``).
    """
    if actor is not None:
        require_perm(actor, P.TRASH_PURGE)
    if not project.in_trash:
        raise DomainError(
            _("Only a project in the trash can be purged; delete %(code)s first.")
            % {"code": project.code}
        )
    reason = _("Purged project %(code)s") % {"code": project.code}
    if actor is None:
        reason = _("Purged project %(code)s after %(days)d days in the trash") % {
            "code": project.code,
            "days": TRASH_DAYS,
        }
    try:
        with transaction.atomic(), change_set(actor=actor, reason=reason):
            current = locked_at_version(project, expected_version=expected_version)
            run_purge_steps(project=current, actor=actor)
            for membership in current.memberships.all():
                membership.delete()
            current.delete()
    except (ProtectedError, RestrictedError) as error:
        raise DomainError(
            _("Other records still refer to %(code)s, so it cannot be purged: %(what)s.")
            % {
                "code": project.code,
                "what": ", ".join(sorted({str(row) for row in error.protected_objects}))[:300]
                if isinstance(error, ProtectedError)
                else str(error),
            }
        ) from None


def purge_expired(*, now=None) -> list[str]:
    """Purge every project that has been in the trash for ``TRASH_DAYS`` days; the codes
    purged. A project another worker purged meanwhile is simply skipped."""
    cutoff = (now or timezone.now()) - timedelta(days=TRASH_DAYS)
    purged = []
    for project in Project.all_objects.filter(deleted_at__lte=cutoff).order_by("deleted_at"):
        try:
            project_purge(actor=None, project=project)
        except ObjectGone:
            continue
        purged.append(project.code)
    return purged


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
