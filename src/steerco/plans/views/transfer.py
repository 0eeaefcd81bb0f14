"""Importing a plan from a file and exporting it to one."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from steerco.accounts.rules import P, project_for
from steerco.core.pages import SERVICE_ERRORS, refusal

from .. import transfer
from ..forms import PlanImportForm
from ..models import PlanImport, Task


@require_http_methods(["GET", "POST"])
def plan_import_view(request, project_id: int):
    project = project_for(request.user, project_id, P.PLAN_CHANGE)
    task_count = Task.objects.filter(project=project).count()
    problems = []
    report = None
    if request.method == "POST":
        form = PlanImportForm(request.POST, request.FILES, has_plan=bool(task_count))
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > transfer.import_limit():
                    raise transfer.PlanImportError(transfer.too_large_message())
                report = transfer.plan_import_submit(
                    actor=request.user,
                    project=project,
                    data=upload.read(),
                    filename=upload.name,
                    mode=form.cleaned_data["mode"],
                    delete_missing=form.cleaned_data.get("delete_missing", False),
                )
                if isinstance(report, PlanImport):
                    # A large file: its job page shows the progress and the outcome.
                    return redirect("jobs:detail", job_id=report.job_id)
            except transfer.PlanImportError as error:
                form.add_error(None, error.message)
                problems = error.problems
            except SERVICE_ERRORS as error:
                refusal(error, form=form)
            else:
                task_count = Task.objects.filter(project=project).count()
                form = PlanImportForm(has_plan=bool(task_count))
    else:
        form = PlanImportForm(has_plan=bool(task_count))
    return render(
        request,
        "plans/import.html",
        {
            "project": project,
            "form": form,
            "problems": problems,
            "report": report,
            "task_count": task_count,
            "may_change_plan": True,
        },
        status=422 if problems or (request.method == "POST" and form.errors) else 200,
    )


@require_GET
def plan_export_view(request, project_id: int):
    project = project_for(request.user, project_id)
    fmt = request.GET.get("format", "mspdi")
    if fmt not in transfer.FORMATS:
        return HttpResponseBadRequest(
            _("Unknown export format; choose one of %(f)s.") % {"f": ", ".join(transfer.FORMATS)}
        )
    content, content_type, filename = transfer.plan_export(
        actor=request.user, project=project, fmt=fmt
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
