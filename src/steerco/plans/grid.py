"""The plan grid's rows: what each row shows (``grid_rows``) and their HTML (``RowWriter``).

Beside ``gantt.py``, which draws the chart next to the grid: both turn the computed
schedule into what the plan page shows, in Python, because the template engine would
take seconds for a large plan.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from html import escape

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.translation import gettext as _

from steerco.accounts.rules import P, may_update_progress, project_permissions
from steerco.engine.interop.tasklist import format_predecessors
from steerco.engine.scheduling.assignment_notation import format_resources

from .display import day_text, days_text, duration_text, whole_percent_text
from .forms import CONSTRAINT_CODES
from .models import Task
from .selectors import ApprovedDates, PlanView

#: Outline levels deeper than this are indented as this one (class ``lvl-10``): the name
#: would otherwise be pushed out of its column.
DEEPEST_INDENT = 10

#: The grid column of each field a row's save may refuse, so the error marks that cell.
#: Form fields and model fields both appear: the form refuses typing, the model's own
#: checks refuse what the form let through.
ERROR_COLUMNS = {
    "name": "name",
    "duration": "duration",
    "duration_minutes": "duration",
    "elapsed": "duration",
    "predecessors": "predecessors",
    "constraint": "constraint",
    "constraint_type": "constraint",
    "constraint_date": "cdate",
    "percent_complete": "percent",
    "resources": "resources",
}


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
    #: The task's Resource Names (``Priya[50%], Tom``).
    resources: str
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
    #: A summary row: the stored % complete as the grid writes it. The grid shows the
    #: roll-up of the tasks below instead, and sends this back so a save leaves it alone.
    stored_percent: str = ""
    #: A summary whose subtasks this user has hidden.
    collapsed: bool = False
    # After a refused save: what the user typed (shown instead of the saved values), the
    # messages, and the columns they are about.
    typed: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    invalid: frozenset[str] = frozenset()
    #: The "slipped vs baseline" columns: the approved baseline's dates and the schedule's
    #: variance from them in working days ("—" when the baseline lacks the task).
    baseline_start: str = "—"
    baseline_finish: str = "—"
    start_variance: str = "—"
    finish_variance: str = "—"
    slipped: bool = False

    @property
    def indent(self) -> str:
        """The name's indent class: ``lvl-1`` for top-level tasks."""
        return f"lvl-{min(max(self.level, 1), DEEPEST_INDENT)}"

    @property
    def shown(self) -> dict:
        """The values the inputs show: what the user typed after a refused save, else saved."""
        saved = {
            "name": self.name,
            "duration": self.duration,
            "resources": self.resources,
            "predecessors": self.predecessors,
            "constraint": self.constraint,
            "constraint_date": self.constraint_date,
            "percent": self.percent,
            "version": self.version,
        }
        return {**saved, **self.typed}


@dataclass
class Abilities:
    """What the user may edit in the grid."""

    plan_change: bool
    own_work: bool
    user: object
    project: object

    def progress_editable(self, assigned_person_ids: Collection[int]) -> bool:
        """Only the progress of this row is editable: the user's own task (one of
        ``assigned_person_ids`` is theirs), see ``accounts.rules.may_update_progress``."""
        return (
            not self.plan_change
            and self.own_work
            and may_update_progress(
                self.user, self.project, assigned_person_ids=assigned_person_ids
            )
        )


def abilities(user, project) -> Abilities:
    granted = project_permissions(user, project)
    return Abilities(
        plan_change=P.PLAN_CHANGE in granted,
        own_work=P.OWN_WORK_UPDATE in granted,
        user=user,
        project=project,
    )


def outline_hidden(view: PlanView, collapsed: Collection[int]) -> set[int]:
    """The ids of the tasks hidden under a collapsed summary (``collapsed``: task ids).

    Rows come in outline order, so a parent is decided before its children: a task is
    hidden when its parent is collapsed or itself hidden.
    """
    hidden: set[int] = set()
    if not collapsed:
        return hidden
    for item in view.rows:
        parent = item.task.parent_id
        if parent is not None and (parent in hidden or parent in collapsed):
            hidden.add(item.task.pk)
    return hidden


def grid_rows(
    view: PlanView,
    can: Abilities,
    edited: dict | None,
    *,
    collapsed: Collection[int] = frozenset(),
    hidden: Collection[int] = frozenset(),
    approved: Mapping[int, ApprovedDates] | None = None,
) -> list[GridRow]:
    """One row per task of ``view`` but those in ``hidden``; ``edited`` {task id: (typed
    values, errors, invalid columns)} are rows whose save was refused, shown with what the
    user typed. ``collapsed`` summaries are drawn closed. ``approved`` (task uid: dates in
    the approved baseline) fills the "slipped vs baseline" columns."""
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
    assignments = view.inputs.assignments
    rows = []
    for item in view.rows:
        task, result = item.task, item.result
        if task.pk in hidden:
            continue
        if item.summary and result is not None:
            duration = duration_text(between(result.start, result.finish), minutes_per_day=per_day)
        else:
            duration = duration_text(
                task.duration_minutes, elapsed=task.elapsed, minutes_per_day=per_day
            )
        links = engine_links.get(task.pk, [])
        links.sort(key=lambda link: position_of[link.predecessor_uid])
        dated = task.constraint_date is not None and task.constraint_type > 1
        kind = task.constraint_type
        assigned = assignments.get(task.pk, ())
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
            start=day_text(result.start) if result else "—",
            finish=day_text(result.finish) if result else "—",
            resources=format_resources([(a.resource_name, a.units) for a in assigned])
            if assigned
            else "",
            predecessors=format_predecessors(links, minutes_per_day=per_day, id_of=position_of),
            constraint=CONSTRAINT_CODES[task.constraint_type],
            constraint_label=labels[kind],
            constraint_date=task.constraint_date.date().isoformat() if dated else "",
            constraint_date_text=day_text(task.constraint_date) if dated else "",
            percent=whole_percent_text(item.percent_complete),
            total_float=days_text(result.total_slack_minutes, per_day, spaced=True)
            if result
            else "—",
            critical=bool(result and result.critical),
            late=bool(result and result.total_slack_minutes < 0),
            editable=can.plan_change,
            progress_editable=can.progress_editable(
                {a.person_id for a in assigned if a.person_id is not None}
            ),
            stored_percent=whole_percent_text(task.percent_complete) if item.summary else "",
            collapsed=item.summary and task.pk in collapsed,
        )
        if task.pk in edited:
            row.typed, row.errors, row.invalid = edited[task.pk]
        if approved is not None and task.uid in approved:
            _fill_baseline_columns(row, approved[task.uid], per_day)
        rows.append(row)
    return rows


def _fill_baseline_columns(row: GridRow, dates: ApprovedDates, per_day: int) -> None:
    row.baseline_start = day_text(dates.start) if dates.start else "—"
    row.baseline_finish = day_text(dates.finish) if dates.finish else "—"
    if dates.start_minutes is not None:
        row.start_variance = days_text(dates.start_minutes, per_day, spaced=True)
    if dates.finish_minutes is not None:
        row.finish_variance = days_text(dates.finish_minutes, per_day, spaced=True)
    row.slipped = dates.late


class RowWriter:
    """Writes the grid's rows as HTML.

    Built in Python rather than in the template: Django's template engine needs about 3 ms
    for a row of this many cells, so a 2,000-task plan would take seconds, against a few
    milliseconds here. Every value is escaped; the markup matches the template's header.
    Geometry is in classes (``lvl-N`` indents), never in style attributes, which the
    Content-Security-Policy refuses.
    """

    def __init__(self, request, project, selected, *, slipped: bool = False):
        probe = 999_999_999
        self.save_url = reverse(
            "plans:task_save", kwargs={"project_id": project.pk, "task_id": probe}
        ).replace(str(probe), "{pk}")
        self.csrf = escape(get_token(request))
        self.selected = selected
        #: The "slipped vs baseline" column set in place of Start and Finish.
        self.slipped = slipped
        self.t = {
            "save": escape(_("Save row")),
            "select": escape(_("Select row")),
            "name": escape(_("Name, row")),
            "duration": escape(_("Duration, row")),
            "resources": escape(_("Resources, row")),
            "predecessors": escape(_("Predecessors, row")),
            "constraint": escape(_("Constraint, row")),
            "cdate": escape(_("Constraint date, row")),
            "percent": escape(_("% complete, row")),
            "critical": escape(_("Critical")),
            "collapse": _("Hide the subtasks of %(name)s"),
            "expand": _("Show the subtasks of %(name)s"),
        }

    def _percent_input(self, row, values) -> str:
        """The % complete cell's input: the same whether the whole row is editable or only
        its progress (a team member's own task)."""
        return self._input(
            row,
            values,
            "percent",
            "percent_complete",
            "percent",
            "cell--num",
            ' inputmode="decimal" size="4"',
        )

    def _resources_cell(self, row, values) -> str:
        """The Resources cell: the notation, typed, with the directory's names offered as
        the last name of the list (``plan.js`` keeps the ``resource-names`` list in step);
        a summary's, whose work is its subtasks', as text."""
        if row.summary:
            return f'<span class="cell-text">{escape(row.resources)}</span>'
        return self._input(
            row,
            values,
            "resources",
            "resources",
            "resources",
            "cell--resources",
            ' list="resource-names" size="10" autocomplete="off"',
        )

    def _input(self, row, values, col, name, label, cls, extra="") -> str:
        invalid = ""
        if col in row.invalid:
            invalid = f' aria-invalid="true" aria-describedby="err-{row.pk}"'
        elif row.errors:
            invalid = f' aria-describedby="err-{row.pk}"'
        return (
            f'<input id="t{row.pk}-{col}" class="cell {cls}" name="{name}" '
            f'value="{escape(values[col])}"{self._saved(row, getattr(row, col))} '
            f'data-col="{col}" aria-label="{self.t[label]} {row.position}"{invalid}{extra}>'
        )

    @staticmethod
    def _saved(row, value) -> str:
        # Escape puts back the saved value: the value attribute itself, unless the row
        # shows what the user typed before a refused save.
        return f' data-saved="{escape(value)}"' if row.typed else ""

    def _toggle(self, row: GridRow) -> str:
        """A summary's collapse/expand button (it submits the page's outline form), or
        for any other row a spacer as wide, so names line up under their summary."""
        if not row.summary:
            return '<span class="outline-toggle outline-toggle--none" aria-hidden="true"></span>'
        action, wording = ("expand", "expand") if row.collapsed else ("collapse", "collapse")
        label = escape(self.t[wording] % {"name": row.name})
        return (
            f'<button type="submit" id="toggle-{row.pk}" class="outline-toggle" '
            f'form="outline-form" name="{action}" value="{row.pk}" '
            f'aria-expanded="{"false" if row.collapsed else "true"}" aria-label="{label}" '
            f'title="{label}"><span aria-hidden="true">'
            f"{'▸' if row.collapsed else '▾'}</span></button>"
        )

    def _dates(self, row: GridRow) -> str:
        """The date cells: Start and Finish, or the approved baseline's dates and the
        variances from them (Project's Variance table)."""
        if not self.slipped:
            return f'<div role="cell">{row.start}</div><div role="cell">{row.finish}</div>'
        late = " is-late" if row.slipped else ""
        return (
            f'<div role="cell">{row.baseline_start}</div>'
            f'<div role="cell">{row.baseline_finish}</div>'
            f'<div class="num" role="cell">{row.start_variance}</div>'
            f'<div class="num{late}" role="cell">{row.finish_variance}</div>'
        )

    def row(self, row: GridRow, index: int) -> str:
        """Row ``index`` (from 0, among the rows shown): a ``role="row"`` of cells, inside
        the row's own ``<form>`` when anything in it is editable.

        The inputs sit inside their form, not tied to it by a ``form`` attribute: with one
        form per row, Chromium spends most of a large plan's load resolving those
        attributes (a 2,000-task page took three times as long). So the grid is not a
        ``<table>``, in which a form cannot hold a row, but divs with the table's roles.

        For the same reason the row's selection radio is tied to no form and has no name
        (ADR 18): 5,000 radios owned by the toolbar through ``form="row-actions"`` made
        Chromium walk the whole page for every row a save's answer replaced (minutes on a
        5,000-task plan). plan.js copies the picked row into the toolbar's hidden ``task``.
        """
        pk, t = row.pk, self.t
        values = row.shown if row.typed else None
        classes = " ".join(
            name
            for name, on in (
                ("grid-row", True),
                ("is-stripe", index % 2 == 1),
                ("is-summary", row.summary),
                ("is-collapsed", row.collapsed),
                ("is-critical", row.critical),
                ("has-errors", row.errors),
                ("is-selected", self.selected == pk),
            )
            if on
        )
        editable = row.editable or row.progress_editable
        out = []
        if editable:
            url = self.save_url.format(pk=pk)
            version = values["version"] if values else row.version
            out.append(
                f'<form id="f{pk}" class="row-form" method="post" action="{url}" '
                f'hx-post="{url}" role="none"><input type="hidden" name="csrfmiddlewaretoken" '
                f'value="{self.csrf}"><input type="hidden" name="version" value="{version}">'
                f'<button type="submit" class="visually-hidden" tabindex="-1">{t["save"]} '
                f"{row.position}</button>"
            )
        out.append(
            f'<div id="row-{pk}" class="{classes}" role="row" data-task="{pk}">'
            '<div class="col-id" role="rowheader">'
        )
        if row.editable:
            checked = " checked" if self.selected == pk else ""
            out.append(
                f'<label class="row-select"><input type="radio" class="row-pick" value="{pk}" '
                f'data-version="{row.version}"{checked} aria-label="{t["select"]} {row.position}: '
                f'{escape(row.name)}"> {row.position}</label>'
            )
        else:
            out.append(str(row.position))
        shown = values or {
            "name": row.name,
            "duration": row.duration,
            "resources": row.resources,
            "predecessors": row.predecessors,
            "constraint": row.constraint,
            "constraint_date": row.constraint_date,
            "percent": row.percent,
        }
        shown = {**shown, "cdate": shown["constraint_date"]}
        out.append(f'</div><div class="col-name" role="cell"><div class="name-cell {row.indent}">')
        out.append(self._toggle(row))
        if row.editable:
            out.append(self._input(row, shown, "name", "name", "name", "cell--name"))
        else:
            out.append(f'<span class="cell-text cell--name">{escape(row.name)}</span>')
        out.append(f'</div></div><div class="mono" role="cell">{escape(row.wbs)}</div>')
        if row.editable:
            out.append('<div class="num" role="cell">')
            if row.summary:
                out.append(
                    f'<span class="cell-text">{escape(row.duration)}</span>'
                    '<input type="hidden" name="duration" value="">'
                )
            else:
                out.append(
                    self._input(
                        row, shown, "duration", "duration", "duration", "cell--num", ' size="6"'
                    )
                )
            out.append(f'</div>{self._dates(row)}<div role="cell">')
            out.append(self._resources_cell(row, shown))
            out.append('</div><div role="cell">')
            out.append(
                self._input(
                    row, shown, "predecessors", "predecessors", "predecessors", "", ' size="10"'
                )
            )
            out.append('</div><div class="col-constraint" role="cell">')
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
            cdate_invalid = ' aria-invalid="true"' if "cdate" in row.invalid else ""
            out.append(
                f'<input id="t{pk}-cdate" class="cell cell--date" type="date" '
                f'name="constraint_date" value="{escape(shown["cdate"])}" '
                f'{self._saved(row, row.constraint_date)} data-col="cdate" '
                f'aria-label="{t["cdate"]} {row.position}"{cdate_invalid}>'
            )
            out.append('</div><div class="num" role="cell">')
        else:
            out.append(
                f'<div class="num" role="cell">{escape(row.duration)}</div>'
                f"{self._dates(row)}"
                f'<div role="cell">{escape(row.resources)}</div>'
                f'<div role="cell">{escape(row.predecessors)}</div>'
                f'<div role="cell"><abbr title="{escape(row.constraint_label)}">'
                f"{row.constraint}</abbr> {row.constraint_date_text}</div>"
                '<div class="num" role="cell">'
            )
        if row.summary and editable:
            # Rolled up from the subtasks, so not typed here; the stored value goes back.
            out.append(
                f'<span class="cell-text">{row.percent}</span><input type="hidden" '
                f'name="percent_complete" value="{row.stored_percent}">'
            )
        elif editable:
            out.append(self._percent_input(row, shown))
        else:
            out.append(row.percent)
        late = " is-late" if row.late else ""
        out.append(
            f'</div><div class="num{late}" role="cell">{row.total_float}</div><div role="cell">'
        )
        if row.critical:
            out.append(f'<span class="crit">{t["critical"]}</span>')
        out.append("</div></div>")
        if editable:
            out.append("</form>")
        return "".join(out)
