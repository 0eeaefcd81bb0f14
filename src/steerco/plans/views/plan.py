"""The plan page: the editable WBS grid beside its Gantt chart (a split view, one row per
task; ADR 13), one row's save, the toolbar's row actions and collapsing summary tasks.

A cell save answers with the rows it changed alone (ADR 18): one changed duration can move
every date below it, so the plan is scheduled again and compared with the page before the
save. A structural change (add, delete, indent, move) redraws the grid and chart; a change
of the chart's options redraws the chart alone; the filter redraws both (ADR 18).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import parse_qs, urlencode, urlparse

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from steerco.accounts.rules import P, has_perm, project_for
from steerco.core.exceptions import DomainError
from steerco.core.history import latest_author
from steerco.core.pages import SERVICE_ERRORS, refusal, render_page
from steerco.engine.collector import collector_paused
from steerco.resources.selectors import assignable_names

from .. import services
from ..forms import (
    CONSTRAINT_CODES,
    ChartOptionsForm,
    OutlineToggleForm,
    RowActionForm,
    TaskProgressForm,
    TaskRowForm,
)
from ..gantt import GanttOptions, chart_span, gantt_row_shapes, render_gantt_parts
from ..grid import (
    ERROR_COLUMNS,
    Abilities,
    GridRow,
    RowWriter,
    abilities,
    grid_rows,
    outline_hidden,
)
from ..grid_filters import PlanFilterForm, RowFilter, filtered_out
from ..grid_patch import PageFacts, changed_rows, chart_moved, page_facts
from ..models import BaselineTask, Task
from ..selectors import (
    PlanView,
    ScheduledPlan,
    approved_baseline_dates,
    assigned_person_ids,
    baseline_list,
    outline_collapsed,
    plan_assignees,
    plan_settings_get,
    plan_view,
)

#: Pixels of one row, in the grid and in the chart beside it; plan.css's ``--plan-row-h``
#: and ``--plan-head-h`` (two tiers of the chart's date scale) must say the same.
ROW_HEIGHT = 28
TIER_HEIGHT = 20


def _page_query(request) -> dict:
    """The page's query: the chart's options and the grid's filter. An htmx edit (a POST)
    reads them from the URL of the page it was made on; a GET, the toolbars' own included,
    carries them."""
    if request.method == "POST" and request.htmx and request.htmx.current_url:
        query = parse_qs(urlparse(request.htmx.current_url).query)
        return {key: values[-1] for key, values in query.items()}
    return request.GET.dict()


def _fitting_zoom(view) -> str:
    """Days for a plan of a couple of months, weeks up to two years or so, months beyond.

    The chart scrolls sideways beside the grid, so it need not fit the window: weeks keep a
    one-day task visible (8 px) where months would draw it as a sliver.
    """
    if view.schedule is None:
        return "week"
    span = (view.schedule.finish - view.schedule.start).days
    return "day" if span <= 60 else "week" if span <= 800 else "month"


@dataclass
class _PlanState:
    """What the page shows before anything is written as HTML: the plan, the rows shown
    (collapsed summaries and the filter applied) and the chart's options. A save compares
    the state before it with the state after it (ADR 18)."""

    view: PlanView
    can: Abilities
    rows: list[GridRow]
    hidden: set[int]
    outline_hidden_count: int
    filter_form: PlanFilterForm
    row_filter: RowFilter
    chart_form: ChartOptionsForm
    chart: dict
    baselines: list
    gantt_options: GanttOptions | None

    @cached_property
    def uid_of(self) -> dict[int, int]:
        """Task id: uid (the chart names its rows by uid)."""
        return {item.task.pk: item.task.uid for item in self.view.rows}

    @property
    def lacks_approved_baseline(self) -> bool:
        """The filter or columns compare with baseline 0, which was never saved."""
        return self.row_filter.needs_baseline and not any(
            baseline.number == 0 for baseline in self.baselines
        )

    def facts(self) -> PageFacts:
        chart = None
        if self.gantt_options is not None:
            span = chart_span(self.view.inputs.plan, self.view.schedule, options=self.gantt_options)
            options = self.gantt_options
            chart = (
                options.zoom,
                options.show_critical,
                self.chart["baseline"],
                options.today,
                span,
            )
        return page_facts(
            self.view,
            self.rows,
            chart=chart,
            shown_uids=[
                item.task.uid for item in self.view.rows if item.task.pk not in self.hidden
            ],
        )


#: How long the plan page's facts are kept for a save to compare with (ADR 18); a save
#: from a page older than this compares with the plan as stored just before it.
PAGE_FACTS_SECONDS = 8 * 3600


def _page_token(request) -> str:
    """The drawn page's token: sent back by htmx with every request from the page (the
    ``hx-headers`` of ``#plan-body``), new for a page loaded whole."""
    token = request.headers.get("X-Plan-Page", "")
    return token if token.isalnum() and len(token) <= 32 else secrets.token_hex(8)


def _facts_key(request, project, token: str) -> str:
    return f"plans:page-facts:{request.user.pk}:{project.pk}:{token}"


def _remember(request, project, token: str, state: _PlanState) -> None:
    """Keep what this page now shows, for the next save made from it to compare with."""
    cache.set(_facts_key(request, project, token), state.facts(), PAGE_FACTS_SECONDS)


def _shown_facts(request, project) -> PageFacts:
    """What the user's page shows, as kept when it was drawn; else the plan as stored."""
    token = request.headers.get("X-Plan-Page", "")
    found = cache.get(_facts_key(request, project, token)) if token else None
    return found if isinstance(found, PageFacts) else _plan_state(request, project).facts()


def _plan_state(request, project, *, edited=None, computed=None) -> _PlanState:
    view = plan_view(project=project, computed=computed)
    can = abilities(request.user, project)
    query = _page_query(request)
    collapsed = outline_collapsed(user=request.user, project=project)
    folded = outline_hidden(view, collapsed)
    assignees = plan_assignees(project=project)
    filter_form = PlanFilterForm(query, people=assignees.people)
    person = getattr(request.user, "person", None)
    row_filter = filter_form.row_filter(me=person.pk if person else None)
    approved = (
        approved_baseline_dates(project=project, view=view) if row_filter.needs_baseline else None
    )
    hidden = folded | filtered_out(view, row_filter, approved=approved, assignees=assignees.by_task)
    rows = grid_rows(view, can, edited, collapsed=collapsed, hidden=hidden, approved=approved)
    baselines = list(baseline_list(project=project))
    chart_form = ChartOptionsForm(query, baselines=baselines, default_zoom=_fitting_zoom(view))
    chart = chart_form.options()
    gantt_options = None
    if view.schedule is not None and rows:
        gantt_options = GanttOptions(
            zoom=chart["zoom"],
            show_critical=chart["show_critical"],
            baseline=_baseline_bars(project, chart["baseline"]),
            today=dt.date.today(),
            row_height=ROW_HEIGHT,
            tier_height=TIER_HEIGHT,
            visible_uids=[item.task.uid for item in view.rows if item.task.pk not in hidden]
            if hidden
            else None,
            title=_("Gantt chart of %(code)s") % {"code": project.code},
        )
    return _PlanState(
        view=view,
        can=can,
        rows=rows,
        hidden=hidden,
        outline_hidden_count=len(folded),
        filter_form=filter_form,
        row_filter=row_filter,
        chart_form=chart_form,
        chart=chart,
        baselines=baselines,
        gantt_options=gantt_options,
    )


def _baseline_bars(project, number: int | None) -> dict | None:
    """The chosen baseline's bars for the chart (task uid: (start, finish)), if one is."""
    if number is None:
        return None
    return {
        uid: (start, finish)
        for uid, start, finish in BaselineTask.objects.filter(
            baseline__project=project,
            baseline__number=number,
            start__isnull=False,
            finish__isnull=False,
        ).values_list("task_uid", "start", "finish")
    }


def _plan_context(
    request,
    project,
    *,
    edited=None,
    selected=None,
    status_text="",
    status_error=False,
    state: _PlanState | None = None,
) -> dict:
    state = state or _plan_state(request, project, edited=edited)
    view, rows, can = state.view, state.rows, state.can
    token = _page_token(request)
    if can.plan_change or can.own_work:  # a page nobody can save from needs no facts
        _remember(request, project, token, state)
    status_date = view.settings.status_date
    gantt = None
    if state.gantt_options is not None:
        gantt = render_gantt_parts(view.inputs.plan, view.schedule, options=state.gantt_options)
    writer = RowWriter(request, project, selected, slipped=state.row_filter.slipped)
    return {
        "project": project,
        "plan": view,
        "rows": rows,
        "task_count": len(view.rows),
        "hidden_count": state.outline_hidden_count,
        "filtered_count": len(state.hidden) - state.outline_hidden_count,
        "lacks_approved_baseline": state.lacks_approved_baseline,
        "filter_form": state.filter_form,
        "row_filter": state.row_filter,
        # Written only when the template prints them: a change of chart options redraws
        # the chart alone and needs no grid.
        "rows_html": lambda: mark_safe("\n".join(map(writer.row, rows, range(len(rows))))),
        "error_rows": [row for row in rows if row.errors],
        "can": can,
        "may_edit_any": can.plan_change or can.own_work,
        "may_change_plan": can.plan_change,
        "gantt": gantt,
        "chart_form": state.chart_form,
        "chart": state.chart,
        "baselines": state.baselines,
        "today": dt.date.today(),
        "status_date": status_date.date() if status_date else None,
        "selected": selected,
        # The toolbar sends the selected row's version, so a delete is refused if the
        # task was saved since; plan.js keeps it in step with the selection.
        "selected_version": next((row.version for row in rows if row.pk == selected), ""),
        "status_text": status_text,
        "status_error": status_error,
        "constraint_choices": [
            (code, Task.Constraint(v).label) for v, code in CONSTRAINT_CODES.items()
        ],
        "per_day": view.settings.minutes_per_day,
        # The Resources cells' picker, only for those who may assign.
        "resource_names": assignable_names() if can.plan_change else [],
        "row_height": ROW_HEIGHT,
        "page_query": urlencode(_page_query(request)),
        "page_token": token,
    }


def _saved_answer(request, project, task: Task, before: PageFacts, status_text: str, computed=None):
    """After a saved row: the rows whose look changed, their bars and the arrows touching
    them, the plan's dates and the status, as htmx out-of-band swaps (ADR 18). The whole
    grid and chart instead when the rows shown or the chart's time scale changed.
    ``computed``: the plan as the save last scheduled it, drawn without scheduling again."""
    after = _plan_state(request, project, computed=computed)
    after_facts = after.facts()
    indexes = changed_rows(before, after_facts, saved=task.pk)
    if indexes is None:
        return _render_plan(
            request, project, selected=task.pk, status_text=status_text, state=after
        )
    cache.set(_facts_key(request, project, _page_token(request)), after_facts, PAGE_FACTS_SECONDS)
    rows = [(index, after.rows[index]) for index in indexes]
    if chart_moved(before, after_facts):
        return _patch(
            request, project, after, rows, selected=task.pk, status_text=status_text, chart="whole"
        )
    changed = {after.uid_of[row.pk] for _, row in rows}
    links_before = sorted((a, b) for a, b in before.links if a in changed or b in changed)
    return _patch(
        request,
        project,
        after,
        rows,
        selected=task.pk,
        status_text=status_text,
        links_before=links_before,
        chart="rows",
    )


def _refused_answer(request, project, task: Task, edited: dict, status_text: str):
    """After a refused row: that row again with what the user typed, the cells at fault
    marked, and the messages; nothing else on the page changes (ADR 18)."""
    state = _plan_state(request, project, edited=edited)
    changes = [(index, row) for index, row in enumerate(state.rows) if row.pk == task.pk]
    if not changes:  # the row is filtered out or folded away: show the whole page
        return _render_plan(
            request,
            project,
            edited=edited,
            selected=task.pk,
            status_text=status_text,
            status_error=True,
            status=422,
            state=state,
        )
    return _patch(
        request,
        project,
        state,
        changes,
        selected=task.pk,
        status_text=status_text,
        status_error=True,
    )


def _patch(
    request,
    project,
    state: _PlanState,
    changes: list[tuple[int, GridRow]],
    *,
    selected: int,
    status_text: str,
    status_error: bool = False,
    links_before: list[tuple[int, int]] = (),
    chart: str = "",
):
    """The answer that replaces rows in place: htmx swaps nothing where the form asked
    (``HX-Reswap: none``) and puts each out-of-band piece in place of the element with its
    id. The changed rows and their bars travel in one ``<template id="plan-patch">``, which
    plan.js puts in place of theirs: htmx handles each out-of-band element in time that
    grows with the square of their number and the size of the page, so a save that moved
    200 rows of a 5,000-task plan kept the browser busy for minutes. ``chart``: "rows" for
    the changed rows' shapes, "whole" for the whole chart pane, "" for none."""
    writer = RowWriter(request, project, selected, slipped=state.row_filter.slipped)
    rows_html = "".join(writer.row(row, index) for index, row in changes)
    chart_html = shapes_html = links_gone = ""
    if chart == "whole" and state.gantt_options is not None:
        gantt = render_gantt_parts(
            state.view.inputs.plan, state.view.schedule, options=state.gantt_options
        )
        chart_html = render_to_string(
            "plans/plan.html#planchart", {"gantt": gantt, "oob": True}, request=request
        )
    elif chart == "rows" and state.gantt_options is not None:
        shapes = gantt_row_shapes(
            state.view.inputs.plan,
            state.view.schedule,
            options=state.gantt_options,
            uids=[state.uid_of[row.pk] for _, row in changes],
        )
        # The arrows of the saved task as the page drew them are taken away, and the ones
        # it has now added: "predecessor uid:successor uid", space-separated.
        links_gone = " ".join(f"{a}:{b}" for a, b in links_before)
        pieces = [shapes.description, *shapes.bars.values()]
        if shapes.links:
            pieces.append('<g data-new-links="">' + "".join(shapes.links) + "</g>")
        # Inside an <svg>, so the browser parses the shapes as SVG, not as unknown HTML.
        shapes_html = '<svg xmlns="http://www.w3.org/2000/svg">' + "".join(pieces) + "</svg>"
    context = {
        "oob": True,
        "plan": state.view,
        "task_count": len(state.view.rows),
        "hidden_count": state.outline_hidden_count,
        "filtered_count": len(state.hidden) - state.outline_hidden_count,
        "lacks_approved_baseline": state.lacks_approved_baseline,
        "status_text": status_text,
        "status_error": status_error,
        "may_edit_any": state.can.plan_change or state.can.own_work,
        "error_rows": [row for _, row in changes if row.errors],
        "selected": selected,
        "selected_version": next((row.version for _, row in changes if row.pk == selected), ""),
        "rows_html": mark_safe(rows_html),
        "shapes_html": mark_safe(shapes_html),
        "links_gone": links_gone,
        "chart_html": mark_safe(chart_html),
    }
    response = render(request, "plans/_plan_patch.html", context)
    response["HX-Reswap"] = "none"
    return response


def _render_plan(request, project, *, status: int = 200, fragment: str = "planbody", **kwargs):
    # Rendering included: the grid's rows are written while the template prints them.
    with collector_paused():
        context = _plan_context(request, project, **kwargs)
        return render_page(request, "plans/plan.html", context, fragment=fragment, status=status)


def _back_to_plan(request, project):
    """After a non-htmx save: the plan page again, with the chart options it had."""
    url = reverse("plans:plan", kwargs={"project_id": project.pk})
    query = request.POST.get("page_query", "")
    return redirect(f"{url}?{query}" if query else url)


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def plan_detail_view(request, project_id: int):
    """The plan page; the chart's own controls (zoom, critical path, baseline) ask for the
    chart alone (htmx target ``plan-chart``), so changing them does not redraw the grid."""
    project = project_for(request.user, project_id)
    chart_only = bool(request.htmx) and request.htmx.target == "plan-chart"
    return _render_plan(request, project, fragment="planchart" if chart_only else "planbody")


@require_POST
def plan_outline_view(request, project_id: int):
    """Collapse or expand a summary task's subtasks in this user's view of the plan.

    Anyone who may see the plan may arrange their own view of it; nothing in the plan
    changes, so no history and no version.
    """
    project = project_for(request.user, project_id)
    form = OutlineToggleForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(" ".join(form.non_field_errors()) or _("Bad request."))
    task = None
    if form.cleaned_data["task_id"] is not None:
        task = _task_of(project, form.cleaned_data["task_id"])
    collapsed = form.cleaned_data["collapsed"]
    try:
        services.outline_collapse_set(
            user=request.user, project=project, task=task, collapsed=collapsed
        )
    except DomainError as error:
        return HttpResponseBadRequest(error.message)
    if not request.htmx:
        return _back_to_plan(request, project)
    if task is None:
        status_text = _("All subtasks shown.")
    elif collapsed:
        status_text = _("Subtasks of '%(name)s' hidden.") % {"name": task.name}
    else:
        status_text = _("Subtasks of '%(name)s' shown.") % {"name": task.name}
    return _render_plan(request, project, status_text=status_text)


def _task_of(project, task_id) -> Task:
    return get_object_or_404(Task, project=project, pk=task_id)


def _typed(post, names) -> dict:
    return {name: post.get(name, "") for name in names}


@require_POST
def task_save_view(request, project_id: int, task_id: int):
    """Save one grid row (Enter in any of its cells). Nothing is saved unless all of it is."""
    project = project_for(request.user, project_id)
    task = _task_of(project, task_id)
    can = abilities(request.user, project)
    if not can.plan_change and not can.progress_editable(assigned_person_ids(task=task)):
        raise PermissionDenied(_("You cannot change this plan."))
    typed_names = (
        ["percent"]
        if not can.plan_change
        else [
            "name",
            "duration",
            "resources",
            "predecessors",
            "constraint",
            "constraint_date",
            "percent",
        ]
    )
    typed = _typed(
        {**request.POST.dict(), "percent": request.POST.get("percent_complete", "")},
        typed_names,
    )
    if can.plan_change:
        rows = list(Task.objects.filter(project=project).only("pk", "position", "name"))
        form = TaskRowForm(
            request.POST,
            task=task,
            positions={row.position: row for row in rows},
            minutes_per_day=plan_settings_get(project=project).minutes_per_day,
        )
    else:
        form = TaskProgressForm(request.POST, current_percent=task.percent_complete)
    errors: list[str] = []
    invalid: set[str] = set()
    before = None
    # The plan as each write of the save leaves it: the last is the plan after the save.
    scheduled: list[ScheduledPlan] = []
    if form.is_valid():
        if request.htmx:
            # What the page shows, to send back only what the save changes in it.
            before = _shown_facts(request, project)
        saving = "task"  # which write refused, for errors that name no field
        try:
            with transaction.atomic():
                if can.plan_change:
                    changes = form.task_changes()
                else:
                    pct = form.cleaned_data["percent_complete"]
                    changes = {"percent_complete": pct} if pct != task.percent_complete else {}
                services.task_update(
                    actor=request.user,
                    task=task,
                    expected_version=form.cleaned_data["version"],
                    on_scheduled=scheduled.append,
                    **changes,
                )
                if can.plan_change:
                    saving = "predecessors"
                    services.task_predecessors_set(
                        actor=request.user,
                        task=task,
                        predecessors=form.cleaned_data["predecessors"],
                        on_scheduled=scheduled.append,
                    )
                # A row without the cell (a summary's) leaves the assignments as they are.
                if can.plan_change and "resources" in request.POST:
                    saving = "resources"
                    services.task_resources_set(
                        actor=request.user,
                        task=task,
                        text=form.cleaned_data["resources"],
                        expected_version=task.version,
                        on_scheduled=scheduled.append,
                    )
        except SERVICE_ERRORS as error:
            if isinstance(error, PermissionDenied):
                raise
            refused = refusal(error)
            if refused.gone:
                errors.append(_("This task has been deleted by someone else."))
            elif refused.stale:
                errors.append(
                    _(
                        "%(who)s changed this task since you opened it, so your changes were "
                        "not saved. Your values are kept in the row: press Enter to save them "
                        "over theirs, or Escape to see the saved values."
                    )
                    % {"who": latest_author(refused.current) or _("Someone else")}
                )
                # The next Enter is a deliberate overwrite of the version now shown.
                typed["version"] = refused.current.version
            else:
                if hasattr(error, "message_dict"):
                    invalid |= {ERROR_COLUMNS[f] for f in error.message_dict if f in ERROR_COLUMNS}
                elif saving in ("predecessors", "resources"):
                    invalid.add(saving)
                if hasattr(error, "messages"):
                    errors.extend(str(m) for m in error.messages)
                else:
                    errors.append(refused.message)
    else:
        for name, messages_ in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            errors.extend(f"{label}: {m}" if label else m for m in messages_)
            if name in ERROR_COLUMNS:
                invalid.add(ERROR_COLUMNS[name])
    if not errors:
        if not request.htmx:
            messages.success(request, _("Task '%(name)s' saved.") % {"name": task.name})
            return _back_to_plan(request, project)
        with collector_paused():
            return _saved_answer(
                request,
                project,
                task,
                before,
                _("Task '%(name)s' saved.") % {"name": task.name},
                computed=scheduled[-1] if scheduled else None,
            )
    if not Task.objects.filter(pk=task.pk).exists():
        # Deleted meanwhile: there is no row left to show the typing in.
        edited, status_text = {}, errors[0]
    else:
        edited = {task.pk: (typed, errors, frozenset(invalid))}
        status_text = _("Task '%(name)s' was not saved.") % {"name": task.name}
        if request.htmx:
            return _refused_answer(request, project, task, edited, status_text)
    return _render_plan(
        request,
        project,
        edited=edited,
        selected=task.pk,
        status_text=status_text,
        status_error=True,
        status=422,
    )


def _show_subtasks_of(user, project, summary: Task) -> None:
    """A task just put under ``summary`` must not vanish into it: expand it if collapsed."""
    if summary.pk in outline_collapsed(user=user, project=project):
        services.outline_collapse_set(user=user, project=project, task=summary, collapsed=False)


@require_http_methods(["POST"])
def task_action_view(request, project_id: int):
    """Toolbar actions on the selected row: add, add subtask, indent, outdent, move, delete."""
    project = project_for(request.user, project_id)
    if not has_perm(request.user, P.PLAN_CHANGE, project):
        raise PermissionDenied(_("You cannot change this plan."))
    form = RowActionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Unknown action."))
    action = form.cleaned_data["action"]
    task = None
    if form.cleaned_data["task"]:
        task = _task_of(project, form.cleaned_data["task"])
    selected = task.pk if task else None
    status_text = ""
    problem = None
    if action not in ("add", "add_child") and task is None:
        problem = _("Select a row first (the radio button in its ID column).")
    elif action == "delete" and not form.cleaned_data["confirmed"]:
        return render(
            request,
            "plans/task_delete.html",
            {
                "project": project,
                "task": task,
                # The version the grid showed, if it sent one: confirming deletes only that.
                "version": form.cleaned_data["version"] or task.version,
                "may_change_plan": True,
            },
        )
    else:
        name = form.cleaned_data["new_name"].strip() or _("New task")
        try:
            if action == "add":
                created = services.task_create(
                    actor=request.user, project=project, name=name, after=task
                )
                selected, status_text = created.pk, _("Task '%(name)s' added.") % {"name": name}
            elif action == "add_child":
                if task is None:
                    raise DomainError(_("Select the row that gets the subtask first."))
                created = services.task_create(
                    actor=request.user, project=project, name=name, parent=task
                )
                _show_subtasks_of(request.user, project, task)
                selected = created.pk
                status_text = _("Subtask '%(name)s' added.") % {"name": name}
            elif action == "indent":
                task = services.task_indent(actor=request.user, task=task)
                if task.parent is not None:
                    _show_subtasks_of(request.user, project, task.parent)
                status_text = _("Task '%(name)s' indented.") % {"name": task.name}
            elif action == "outdent":
                services.task_outdent(actor=request.user, task=task)
                status_text = _("Task '%(name)s' outdented.") % {"name": task.name}
            elif action in ("up", "down"):
                services.task_move(actor=request.user, task=task, direction=action)
                status_text = _("Task '%(name)s' moved.") % {"name": task.name}
            elif action == "delete":
                services.task_delete(
                    actor=request.user,
                    task=task,
                    expected_version=form.cleaned_data["version"] or task.version,
                )
                selected = None
                status_text = _("Task '%(name)s' deleted.") % {"name": task.name}
        except SERVICE_ERRORS as error:
            if isinstance(error, PermissionDenied):
                raise
            refused = refusal(error)
            problem = refused.message
            if refused.stale and action == "delete":
                problem = _(
                    "%(who)s changed task '%(name)s' since you opened the plan, so it was not "
                    "deleted. Check the row, then delete it again if you still mean to."
                ) % {
                    "who": latest_author(refused.current) or _("Someone else"),
                    "name": refused.current.name,
                }
            elif refused.gone:
                problem = _("This task has been deleted by someone else.")
                selected = None
    if not request.htmx:
        if problem:
            messages.error(request, problem)
        elif status_text:
            messages.success(request, status_text)
        return _back_to_plan(request, project)
    return _render_plan(
        request,
        project,
        selected=selected,
        status_text=problem or status_text,
        status_error=bool(problem),
    )
