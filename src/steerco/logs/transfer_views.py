"""Spreadsheet export and import of a project's logs.

Exports are open to everyone who may see the project; an import needs the log's change
permission (team members may import actions and issues). The import page shows either
how many items were created and updated, or every refused row: never a partial import.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from steerco.accounts.rules import person_of, project_for
from steerco.core.forms import PlainLabels
from steerco.core.pages import SERVICE_ERRORS, refusal

from . import imports, selectors, transfer
from .forms import LogFilterForm
from .kinds import KINDS, LogKind, kind_for


class ImportForm(PlainLabels, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Excel workbook (.xlsx) or CSV in UTF-8, separated by commas or semicolons; "
            "at most %(mb)d MB and %(rows)s rows."
        ) % {"mb": transfer.MAX_BYTES // (1024 * 1024), "rows": f"{transfer.MAX_ROWS:,}"}


def _format(fmt: str) -> str:
    if fmt not in transfer.FORMATS:
        raise Http404("Unknown format.")
    return fmt


def _bad_request(message: str) -> HttpResponseBadRequest:
    # Plain text: the message may repeat what was typed in the query string.
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _download(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=transfer.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _context() -> transfer.ExportContext:
    probability_size, impact_size = selectors.scale_sizes()
    return transfer.ExportContext(probability_size=probability_size, impact_size=impact_size)


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


def _sheet(kind: LogKind, items, context: transfer.ExportContext) -> transfer.Sheet:
    columns = transfer.columns_for(kind)
    items = items.select_related(*_related_fields(kind))
    rows = [transfer.item_values(columns, item, context) for item in items]
    return transfer.Sheet(title=str(kind.plural), columns=columns, rows=rows)


def _own(items, project):
    # Dependencies recorded by another project appear in this project's list, mirrored;
    # they are that project's items (its references and versions), so they are not
    # exported here where an import would take them for ours.
    return items.filter(project=project)


@require_GET
def export(request, project_id: int, kind: str, fmt: str):
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
        sheet = _sheet(log, _own(items, project), _context())
    except (ValueError, TypeError, ValidationError) as error:
        message = error.messages[0] if isinstance(error, ValidationError) else str(error)
        return _bad_request(message)
    return _download(transfer.write(sheet, fmt), fmt, f"{project.code.lower()}-{log.slug}.{fmt}")


@require_GET
def export_all(request, project_id: int):
    """Every log of the project in one workbook, a sheet per log."""
    project = project_for(request.user, project_id)
    context = _context()
    sheets = []
    for log in KINDS.values():
        items = selectors.item_list(user=request.user, project=project, kind=log)
        sheets.append(_sheet(log, _own(items, project), context))
    title = _("%(code)s logs") % {"code": project.code}
    content = transfer.write_xlsx(sheets, title=title)
    stamp = timezone.localdate().isoformat()
    return _download(content, "xlsx", f"{project.code.lower()}-logs-{stamp}.xlsx")


@require_GET
def import_template(request, project_id: int, kind: str, fmt: str):
    """A blank file with the import's headers and one example row to overwrite."""
    log = kind_for(kind)
    project_for(request.user, project_id, log.change_permission)
    fmt = _format(fmt)
    person = person_of(request.user)
    sheet = transfer.template_sheet(log, example_person=person.name if person else "")
    return _download(transfer.write(sheet, fmt), fmt, f"{log.slug}-import-template.{fmt}")


@require_http_methods(["GET", "POST"])
def import_items(request, project_id: int, kind: str):
    log = kind_for(kind)
    project = project_for(request.user, project_id, log.change_permission)
    result = None
    rejected = None
    form = ImportForm()
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > transfer.MAX_BYTES:
                    raise transfer.FileRefused(
                        _("The file is larger than %(mb)d MB; split it into smaller files.")
                        % {"mb": transfer.MAX_BYTES // (1024 * 1024)}
                    )
                table = transfer.read_table(log, upload.read(), upload.name)
                result = imports.log_import(
                    actor=request.user, project=project, kind=log, rows=table.rows
                )
            except transfer.FileRefused as error:
                form.add_error("file", error.message)
            except imports.ImportRejected as error:
                rejected = error
            except SERVICE_ERRORS as error:
                refusal(error, form=form)
            else:
                form = ImportForm()
        if form.errors or rejected is not None:
            status = 422
    return render(
        request,
        "logs/import.html",
        {
            "project": project,
            "kind": log,
            "form": form,
            "result": result,
            "rejected": rejected,
            "counts": selectors.open_counts(user=request.user, project=project),
        },
        status=status,
    )
