"""Projects, their members and history, and portfolios over HTTP (/api/v1/...).

Each endpoint fetches what it acts on through the permission rules (unknown or invisible
→ 404, visible but not allowed → 403), turns id references into objects (unknown → 422
naming the field), and calls one service or selector; the error answers themselves are
produced in steerco.core.api.
"""

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from steerco.accounts.rules import P, project_for, require_perm, trashed_project_for
from steerco.core.api import MAX_ID, ObjectId, PageNumbers, register_conflict_schema, responses
from steerco.core.exceptions import DomainError
from steerco.resources.models import Person

from . import selectors, services
from .models import Membership, Portfolio, Project
from .schemas import (
    HistoryEntryOut,
    MembershipCreateIn,
    MembershipOut,
    MembershipPatchIn,
    PortfolioCreateIn,
    PortfolioOut,
    PortfolioPatchIn,
    ProjectCloseIn,
    ProjectCreateIn,
    ProjectOut,
    ProjectPatchIn,
    ProjectRestoreIn,
    ProjectStatus,
    PurgeCountOut,
    TrashedProjectOut,
)

project_router = Router(tags=["projects"])
portfolio_router = Router(tags=["portfolios"])

register_conflict_schema(Project, ProjectOut)
register_conflict_schema(Membership, MembershipOut)
register_conflict_schema(Portfolio, PortfolioOut)


# --- references ---------------------------------------------------------------------

_PERSON_FIELDS = ("manager", "sponsor", "owner", "person")


class UnknownReference(DomainError):
    code = "unknown_reference"


def _resolve_references(user, data: dict) -> dict:
    """Replace id references in ``data`` by the objects they name.

    All unknown ids are reported together, each under its own field. Portfolios resolve
    only among those the user may see, so an id cannot be used to probe for others.
    """
    resolved = dict(data)
    problems: dict[str, list[str]] = {}
    for field in _PERSON_FIELDS:
        person_id = data.get(field)
        if person_id is None:
            continue
        # Any person may be named, not only those resources.person_list shows the user:
        # whoever is added to a team is, by definition, not on the user's projects yet.
        person = Person.objects.filter(pk=person_id).first()
        if person is None:
            problems[field] = [_("There is no person with id %(id)s.") % {"id": person_id}]
        resolved[field] = person
    portfolio_id = data.get("portfolio")
    if portfolio_id is not None:
        portfolio = selectors.portfolio_list(user=user).filter(pk=portfolio_id).first()
        if portfolio is None:
            problems["portfolio"] = [
                _("There is no portfolio with id %(id)s.") % {"id": portfolio_id}
            ]
        resolved["portfolio"] = portfolio
    if problems:
        raise UnknownReference(
            _("Some referenced objects do not exist: %s.") % ", ".join(sorted(problems)),
            fields=problems,
        )
    return resolved


def _membership_on(project: Project, membership_id: int) -> Membership:
    membership = selectors.project_members(project=project).filter(pk=membership_id).first()
    if membership is None:
        raise Http404(_("No such membership on this project."))
    return membership


def _portfolio_for(user, portfolio_id: int) -> Portfolio:
    portfolio = selectors.portfolio_list(user=user).filter(pk=portfolio_id).first()
    if portfolio is None:
        raise Http404(_("No such portfolio."))
    return portfolio


# --- projects -----------------------------------------------------------------------


@project_router.get(
    "", response=responses({200: list[ProjectOut]}, 400), summary="List visible projects"
)
@paginate(PageNumbers)
def project_list(
    request,
    status: ProjectStatus | None = None,
    portfolio: int | None = Query(None, ge=1, le=MAX_ID, description="Portfolio id."),
    manager: int | None = Query(None, ge=1, le=MAX_ID, description="Person id of the manager."),
    q: str | None = Query(None, max_length=200, description="Search code, name, description."),
):
    """Projects the caller may see, by code; filters combine."""
    return selectors.project_list(
        user=request.auth,
        status=status,
        portfolio_id=portfolio,
        manager_id=manager,
        search=q,
    )


@project_router.post(
    "", response=responses({201: ProjectOut}, 400, 403, 409, 422), summary="Create a project"
)
def project_create(request, payload: ProjectCreateIn):
    """Needs the project.create permission; the manager becomes a member."""
    user = request.auth
    require_perm(user, P.PROJECT_CREATE)
    data = _resolve_references(user, payload.model_dump())
    project = services.project_create(actor=user, **data)
    return Status(201, project)


@project_router.get(
    "/trash",
    response=responses({200: list[TrashedProjectOut]}, 400, 403),
    summary="List the projects in the trash",
)
@paginate(PageNumbers)
def trash_list(request):
    """PMO and administrators: deleted projects, most recent first, until purged."""
    require_perm(request.auth, P.TRASH_RESTORE)
    return selectors.trash_list()


@project_router.get(
    "/{project_id}", response=responses({200: ProjectOut}, 400, 404), summary="Get a project"
)
def project_get(request, project_id: ObjectId):
    return project_for(request.auth, project_id)


@project_router.patch(
    "/{project_id}",
    response=responses({200: ProjectOut}, 400, 403, 404, 409, 422),
    summary="Change a project",
)
def project_update(request, project_id: ObjectId, payload: ProjectPatchIn):
    """Send ``version`` and only the fields to change."""
    user = request.auth
    project = project_for(user, project_id, P.PROJECT_CHANGE)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    changes = _resolve_references(user, changes)
    return services.project_update(actor=user, project=project, expected_version=version, **changes)


@project_router.delete(
    "/{project_id}",
    response=responses({204: None}, 400, 403, 404, 409, 422),
    summary="Move a project to the trash",
)
def project_delete(
    request,
    project_id: ObjectId,
    version: int = Query(..., ge=1, le=MAX_ID, description="The version you read."),
):
    """PMO and administrators only. The project leaves every list with all it holds, and
    can be restored for 30 days (``POST .../restore``); then it is purged."""
    user = request.auth
    project = project_for(user, project_id)
    services.project_delete(actor=user, project=project, expected_version=version)
    return Status(204, None)


@project_router.post(
    "/{project_id}/restore",
    response=responses({200: ProjectOut}, 400, 403, 404, 409, 422),
    summary="Restore a project from the trash",
)
def project_restore(request, project_id: ObjectId, payload: ProjectRestoreIn):
    """PMO and administrators; the project comes back as it was, with all it held."""
    user = request.auth
    project = trashed_project_for(user, project_id, P.TRASH_RESTORE)
    return services.project_restore(actor=user, project=project, expected_version=payload.version)


@project_router.delete(
    "/{project_id}/purge",
    response=responses({200: list[PurgeCountOut]}, 400, 403, 404, 409, 422),
    summary="Purge a project in the trash for good",
)
def project_purge(
    request,
    project_id: ObjectId,
    version: int = Query(..., ge=1, le=MAX_ID, description="The version you read."),
):
    """Administrators only, and only for a project in the trash. Answers what was
    deleted, counted per kind; each deleted row's history names the caller."""
    user = request.auth
    project = trashed_project_for(user, project_id, P.TRASH_PURGE)
    counts = services.purge_counts(project)
    services.project_purge(actor=user, project=project, expected_version=version)
    return counts


@project_router.post(
    "/{project_id}/close",
    response=responses({200: ProjectOut}, 400, 403, 404, 409, 422),
    summary="Close or cancel a project",
)
def project_close(request, project_id: ObjectId, payload: ProjectCloseIn):
    user = request.auth
    project = project_for(user, project_id)
    return services.project_close(
        actor=user, project=project, expected_version=payload.version, status=payload.status
    )


@project_router.get(
    "/{project_id}/history",
    response=responses({200: list[HistoryEntryOut]}, 400, 404),
    summary="Who changed what on a project",
)
@paginate(PageNumbers)
def project_history_list(request, project_id: ObjectId):
    """Changes to the project and its memberships, newest first."""
    project = project_for(request.auth, project_id)
    return selectors.project_history(project_id=project.pk)


# --- memberships --------------------------------------------------------------------


@project_router.get(
    "/{project_id}/members",
    response=responses({200: list[MembershipOut]}, 400, 404),
    summary="List a project's members",
)
@paginate(PageNumbers)
def member_list(request, project_id: ObjectId):
    project = project_for(request.auth, project_id)
    return selectors.project_members(project=project)


@project_router.post(
    "/{project_id}/members",
    response=responses({201: MembershipOut}, 400, 403, 404, 409, 422),
    summary="Add a member to a project",
)
def member_add(request, project_id: ObjectId, payload: MembershipCreateIn):
    user = request.auth
    project = project_for(user, project_id, P.MEMBERS_MANAGE)
    data = _resolve_references(user, payload.model_dump())
    membership = services.membership_add(
        actor=user, project=project, person=data["person"], role=data["role"]
    )
    return Status(201, membership)


@project_router.patch(
    "/{project_id}/members/{membership_id}",
    response=responses({200: MembershipOut}, 400, 403, 404, 409, 422),
    summary="Change a member's role",
)
def member_update(
    request, project_id: ObjectId, membership_id: ObjectId, payload: MembershipPatchIn
):
    user = request.auth
    project = project_for(user, project_id)
    membership = _membership_on(project, membership_id)
    return services.membership_change_role(
        actor=user, membership=membership, role=payload.role, expected_version=payload.version
    )


@project_router.delete(
    "/{project_id}/members/{membership_id}",
    response=responses({204: None}, 400, 403, 404, 409, 422),
    summary="Remove a member from a project",
)
def member_remove(
    request,
    project_id: ObjectId,
    membership_id: ObjectId,
    version: int | None = Query(
        None, ge=1, le=MAX_ID, description="The version you read; a stale one answers 409."
    ),
):
    """``version`` is optional here: without it the membership is removed as it is now."""
    user = request.auth
    project = project_for(user, project_id)
    membership = _membership_on(project, membership_id)
    expected = membership.version if version is None else version
    services.membership_remove(actor=user, membership=membership, expected_version=expected)
    return Status(204, None)


# --- portfolios ---------------------------------------------------------------------


@portfolio_router.get(
    "", response=responses({200: list[PortfolioOut]}, 400), summary="List visible portfolios"
)
@paginate(PageNumbers)
def portfolio_list(
    request,
    q: str | None = Query(None, max_length=200, description="Search code and name."),
):
    """The PMO and readers of the portfolio see all; project members see their own."""
    portfolios = selectors.portfolio_list(user=request.auth)
    if q:
        portfolios = portfolios.filter(Q(code__icontains=q) | Q(name__icontains=q))
    return portfolios.order_by("name", "pk")


@portfolio_router.post(
    "",
    response=responses({201: PortfolioOut}, 400, 403, 409, 422),
    summary="Create a portfolio",
)
def portfolio_create(request, payload: PortfolioCreateIn):
    user = request.auth
    require_perm(user, P.PORTFOLIO_MANAGE)
    data = _resolve_references(user, payload.model_dump())
    return Status(201, services.portfolio_create(actor=user, **data))


@portfolio_router.get(
    "/{portfolio_id}",
    response=responses({200: PortfolioOut}, 400, 404),
    summary="Get a portfolio",
)
def portfolio_get(request, portfolio_id: ObjectId):
    return _portfolio_for(request.auth, portfolio_id)


@portfolio_router.patch(
    "/{portfolio_id}",
    response=responses({200: PortfolioOut}, 400, 403, 404, 409, 422),
    summary="Change a portfolio",
)
def portfolio_update(request, portfolio_id: ObjectId, payload: PortfolioPatchIn):
    user = request.auth
    portfolio = _portfolio_for(user, portfolio_id)
    require_perm(user, P.PORTFOLIO_MANAGE)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    changes = _resolve_references(user, changes)
    return services.portfolio_update(
        actor=user, portfolio=portfolio, expected_version=version, **changes
    )


@portfolio_router.delete(
    "/{portfolio_id}",
    response=responses({204: None}, 400, 403, 404, 409, 422),
    summary="Delete a portfolio",
)
def portfolio_delete(
    request,
    portfolio_id: ObjectId,
    version: int = Query(..., ge=1, le=MAX_ID, description="The version you read."),
):
    """Its projects stay, outside any portfolio."""
    user = request.auth
    portfolio = _portfolio_for(user, portfolio_id)
    require_perm(user, P.PORTFOLIO_MANAGE)
    services.portfolio_delete(actor=user, portfolio=portfolio, expected_version=version)
    return Status(204, None)
