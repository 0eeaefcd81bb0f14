"""Plan files in and out: import (replaces the plan) and export."""

from dataclasses import asdict

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from steerco.accounts.rules import P, project_for
from steerco.core.api import ObjectId, responses
from steerco.engine.interop.plan_json_schema import PLAN_SCHEMA

from .. import transfer
from ..models import PlanImport
from ..schemas import ExportFormat, ImportRefusedOut, ImportReportOut, PlanImportOut
from .common import operation_id

router = Router()

_UPLOAD_HELP = (
    "A Microsoft Project XML (MSPDI), SteerCo JSON plan, CSV or XLSX task list as the "
    "multipart form field `file`; or a SteerCo JSON plan as the request body."
)
_FILE_SCHEMA = {"type": "string", "format": "binary"}
_MODE_SCHEMA = {
    "type": "string",
    "enum": list(transfer.IMPORT_MODES),
    "default": transfer.REPLACE,
    "description": (
        "replace: the file's plan replaces the project's; update: tasks are updated by UID, "
        "new ones added, the others kept. Either way the project's baselines the file does "
        "not carry are kept. Also accepted as the query parameter `mode`."
    ),
}
_DELETE_MISSING_SCHEMA = {
    "type": "boolean",
    "default": False,
    "description": "With mode update: delete the plan's tasks the file does not hold.",
}
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
                    "properties": {
                        "file": _FILE_SCHEMA,
                        "mode": _MODE_SCHEMA,
                        "delete_missing": _DELETE_MISSING_SCHEMA,
                    },
                    "required": ["file"],
                }
            },
            "application/json": {
                # The schema the import checks the body against, so clients and API
                # fuzzers build plans it reads rather than objects it refuses at once.
                "schema": {
                    **PLAN_SCHEMA,
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
    return HttpError(413, transfer.too_large_message())


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
        if file.size is not None and file.size > transfer.import_limit():
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


def _import_out(run: PlanImport) -> dict:
    return {
        "id": run.pk,
        "state": run.state,
        "progress": 100 if run.state == PlanImport.State.SWITCHED else run.progress,
        "tasks": run.tasks,
        "filename": run.filename,
        "message": run.message,
        "created_at": run.created_at,
        "finished_at": run.finished_at,
        "job_id": run.job_id,
        "status_url": f"/api/v1/projects/{run.project_id}/plan/imports/{run.pk}",
        "job_url": reverse("jobs:detail", kwargs={"job_id": run.job_id}) if run.job_id else None,
    }


@router.post(
    "/{project_id}/plan/import",
    response={
        **responses({200: ImportReportOut}, 400, 403, 404, 413),
        202: PlanImportOut,
        422: ImportRefusedOut,
    },
    summary="Import a file into the plan (replace it, or update it by task UID)",
    openapi_extra=_IMPORT_BODY,
    operation_id=operation_id("plan_import"),
)
def plan_import(request, project_id: ObjectId):
    """All or nothing. With ``mode`` replace (the default) the tasks, dependencies and
    calendars of the file replace the plan's; with ``mode`` update the plan's tasks are
    updated by UID, new ones added, and the others kept (or deleted with
    ``delete_missing``). From MSPDI, the baselines the file carries replace the project's
    where they differ; the project's other baselines are always kept. Or nothing changes
    and the answer (422) lists every problem, per row for task lists; an unknown ``mode``
    is a 422 too.

    A file of fewer than 500 tasks is imported at once (200, the report). A larger one
    is checked, then imported by a background job (202): follow ``status_url`` until its
    state is ``switched`` (imported) or ``failed`` (nothing changed). Meanwhile the plan
    is the old one, and nobody's requests wait for the import."""
    user = request.auth
    project = project_for(user, project_id, P.PLAN_CHANGE)
    data, filename = _uploaded_bytes(request)
    if not data.strip():
        raise HttpError(400, _("The file is empty."))
    mode = request.POST.get("mode") or request.GET.get("mode") or transfer.REPLACE
    delete_missing = (
        request.POST.get("delete_missing") or request.GET.get("delete_missing") or ""
    ).lower() in ("1", "true", "on", "yes")
    try:
        report = transfer.plan_import_submit(
            actor=user,
            project=project,
            data=data,
            filename=filename,
            mode=mode,
            delete_missing=delete_missing,
        )
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
    if isinstance(report, PlanImport):
        return Status(202, _import_out(report))
    return report


@router.get(
    "/{project_id}/plan/imports/{import_id}",
    response=responses({200: PlanImportOut}, 404),
    summary="How a large plan import is getting on",
    operation_id=operation_id("plan_import_status"),
)
def plan_import_status(request, project_id: ObjectId, import_id: ObjectId):
    """Whoever can read the plan may see that it is being replaced, and how far."""
    user = request.auth
    project = project_for(user, project_id)
    run = PlanImport.objects.filter(
        pk=import_id, project=project, state__in=["staging", "switched", "failed"]
    ).first()
    if run is None:
        raise Http404(_("There is no such import of this plan."))
    return _import_out(run)


@router.get(
    "/{project_id}/plan/export",
    response=responses({200: None}, 400, 404),
    summary="Download the plan as a file",
    openapi_extra=_EXPORT_CONTENT,
    operation_id=operation_id("plan_export"),
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
