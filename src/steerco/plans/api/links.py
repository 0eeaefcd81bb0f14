"""A plan's dependencies (task links)."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from steerco.accounts.rules import P, project_for
from steerco.core.api import MAX_ID, ObjectId, PageNumbers, responses

from .. import services
from ..models import TaskLink
from ..schemas import LinkCreateIn, LinkOut, LinkPatchIn
from .common import link_on, operation_id, resolve_references, task_values

router = Router()


@router.get(
    "/{project_id}/task-links",
    response=responses({200: list[LinkOut]}, 400, 404),
    summary="List a plan's dependencies",
    operation_id=operation_id("link_list"),
)
@paginate(PageNumbers)
def link_list(request, project_id: ObjectId):
    """In the outline order of the successors, then of their predecessors."""
    project = project_for(request.auth, project_id)
    return TaskLink.objects.filter(project=project).order_by(
        "successor__position", "predecessor__position", "pk"
    )


@router.post(
    "/{project_id}/task-links",
    response=responses({201: LinkOut}, 400, 403, 404, 409, 422),
    summary="Add a dependency",
    operation_id=operation_id("link_create"),
)
def link_create(request, project_id: ObjectId, payload: LinkCreateIn):
    """Refused (422, naming the tasks) if it would close a dependency loop."""
    user = request.auth
    project = project_for(user, project_id, P.PLAN_CHANGE)
    data = task_values(resolve_references(project, payload.model_dump()))
    link = services.link_create(actor=user, project=project, **data)
    return Status(201, link)


@router.get(
    "/{project_id}/task-links/{link_id}",
    response=responses({200: LinkOut}, 400, 404),
    summary="Get a dependency",
    operation_id=operation_id("link_get"),
)
def link_get(request, project_id: ObjectId, link_id: ObjectId):
    project = project_for(request.auth, project_id)
    return link_on(project, link_id)


@router.patch(
    "/{project_id}/task-links/{link_id}",
    response=responses({200: LinkOut}, 400, 403, 404, 409, 422),
    summary="Change a dependency's type or lag",
    operation_id=operation_id("link_update"),
)
def link_update(request, project_id: ObjectId, link_id: ObjectId, payload: LinkPatchIn):
    """To link other tasks, delete the dependency and add a new one."""
    user = request.auth
    project = project_for(user, project_id, P.PLAN_CHANGE)
    link = link_on(project, link_id)
    changes = task_values(payload.model_dump(exclude_unset=True))
    version = changes.pop("version")
    return services.link_update(actor=user, link=link, expected_version=version, **changes)


@router.delete(
    "/{project_id}/task-links/{link_id}",
    response=responses({204: None}, 400, 403, 404, 409, 422),
    summary="Delete a dependency",
    operation_id=operation_id("link_delete"),
)
def link_delete(
    request,
    project_id: ObjectId,
    link_id: ObjectId,
    version: int = Query(..., ge=1, le=MAX_ID, description="The version you read."),
):
    user = request.auth
    project = project_for(user, project_id, P.PLAN_CHANGE)
    link = link_on(project, link_id)
    services.link_delete(actor=user, link=link, expected_version=version)
    return Status(204, None)
