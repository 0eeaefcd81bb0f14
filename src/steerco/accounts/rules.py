"""The one place that answers "may this user do X to this object?".

Every view, API endpoint and service goes through these functions. Two kinds of role
grant permissions:

* organisation roles (Administrator, PMO, Executive, Resource manager) apply everywhere;
* project roles come from a Membership of the user's Person on one project.

A user with no role that lets them see a project must not learn that it exists, so
``project_for`` raises ``Http404`` for them and ``PermissionDenied`` (403) only for users
who may see the project but not do the requested thing.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

# accounts sits below projects, yet project roles are Memberships, which the projects app
# owns: this import is the one declared exception to the layers (pyproject.toml).
from steerco.projects.models import Membership, Project

from .models import OrganisationRole

OrgRole = OrganisationRole.Role


class P(StrEnum):
    """Permission names. Project permissions are checked against a project."""

    # organisation-wide
    PROJECT_CREATE = "project.create"
    PORTFOLIO_VIEW = "portfolio.view"
    PORTFOLIO_MANAGE = "portfolio.manage"
    PEOPLE_VIEW = "people.view"
    PEOPLE_MANAGE = "people.manage"
    ORGANISATION_MANAGE = "organisation.manage"
    # the trash of deleted projects: restoring (PMO and administrators), purging for good
    # (administrators only)
    TRASH_RESTORE = "trash.restore"
    TRASH_PURGE = "trash.purge"
    # bookings: set up rooms and equipment, and change or cancel anyone's bookings
    # (administrators; see the bookings block at the end of this module)
    BOOKINGS_ADMINISTER = "bookings.administer"
    # per project
    PROJECT_VIEW = "project.view"
    PROJECT_CHANGE = "project.change"
    PROJECT_CLOSE = "project.close"
    PROJECT_DELETE = "project.delete"
    MEMBERS_MANAGE = "project.members.manage"
    PLAN_CHANGE = "project.plan.change"
    # overwrite, delete or (un)protect a protected baseline: the approved plan is the
    # project manager's commitment, so plan editors in support roles may not move it
    BASELINE_PROTECTED_OVERWRITE = "project.plan.baseline.protected_overwrite"
    LOG_CHANGE = "project.log.change"
    # add and update actions and issues (team members may; other logs need LOG_CHANGE)
    LOG_CONTRIBUTE = "project.log.contribute"
    LOG_DELETE = "project.log.delete"
    OWN_WORK_UPDATE = "project.own_work.update"
    # --- people, capacity and allocations (issue 10, ADR 19) ---
    # the heatmap, role view and skills search across the organisation
    CAPACITY_VIEW = "capacity.view"
    # approve, reject, fill and edit any allocation
    ALLOCATIONS_MANAGE = "allocations.manage"
    # personal details and the reasons for leave of anyone (their own and their reports'
    # are also open to a person and their line manager: ``may_see_private``)
    PEOPLE_PRIVATE_VIEW = "people.private.view"
    # request allocations for a project (its manager and project support)
    ALLOCATION_REQUEST = "project.allocation.request"


_READ = frozenset({P.PROJECT_VIEW})
PROJECT_SCOPED = frozenset(p for p in P if p.value.startswith("project.") and p != P.PROJECT_CREATE)
_EVERYTHING = frozenset(p for p in P)

ORGANISATION_GRANTS: dict[str, frozenset[P]] = {
    OrgRole.ADMINISTRATOR: _EVERYTHING,
    OrgRole.PMO: _EVERYTHING - {P.ORGANISATION_MANAGE, P.TRASH_PURGE, P.BOOKINGS_ADMINISTER},
    OrgRole.EXECUTIVE: frozenset(
        {P.PROJECT_VIEW, P.PORTFOLIO_VIEW, P.PEOPLE_VIEW, P.CAPACITY_VIEW}
    ),
    OrgRole.RESOURCE_MANAGER: frozenset(
        {
            P.PROJECT_VIEW,
            P.PORTFOLIO_VIEW,
            P.PEOPLE_VIEW,
            P.PEOPLE_MANAGE,
            P.CAPACITY_VIEW,
            P.ALLOCATIONS_MANAGE,
            P.PEOPLE_PRIVATE_VIEW,
        }
    ),
}

ProjectRole = Membership.Role

PROJECT_GRANTS: dict[str, frozenset[P]] = {
    ProjectRole.PROJECT_MANAGER: frozenset(
        {
            P.PROJECT_VIEW,
            P.PROJECT_CHANGE,
            P.PROJECT_CLOSE,
            P.MEMBERS_MANAGE,
            P.PLAN_CHANGE,
            P.BASELINE_PROTECTED_OVERWRITE,
            P.LOG_CHANGE,
            P.LOG_CONTRIBUTE,
            P.LOG_DELETE,
            P.OWN_WORK_UPDATE,
            P.ALLOCATION_REQUEST,
        }
    ),
    ProjectRole.PROJECT_SUPPORT: frozenset(
        {
            P.PROJECT_VIEW,
            P.PROJECT_CHANGE,
            P.PLAN_CHANGE,
            P.LOG_CHANGE,
            P.LOG_CONTRIBUTE,
            P.LOG_DELETE,
            P.OWN_WORK_UPDATE,
            P.ALLOCATION_REQUEST,
        }
    ),
    ProjectRole.TEAM_MEMBER: frozenset({P.PROJECT_VIEW, P.OWN_WORK_UPDATE, P.LOG_CONTRIBUTE}),
    ProjectRole.VIEWER: _READ,
}

# Who may start a project: the PMO and administrators, and anyone already trusted to
# manage a project (a project manager starts the next one).
_PROJECT_CREATORS_BY_PROJECT_ROLE = {ProjectRole.PROJECT_MANAGER}


def organisation_roles(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_steerco_org_roles", None)
    if cached is None:
        cached = frozenset(
            OrganisationRole.objects.filter(user=user).values_list("role", flat=True)
        )
        if user.is_superuser:
            cached = cached | {OrgRole.ADMINISTRATOR}
        user._steerco_org_roles = cached
    return cached


def _organisation_grants(user) -> frozenset[P]:
    grants: set[P] = set()
    for role in organisation_roles(user):
        grants |= ORGANISATION_GRANTS.get(role, frozenset())
    return frozenset(grants)


def person_of(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        return user.person
    except Exception:  # RelatedObjectDoesNotExist: a login without a person record
        return None


def project_role(user, project) -> str | None:
    """The user's membership role on ``project``, or None."""
    person = person_of(user)
    if person is None or project is None or project.pk is None:
        return None
    cache = getattr(user, "_steerco_project_roles", None)
    if cache is None:
        cache = dict(Membership.objects.filter(person=person).values_list("project_id", "role"))
        user._steerco_project_roles = cache
    return cache.get(project.pk)


def forget_cached_roles(user) -> None:
    """Call after changing a user's roles within the same request."""
    for attribute in ("_steerco_org_roles", "_steerco_project_roles"):
        if hasattr(user, attribute):
            delattr(user, attribute)


def project_permissions(user, project) -> frozenset[P]:
    grants = set(_organisation_grants(user) & PROJECT_SCOPED)
    role = project_role(user, project)
    if role:
        grants |= PROJECT_GRANTS[role]
    return frozenset(grants)


def has_perm(user, permission: P, obj=None) -> bool:
    """True if ``user`` holds ``permission`` (on ``obj`` for project permissions)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if obj is not None:
        return permission in project_permissions(user, obj)
    if permission == P.PROJECT_CREATE:
        if P.PROJECT_CREATE in _organisation_grants(user):
            return True
        person = person_of(user)
        if person is None:
            return False
        return Membership.objects.filter(
            person=person, role__in=_PROJECT_CREATORS_BY_PROJECT_ROLE
        ).exists()
    return permission in _organisation_grants(user)


def may_update_progress(user, project, *, assigned_person_ids: Collection[int]) -> bool:
    """A team member may update the progress (% complete, actual dates, remaining
    duration) of their own task: one their person is assigned to (among
    ``assigned_person_ids``, the people of the task's assignments) on a project where they
    hold ``OWN_WORK_UPDATE``. Those who may change the whole plan need no such rule;
    callers ask ``P.PLAN_CHANGE`` first."""
    if not assigned_person_ids or P.OWN_WORK_UPDATE not in project_permissions(user, project):
        return False
    person = person_of(user)
    return person is not None and person.pk in assigned_person_ids


def require_perm(user, permission: P) -> None:
    """Raise PermissionDenied unless the user holds an organisation-wide permission."""
    if not has_perm(user, permission):
        raise PermissionDenied(f"You do not have the '{permission}' permission.")


def visible_projects(user) -> QuerySet:
    """Projects the user may see: all for organisation roles that read projects. Projects
    in the trash are nobody's to see (``Project.objects`` leaves them out)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Project.objects.none()
    if P.PROJECT_VIEW in _organisation_grants(user):
        return Project.objects.all()
    person = person_of(user)
    if person is None:
        return Project.objects.none()
    return Project.objects.filter(memberships__person=person).distinct()


def check_project(user, project, permission: P = P.PROJECT_VIEW):
    """Return ``project`` if the user holds ``permission`` on it.

    Raises Http404 when the user may not even see the project (so its existence is not
    revealed) and PermissionDenied when they may see it but not do this.
    """
    grants = project_permissions(user, project)
    if P.PROJECT_VIEW not in grants or project.in_trash:
        raise Http404("No such project.")
    if permission not in grants:
        raise PermissionDenied("You cannot do this on this project.")
    return project


def project_for(user, project_id, permission: P = P.PROJECT_VIEW):
    """Fetch a project by id with a permission check (404 if unknown or invisible)."""
    try:
        project = Project.objects.select_related("portfolio", "manager", "sponsor").get(
            pk=project_id
        )
    except (Project.DoesNotExist, ValueError, TypeError):
        raise Http404("No such project.") from None
    return check_project(user, project, permission)


def trashed_project_for(user, project_id, permission: P):
    """A project in the trash, for restoring or purging it: 404 for those who could not
    see it before it was trashed (and for ids not in the trash), 403 for those who could
    but lack ``permission`` (an organisation-wide one: restoring, purging)."""
    project = (
        Project.all_objects.filter(pk=project_id, deleted_at__isnull=False)
        .select_related("deleted_by")
        .first()
        if isinstance(project_id, int)
        else None
    )
    if project is None or P.PROJECT_VIEW not in project_permissions(user, project):
        raise Http404("No such project in the trash.")
    if not has_perm(user, permission):
        raise PermissionDenied("You cannot do this to a project in the trash.")
    return project


# --- people, capacity and allocations (issue 10, ADR 19) ---------------------------------

# Project roles whose holders look at people's load to staff their projects.
_STAFFING_PROJECT_ROLES = {ProjectRole.PROJECT_MANAGER, ProjectRole.PROJECT_SUPPORT}


def may_view_capacity(user) -> bool:
    """The heatmap, the role view and the skills search: organisation roles that look
    across people (PMO, resource managers, executives, administrators), and project
    managers and support, who staff their projects from it. They see load, never why
    someone is away (``may_see_private``)."""
    if has_perm(user, P.CAPACITY_VIEW):
        return True
    person = person_of(user)
    return (
        person is not None
        and Membership.objects.filter(person=person, role__in=_STAFFING_PROJECT_ROLES).exists()
    )


def may_see_private(user, person) -> bool:
    """Personal details and the reasons for leave of ``person``: the person themself,
    their line manager, resource managers, the PMO and administrators."""
    if has_perm(user, P.PEOPLE_PRIVATE_VIEW):
        return True
    me = person_of(user)
    if me is None or person is None:
        return False
    return me.pk == person.pk or (
        person.line_manager_id is not None and me.pk == person.line_manager_id
    )


def may_request_allocation(user, project) -> bool:
    """Ask for people on ``project``: its manager and support, and those who manage
    allocations anyway."""
    return has_perm(user, P.ALLOCATIONS_MANAGE) or has_perm(user, P.ALLOCATION_REQUEST, project)


def require_capacity_view(user) -> None:
    if not may_view_capacity(user):
        raise PermissionDenied(
            "Capacity and allocations are for project managers, resource managers and the PMO."
        )


# --------------------------------------------------------------------------------------
# Bookings of rooms and equipment (steerco.bookings)
#
# Booking is open to every logged-in person whose groups a resource allows (no groups
# on a resource: everyone). A booking is changed or cancelled only by its booker, the
# resource's managers (the facilities people named on it; for a part of a room, the
# whole room's managers too) and administrators. The arguments are the bookings app's
# objects, used by their attributes: accounts sits below that app and cannot import it.


def may_administer_bookings(user) -> bool:
    """Set up bookable resources and act on any booking: administrators."""
    return has_perm(user, P.BOOKINGS_ADMINISTER)


def may_book(user, resource) -> bool:
    """True if ``user`` may book ``resource``: it is active and allows one of their groups."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if not resource.active:
        return False
    if may_administer_bookings(user):
        return True
    allowed = set(resource.allowed_groups.values_list("pk", flat=True))
    return not allowed or bool(allowed & set(user.groups.values_list("pk", flat=True)))


def manages_resource(user, resource) -> bool:
    """True if ``user`` looks after ``resource`` (or the room it is a part of)."""
    if may_administer_bookings(user):
        return True
    person = person_of(user)
    if person is None:
        return False
    if resource.managers.filter(pk=person.pk).exists():
        return True
    whole = resource.part_of
    return whole is not None and whole.managers.filter(pk=person.pk).exists()


def may_change_booking(user, booking) -> bool:
    """The booker, the resource's managers and administrators change and cancel it."""
    person = person_of(user)
    if person is not None and booking.booked_by_id == person.pk:
        return True
    return manages_resource(user, booking.resource)


def check_booking_change(user, booking) -> None:
    """Raise PermissionDenied unless ``user`` may change or cancel ``booking``."""
    if not may_change_booking(user, booking):
        raise PermissionDenied(
            "Only the person who made this booking, the managers of its resource and "
            "administrators may change or cancel it."
        )
