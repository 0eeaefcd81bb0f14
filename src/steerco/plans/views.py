"""Plan pages: the editable WBS grid with its Gantt chart, settings, baselines, milestones,
import and export.

Every view fetches the project through ``accounts.rules`` (404 for outsiders, 403 for users
who may look but not act) and writes through ``services``/``transfer``. A grid edit re-renders
the whole grid and chart, because one changed duration can move every date below it.
"""

from __future__ import annotations

import datetime as dt
import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from urllib.parse import parse_qs, urlparse

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from steerco.accounts.rules import P, has_perm, person_of, project_for, project_permissions
from steerco.core.exceptions import DomainError
from steerco.core.history import latest_author
from steerco.core.pages import (
    SERVICE_ERRORS,
    page_status,
    refusal,
    render_page,
)
from steerco.engine.interop.tasklist import format_duration, format_predecessors

from . import services, transfer
from .forms import (
    CONSTRAINT_CODES,
    BaselineSaveForm,
    ChartOptionsForm,
    PlanImportForm,
    PlanSettingsForm,
    RowActionForm,
    TaskProgressForm,
    TaskRowForm,
    settings_initial,
)
from .gantt import GanttOptions, render_gantt
from .models import Baseline, BaselineTask, Task, TaskLink
from .selectors import baseline_engine, baseline_list, plan_settings_get, plan_view

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# --- display helpers ------------------------------------------------------------------


def _day(moment: dt.date | None) -> str:
    if moment is None:
        return "—"
    return f"{moment.day:02d} {_MONTHS[moment.month - 1]} {moment.year}"


def _days(minutes: int | None, minutes_per_day: int) -> str:
    if minutes is None:
        return "—"
    value = minutes / (minutes_per_day or 480)
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{'0' if text == '-0' else text}d"


def _percent(value) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text


@dataclass
class GridRow:
    """What one grid row shows, computed once in Python so the template only prints."""

    pk: int
    position: int
    wbs: str
    name: str
    level: int
    summary: bool
    milestone: bool
    version: int
    duration: str
    start: str
    finish: str
    predecessors: str
    constraint: str
    constraint_label: str
    constraint_date: str
    constraint_date_text: str
    percent: str
    total_float: str
    critical: bool
    late: bool
    editable: bool
    progress_editable: bool
    # After a refused save: what the user typed (shown instead of the saved values).
    typed: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def shown(self) -> dict:
        """The values the inputs show: what the user typed after a refused save, else saved."""
        saved = {
            "name": self.name,
            "duration": self.duration,
            "predecessors": self.predecessors,
            "constraint": self.constraint,
            "constraint_date": self.constraint_date,
            "percent": self.percent,
            "version": self.version,
        }
        return {**saved, **self.typed}


@dataclass
class Abilities:
    plan_change: bool
    own_work: bool
    person_id: int | None


def _abilities(user, project) -> Abilities:
    granted = project_permissions(user, project)
    person = person_of(user)
    return Abilities(
        plan_change=P.PLAN_CHANGE in granted,
        own_work=P.OWN_WORK_UPDATE in granted,
        person_id=person.pk if person is not None else None,
    )


def _chart_query(request) -> dict:
    """Chart options from the page's query; htmx edits read them from the page's URL."""
    if request.htmx and request.htmx.current_url:
        query = parse_qs(urlparse(request.htmx.current_url).query)
        return {key: values[-1] for key, values in query.items()}
    return request.GET.dict()


def _grid_rows(view, can: Abilities, edited: dict | None) -> list[GridRow]:
    per_day = view.settings.minutes_per_day or 480
    position_of = {row.uid: row.position for row in view.inputs.rows}
    # The engine's links were built from inputs.links in the same order; reuse them.
    engine_links = {}
    for row_link, link in zip(view.inputs.links, view.inputs.plan.links, strict=True):
        engine_links.setdefault(row_link.successor_id, []).append(link)
    between = view.inputs.plan.calendar.working_minutes_between
    edited = edited or {}
    # Resolved once: a lazy label is translated again on every use.
    labels = {value: str(label) for value, label in Task.Constraint.choices}
    rows = []
    for item in view.rows:
        task, result = item.task, item.result
        if item.summary and result is not None:
            duration = format_duration(
                between(result.start, result.finish), minutes_per_day=per_day
            )
        else:
            duration = format_duration(
                task.duration_minutes, elapsed=task.elapsed, minutes_per_day=per_day
            )
        links = engine_links.get(task.pk, [])
        links.sort(key=lambda link: position_of[link.predecessor_uid])
        dated = task.constraint_date is not None and task.constraint_type > 1
        kind = task.constraint_type
        row = GridRow(
            pk=task.pk,
            position=task.position,
            wbs=task.wbs,
            name=task.name,
            level=task.outline_level,
            summary=item.summary,
            milestone=task.milestone,
            version=task.version,
            duration=duration,
            start=_day(result.start) if result else "—",
            finish=_day(result.finish) if result else "—",
            predecessors=format_predecessors(links, minutes_per_day=per_day, id_of=position_of),
            constraint=CONSTRAINT_CODES[task.constraint_type],
            constraint_label=labels[kind],
            constraint_date=task.constraint_date.date().isoformat() if dated else "",
            constraint_date_text=_day(task.constraint_date) if dated else "",
            percent=_percent(item.percent_complete),
            total_float=_days(result.total_slack_minutes, per_day) if result else "—",
            critical=bool(result and result.critical),
            late=bool(result and result.total_slack_minutes < 0),
            editable=can.plan_change,
            progress_editable=(
                not can.plan_change
                and can.own_work
                and can.person_id is not None
                and task.assignee_id == can.person_id
            ),
        )
        if task.pk in edited:
            row.typed, row.errors = edited[task.pk]
        rows.append(row)
    return rows


class _RowWriter:
    """Writes the grid's rows as HTML.

    Built in Python rather than in the template: Django's template engine needs about 3 ms
    for a row of this many cells, so a 2,000-task plan would take seconds, against a few
    milliseconds here. Every value is escaped; the markup matches the template's header.
    """

    def __init__(self, request, project, selected):
        probe = 999_999_999
        self.save_url = reverse(
            "plans:task_save", kwargs={"project_id": project.pk, "task_id": probe}
        ).replace(str(probe), "{pk}")
        self.csrf = escape(get_token(request))
        self.selected = selected
        self.t = {
            "save": escape(_("Save row")),
            "select": escape(_("Select row")),
            "name": escape(_("Name, row")),
            "duration": escape(_("Duration, row")),
            "predecessors": escape(_("Predecessors, row")),
            "constraint": escape(_("Constraint, row")),
            "cdate": escape(_("Constraint date, row")),
            "percent": escape(_("% complete, row")),
            "critical": escape(_("Critical")),
            "not_saved": _("Row %(n)s was not saved:"),
        }

    def _input(self, row, values, col, name, label, cls, extra="") -> str:
        invalid = ""
        if row.errors and col == "name":
            invalid = f' aria-invalid="true" aria-describedby="err-{row.pk}"'
        elif row.errors:
            invalid = f' aria-describedby="err-{row.pk}"'
        return (
            f'<input id="t{row.pk}-{col}" class="cell {cls}" form="f{row.pk}" name="{name}" '
            f'value="{escape(values[col])}"{self._saved(row, getattr(row, col))} '
            f'data-col="{col}" aria-label="{self.t[label]} {row.position}"{invalid}{extra}>'
        )

    @staticmethod
    def _saved(row, value) -> str:
        # Escape puts back the saved value: the value attribute itself, unless the row
        # shows what the user typed before a refused save.
        return f' data-saved="{escape(value)}"' if row.typed else ""

    def row(self, row: GridRow) -> str:
        pk, t = row.pk, self.t
        values = row.shown if row.typed else None
        classes = " ".join(
            name
            for name, on in (
                ("is-summary", row.summary),
                ("is-critical", row.critical),
                ("has-errors", row.errors),
                ("is-selected", self.selected == pk),
            )
            if on
        )
        out = [f'<tr id="row-{pk}" class="{classes}"><th scope="row" class="col-id">']
        if row.editable or row.progress_editable:
            url = self.save_url.format(pk=pk)
            version = values["version"] if values else row.version
            out.append(
                f'<form id="f{pk}" class="row-form" method="post" action="{url}" '
                f'hx-post="{url}"><input type="hidden" name="csrfmiddlewaretoken" '
                f'value="{self.csrf}"><input type="hidden" name="version" value="{version}">'
                f'<button type="submit" class="visually-hidden" tabindex="-1">{t["save"]} '
                f"{row.position}</button></form>"
            )
        if row.editable:
            checked = " checked" if self.selected == pk else ""
            out.append(
                f'<label class="row-select"><input type="radio" name="task" value="{pk}" '
                f'data-version="{row.version}" '
                f'form="row-actions"{checked} aria-label="{t["select"]} {row.position}: '
                f'{escape(row.name)}"> {row.position}</label>'
            )
        else:
            out.append(str(row.position))
        out.append(f'</th><td class="mono">{escape(row.wbs)}</td>')
        shown = values or {
            "name": row.name,
            "duration": row.duration,
            "predecessors": row.predecessors,
            "constraint": row.constraint,
            "constraint_date": row.constraint_date,
            "percent": row.percent,
        }
        shown = {**shown, "cdate": shown["constraint_date"]}
        if row.editable:
            out.append('<td class="col-name">')
            out.append(
                self._input(
                    row, shown, "name", "name", "name", "cell--name", f' style="--lvl:{row.level}"'
                )
            )
            out.append('</td><td class="num">')
            if row.summary:
                out.append(
                    f'<span class="cell-text">{escape(row.duration)}</span><input type="hidden" '
                    f'form="f{pk}" name="duration" value="">'
                )
            else:
                out.append(
                    self._input(
                        row, shown, "duration", "duration", "duration", "cell--num", ' size="6"'
                    )
                )
            out.append(
                f'</td><td class="nowrap">{row.start}</td><td class="nowrap">{row.finish}</td><td>'
            )
            out.append(
                self._input(
                    row, shown, "predecessors", "predecessors", "predecessors", "", ' size="10"'
                )
            )
            out.append('</td><td class="col-constraint">')
            out.append(
                self._input(
                    row,
                    shown,
                    "constraint",
                    "constraint",
                    "constraint",
                    "cell--code",
                    f' list="constraint-codes" size="5" title="{escape(row.constraint_label)}"',
                )
            )
            row_cdate = row.constraint_date
            out.append(
                f'<input id="t{pk}-cdate" class="cell cell--date" type="date" form="f{pk}" '
                f'name="constraint_date" value="{escape(shown["cdate"])}" '
                f'{self._saved(row, row_cdate)} data-col="cdate" '
                f'aria-label="{t["cdate"]} {row.position}">'
            )
            out.append('</td><td class="num">')
            out.append(
                self._input(
                    row,
                    shown,
                    "percent",
                    "percent_complete",
                    "percent",
                    "cell--num",
                    ' inputmode="decimal" size="4"',
                )
            )
            out.append("</td>")
        else:
            out.append(
                f'<td class="col-name"><span class="cell-text cell--name" '
                f'style="--lvl:{row.level}">{escape(row.name)}</span></td>'
                f'<td class="num">{escape(row.duration)}</td>'
                f'<td class="nowrap">{row.start}</td><td class="nowrap">{row.finish}</td>'
                f"<td>{escape(row.predecessors)}</td>"
                f'<td><abbr title="{escape(row.constraint_label)}">{row.constraint}</abbr> '
                f'{row.constraint_date_text}</td><td class="num">'
            )
            if row.progress_editable:
                out.append(
                    self._input(
                        row,
                        shown,
                        "percent",
                        "percent_complete",
                        "percent",
                        "cell--num",
                        ' inputmode="decimal" size="4"',
                    )
                )
            else:
                out.append(f"{row.percent}%")
            out.append("</td>")
        late = " is-late" if row.late else ""
        out.append(f'<td class="num{late}">{row.total_float}</td><td>')
        if row.critical:
            out.append(f'<span class="crit">{t["critical"]}</span>')
        out.append("</td></tr>")
        if row.errors:
            items = "".join(f"<li>{escape(error)}</li>" for error in row.errors)
            heading = escape(t["not_saved"] % {"n": row.position})
            out.append(
                f'<tr class="row-errors"><td colspan="11"><div id="err-{pk}" class="form-errors" '
                f'role="alert"><p>{heading}</p><ul>{items}</ul></div></td></tr>'
            )
        return "".join(out)


def _fitting_zoom(view) -> str:
    """Days for a plan of a couple of months, weeks up to about a year, months beyond."""
    if view.schedule is None:
        return "week"
    span = (view.schedule.finish - view.schedule.start).days
    return "day" if span <= 60 else "week" if span <= 400 else "month"


@contextmanager
def _without_gc_pauses():
    """Hold off cyclic garbage collection while a large plan is loaded and drawn.

    A 2,000-task page builds some 50,000 short-lived objects (ORM rows, engine tasks, SVG
    strings); each burst triggers full collections that free nothing and cost a third of
    the page's time. Reference counting still frees everything; collection resumes after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _plan_context(request, project, **kwargs) -> dict:
    with _without_gc_pauses():
        return _build_plan_context(request, project, **kwargs)


def _build_plan_context(request, project, *, edited=None, selected=None, status_text="") -> dict:
    view = plan_view(project=project)
    can = _abilities(request.user, project)
    rows = _grid_rows(view, can, edited)
    baselines = list(baseline_list(project=project))
    chart_form = ChartOptionsForm(
        _chart_query(request), baselines=baselines, default_zoom=_fitting_zoom(view)
    )
    chart = chart_form.options()
    baseline_bars = None
    if chart["baseline"] is not None:
        baseline_bars = {
            uid: (start, finish)
            for uid, start, finish in BaselineTask.objects.filter(
                baseline__project=project,
                baseline__number=chart["baseline"],
                start__isnull=False,
                finish__isnull=False,
            ).values_list("task_uid", "start", "finish")
        }
    svg = ""
    if view.schedule is not None:
        svg = render_gantt(
            view.inputs.plan,
            view.schedule,
            options=GanttOptions(
                zoom=chart["zoom"],
                show_critical=chart["show_critical"],
                baseline=baseline_bars,
                today=dt.date.today(),
                title=_("Gantt chart of %(code)s") % {"code": project.code},
            ),
        )
    return {
        "project": project,
        "plan": view,
        "rows": rows,
        "rows_html": mark_safe("\n".join(map(_RowWriter(request, project, selected).row, rows))),
        "can": can,
        "may_edit_any": can.plan_change or can.own_work,
        "may_change_plan": can.plan_change,
        "gantt_svg": svg,
        "chart_form": chart_form,
        "chart": chart,
        "baselines": baselines,
        "selected": selected,
        # The toolbar sends the selected row's version, so a delete is refused if the
        # task was saved since; plan.js keeps it in step with the selection.
        "selected_version": next((row.version for row in rows if row.pk == selected), ""),
        "status_text": status_text,
        "constraint_choices": [
            (code, Task.Constraint(v).label) for v, code in CONSTRAINT_CODES.items()
        ],
        "per_day": view.settings.minutes_per_day,
    }


def _render_plan(request, project, *, status: int = 200, **kwargs):
    context = _plan_context(request, project, **kwargs)
    return render_page(request, "plans/plan.html", context, fragment="planbody", status=status)


def _back_to_plan(request, project):
    """After a non-htmx save: the plan page again, with the chart options it had."""
    url = reverse("plans:plan", kwargs={"project_id": project.pk})
    query = request.POST.get("chart_query", "")
    return redirect(f"{url}?{query}" if query else url)


# --- the plan page ---------------------------------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
def plan_page(request, project_id: int):
    project = project_for(request.user, project_id)
    return _render_plan(request, project)


def _task_of(project, task_id) -> Task:
    return get_object_or_404(Task, project=project, pk=task_id)


def _sync_links(actor, project, task: Task, wanted: list) -> None:
    """Make the task's predecessors exactly ``wanted`` [(predecessor task, parsed entry)]."""
    current = {link.predecessor_id: link for link in TaskLink.objects.filter(successor=task)}
    desired = {pred.pk: (pred, entry) for pred, entry in wanted}
    # Removals first, so replacing a link never looks like a loop halfway through.
    for pred_id, link in current.items():
        if pred_id not in desired:
            services.link_delete(actor=actor, link=link, expected_version=link.version)
    for pred_id, (pred, entry) in desired.items():
        values = {
            "type": int(entry.type.value),
            "lag_minutes": entry.lag_minutes,
            "lag_percent": entry.lag_percent,
            "lag_elapsed": entry.lag_elapsed,
        }
        link = current.get(pred_id)
        if link is None:
            services.link_create(
                actor=actor, project=project, predecessor=pred, successor=task, **values
            )
            continue
        stored_percent = float(link.lag_percent) if link.lag_percent is not None else None
        stored = (link.type, link.lag_minutes, stored_percent, link.lag_elapsed)
        if stored != tuple(values.values()):
            services.link_update(actor=actor, link=link, expected_version=link.version, **values)


def _typed(post, names) -> dict:
    return {name: post.get(name, "") for name in names}


@require_POST
def task_save(request, project_id: int, task_id: int):
    """Save one grid row (Enter in any of its cells). Nothing is saved unless all of it is."""
    project = project_for(request.user, project_id)
    task = _task_of(project, task_id)
    can = _abilities(request.user, project)
    own = can.own_work and can.person_id is not None and task.assignee_id == can.person_id
    if not can.plan_change and not own:
        raise PermissionDenied(_("You cannot change this plan."))
    typed_names = (
        ["percent"]
        if not can.plan_change
        else ["name", "duration", "predecessors", "constraint", "constraint_date", "percent"]
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
        form = TaskProgressForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
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
                    **changes,
                )
                if can.plan_change:
                    _sync_links(request.user, project, task, form.cleaned_data["predecessors"])
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
            elif hasattr(error, "messages"):
                errors.extend(str(m) for m in error.messages)
            else:
                errors.append(refused.message)
    else:
        for name, messages_ in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            errors.extend(f"{label}: {m}" if label else m for m in messages_)
    if not errors:
        if not request.htmx:
            messages.success(request, _("Task '%(name)s' saved.") % {"name": task.name})
            return _back_to_plan(request, project)
        return _render_plan(
            request,
            project,
            selected=task.pk,
            status_text=_("Task '%(name)s' saved.") % {"name": task.name},
        )
    if not Task.objects.filter(pk=task.pk).exists():
        # Deleted meanwhile: there is no row left to show the typing in.
        edited, status_text = {}, errors[0]
    else:
        edited = {task.pk: (typed, errors)}
        status_text = _("Task '%(name)s' was not saved.") % {"name": task.name}
    return _render_plan(
        request, project, edited=edited, selected=task.pk, status_text=status_text, status=422
    )


@require_http_methods(["POST"])
def task_action(request, project_id: int):
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
                selected = created.pk
                status_text = _("Subtask '%(name)s' added.") % {"name": name}
            elif action == "indent":
                services.task_indent(actor=request.user, task=task)
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
    context_status = problem or status_text
    response = _render_plan(request, project, selected=selected, status_text=context_status)
    return response


# --- settings --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def plan_settings_page(request, project_id: int):
    project = project_for(request.user, project_id, P.PLAN_CHANGE)
    settings = plan_settings_get(project=project)
    conflict = None
    status = 200
    if request.method == "POST":
        form = PlanSettingsForm(request.POST)
        if form.is_valid():
            try:
                settings = services.plan_settings(project)
                services.plan_update(
                    actor=request.user,
                    project=project,
                    expected_version=form.cleaned_data["version"],
                    **form.changes(settings),
                )
            except SERVICE_ERRORS as error:
                refused = refusal(error, form=form)
                status = refused.status
                if refused.stale:
                    settings = plan_settings_get(project=project)
                    conflict = _(
                        "Someone else saved the plan settings after you opened them; the form "
                        "now shows the saved values. Re-apply your changes and save again."
                    )
                    form = PlanSettingsForm(initial=settings_initial(settings))
            else:
                messages.success(request, _("Plan settings saved."))
                return redirect("plans:plan", project_id=project.pk)
    else:
        form = PlanSettingsForm(initial=settings_initial(settings))
    return render(
        request,
        "plans/settings.html",
        {
            "project": project,
            "form": form,
            "conflict": conflict,
            "settings": settings,
            "may_change_plan": True,
        },
        status=page_status(request, status),
    )


# --- baselines -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def baselines_page(request, project_id: int):
    project = project_for(request.user, project_id)
    can_change = has_perm(request.user, P.PLAN_CHANGE, project)
    baselines = list(baseline_list(project=project))
    saved = {b.number: b for b in baselines}
    status = 200
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(_("You cannot change this plan."))
        form = BaselineSaveForm(request.POST, saved=saved)
        if form.is_valid():
            try:
                baseline = services.baseline_save(
                    actor=request.user,
                    project=project,
                    number=form.cleaned_data["number"],
                    name=form.cleaned_data["name"].strip(),
                )
            except SERVICE_ERRORS as error:
                status = refusal(error, form=form).status
            else:
                messages.success(request, _("Baseline %(n)s saved.") % {"n": baseline.number})
                return redirect("plans:baselines", project_id=project.pk)
    else:
        free = next((n for n in range(11) if n not in saved), 0)
        form = BaselineSaveForm(saved=saved, initial={"number": free})
    return render(
        request,
        "plans/baselines.html",
        {
            "project": project,
            "baselines": baselines,
            "form": form,
            "can_change": can_change,
            "may_change_plan": can_change,
        },
        status=page_status(request, status),
    )


@require_http_methods(["GET", "POST"])
def baseline_delete(request, project_id: int, number: int):
    project = project_for(request.user, project_id, P.PLAN_CHANGE)
    baseline = get_object_or_404(Baseline, project=project, number=number)
    if request.method == "POST":
        try:
            services.baseline_delete(actor=request.user, baseline=baseline)
        except SERVICE_ERRORS as error:
            messages.error(request, refusal(error).message)
        else:
            messages.success(request, _("Baseline %(n)s deleted.") % {"n": number})
        return redirect("plans:baselines", project_id=project.pk)
    return render(
        request,
        "plans/baseline_delete.html",
        {"project": project, "baseline": baseline, "may_change_plan": True},
    )


@dataclass
class VarianceRow:
    position: int
    wbs: str
    name: str
    baseline_start: str
    start: str
    baseline_finish: str
    finish: str
    start_variance: str
    finish_variance: str
    duration_variance: str
    finish_minutes: int
    verdict: str
    late: bool


def _signed_days(minutes: int, per_day: int) -> str:
    text = _days(minutes, per_day)
    return f"+{text}" if minutes > 0 else text


def _verdict(minutes: int, per_day: int) -> str:
    if minutes > 0:
        return _("late by %(d)s") % {"d": _days(minutes, per_day).replace("d", " d")}
    if minutes < 0:
        return _("early by %(d)s") % {"d": _days(-minutes, per_day).replace("d", " d")}
    return _("on time")


@require_GET
def baseline_compare(request, project_id: int, number: int):
    project = project_for(request.user, project_id)
    baseline = get_object_or_404(Baseline, project=project, number=number)
    view = plan_view(project=project)
    per_day = view.settings.minutes_per_day or 480
    saved = {row.task_uid: row for row in baseline.tasks.all()}
    rows: list[VarianceRow] = []
    added = []
    if view.schedule is not None:
        variances = (
            baseline_engine(project=project, inputs=view.inputs).variances(view.schedule, number)
            if saved
            else {}
        )
        for item in view.rows:
            task, result = item.task, item.result
            base = saved.get(task.uid)
            if base is None:
                added.append(task)
                continue
            variance = variances.get(task.uid)
            if variance is None or result is None:
                continue
            rows.append(
                VarianceRow(
                    position=task.position,
                    wbs=task.wbs,
                    name=task.name,
                    baseline_start=_day(base.start),
                    start=_day(result.start),
                    baseline_finish=_day(base.finish),
                    finish=_day(result.finish),
                    start_variance=_signed_days(variance.start_minutes, per_day),
                    finish_variance=_signed_days(variance.finish_minutes, per_day),
                    duration_variance=_signed_days(variance.duration_minutes, per_day),
                    finish_minutes=variance.finish_minutes,
                    verdict=_verdict(variance.finish_minutes, per_day),
                    late=variance.finish_minutes > 0,
                )
            )
    rows.sort(key=lambda row: (-row.finish_minutes, row.position))
    current_uids = {row.uid for row in view.inputs.rows}
    removed = [entry for uid, entry in sorted(saved.items()) if uid not in current_uids]
    return render(
        request,
        "plans/baseline_compare.html",
        {
            "project": project,
            "baseline": baseline,
            "baselines": list(baseline_list(project=project)),
            "rows": rows,
            "slipped": sum(1 for row in rows if row.late),
            "added": added,
            "removed": removed,
            "error": view.error,
            "may_change_plan": has_perm(request.user, P.PLAN_CHANGE, project),
        },
    )


# --- milestones ------------------------------------------------------------------------


@dataclass
class MilestoneRow:
    position: int
    name: str
    date: str
    baseline_date: str
    variance: str
    total_float: str
    deadline: str
    at_risk: bool
    reasons: list[str]


@require_GET
def milestones_page(request, project_id: int):
    project = project_for(request.user, project_id)
    view = plan_view(project=project)
    per_day = view.settings.minutes_per_day or 480
    baselines = list(baseline_list(project=project))
    try:
        number = int(request.GET.get("baseline", baselines[0].number if baselines else -1))
    except ValueError:
        number = -1
    saved = {
        uid: finish
        for uid, finish in BaselineTask.objects.filter(
            baseline__project=project, baseline__number=number
        ).values_list("task_uid", "finish")
    }
    between = view.inputs.plan.calendar.working_minutes_between
    rows = []
    for item in view.rows:
        task, result = item.task, item.result
        if not task.milestone:
            continue
        reasons = []
        if result is not None and task.deadline is not None and result.finish > task.deadline:
            reasons.append(_("finishes after its deadline"))
        if result is not None and result.total_slack_minutes < 0:
            reasons.append(_("negative float"))
        base = saved.get(task.uid)
        rows.append(
            MilestoneRow(
                position=task.position,
                name=task.name,
                date=_day(result.finish) if result else "—",
                baseline_date=_day(base),
                variance=(
                    _signed_days(between(base, result.finish), per_day) if base and result else "—"
                ),
                total_float=_days(result.total_slack_minutes, per_day) if result else "—",
                deadline=_day(task.deadline),
                at_risk=bool(reasons),
                reasons=reasons,
            )
        )
    return render(
        request,
        "plans/milestones.html",
        {
            "project": project,
            "rows": rows,
            "baselines": baselines,
            "number": number,
            "error": view.error,
            "may_change_plan": has_perm(request.user, P.PLAN_CHANGE, project),
        },
    )


# --- import and export -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def import_page(request, project_id: int):
    project = project_for(request.user, project_id, P.PLAN_CHANGE)
    problems = []
    report = None
    if request.method == "POST":
        form = PlanImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > transfer.MAX_IMPORT_BYTES:
                    raise transfer.PlanImportError(_("The file is larger than 20 MB."))
                report = transfer.plan_import(
                    actor=request.user, project=project, data=upload.read(), filename=upload.name
                )
            except transfer.PlanImportError as error:
                form.add_error(None, error.message)
                problems = error.problems
            except SERVICE_ERRORS as error:
                refusal(error, form=form)
            else:
                form = PlanImportForm()
    else:
        form = PlanImportForm()
    task_count = Task.objects.filter(project=project).count()
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
def export_plan(request, project_id: int):
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
