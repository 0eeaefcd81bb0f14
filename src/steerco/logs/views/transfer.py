"""Spreadsheet export and import of a project's logs.

Exports are open to everyone who may see the project; an import needs the log's change
permission (team members may import actions and issues). The import page shows either
how many items were created and updated, or every refused row: never a partial import.
A large file is imported by a background job (``tasks.log_import_work``) through the
same services, and the page follows the job, then shows the same report. Either way the
rows are written hidden a batch at a time and shown in one short switch
(``transfer.staging``), so nobody else waits for an import.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from steerco.accounts.rules import person_of, project_for
from steerco.core.background import job_desk
from steerco.core.forms import PlainLabels
from steerco.core.pages import SERVICE_ERRORS, is_partial, refusal

from .. import selectors
from ..forms import LogFilterForm
from ..kinds import KINDS, LogKind, kind_for
from ..tasks import LOG_IMPORT, log_import_report, log_import_start
from ..transfer import imports, sheets

# Up to this many rows a file is imported while the page waits: about ten queries a row,
# 25 rows per transaction with a tenth of a second between them on SQLite, so 200 rows
# take a second or two (three or four under heavy load; 1,000 rows took 17 s on a loaded
# two-core machine). A larger file goes to a background job, which keeps the page quick
# and is not cut off by the web server's request timeout.
SYNC_ROWS = 200


class ImportForm(PlainLabels, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Excel workbook (.xlsx) or CSV text in UTF-8, UTF-16 or Windows-1252, separated "
            "by commas, semicolons or tabs; at most %(mb)d MB and %(rows)s rows. A file of "
            "more than %(sync)s rows is imported in the background: this page shows how far "
            "it has got, then the outcome."
        ) % {
            "mb": sheets.upload_max_bytes() // (1024 * 1024),
            "rows": f"{sheets.MAX_ROWS:,}",
            "sync": f"{SYNC_ROWS:,}",
        }


def _format(fmt: str) -> str:
    if fmt not in sheets.FORMATS:
        raise Http404("Unknown format.")
    return fmt


def _bad_request(message: str) -> HttpResponseBadRequest:
    # Plain text: the message may repeat what was typed in the query string.
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _download(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=sheets.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _context(user) -> sheets.ExportContext:
    probability_size, impact_size = selectors.scale_sizes()

    def project_named(other) -> str:
        # The code of a project the reader may see; otherwise only that there is one.
        if selectors.may_open_project(user, other):
            return other.code
        return selectors.project_named_for(user, other)

    return sheets.ExportContext(
        probability_size=probability_size,
        impact_size=impact_size,
        project_named=project_named,
    )


def _related_fields(kind: LogKind) -> list[str]:
    """Foreign keys the export names (people, other projects, deciders' person records)."""
    names = []
    for model_field in kind.model._meta.get_fields():
        if not getattr(model_field, "many_to_one", False) or model_field.name == "project":
            continue
        names.append(model_field.name)
        if model_field.related_model is get_user_model():
            names.append(f"{model_field.name}__person")
    return names


def _sheet(kind: LogKind, items, context: sheets.ExportContext) -> sheets.Sheet:
    columns = sheets.columns_for(kind)
    items = items.select_related(*_related_fields(kind))
    rows = [sheets.item_values(columns, item, context) for item in items]
    return sheets.Sheet(title=str(kind.plural), columns=columns, rows=rows)


def _own(items, project):
    # Dependencies recorded by another project appear in this project's list, mirrored;
    # they are that project's items (its references and versions), so they are not
    # exported here where an import would take them for ours.
    return items.filter(project=project)


@require_GET
def log_export_view(request, project_id: int, kind: str, fmt: str):
    """One log as CSV or XLSX, filtered as the list page is by the same query string."""
    log = kind_for(kind)
    project = project_for(request.user, project_id)
    fmt = _format(fmt)
    # The list page's own filter form, so the file holds exactly the rows the list shows.
    form = LogFilterForm(request.GET, kind=log)
    if not form.is_valid():
        return _bad_request(
            "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        )
    try:
        items = selectors.item_list(
            user=request.user,
            project=project,
            kind=log,
            filters=form.filters(),
            q=form.cleaned_data["q"],
            state=form.state(),
            ordering=form.cleaned_data["ordering"] or "number",
        )
        sheet = _sheet(log, _own(items, project), _context(request.user))
    except (ValueError, TypeError, ValidationError) as error:
        message = error.messages[0] if isinstance(error, ValidationError) else str(error)
        return _bad_request(message)
    return _download(sheets.write(sheet, fmt), fmt, f"{project.code.lower()}-{log.slug}.{fmt}")


@require_GET
def log_export_all_view(request, project_id: int):
    """Every log of the project in one workbook, a sheet per log."""
    project = project_for(request.user, project_id)
    context = _context(request.user)
    log_sheets = []
    for log in KINDS.values():
        items = selectors.item_list(user=request.user, project=project, kind=log)
        log_sheets.append(_sheet(log, _own(items, project), context))
    title = _("%(code)s logs") % {"code": project.code}
    content = sheets.write_xlsx(log_sheets, title=title)
    stamp = timezone.localdate().isoformat()
    return _download(content, "xlsx", f"{project.code.lower()}-logs-{stamp}.xlsx")


@require_GET
def import_template_view(request, project_id: int, kind: str, fmt: str):
    """A blank file with the import's headers and one example row to overwrite."""
    log = kind_for(kind)
    project_for(request.user, project_id, log.change_permission)
    fmt = _format(fmt)
    person = person_of(request.user)
    sheet = sheets.template_sheet(log, example_person=person.name if person else "")
    return _download(sheets.write(sheet, fmt), fmt, f"{log.slug}-import-template.{fmt}")


def _job_of(request, project, log: LogKind):
    """The import job ``?job=`` names: the user's own, into this log, or 404."""
    try:
        job_id = int(request.GET["job"])
    except (KeyError, ValueError):
        raise Http404("No such import.") from None
    job = job_desk().get(user=request.user, job_id=job_id, with_result=True)
    params = job.params or {}
    if job.kind != LOG_IMPORT or (params.get("project_id"), params.get("kind")) != (
        project.pk,
        log.slug,
    ):
        raise Http404("No such import.")
    return job


def _import_page(request, project, log: LogKind, *, status: int = 200, **context):
    context = {
        "project": project,
        "kind": log,
        "form": ImportForm(),
        "result": None,
        "rejected": None,
        **context,
    }
    if "job" not in context:
        context["counts"] = selectors.open_counts(user=request.user, project=project)
        return render(request, "logs/import.html", context, status=status)
    if is_partial(request):
        # The progress fragment asks for itself every second until the job has finished;
        # then the answer is the report, which replaces it and asks for nothing more.
        response = render(request, "logs/import.html#import-job", context)
    else:
        context["counts"] = selectors.open_counts(user=request.user, project=project)
        response = render(request, "logs/import.html", context)
    patch_vary_headers(response, ["HX-Request"])
    patch_cache_control(response, no_store=True)
    return response


@require_http_methods(["GET", "POST"])
def log_import_view(request, project_id: int, kind: str):
    """Import a spreadsheet into one log: a small file here and now, a larger one by a
    background job whose progress, and then its report, this page shows (``?job=``)."""
    log = kind_for(kind)
    project = project_for(request.user, project_id, log.change_permission)
    if request.method == "GET":
        if "job" not in request.GET:
            return _import_page(request, project, log)
        job = _job_of(request, project, log)
        report = log_import_report(job) or {}
        return _import_page(
            request,
            project,
            log,
            job=job,
            job_url=request.get_full_path(),
            result=report.get("result"),
            rejected=report.get("rejected"),
        )
    result = None
    rejected = None
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > sheets.upload_max_bytes():
                raise sheets.FileRefused(
                    _("The file is larger than %(mb)d MB; split it into smaller files.")
                    % {"mb": sheets.upload_max_bytes() // (1024 * 1024)}
                )
            data = upload.read()
            # Read here even when a job imports it, so a file that cannot be read is
            # refused at once, beside the field, rather than by a failed job.
            table = sheets.read_table(log, data, upload.name)
            if len(table.rows) > SYNC_ROWS:
                job = log_import_start(
                    actor=request.user, project=project, kind=log, file_name=upload.name, data=data
                )
                url = reverse("logs:import", args=[project.pk, log.slug])
                return redirect(f"{url}?{urlencode({'job': job.pk})}")
            result = imports.log_import(
                actor=request.user,
                project=project,
                kind=log,
                rows=table.rows,
                filename=upload.name,
            )
        except sheets.FileRefused as error:
            form.add_error("file", error.message)
        except imports.ImportRejected as error:
            rejected = error
        except SERVICE_ERRORS as error:
            refusal(error, form=form)
        else:
            form = ImportForm()
    status = 422 if form.errors or rejected is not None else 200
    return _import_page(
        request, project, log, status=status, form=form, result=result, rejected=rejected
    )
