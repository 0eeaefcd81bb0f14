"""Pages of one project's logs: overview, lists, create, edit, delete and inline edits.

One set of views serves all eight logs: the ``KINDS`` registry says which fields each
log shows, filters and edits. Views read through ``selectors`` and write through
``services`` only; refusals come back as form errors, 403s or the shared conflict UI.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from steerco.accounts.rules import P, check_project, has_perm, person_of, project_for
from steerco.core.formats import day_text
from steerco.core.history import latest_author
from steerco.core.pages import SERVICE_ERRORS, is_partial, page_status, refusal
from steerco.projects.models import Project

from .. import selectors, services
from ..forms import SCALE_FIELDS, ConfirmDeleteForm, LogFilterForm, inline_fields, log_item_form
from ..kinds import KINDS, LogKind, kind_for
from ..models import LogItem, ProjectDependency

PAGE_SIZE = 50
# Errors a service raises for input a person can correct; shown beside the fields.
SCORE_LABELS = {
    "score_before": gettext_lazy("Score"),
    "score_after": gettext_lazy("Score after response"),
}
BAND_BADGES = {"low": "badge--green", "medium": "badge--amber", "high": "badge--red"}
OVERVIEW_ITEMS = 5


# ---------------------------------------------------------------- display


def _label(kind: LogKind, name: str) -> str:
    if name in SCORE_LABELS:
        return str(SCORE_LABELS[name])
    return capfirst(str(kind.model._meta.get_field(name).verbose_name))


class Scales(dict):
    """Level labels per scale dimension, and score bands, read once per request.

    A list shows up to a hundred scores; asking the database for the scale sizes once
    per score would be a hundred queries.
    """

    def __init__(self):
        super().__init__(
            {
                dimension: {level.value: str(level) for level in selectors.scale_levels(dimension)}
                for dimension in set(SCALE_FIELDS.values())
            }
        )
        self._bands: dict[int | None, str | None] = {}

    def band(self, score: int | None) -> str | None:
        if score not in self._bands:
            self._bands[score] = selectors.risk_band(score)
        return self._bands[score]


def _scale_labels() -> Scales:
    return Scales()


def _display(item: LogItem, name: str, scales: Scales) -> str:
    """What a person reads for one field of an item: labels, not stored codes."""
    value = getattr(item, name)
    if value is None or value == "":
        return "—"
    if name in SCORE_LABELS:
        return str(value)
    if name in SCALE_FIELDS:
        return scales[SCALE_FIELDS[name]].get(value, str(value))
    model_field = item._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, date):
        return day_text(value)
    if isinstance(value, Project):
        return f"{value.code} {value.name}"
    return str(value)


@dataclass
class Cell:
    name: str
    label: str
    display: str
    band: str | None = None
    band_class: str = ""
    overdue: bool = False
    edit_url: str | None = None
    editor: Any = None  # an Editor while the cell is being edited


@dataclass
class Editor:
    form: Any
    conflict: str | None = None


@dataclass
class Row:
    item: LogItem
    url: str | None
    cells: list[Cell]
    recorded_by: Project | None = None
    edit_url: str | None = None
    delete_url: str | None = None
    row_url: str = ""
    anchor: str = ""


@dataclass
class Permissions:
    change: bool
    delete: bool


def _permissions(user, kind: LogKind, project) -> Permissions:
    return Permissions(
        change=has_perm(user, kind.change_permission, project),
        delete=has_perm(user, P.LOG_DELETE, project),
    )


def _row(
    *,
    user,
    project,
    kind: LogKind,
    item: LogItem,
    can: Permissions,
    scales: Scales,
    today: date,
    editing: str | None = None,
    editor: Editor | None = None,
) -> Row:
    ours = item.project_id == project.pk
    args = [project.pk, kind.slug, item.pk]
    seen = None
    recorded_by = None
    hidden = selectors.hides_origin(user, project, item)
    item = selectors.as_seen_by(user, project, item)
    if isinstance(item, ProjectDependency) and not ours:
        # Recorded by the other project: read it from our side, edit it over there.
        seen = selectors.dependency_as_seen_from(item, project)
        recorded_by = None if hidden else item.project
    editable = set(inline_fields(kind)) if (can.change and ours) else set()
    cells = []
    for name in kind.list_fields:
        cell = Cell(name=name, label=_label(kind, name), display=_display(item, name, scales))
        if seen is not None and name == "direction":
            cell.display = str(dict(ProjectDependency.Direction.choices)[seen["direction"]])
        elif seen is not None and name == "other_project":
            cell.display = selectors.project_named_for(user, item.project)
        elif name == "other_project" and item.other_project_id is not None:
            cell.display = selectors.project_named_for(user, item.other_project)
        if name in SCORE_LABELS:
            cell.band = scales.band(getattr(item, name))
            cell.band_class = BAND_BADGES.get(cell.band or "", "")
        if name == kind.due_field and item.is_open and getattr(item, name) is not None:
            cell.overdue = getattr(item, name) < today
        if name in editable:
            cell.edit_url = reverse("logs:field", args=[*args, name])
            if name == editing:
                cell.editor = editor
        cells.append(cell)
    if ours:
        url = reverse("logs:item", args=args)
    elif selectors.may_open_project(user, item.project):
        url = reverse("logs:item", args=[item.project_id, kind.slug, item.pk])
    else:
        url = None
    return Row(
        item=item,
        url=url,
        cells=cells,
        recorded_by=recorded_by,
        edit_url=reverse("logs:edit", args=args) if ours and can.change else None,
        delete_url=reverse("logs:delete", args=args) if ours and can.delete else None,
        row_url=reverse("logs:field", args=[*args, "title"]) + "?show=1",
        anchor=f"item-{kind.slug}-{item.pk}",
    )


def _base_context(request, project, kind: LogKind | None, active: str) -> dict[str, Any]:
    return {
        "project": project,
        "kind": kind,
        "kind_title": capfirst(kind.plural) if kind else "",
        "kind_label": capfirst(kind.label) if kind else "",
        "active": active,
        "counts": selectors.open_counts(user=request.user, project=project),
    }


# ---------------------------------------------------------------- overview


def _pressing(user, project, kind: LogKind, today: date):
    """The few items of a log that most need attention, for the overview card."""
    if kind.slug == "risks":
        risks = selectors.top_open_risks(user=user, project=project, limit=OVERVIEW_ITEMS)
        return risks, _("Highest scoring open risks")
    if kind.slug == "actions":
        overdue = selectors.overdue_actions(user=user, project=project, today=today)
        return overdue[:OVERVIEW_ITEMS], _("Overdue actions")
    items = selectors.item_list(user=user, project=project, kind=kind, state="open")
    if kind.slug == "issues":
        escalated = items.filter(Q(escalated_to_pmo=True) | Q(escalated_to__isnull=False))
        return escalated[:OVERVIEW_ITEMS], _("Open escalated issues")
    if kind.due_field:
        ordered = items.exclude(**{f"{kind.due_field}__isnull": True}).order_by(
            kind.due_field, "number"
        )
        return ordered[:OVERVIEW_ITEMS], _("Due soonest")
    return items.order_by("-number")[:OVERVIEW_ITEMS], _("Most recent")


def _overview_entry(user, project, kind: LogKind, item: LogItem, scales) -> dict[str, Any]:
    ours = item.project_id == project.pk
    visible = ours or selectors.may_open_project(user, item.project)
    hidden = selectors.hides_origin(user, project, item)
    item = selectors.as_seen_by(user, project, item)
    score = item.score_before if kind.slug == "risks" else None
    band = scales.band(score)
    return {
        "item": item,
        "url": reverse("logs:item", args=[item.project_id, kind.slug, item.pk])
        if visible
        else None,
        "recorded_by": None if ours or hidden else item.project,
        "score": score,
        "band": band,
        "band_class": BAND_BADGES.get(band or "", ""),
        "due": _display(item, kind.due_field, scales) if kind.due_field else None,
        "due_label": _label(kind, kind.due_field) if kind.due_field else "",
    }


@require_http_methods(["GET"])
def log_overview_view(request, project_id: int):
    project = project_for(request.user, project_id, P.PROJECT_VIEW)
    context = _base_context(request, project, None, "overview")
    today = timezone.localdate()
    scales = _scale_labels()
    cards = []
    for slug, kind in KINDS.items():
        items, heading = _pressing(request.user, project, kind, today)
        cards.append(
            {
                "kind": kind,
                "title": capfirst(kind.plural),
                "count": context["counts"][slug],
                "has_status": bool(kind.model.OPEN_STATUSES),
                "heading": heading,
                "items": [
                    _overview_entry(request.user, project, kind, item, scales) for item in items
                ],
                "list_url": reverse("logs:list", args=[project.pk, slug]),
                "can_create": has_perm(request.user, kind.change_permission, project),
            }
        )
    context["cards"] = cards
    return render(request, "logs/overview.html", context)


# ---------------------------------------------------------------- list


def _is_relation(kind: LogKind, name: str) -> bool:
    return name not in SCORE_LABELS and kind.model._meta.get_field(name).is_relation


def _columns(request, kind: LogKind, ordering: str) -> list[dict[str, Any]]:
    columns = []
    for name in ("number", *kind.list_fields):
        if ordering == name:
            sort, next_ordering = "ascending", f"-{name}"
        elif ordering == f"-{name}":
            sort, next_ordering = "descending", name
        else:
            # Scores and levels are read highest first; everything else A to Z.
            sort = None
            next_ordering = f"-{name}" if name in SCORE_LABELS else name
        params = request.GET.copy()
        params["ordering"] = next_ordering
        params.pop("page", None)
        columns.append(
            {
                "name": name,
                "label": _("Ref") if name == "number" else _label(kind, name),
                "sort": sort,
                "sort_url": f"?{params.urlencode()}",
            }
        )
    return columns


@require_http_methods(["GET"])
def item_list_view(request, project_id: int, kind: str):
    project = project_for(request.user, project_id, P.PROJECT_VIEW)
    kind = kind_for(kind)
    context = _base_context(request, project, kind, kind.slug)
    can = _permissions(request.user, kind, project)
    form = LogFilterForm(request.GET, kind=kind, project=project)
    ordering = request.GET.get("ordering") or "number"
    error = None
    items = kind.model.objects.none()
    if form.is_valid():
        try:
            items = selectors.item_list(
                user=request.user,
                project=project,
                kind=kind,
                filters=form.filters(),
                q=form.cleaned_data["q"],
                state=form.state(),
                ordering=form.cleaned_data["ordering"] or "number",
            )
        except ValueError as problem:
            error = str(problem)
    else:
        error = _("These filters cannot be applied: %(problems)s") % {
            "problems": "; ".join(
                f"{form.fields[name].label or name}: {' '.join(errors)}"
                for name, errors in form.errors.items()
            )
        }
    related = [name for name in kind.list_fields if _is_relation(kind, name)]
    if related:
        items = items.select_related(*related)
    page_obj = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    scales = _scale_labels()
    rows = [
        _row(
            user=request.user,
            project=project,
            kind=kind,
            item=item,
            can=can,
            scales=scales,
            today=today,
        )
        for item in page_obj.object_list
    ]
    partial_only = is_partial(request)
    context.update(
        {
            "filter_form": form,
            "filter_fields": [form[name] for name in kind.filter_fields],
            "page_obj": page_obj,
            "rows": rows,
            "columns": _columns(request, kind, ordering),
            "ordering": ordering,
            "error": error,
            "filtered": form.is_valid() and form.is_filtered(),
            "can": can,
            "query": request.GET.urlencode(),
            "partial_only": partial_only,
            "result_count": ngettext(
                "%(count)d %(label)s", "%(count)d %(plural)s", page_obj.paginator.count
            )
            % {"count": page_obj.paginator.count, "label": kind.label, "plural": kind.plural},
        }
    )
    template = "logs/list.html#results" if partial_only else "logs/list.html"
    # A hand-edited address with a bad filter is a bad request; live filtering still
    # shows the message in place (htmx does not swap 4xx answers).
    status = 400 if error and not partial_only else 200
    return render(request, template, context, status=status)


# ---------------------------------------------------------------- create, edit, delete


def _form_context(request, project, kind: LogKind, **extra) -> dict[str, Any]:
    context = _base_context(request, project, kind, kind.slug)
    context["list_url"] = reverse("logs:list", args=[project.pk, kind.slug])
    item = extra.get("item")
    # Cancel goes back where the person came from: the item when editing it whole,
    # the list when adding or when editing one cell.
    if item is not None and "form_action" not in extra:
        context["cancel_url"] = reverse("logs:item", args=[project.pk, kind.slug, item.pk])
    else:
        context["cancel_url"] = context["list_url"]
    context.update(extra)
    return context


@require_http_methods(["GET", "POST"])
def item_create_view(request, project_id: int, kind: str):
    project = project_for(request.user, project_id, P.PROJECT_VIEW)
    kind = kind_for(kind)
    check_project(request.user, project, kind.change_permission)
    status = 200
    if request.method == "POST":
        form = log_item_form(kind, project=project, data=request.POST, user=request.user)
        if form.is_valid():
            fields = form.changes()
            if fields.get("raised_by") is None:
                fields.pop("raised_by", None)  # the service records the person adding it
            try:
                item = services.item_create(
                    actor=request.user, project=project, kind=kind, **fields
                )
            except SERVICE_ERRORS as error:
                status = refusal(error, form=form).status
            else:
                messages.success(
                    request,
                    _("%(label)s %(ref)s added.")
                    % {"label": capfirst(kind.label), "ref": item.ref},
                )
                return redirect("logs:item", project_id=project.pk, kind=kind.slug, item_id=item.pk)
    else:
        form = log_item_form(
            kind, project=project, user=request.user, initial={"raised_by": person_of(request.user)}
        )
    heading = _("New %(label)s") % {"label": kind.label}
    return render(
        request,
        "logs/form.html",
        _form_context(request, project, kind, form=form, heading=heading, item=None),
        status=page_status(request, status),
    )


@require_http_methods(["GET", "POST"])
def item_edit_view(request, project_id: int, kind: str, item_id: int):
    project = project_for(request.user, project_id, P.PROJECT_VIEW)
    kind = kind_for(kind)
    item = selectors.item_get(user=request.user, project=project, kind=kind, item_id=item_id)
    check_project(request.user, project, kind.change_permission)
    conflict = None
    status = 200
    if request.method == "POST":
        form = log_item_form(
            kind, project=project, data=request.POST, instance=item, user=request.user
        )
        if form.is_valid():
            changes = form.changes()
            try:
                services.item_update(
                    actor=request.user,
                    item=item,
                    expected_version=form.cleaned_data["version"],
                    **changes,
                )
            except SERVICE_ERRORS as error:
                refused = refusal(error, form=form, submitted=changes)
                if refused.gone:
                    messages.error(request, _("This item has been deleted by someone else."))
                    return redirect("logs:list", project_id=project.pk, kind=kind.slug)
                status, conflict = refused.status, refused.conflict
                if conflict is not None:
                    # Start again from what is saved now; the table lists what to re-apply.
                    item = refused.current
                    form = log_item_form(kind, project=project, instance=item, user=request.user)
            else:
                messages.success(request, _("%(ref)s saved.") % {"ref": item.ref})
                return redirect("logs:item", project_id=project.pk, kind=kind.slug, item_id=item.pk)
    else:
        form = log_item_form(kind, project=project, instance=item, user=request.user)
    heading = _("Edit %(ref)s") % {"ref": item.ref}
    return render(
        request,
        "logs/form.html",
        _form_context(
            request, project, kind, form=form, heading=heading, item=item, conflict=conflict
        ),
        status=page_status(request, status),
    )


@require_http_methods(["GET", "POST"])
def item_delete_view(request, project_id: int, kind: str, item_id: int):
    project = project_for(request.user, project_id, P.PROJECT_VIEW)
    kind = kind_for(kind)
    item = selectors.item_get(user=request.user, project=project, kind=kind, item_id=item_id)
    check_project(request.user, project, P.LOG_DELETE)
    form = ConfirmDeleteForm(initial={"version": item.version})
    status = 200
    if request.method == "POST":
        form = ConfirmDeleteForm(request.POST)
        if form.is_valid():
            try:
                services.item_delete(
                    actor=request.user, item=item, expected_version=form.cleaned_data["version"]
                )
            except SERVICE_ERRORS as error:
                refused = refusal(error, form=form)
                if refused.gone:
                    messages.info(
                        request, _("%(ref)s had already been deleted.") % {"ref": item.ref}
                    )
                    return redirect("logs:list", project_id=project.pk, kind=kind.slug)
                status = refused.status
                if refused.stale:
                    item = refused.current
                    form = ConfirmDeleteForm(initial={"version": item.version})
                    form.conflict = _(
                        "%(ref)s was changed by someone else since you opened this page. "
                        "Check it is still the item you mean to delete, then confirm again."
                    ) % {"ref": item.ref}
            else:
                messages.success(request, _("%(ref)s deleted.") % {"ref": item.ref})
                return redirect("logs:list", project_id=project.pk, kind=kind.slug)
    return render(
        request,
        "logs/delete.html",
        _form_context(
            request,
            project,
            kind,
            form=form,
            item=item,
            conflict=getattr(form, "conflict", None),
            item_url=reverse("logs:item", args=[project.pk, kind.slug, item.pk]),
        ),
        status=page_status(request, status),
    )


# ---------------------------------------------------------------- inline edit


def _render_row(request, project, kind, item, *, editing=None, editor=None) -> HttpResponse:
    can = _permissions(request.user, kind, project)
    row = _row(
        user=request.user,
        project=project,
        kind=kind,
        item=item,
        can=can,
        scales=_scale_labels(),
        today=timezone.localdate(),
        editing=editing,
        editor=editor,
    )
    return render(request, "logs/_row.html", {"row": row, "project": project, "kind": kind})


@require_http_methods(["GET", "POST"])
def item_field_view(request, project_id: int, kind: str, item_id: int, field: str):
    """Edit one field of an item in place: the row's cell becomes a one-field form.

    With htmx every answer is the item's table row (showing the editor, the saved
    values, or the editor with a message); without it, a one-field page that returns
    to the list when saved.
    """
    project = project_for(request.user, project_id, P.PROJECT_VIEW)
    kind = kind_for(kind)
    item = selectors.item_get(user=request.user, project=project, kind=kind, item_id=item_id)
    htmx = bool(getattr(request, "htmx", False))
    if request.method == "GET" and request.GET.get("show"):
        return _render_row(request, project, kind, item)  # the editor was cancelled
    if field not in inline_fields(kind):
        raise Http404("That field cannot be edited here.")
    check_project(request.user, project, kind.change_permission)
    list_url = reverse("logs:list", args=[project.pk, kind.slug])
    conflict = None
    status = 200
    # Several rows may have an editor open at once; their ids must not collide.
    one_field = {"fields": (field,), "auto_id": f"id_{kind.slug}_{item.pk}_%s"}
    if request.method == "POST":
        form = log_item_form(
            kind,
            project=project,
            data=request.POST,
            instance=item,
            user=request.user,
            **one_field,
        )
        if form.is_valid():
            try:
                item = services.item_update(
                    actor=request.user,
                    item=item,
                    expected_version=form.cleaned_data["version"],
                    **form.changes(),
                )
            except SERVICE_ERRORS as error:
                refused = refusal(error, form=form)
                status = refused.status
            else:
                if htmx:
                    return _render_row(request, project, kind, item)
                messages.success(request, _("%(ref)s saved.") % {"ref": item.ref})
                return redirect(f"{list_url}#item-{kind.slug}-{item.pk}")
            if refused.gone:
                messages.error(request, _("This item has been deleted by someone else."))
                if htmx:
                    response = HttpResponse(status=200)
                    response["HX-Redirect"] = list_url
                    return response
                return redirect(list_url)
            if refused.stale:
                item = refused.current
                who = latest_author(item) or _("Someone else")
                conflict = _(
                    "%(who)s changed this %(label)s since you opened the page: %(field)s is "
                    "now “%(current)s”. Your value is kept below; save again to replace it, "
                    "or cancel to keep theirs."
                ) % {
                    "who": who,
                    "label": kind.label,
                    "field": _label(kind, field).lower(),
                    "current": _display(item, field, _scale_labels()),
                }
                # Keep what the user typed, now against the version they have been shown.
                data = request.POST.copy()
                data["version"] = str(item.version)
                form = log_item_form(
                    kind,
                    project=project,
                    data=data,
                    instance=item,
                    user=request.user,
                    **one_field,
                )
                form.is_valid()
    else:
        form = log_item_form(kind, project=project, instance=item, user=request.user, **one_field)
    if htmx:
        form.fields[field].widget.attrs["autofocus"] = True
        editor = Editor(form=form, conflict=conflict)
        return _render_row(request, project, kind, item, editing=field, editor=editor)
    heading = _("Edit %(field)s of %(ref)s") % {
        "field": _label(kind, field).lower(),
        "ref": item.ref,
    }
    return render(
        request,
        "logs/form.html",
        _form_context(
            request,
            project,
            kind,
            form=form,
            heading=heading,
            item=item,
            field_conflict=conflict,
            form_action=reverse("logs:field", args=[project.pk, kind.slug, item.pk, field]),
        ),
        status=page_status(request, status),
    )
