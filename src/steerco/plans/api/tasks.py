"""A plan's tasks: list, create, read, change, delete, and the outline changes
(indent, outdent, move)."""

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from steerco.accounts.rules import P, project_for
from steerco.core.api import MAX_ID, ObjectId, PageNumbers, responses
from steerco.core.exceptions import DomainError
from steerco.core.versioning import locked_at_version

from .. import services
from ..schemas import TaskCreateIn, TaskMoveIn, TaskOut, TaskOutlineIn, TaskPatchIn
from .common import (
    assignments_set,
    assignments_wanted,
    operation_id,
    plan_tasks,
    resolve_references,
    task_on,
    task_out,
    task_values,
)

router = Router()


@router.get(
    "/{project_id}/tasks",
    response=responses({200: list[TaskOut]}, 400, 404),
    summary="List a plan's tasks",
    operation_id=operation_id("task_list"),
)
@paginate(PageNumbers)
def task_list(request, project_id: ObjectId):
    """In outline order: each summary task is followed by its subtasks."""
    project = project_for(request.auth, project_id)
    return plan_tasks(project)


@router.post(
    "/{project_id}/tasks",
    response=responses({201: TaskOut}, 400, 403, 404, 409, 422),
    summary="Add a task",
    operation_id=operation_id("task_create"),
)
def task_create(request, project_id: ObjectId, payload: TaskCreateIn):
    """Goes after ``after`` (as its sibling), or last under ``parent``, or at the end."""
    user = request.auth
    project = project_for(user, project_id, P.PLAN_CHANGE)
    data = payload.model_dump(exclude_unset=True)
    if data.get("after") is not None and data.get("parent") is not None:
        message = _("Give either 'after' or 'parent', not both.")
        raise DomainError(message, fields={"after": [message], "parent": [message]})
    wanted = assignments_wanted(data)
    data = task_values(resolve_references(project, data))
    with transaction.atomic():
        task = services.task_create(actor=user, project=project, **data)
        if wanted is not None:
            assignments_set(user, task, wanted)
    return Status(201, task_out(project, task))


@router.get(
    "/{project_id}/tasks/{task_id}",
    response=responses({200: TaskOut}, 400, 404),
    summary="Get a task",
    operation_id=operation_id("task_get"),
)
def task_get(request, project_id: ObjectId, task_id: ObjectId):
    project = project_for(request.auth, project_id)
    return task_out(project, task_on(project, task_id))


@router.patch(
    "/{project_id}/tasks/{task_id}",
    response=responses({200: TaskOut}, 400, 403, 404, 409, 422),
    summary="Change a task",
    operation_id=operation_id("task_update"),
)
def task_update(request, project_id: ObjectId, task_id: ObjectId, payload: TaskPatchIn):
    """Send ``version`` and only the fields to change. A team member may change only the
    progress (``percent_complete``, ``actual_start``, ``actual_finish``,
    ``remaining_duration_minutes``) of tasks assigned to them.

    ``resources`` or ``assignments`` replace the task's assignments (people of the
    directory by name); with other fields, all are saved or none."""
    user = request.auth
    project = project_for(user, project_id)
    task = task_on(project, task_id)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    wanted = assignments_wanted(changes)
    changes = task_values(resolve_references(project, changes))
    with transaction.atomic():
        task = services.task_update(actor=user, task=task, expected_version=version, **changes)
        if wanted is not None:
            assignments_set(user, task, wanted)
    return task_out(project, task)


@router.delete(
    "/{project_id}/tasks/{task_id}",
    response=responses({204: None}, 400, 403, 404, 409, 422),
    summary="Delete a task",
    operation_id=operation_id("task_delete"),
)
def task_delete(
    request,
    project_id: ObjectId,
    task_id: ObjectId,
    version: int = Query(..., ge=1, le=MAX_ID, description="The version you read."),
):
    """Its subtasks and the dependencies of all of them go too."""
    user = request.auth
    project = project_for(user, project_id, P.PLAN_CHANGE)
    task = task_on(project, task_id)
    services.task_delete(actor=user, task=task, expected_version=version)
    return Status(204, None)


def _outline_change(request, project_id: int, task_id: int, version: int | None, change):
    user = request.auth
    project = project_for(user, project_id, P.PLAN_CHANGE)
    task = task_on(project, task_id)
    with transaction.atomic():
        if version is not None:
            task = locked_at_version(task, expected_version=version)
        task = change(user, task)
    return task_out(project, task)


@router.post(
    "/{project_id}/tasks/{task_id}/indent",
    response=responses({200: TaskOut}, 400, 403, 404, 409, 422),
    summary="Indent a task",
    operation_id=operation_id("task_indent"),
)
def task_indent(
    request, project_id: ObjectId, task_id: ObjectId, payload: TaskOutlineIn | None = None
):
    """The task becomes the last subtask of the sibling above it. The body is optional."""
    return _outline_change(
        request,
        project_id,
        task_id,
        payload.version if payload else None,
        lambda user, task: services.task_indent(actor=user, task=task),
    )


@router.post(
    "/{project_id}/tasks/{task_id}/outdent",
    response=responses({200: TaskOut}, 400, 403, 404, 409, 422),
    summary="Outdent a task",
    operation_id=operation_id("task_outdent"),
)
def task_outdent(
    request, project_id: ObjectId, task_id: ObjectId, payload: TaskOutlineIn | None = None
):
    """The task moves up one level; the siblings below it become its subtasks, as in
    Microsoft Project. The body is optional."""
    return _outline_change(
        request,
        project_id,
        task_id,
        payload.version if payload else None,
        lambda user, task: services.task_outdent(actor=user, task=task),
    )


@router.post(
    "/{project_id}/tasks/{task_id}/move",
    response=responses({200: TaskOut}, 400, 403, 404, 409, 422),
    summary="Move a task up or down",
    operation_id=operation_id("task_move"),
)
def task_move(request, project_id: ObjectId, task_id: ObjectId, payload: TaskMoveIn):
    """Swaps the task, with its subtasks, with the sibling above or below it."""
    return _outline_change(
        request,
        project_id,
        task_id,
        payload.version,
        lambda user, task: services.task_move(actor=user, task=task, direction=payload.direction),
    )
