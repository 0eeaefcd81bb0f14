"""A project's plan over HTTP (/api/v1/projects/{project_id}/...): its settings, tasks,
dependencies (task links), baselines, the computed schedule, and plan files in and out.

Each endpoint fetches the project through the permission rules (unknown or invisible →
404, visible but not allowed → 403), turns id references into objects of this project
(unknown → 422 naming the field), and calls one service or selector, which keep the plan
schedulable (a dependency loop is a 422 naming the tasks, and nothing is saved); the
error answers themselves are produced in steerco.core.api.
"""

import datetime as dt
from dataclasses import asdict

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Value
from django.http import Http404, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from steerco.accounts.rules import P, project_for
from steerco.core.api import (
    MAX_ID,
    ObjectId,
    PageNumbers,
    register_conflict_schema,
    responses,
)
from steerco.core.exceptions import DomainError
from steerco.core.versioning import locked_at_version
from steerco.engine.interop.schedule_json import (
    StatusDateError,
    schedule_as_json,
    status_date_from_text,
)
from steerco.engine.scheduling import ScheduleError, schedule_plan
from steerco.resources.models import Person

from . import selectors, services, transfer
from .adapters import Unschedulable, plan_inputs
from .calendars import services as calendar_services
from .models import Baseline, CalendarException, ProjectPlan, Task, TaskLink, WorkCalendar
from .schemas import (
    LOCAL_TIME_ONLY,
    BaselineCreateIn,
    BaselineDetailOut,
    BaselineNumber,
    BaselineOut,
    BaselineTaskOut,
    CalendarCreateIn,
    CalendarExceptionIn,
    CalendarExceptionOut,
    CalendarOut,
    CalendarPatchIn,
    ExportFormat,
    ImportRefusedOut,
    ImportReportOut,
    LinkCreateIn,
    LinkOut,
    LinkPatchIn,
    PlanOut,
    PlanPatchIn,
    ScheduleOut,
    TaskCreateIn,
    TaskMoveIn,
    TaskOut,
    TaskOutlineIn,
    TaskPatchIn,
)

plan_router = Router(tags=["plans"])

register_conflict_schema(ProjectPlan, PlanOut)
register_conflict_schema(Task, TaskOut)
register_conflict_schema(TaskLink, LinkOut)
register_conflict_schema(WorkCalendar, CalendarOut)


class UnknownReference(DomainError):
    code = "unknown_reference"


# --- fetching and references --------------------------------------------------------


def plan_tasks(project):
    """The project's tasks in outline order, with what TaskOut needs in a fixed number of
    queries whatever the page size: whether each has subtasks, its incoming links with
    their predecessors, and the plan's minutes per day (for lags in days)."""
    minutes_per_day = selectors.plan_settings_get(project=project).minutes_per_day
    return (
        Task.objects.filter(project=project)
        .annotate(
            has_children=Exists(Task.objects.filter(parent=OuterRef("pk"))),
            plan_minutes_per_day=Value(minutes_per_day),
        )
        .prefetch_related(
            Prefetch(
                "predecessor_links",
                queryset=TaskLink.objects.select_related("predecessor").order_by(
                    "predecessor__position"
                ),
            )
        )
        .order_by("position", "pk")
    )


def _task_on(project, task_id: int) -> Task:
    task = Task.objects.filter(project=project, pk=task_id).select_related("project").first()
    if task is None:
        raise Http404(_("No such task in this project."))
    return task


def _link_on(project, link_id: int) -> TaskLink:
    link = TaskLink.objects.filter(project=project, pk=link_id).select_related("project").first()
    if link is None:
        raise Http404(_("No such dependency in this project."))
    return link


def _baseline_on(project, number: int) -> Baseline:
    baseline = selectors.baseline_list(project=project).filter(number=number).first()
    if baseline is None:
        raise Http404(_("Baseline %(number)s has not been saved.") % {"number": number})
    return baseline


_TASK_REFERENCES = ("after", "parent", "predecessor", "successor")


def _resolve_references(project, data: dict) -> dict:
    """Replace id references in ``data`` by the objects they name, within this project.

    Tasks resolve among the project's own tasks, calendars among its calendars and the
    organisation's, so an id cannot reach into another project. All unknown ids are
    reported together, each under its own field.
    """
    resolved = dict(data)
    problems: dict[str, list[str]] = {}
    for field in _TASK_REFERENCES:
        task_id = data.get(field)
        if task_id is None:
            continue
        task = Task.objects.filter(project=project, pk=task_id).first()
        if task is None:
            problems[field] = [
                _("There is no task with id %(id)s in this project.") % {"id": task_id}
            ]
        resolved[field] = task
    calendar_id = data.get("calendar")
    if calendar_id is not None:
        calendar = (
            WorkCalendar.objects.filter(Q(project=project) | Q(project__isnull=True))
            .filter(pk=calendar_id)
            .first()
        )
        if calendar is None:
            problems["calendar"] = [
                _("There is no calendar with id %(id)s for this project.") % {"id": calendar_id}
            ]
        resolved["calendar"] = calendar
    person_id = data.get("assignee")
    if person_id is not None:
        # Any person may be assigned, as anyone may be added to a project's team.
        person = Person.objects.filter(pk=person_id).first()
        if person is None:
            problems["assignee"] = [_("There is no person with id %(id)s.") % {"id": person_id}]
        resolved["assignee"] = person
    if problems:
        raise UnknownReference(
            _("Some referenced objects do not exist: %s.") % ", ".join(sorted(problems)),
            fields=problems,
        )
    return resolved


def _task_values(data: dict) -> dict:
    """API names of choices (``"SNET"``, ``"FS"``) to the stored codes."""
    if data.get("constraint_type") is not None:
        data["constraint_type"] = Task.Constraint[data["constraint_type"]].value
    if data.get("type") is not None:
        data["type"] = TaskLink.Type[data["type"]].value
    return data


def _task_out(project, task: Task) -> Task:
    return plan_tasks(project).get(pk=task.pk)


# --- plan settings ------------------------------------------------------------------


@plan_router.get(
    "/{project_id}/plan", response=responses({200: PlanOut}, 400, 404), summary="Plan settings"
)
def plan_get(request, project_id: ObjectId):
    """Until first changed, a plan has defaults: it starts on the project's planned start."""
    project = project_for(request.auth, project_id)
    return selectors.plan_settings_get(project=project)


@plan_router.patch(
    "/{project_id}/plan",
    response=responses({200: PlanOut}, 400, 403, 404, 409, 422),
    summary="Change plan settings",
)
def plan_update(request, project_id: ObjectId, payload: PlanPatchIn):
    """Send ``version`` and only the fields to change."""
    user = request.auth
    project = project_for(user, project_id, P.PLAN_CHANGE)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    changes = _resolve_references(project, changes)
    return services.plan_update(actor=user, project=project, expected_version=version, **changes)


# --- tasks --------------------------------------------------------------------------


@plan_router.get(
    "/{project_id}/tasks",
    response=responses({200: list[TaskOut]}, 400, 404),
    summary="List a plan's tasks",
)
@paginate(PageNumbers)
def task_list(request, project_id: ObjectId):
    """In outline order: each summary task is followed by its subtasks."""
    project = project_for(request.auth, project_id)
    return plan_tasks(project)


@plan_router.post(
    "/{project_id}/tasks",
    response=responses({201: TaskOut}, 400, 403, 404, 409, 422),
    summary="Add a task",
)
def task_create(request, project_id: ObjectId, payload: TaskCreateIn):
    """Goes after ``after`` (as its sibling), or last under ``parent``, or at the end."""
    user = request.auth
    project = project_for(user, project_id, P.PLAN_CHANGE)
    data = payload.model_dump(exclude_unset=True)
    if data.get("after") is not None and data.get("parent") is not None:
        message = _("Give either 'after' or 'parent', not both.")
        raise DomainError(message, fields={"after": [message], "parent": [message]})
    data = _task_values(_resolve_references(project, data))
    task = services.task_create(actor=user, project=project, **data)
    return Status(201, _task_out(project, task))


@plan_router.get(
    "/{project_id}/tasks/{task_id}",
    response=responses({200: TaskOut}, 400, 404),
    summary="Get a task",
)
def task_get(request, project_id: ObjectId, task_id: ObjectId):
    project = project_for(request.auth, project_id)
    return _task_out(project, _task_on(project, task_id))


@plan_router.patch(
    "/{project_id}/tasks/{task_id}",
    response=responses({200: TaskOut}, 400, 403, 404, 409, 422),
    summary="Change a task",
)
def task_update(request, project_id: ObjectId, task_id: ObjectId, payload: TaskPatchIn):
    """Send ``version`` and only the fields to change. A team member may change only the
    progress (``percent_complete``, ``actual_start``, ``actual_finish``,
    ``remaining_duration_minutes``) of tasks assigned to them."""
    user = request.auth
    project = project_for(user, project_id)
    task = _task_on(project, task_id)
    changes = payload.model_dump(exclude_unset=True)
    version = changes.pop("version")
    changes = _task_values(_resolve_references(project, changes))
    task = services.task_update(actor=user, task=task, expected_version=version, **changes)
    return _task_out(project, task)


@plan_router.delete(
    "/{project_id}/tasks/{task_id}",
    response=responses({204: None}, 400, 403, 404, 409, 422),
    summary="Delete a task",
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
    task = _task_on(project, task_id)
    services.task_delete(actor=user, task=task, expected_version=version)
    return Status(204, None)


def _outline_change(request, project_id: int, task_id: int, version: int | None, change):
    user = request.auth
    project = project_for(user, project_id, P.PLAN_CHANGE)
    task = _task_on(project, task_id)
    with transaction.atomic():
        if version is not None:
            task = locked_at_version(task, expected_version=version)
        task = change(user, task)
    return _task_out(project, task)


@plan_router.post(
    "/{project_id}/tasks/{task_id}/indent",
    response=responses({200: TaskOut}, 400, 403, 404, 409, 422),
    summary="Indent a task",
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


@plan_router.post(
    "/{project_id}/tasks/{task_id}/outdent",
    response=responses({200: TaskOut}, 400, 403, 404, 409, 422),
    summary="Outdent a task",
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


@plan_router.post(
    "/{project_id}/tasks/{task_id}/move",
    response=responses({200: TaskOut}, 400, 403, 404, 409, 422),
    summary="Move a task up or down",
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


# --- dependencies -------------------------------------------------------------------


@plan_router.get(
    "/{project_id}/task-links",
    response=responses({200: list[LinkOut]}, 400, 404),
    summary="List a plan's dependencies",
)
@paginate(PageNumbers)
def link_list(request, project_id: ObjectId):
    """In the outline order of the successors, then of their predecessors."""
    project = project_for(request.auth, project_id)
    return TaskLink.objects.filter(project=project).order_by(
        "successor__position", "predecessor__position", "pk"
    )


@plan_router.post(
    "/{project_id}/task-links",
    response=responses({201: LinkOut}, 400, 403, 404, 409, 422),
    summary="Add a dependency",
)
def link_create(request, project_id: ObjectId, payload: LinkCreateIn):
    """Refused (422, naming the tasks) if it would close a dependency loop."""
    user = request.auth
    project = project_for(user, project_id, P.PLAN_CHANGE)
    data = _task_values(_resolve_references(project, payload.model_dump()))
    link = services.link_create(actor=user, project=project, **data)
    return Status(201, link)


@plan_router.get(
    "/{project_id}/task-links/{link_id}",
    response=responses({200: LinkOut}, 400, 404),
    summary="Get a dependency",
)
def link_get(request, project_id: ObjectId, link_id: ObjectId):
    project = project_for(request.auth, project_id)
    return _link_on(project, link_id)


@plan_router.patch(
    "/{project_id}/task-links/{link_id}",
    response=responses({200: LinkOut}, 400, 403, 404, 409, 422),
    summary="Change a dependency's type or lag",
)
def link_update(request, project_id: ObjectId, link_id: ObjectId, payload: LinkPatchIn):
    """To link other tasks, delete the dependency and add a new one."""
    user = request.auth
    project = project_for(user, project_id, P.PLAN_CHANGE)
    link = _link_on(project, link_id)
    changes = _task_values(payload.model_dump(exclude_unset=True))
    version = changes.pop("version")
    return services.link_update(actor=user, link=link, expected_version=version, **changes)


@plan_router.delete(
    "/{project_id}/task-links/{link_id}",
    response=responses({204: None}, 400, 403, 404, 409, 422),
    summary="Delete a dependency",
)
def link_delete(
    request,
    project_id: ObjectId,
    link_id: ObjectId,
    version: int = Query(..., ge=1, le=MAX_ID, description="The version you read."),
):
    user = request.auth
    project = project_for(user, project_id, P.PLAN_CHANGE)
    link = _link_on(project, link_id)
    services.link_delete(actor=user, link=link, expected_version=version)
    return Status(204, None)


# --- baselines ----------------------------------------------------------------------


@plan_router.get(
    "/{project_id}/baselines",
    response=responses({200: list[BaselineOut]}, 400, 404),
    summary="List saved baselines",
)
@paginate(PageNumbers)
def baseline_list(request, project_id: ObjectId):
    project = project_for(request.auth, project_id)
    return selectors.baseline_list(project=project)


@plan_router.post(
    "/{project_id}/baselines",
    response=responses({201: BaselineOut}, 400, 403, 404, 409, 422),
    summary="Save a baseline",
)
def baseline_save(request, project_id: ObjectId, payload: BaselineCreateIn):
    """Saves the current schedule as baseline ``number``, replacing any saved under it."""
    user = request.auth
    project = project_for(user, project_id, P.PLAN_CHANGE)
    baseline = services.baseline_save(
        actor=user, project=project, number=payload.number, name=payload.name
    )
    return Status(201, baseline)


@plan_router.get(
    "/{project_id}/baselines/{baseline_number}",
    response=responses({200: BaselineDetailOut}, 400, 404),
    summary="A baseline with its variances",
)
def baseline_get(request, project_id: ObjectId, baseline_number: BaselineNumber):
    """Each saved task beside its current dates; variances are working minutes of the
    plan calendar, current minus baseline (positive = later or longer). A task removed
    since has no current dates; a plan that cannot be scheduled now has no variances."""
    project = project_for(request.auth, project_id)
    baseline = _baseline_on(project, baseline_number)
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


@plan_router.delete(
    "/{project_id}/baselines/{baseline_number}",
    response=responses({204: None}, 400, 403, 404, 422),
    summary="Delete a baseline",
)
def baseline_delete(request, project_id: ObjectId, baseline_number: BaselineNumber):
    user = request.auth
    project = project_for(user, project_id, P.PLAN_CHANGE)
    services.baseline_delete(actor=user, baseline=_baseline_on(project, baseline_number))
    return Status(204, None)


# --- the computed schedule ----------------------------------------------------------


def _status_moment(text: str, calendar) -> dt.datetime:
    """``?status_date=`` as a local datetime, read as ``steerco schedule --status-date``."""
    try:
        moment = status_date_from_text(text, calendar)
    except StatusDateError as error:
        raise HttpError(400, f"status_date {error}") from None
    if moment.tzinfo is not None:
        raise HttpError(400, _("status_date: %s.") % LOCAL_TIME_ONLY)
    return moment


@plan_router.get(
    "/{project_id}/schedule",
    response=responses({200: ScheduleOut}, 400, 404, 422),
    summary="The computed schedule",
)
def schedule_get(
    request,
    project_id: ObjectId,
    status_date: str | None = Query(
        None,
        max_length=40,
        description="Schedule as of this local date or date and time instead of the "
        "plan's status date (a date alone = the end of that working day).",
    ),
):
    """The same shape as ``steerco schedule --format json``; ``uid`` is each task's uid.
    A plan that cannot be scheduled (e.g. a dependency loop) answers 422 saying why."""
    project = project_for(request.auth, project_id)
    inputs = plan_inputs(project, selectors.plan_settings_get(project=project))
    if status_date:
        inputs.plan.status_date = _status_moment(status_date, inputs.plan.calendar)
    try:
        schedule = schedule_plan(inputs.plan)
    except ScheduleError as error:
        raise Unschedulable(error) from None
    return schedule_as_json(inputs.plan, schedule)


# --- plan files ---------------------------------------------------------------------

_UPLOAD_HELP = (
    "A Microsoft Project XML (MSPDI), SteerCo JSON plan, CSV or XLSX task list as the "
    "multipart form field `file`; or a SteerCo JSON plan as the request body."
)
_FILE_SCHEMA = {"type": "string", "format": "binary"}
# The upload is read in the view rather than declared as a ninja File parameter, so that
# a broken multipart body is answered in the API's error shape instead of failing while
# the parameters are parsed; the request body is documented here instead.
_IMPORT_BODY = {
    "requestBody": {
        "description": _UPLOAD_HELP,
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": _FILE_SCHEMA},
                    "required": ["file"],
                }
            },
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": 'A SteerCo JSON plan ("format": "steerco-plan").',
                }
            },
        },
    }
}
_EXPORT_CONTENT = {
    "responses": {
        200: {
            "description": "The plan file, as an attachment.",
            "content": {
                "application/xml": {"schema": _FILE_SCHEMA},
                "application/json": {
                    "schema": {"type": "object", "description": "A SteerCo JSON plan."}
                },
                "text/csv": {"schema": _FILE_SCHEMA},
                transfer.FORMATS["xlsx"][0]: {"schema": _FILE_SCHEMA},
            },
        }
    }
}


_FORMAT_QUERY = Query(
    "mspdi", alias="format", description="mspdi (Microsoft Project XML), json, csv or xlsx."
)


def _too_large() -> HttpError:
    limit = transfer.MAX_IMPORT_BYTES // (1024 * 1024)
    return HttpError(413, _("The file is larger than %(n)d MB.") % {"n": limit})


def _uploaded_bytes(request) -> tuple[bytes, str]:
    """The file sent and its name; read only after the permission check, so a request
    without one is still told 404/403 first."""
    try:
        file = request.FILES.get("file")
    except RequestDataTooBig:
        raise _too_large() from None
    except (MultiPartParserError, SuspiciousOperation):
        raise HttpError(400, _("The upload is not valid multipart form data.")) from None
    if file is not None:
        if file.size is not None and file.size > transfer.MAX_IMPORT_BYTES:
            raise _too_large()
        return file.read(), file.name or ""
    if request.content_type == "application/json":
        try:
            return request.body, "plan.json"
        except RequestDataTooBig:
            raise HttpError(
                413, _("The request body is too large; upload the plan as a file instead.")
            ) from None
    raise HttpError(400, _UPLOAD_HELP)


@plan_router.post(
    "/{project_id}/plan/import",
    response={**responses({200: ImportReportOut}, 400, 403, 404, 413), 422: ImportRefusedOut},
    summary="Replace the plan with a file's",
    openapi_extra=_IMPORT_BODY,
)
def plan_import(request, project_id: ObjectId):
    """All or nothing: the tasks, dependencies, calendars and (from MSPDI) baselines of the
    file replace the plan's, or nothing changes and the answer (422) lists every problem,
    per row for task lists."""
    user = request.auth
    project = project_for(user, project_id, P.PLAN_CHANGE)
    data, filename = _uploaded_bytes(request)
    if not data.strip():
        raise HttpError(400, _("The file is empty."))
    try:
        report = transfer.plan_import(actor=user, project=project, data=data, filename=filename)
    except transfer.PlanImportError as refused:
        problems = [asdict(problem) for problem in refused.problems]
        fields = refused.fields or ({} if problems else {"file": [refused.message]})
        return Status(
            422,
            {
                "detail": refused.message,
                "code": refused.code,
                "fields": fields,
                "problems": problems,
            },
        )
    return report


@plan_router.get(
    "/{project_id}/plan/export",
    response=responses({200: None}, 400, 404),
    summary="Download the plan as a file",
    openapi_extra=_EXPORT_CONTENT,
)
def plan_export(
    request,
    project_id: ObjectId,
    file_format: ExportFormat = _FORMAT_QUERY,
):
    user = request.auth
    project = project_for(user, project_id)
    content, content_type, filename = transfer.plan_export(
        actor=user, project=project, fmt=file_format
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- calendars ----------------------------------------------------------------------


def _project_calendars(project):
    """The calendars a project can see: its own, then the organisation-wide ones."""
    # NULLs sort first on PostgreSQL and last on SQLite unless told: say where they go.
    return WorkCalendar.objects.filter(Q(project=project) | Q(project__isnull=True)).order_by(
        F("project_id").asc(nulls_last=True), "name", "pk"
    )


def _calendar_on(project, calendar_id: int) -> WorkCalendar:
    calendar = _project_calendars(project).filter(pk=calendar_id).select_related("project").first()
    if calendar is None:
        raise Http404(_("No such calendar in this project."))
    return calendar


def _calendar_base(data: dict) -> dict:
    if data.get("base") is not None:
        base = WorkCalendar.objects.filter(pk=data["base"], project__isnull=True).first()
        if base is None:
            message = _("No organisation calendar has id %(id)s.") % {"id": data["base"]}
            raise UnknownReference(message, fields={"base": [message]})
        data["base"] = base
    return data


@plan_router.get(
    "/{project_id}/calendars",
    response=responses({200: list[CalendarOut]}, 400, 404),
    summary="List the calendars a plan can use",
)
@paginate(PageNumbers)
def calendar_list(request, project_id: ObjectId):
    """The project's own calendars first, then the organisation-wide base calendars."""
    project = project_for(request.auth, project_id)
    return _project_calendars(project)


@plan_router.post(
    "/{project_id}/calendars",
    response=responses({201: CalendarOut}, 400, 403, 404, 409, 422),
    summary="Add a project calendar",
)
def calendar_create(request, project_id: ObjectId, payload: CalendarCreateIn):
    """Without ``week``, Monday to Friday 08:00–12:00, 13:00–17:00; ``country`` adds that
    country's public holidays (an unknown one is a 422 naming it)."""
    user = request.auth
    project = project_for(user, project_id, P.PLAN_CHANGE)
    data = _calendar_base(payload.model_dump(exclude_unset=True))
    calendar = calendar_services.calendar_create(actor=user, project=project, **data)
    return Status(201, calendar)


@plan_router.get(
    "/{project_id}/calendars/{calendar_id}",
    response=responses({200: CalendarOut}, 400, 404),
    summary="Get a calendar",
)
def calendar_get(request, project_id: ObjectId, calendar_id: ObjectId):
    project = project_for(request.auth, project_id)
    return _calendar_on(project, calendar_id)


@plan_router.patch(
    "/{project_id}/calendars/{calendar_id}",
    response=responses({200: CalendarOut}, 400, 403, 404, 409, 422),
    summary="Change a calendar",
)
def calendar_update(request, project_id: ObjectId, calendar_id: ObjectId, payload: CalendarPatchIn):
    """Send ``version`` and only the fields to change. Refused (422) if a plan using the
    calendar could no longer be scheduled; organisation calendars are the PMO's (403)."""
    user = request.auth
    project = project_for(user, project_id)
    calendar = _calendar_on(project, calendar_id)
    changes = _calendar_base(payload.model_dump(exclude_unset=True))
    version = changes.pop("version")
    return calendar_services.calendar_update(
        actor=user, calendar=calendar, expected_version=version, **changes
    )


@plan_router.delete(
    "/{project_id}/calendars/{calendar_id}",
    response=responses({204: None}, 400, 403, 404, 409, 422),
    summary="Delete a calendar",
)
def calendar_delete(
    request,
    project_id: ObjectId,
    calendar_id: ObjectId,
    version: int = Query(..., ge=1, le=MAX_ID, description="The version you read."),
):
    """Refused (422) while the plan, a task or another calendar uses it."""
    user = request.auth
    project = project_for(user, project_id)
    calendar = _calendar_on(project, calendar_id)
    calendar_services.calendar_delete(actor=user, calendar=calendar, expected_version=version)
    return Status(204, None)


def _exception_on(calendar: WorkCalendar, exception_id: int) -> CalendarException:
    exception = calendar.exceptions.filter(pk=exception_id).first()
    if exception is None:
        raise Http404(_("No such exception in this calendar."))
    exception.calendar = calendar
    return exception


@plan_router.get(
    "/{project_id}/calendars/{calendar_id}/exceptions",
    response=responses({200: list[CalendarExceptionOut]}, 400, 404),
    summary="List a calendar's exceptions",
)
@paginate(PageNumbers)
def calendar_exception_list(request, project_id: ObjectId, calendar_id: ObjectId):
    """In date order. Public holidays are not listed: they follow from ``country``."""
    project = project_for(request.auth, project_id)
    return _calendar_on(project, calendar_id).exceptions.order_by("start", "pk")


@plan_router.post(
    "/{project_id}/calendars/{calendar_id}/exceptions",
    response=responses({201: CalendarExceptionOut}, 400, 403, 404, 422),
    summary="Add a calendar exception",
)
def calendar_exception_create(
    request, project_id: ObjectId, calendar_id: ObjectId, payload: CalendarExceptionIn
):
    """Days off (``intervals`` empty) or days with their own working periods."""
    user = request.auth
    project = project_for(user, project_id)
    calendar = _calendar_on(project, calendar_id)
    exception = calendar_services.exception_add(
        actor=user, calendar=calendar, **payload.model_dump()
    )
    return Status(201, exception)


@plan_router.get(
    "/{project_id}/calendars/{calendar_id}/exceptions/{exception_id}",
    response=responses({200: CalendarExceptionOut}, 400, 404),
    summary="Get a calendar exception",
)
def calendar_exception_get(
    request, project_id: ObjectId, calendar_id: ObjectId, exception_id: ObjectId
):
    project = project_for(request.auth, project_id)
    return _exception_on(_calendar_on(project, calendar_id), exception_id)


@plan_router.delete(
    "/{project_id}/calendars/{calendar_id}/exceptions/{exception_id}",
    response=responses({204: None}, 400, 403, 404, 422),
    summary="Remove a calendar exception",
)
def calendar_exception_delete(
    request, project_id: ObjectId, calendar_id: ObjectId, exception_id: ObjectId
):
    user = request.auth
    project = project_for(user, project_id)
    exception = _exception_on(_calendar_on(project, calendar_id), exception_id)
    calendar_services.exception_remove(actor=user, exception=exception)
    return Status(204, None)
