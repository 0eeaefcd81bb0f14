"""Pages for background jobs: the user's list, one job's progress, and its file."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from steerco.core.exceptions import DomainError
from steerco.core.forms import add_service_errors
from steerco.core.pages import render_page

from .forms import ProjectExportForm
from .selectors import job_for, job_list
from .services import job_start, job_sync_with_task

RECENT_JOBS = 50


def _list_page(request, form: ProjectExportForm, status: int = 200):
    jobs = job_list(user=request.user)[:RECENT_JOBS]
    return render(request, "jobs/list.html", {"jobs": jobs, "export_form": form}, status=status)


@require_GET
def job_list_view(request):
    return _list_page(request, ProjectExportForm())


@require_GET
def job_detail(request, job_id: int):
    job = job_sync_with_task(job=job_for(user=request.user, job_id=job_id))
    # htmx polls this URL for the progress fragment only; the full page otherwise.
    response = render_page(request, "jobs/detail.html", {"job": job}, fragment="progress")
    patch_vary_headers(response, ["HX-Request"])
    patch_cache_control(response, no_store=True)
    return response


@require_POST
def project_export(request):
    form = ProjectExportForm(request.POST)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    try:
        job = job_start(
            actor=request.user,
            kind="project_export",
            params={"file_format": form.cleaned_data["file_format"]},
        )
    except DomainError as error:
        add_service_errors(form, error)
        return _list_page(request, form, status=422)
    return redirect("jobs:detail", job_id=job.pk)


@require_GET
def job_download(request, job_id: int):
    job = job_for(user=request.user, job_id=job_id, with_result=True)
    if not job.has_result or job.result_data is None:
        raise Http404("This job has no file to download.")
    response = HttpResponse(bytes(job.result_data), content_type=job.result_content_type)
    response["Content-Disposition"] = content_disposition_header(True, job.result_name)
    patch_cache_control(response, private=True, no_store=True)
    return response
