"""A plan's saved baselines (0–10): list, save, read with their tasks, delete."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from steerco.accounts.rules import P, project_for
from steerco.core.api import MAX_ID, ObjectId, PageNumbers, responses

from .. import selectors, services
from ..schemas import (
    BaselineCreateIn,
    BaselineDetailOut,
    BaselineNumber,
    BaselineOut,
    BaselineTaskOut,
)
from .common import baseline_on, operation_id

router = Router()


@router.get(
    "/{project_id}/baselines",
    response=responses({200: list[BaselineOut]}, 400, 404),
    summary="List saved baselines",
    operation_id=operation_id("baseline_list"),
)
@paginate(PageNumbers)
def baseline_list(request, project_id: ObjectId):
    project = project_for(request.auth, project_id)
    return selectors.baseline_list(project=project)


@router.post(
    "/{project_id}/baselines",
    response=responses({201: BaselineOut}, 400, 403, 404, 409, 422),
    summary="Save a baseline",
    operation_id=operation_id("baseline_save"),
)
def baseline_save(request, project_id: ObjectId, payload: BaselineCreateIn):
    """Saves the current schedule as baseline ``number``. Overwriting a saved one needs
    its ``version`` (409 with the stored baseline otherwise); a protected one also needs
    the project manager or the PMO (403) and a ``reason`` (422)."""
    user = request.auth
    project = project_for(user, project_id, P.PLAN_CHANGE)
    baseline = services.baseline_save(
        actor=user,
        project=project,
        number=payload.number,
        name=payload.name,
        expected_version=payload.version,
        protect=payload.protected,
        reason=payload.reason,
    )
    return Status(201, baseline)


@router.get(
    "/{project_id}/baselines/{baseline_number}",
    response=responses({200: BaselineDetailOut}, 400, 404),
    summary="A baseline with its variances",
    operation_id=operation_id("baseline_get"),
)
def baseline_get(request, project_id: ObjectId, baseline_number: BaselineNumber):
    """Each saved task beside its current dates; variances are working minutes of the
    plan calendar, current minus baseline (positive = later or longer). A task removed
    since has no current dates; a plan that cannot be scheduled now has no variances."""
    project = project_for(request.auth, project_id)
    baseline = baseline_on(project, baseline_number)
    view = selectors.plan_view(project=project)
    variances = {}
    if view.schedule is not None:
        engine = selectors.baseline_engine(project=project, inputs=view.inputs)
        variances = engine.variances(view.schedule, baseline.number)
    position = {row.task.uid: row.task.position for row in view.rows}
    saved = sorted(
        baseline.tasks.all(), key=lambda row: (position.get(row.task_uid, MAX_ID), row.task_uid)
    )
    tasks = []
    for row in saved:
        current = view.schedule.tasks.get(row.task_uid) if view.schedule else None
        variance = variances.get(row.task_uid)
        tasks.append(
            BaselineTaskOut(
                uid=row.task_uid,
                name=row.name,
                baseline_start=row.start,
                baseline_finish=row.finish,
                baseline_duration_minutes=row.duration_minutes,
                start=current.start if current else None,
                finish=current.finish if current else None,
                start_variance_minutes=variance.start_minutes if variance else None,
                finish_variance_minutes=variance.finish_minutes if variance else None,
                duration_variance_minutes=variance.duration_minutes if variance else None,
            )
        )
    summary = BaselineOut.from_orm(baseline).model_dump()
    return BaselineDetailOut(**summary, schedule_error=view.error, tasks=tasks)


@router.delete(
    "/{project_id}/baselines/{baseline_number}",
    response=responses({204: None}, 400, 403, 404, 409, 422),
    summary="Delete a baseline",
    operation_id=operation_id("baseline_delete"),
)
def baseline_delete(
    request,
    project_id: ObjectId,
    baseline_number: BaselineNumber,
    version: int | None = Query(
        None, ge=1, le=MAX_ID, description="The version you read; if given, 409 unless current."
    ),
    reason: str = Query(
        "", max_length=500, description="Required for a protected baseline; kept in history."
    ),
):
    """A protected baseline may be deleted only by the project manager or the PMO (403),
    with a ``reason`` (422)."""
    user = request.auth
    project = project_for(user, project_id, P.PLAN_CHANGE)
    services.baseline_delete(
        actor=user,
        baseline=baseline_on(project, baseline_number),
        expected_version=version,
        reason=reason,
    )
    return Status(204, None)
