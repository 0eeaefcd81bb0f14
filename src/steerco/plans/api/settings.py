"""The plan's settings: /api/v1/projects/{project_id}/plan."""

from ninja import Router

from steerco.accounts.rules import P, project_for
from steerco.core.api import ObjectId, responses

from .. import selectors, services
from ..schemas import PlanOut, PlanPatchIn
from .common import operation_id, resolve_references

router = Router()


@router.get(
    "/{project_id}/plan",
    response=responses({200: PlanOut}, 400, 404),
    summary="Plan settings",
    operation_id=operation_id("plan_get"),
)
def plan_get(request, project_id: ObjectId):
    """Until first changed, a plan has defaults: it starts on the project's planned start."""
    project = project_for(request.auth, project_id)
    return selectors.plan_settings_get(project=project)


@router.patch(
    "/{project_id}/plan",
    response=responses({200: PlanOut}, 400, 403, 404, 409, 422),
    summary="Change plan settings",
    operation_id=operation_id("plan_update"),
)
def plan_update(request, project_id: ObjectId, payload: PlanPatchIn):
    """Send ``version`` and only the fields to change."""
    user = request.auth
    project = project_for(user, project_id, P.PLAN_CHANGE)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    changes = resolve_references(project, changes)
    return services.plan_update(actor=user, project=project, expected_version=version, **changes)
