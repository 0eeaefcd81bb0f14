"""The project's risk heat map and action board.

Both pages work without JavaScript (links and plain forms) and with htmx, which swaps
only the part that changes. The heat map counts open risks per probability × impact
cell and lists the risks of a chosen cell below it; the board lays actions out by
status and moves one with a small form per card, through ``services.item_update``;
the finished columns show their latest cards unless asked for all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from steerco.accounts.rules import P, has_perm, person_of, project_for
from steerco.core.exceptions import DomainError
from steerco.core.history import latest_author
from steerco.core.pages import is_partial, page_status, refusal

from . import selectors, services
from .models import Action

BAND_WORDS = {
    "low": gettext_lazy("Low"),
    "medium": gettext_lazy("Medium"),
    "high": gettext_lazy("High"),
}
BASES = {"before": gettext_lazy("Before response"), "after": gettext_lazy("After response")}
_CELL = re.compile(r"^(\d{1,3})-(\d{1,3})$")


# --------------------------------------------------------------------------- heat map


def _level_label(value: int, labels: list[str], index: int) -> str:
    label = labels[index] if index < len(labels) else ""
    return f"{value} – {label}" if label else str(value)


def _heat_map_url(project, basis: str, cell: str = "") -> str:
    query = {"basis": basis, **({"cell": cell} if cell else {})}
    return f"{reverse('logs:heat_map', args=[project.pk])}?{urlencode(query)}"


def _find_cell(heat, text: str):
    match = _CELL.match(text)
    if match is None:
        return None
    probability, impact = int(match.group(1)), int(match.group(2))
    for row in heat.rows:
        for cell in row:
            if (cell.probability, cell.impact) == (probability, impact):
                return cell
    return None


@require_GET
@vary_on_headers("HX-Request")
def heat_map(request, project_id: int):
    project = project_for(request.user, project_id)
    problems: list[str] = []
    basis = request.GET.get("basis") or "before"
    if basis not in BASES:
        problems.append(
            _("The heat map shows risks before or after response, not '%(basis)s'.")
            % {"basis": basis[:40]}
        )
        basis = "before"
    heat = selectors.risk_heat_map(user=request.user, project=project, basis=basis)
    selected = None
    cell_text = (request.GET.get("cell") or "").strip()
    if cell_text:
        selected = _find_cell(heat, cell_text)
        if selected is None:
            problems.append(
                _(
                    "There is no cell '%(cell)s' on the map: give the probability and impact "
                    "levels as in 4-3, each within the organisation's scales."
                )
                % {"cell": cell_text[:40]}
            )
    cell_risks = None
    if selected is not None:
        level_fields = (
            ("probability", "impact")
            if basis == "before"
            else ("probability_after", "impact_after")
        )
        cell_risks = selectors.item_list(
            user=request.user, project=project, kind="risks", state="open"
        ).filter(**dict(zip(level_fields, (selected.probability, selected.impact), strict=True)))
        cell_risks = list(cell_risks.select_related("owner"))

    impact_values = [cell.impact for cell in heat.rows[0]] if heat.rows else []
    rows = []
    for index, row in enumerate(heat.rows):
        rows.append(
            {
                "label": _level_label(row[0].probability, heat.probability_labels, index),
                "cells": [
                    {
                        "cell": cell,
                        "band": BAND_WORDS[cell.band.value],
                        "key": f"{cell.probability}-{cell.impact}",
                        "url": _heat_map_url(project, basis, f"{cell.probability}-{cell.impact}"),
                        "selected": cell == selected,
                    }
                    for cell in row
                ],
            }
        )
    context = {
        "project": project,
        "counts": selectors.open_counts(user=request.user, project=project),
        "basis": basis,
        "basis_label": BASES[basis],
        "bases": [
            {"value": value, "label": label, "url": _heat_map_url(project, value)}
            for value, label in BASES.items()
        ],
        "rows": rows,
        "impact_columns": [
            _level_label(value, heat.impact_labels, index)
            for index, value in enumerate(impact_values)
        ],
        "total": sum(cell.count for row in heat.rows for cell in row),
        "unassessed": heat.unassessed,
        "selected": selected,
        "selected_band": BAND_WORDS[selected.band.value] if selected else "",
        "selected_probability": _level_label(
            selected.probability,
            heat.probability_labels,
            len(heat.rows) - selected.probability,
        )
        if selected
        else "",
        "selected_impact": _level_label(selected.impact, heat.impact_labels, selected.impact - 1)
        if selected
        else "",
        "cell_risks": cell_risks,
        "problems": problems,
        "may_add_risks": has_perm(request.user, P.LOG_CHANGE, project),
    }
    template = "logs/heat_map.html"
    if is_partial(request) and not problems:
        # The toggle and the cells both swap the map and the cell's list together, so
        # the marked cell and the list below never disagree.
        template += "#map"
    return render(request, template, context, status=400 if problems else 200)


# --------------------------------------------------------------------------- action board

BOARD_COLUMNS = (
    Action.Status.OPEN,
    Action.Status.IN_PROGRESS,
    Action.Status.BLOCKED,
    Action.Status.DONE,
    Action.Status.CANCELLED,
)
WORK_COLUMNS = (Action.Status.OPEN, Action.Status.IN_PROGRESS, Action.Status.BLOCKED)
# Finished columns grow for the life of the project; people look at them for what has
# just been finished, so they show the latest few unless asked for all (``?done=all``).
FINISHED_SHOWN = 10
FINISHED_PARAMS = {Action.Status.DONE: "done", Action.Status.CANCELLED: "cancelled"}
# Cancelled actions are folded away: they are kept for the record, not for work.
FOLDED = frozenset({Action.Status.CANCELLED})
# The usual next step, preselected in each card's "Move to" list.
NEXT_STATUS = {
    Action.Status.OPEN: Action.Status.IN_PROGRESS,
    Action.Status.IN_PROGRESS: Action.Status.DONE,
    Action.Status.BLOCKED: Action.Status.IN_PROGRESS,
    Action.Status.DONE: Action.Status.OPEN,
    Action.Status.CANCELLED: Action.Status.OPEN,
}


class MoveForm(forms.Form):
    status = forms.ChoiceField(choices=Action.Status.choices)
    version = forms.IntegerField(min_value=1)
    blocked_by = forms.CharField(required=False, max_length=2000, strip=True)
    # How the board was shown, so the answer to a move shows it the same way.
    owner = forms.CharField(required=False, max_length=20)
    done = forms.CharField(required=False, max_length=10)
    cancelled = forms.CharField(required=False, max_length=10)


@dataclass
class CardState:
    """What the user typed on a card whose move was refused, and why."""

    errors: list[str] = field(default_factory=list)
    move_to: str = ""
    blocked_by: str = ""
    version: int | None = None
    blocked_by_invalid: bool = False


@dataclass(frozen=True)
class BoardView:
    """How the board is shown: whose actions, and which finished columns in full."""

    owner: str = ""
    show_all: frozenset[str] = frozenset()

    @classmethod
    def from_data(cls, data, owner: str) -> BoardView:
        shown = frozenset(
            status for status, param in FINISHED_PARAMS.items() if data.get(param) == "all"
        )
        return cls(owner=owner, show_all=shown)

    def query(self, **changes) -> dict[str, str]:
        owner = changes.get("owner", self.owner)
        show_all = changes.get("show_all", self.show_all)
        query = {"owner": owner} if owner else {}
        for status, param in FINISHED_PARAMS.items():
            if status in show_all:
                query[param] = "all"
        return query

    def url(self, project, **changes) -> str:
        url = reverse("logs:action_board", args=[project.pk])
        query = self.query(**changes)
        return f"{url}?{urlencode(query)}" if query else url


class BadOwner(ValueError):
    pass


def _owner_filter(value: str, user) -> str:
    """The board's owner filter as given: "" (everyone), "mine" or a person's id."""
    value = (value or "").strip()
    if value == "mine" and person_of(user) is None:
        raise BadOwner(_("Your login is not linked to a person, so no action can be yours."))
    if value not in ("", "mine") and not value.isdigit():
        raise BadOwner(_("Filter the board by a person from the list, or by 'Mine'."))
    return value


def due_wording(due: date, today: date) -> str:
    """How far off a due date is, in the words people use ("due in 3 days")."""
    days = (due - today).days
    if days == 0:
        return _("due today")
    if days == 1:
        return _("due tomorrow")
    if days > 1:
        return ngettext("due in %(days)d day", "due in %(days)d days", days) % {"days": days}
    late = -days
    return ngettext("%(days)d day overdue", "%(days)d days overdue", late) % {"days": late}


def _finished_order(status: str) -> tuple:
    if status == Action.Status.DONE:
        return (F("completed_on").desc(nulls_last=True), "-number")
    # A cancelled action keeps no date of its own; its last change is when it was cancelled.
    return ("-updated_at", "-number")


def _board_context(request, project, *, view: BoardView, states=None, status_text="") -> dict:
    user = request.user
    states = states or {}
    person = person_of(user)
    all_actions = selectors.item_list(user=user, project=project, kind="actions")
    owners = sorted(
        {(pk, name) for pk, name in all_actions.values_list("owner_id", "owner__name") if pk},
        key=lambda pair: pair[1].lower(),
    )
    owner = view.owner
    owner_id = person.pk if owner == "mine" else (int(owner) if owner else None)
    actions = selectors.item_list(
        user=user,
        project=project,
        kind="actions",
        filters={"owner": owner_id},
        ordering="due_date",
    )
    totals = dict(actions.order_by().values_list("status").annotate(count=Count("pk")))
    rows = {status: [] for status in BOARD_COLUMNS}
    for action in actions.filter(status__in=WORK_COLUMNS):
        rows[action.status].append(action)
    for status in FINISHED_PARAMS:
        finished = actions.filter(status=status).order_by(*_finished_order(status))
        if status in view.show_all:
            rows[status] = list(finished)
            continue
        rows[status] = list(finished[:FINISHED_SHOWN])
        # A refused move is answered on its card, so that card stays in sight.
        shown = {action.pk for action in rows[status]}
        rows[status] += finished.filter(pk__in=[pk for pk in states if pk not in shown])

    today = timezone.localdate()
    labels = dict(Action.Status.choices)

    def card(action) -> dict:
        state = states.get(action.pk, CardState())
        overdue = action.is_overdue(today)
        return {
            "action": action,
            "overdue": overdue,
            "due_wording": due_wording(action.due_date, today)
            if action.is_open and action.due_date
            else "",
            "errors": state.errors,
            "move_to": state.move_to or NEXT_STATUS.get(action.status, ""),
            "blocked_by": state.blocked_by,
            "blocked_by_invalid": state.blocked_by_invalid,
            "version": state.version or action.version,
            "choices": [(v, label) for v, label in labels.items() if v != action.status],
        }

    columns = []
    for status in BOARD_COLUMNS:
        cards = [card(action) for action in rows[status]]
        total = totals.get(status, 0)
        column = {
            "status": status,
            "label": labels[status],
            "cards": cards,
            "total": total,
            "overdue": sum(1 for c in cards if c["overdue"]) if status in WORK_COLUMNS else 0,
            "collapsed": status in FOLDED,
            "has_errors": any(c["errors"] for c in cards),
        }
        if status in FINISHED_PARAMS and total > FINISHED_SHOWN:
            showing_all = status in view.show_all
            column.update(
                toggle_id=f"column-{status}-toggle",
                toggle_url=view.url(
                    project,
                    show_all=view.show_all - {status} if showing_all else view.show_all | {status},
                ),
                showing_all=showing_all,
            )
        columns.append(column)
    return {
        "project": project,
        "counts": selectors.open_counts(user=user, project=project),
        "columns": columns,
        "finished_shown": FINISHED_SHOWN,
        "may_move": has_perm(user, P.LOG_CONTRIBUTE, project),
        "owners": owners,
        "owner": owner,
        "view_query": view.query(),
        "has_person": person is not None,
        "status_text": status_text,
        "board_url": reverse("logs:action_board", args=[project.pk]),
        "mine_url": view.url(project, owner="mine"),
        "everyone_url": view.url(project, owner=""),
    }


def _render_board(request, project, *, status=200, **kwargs):
    template = "logs/action_board.html"
    if is_partial(request) and status < 400:
        template += "#board"
    return render(request, template, _board_context(request, project, **kwargs), status=status)


@require_GET
@vary_on_headers("HX-Request")
def action_board(request, project_id: int):
    project = project_for(request.user, project_id)
    try:
        owner = _owner_filter(request.GET.get("owner", ""), request.user)
    except BadOwner as problem:
        context = _board_context(request, project, view=BoardView.from_data(request.GET, ""))
        context["problem"] = str(problem)
        return render(request, "logs/action_board.html", context, status=400)
    return _render_board(request, project, view=BoardView.from_data(request.GET, owner))


def _is_about_blocked_by(error: ValidationError) -> bool:
    return hasattr(error, "error_dict") and "blocked_by" in error.error_dict


@require_POST
def action_move(request, project_id: int, item_id: int):
    """Move one card to another column: a status change, refused as a whole if stale."""
    project = project_for(request.user, project_id)
    action = selectors.item_get(user=request.user, project=project, kind="actions", item_id=item_id)
    # Checked here as well as in the service so a read-only user learns nothing about
    # whether the input was valid.
    if not has_perm(request.user, P.LOG_CONTRIBUTE, project):
        raise PermissionDenied(_("You cannot move actions on this project."))
    form = MoveForm(request.POST)
    if not form.is_valid():
        problems = [f"{name}: {message}" for name, msgs in form.errors.items() for message in msgs]
        state = CardState(errors=[_("The move could not be read: %s") % "; ".join(problems)])
        return _render_board(
            request, project, view=BoardView(), states={action.pk: state}, status=400
        )
    data = form.cleaned_data
    try:
        owner = _owner_filter(data["owner"], request.user)
    except BadOwner:
        owner = ""
    view = BoardView.from_data(data, owner)
    to = data["status"]
    changes = {"status": to}
    if to == Action.Status.BLOCKED:
        changes["blocked_by"] = data["blocked_by"]
    labels = dict(Action.Status.choices)
    state = CardState(move_to=to, blocked_by=data["blocked_by"], version=data["version"])
    status = 200
    try:
        services.item_update(
            actor=request.user, item=action, expected_version=data["version"], **changes
        )
    except (DomainError, ValidationError) as error:
        refused = refusal(error)
        status = refused.status
        if isinstance(error, ValidationError):
            state.errors.extend(str(message) for message in error.messages)
            state.blocked_by_invalid = _is_about_blocked_by(error)
        elif status == 422:
            state.errors.append(refused.message)
    if status == 404:
        gone = _("%(ref)s was deleted by someone else.") % {"ref": action.ref}
        if request.htmx:
            return _render_board(request, project, view=view, status_text=gone)
        messages.error(request, gone)
        return redirect(view.url(project))
    if status == 409:
        current = refused.current
        who = latest_author(current) or _("Someone else")
        state.errors.append(
            _(
                "%(who)s changed %(ref)s after you opened the board; it is now %(now)s. "
                "Your move to %(to)s was not saved. Move it again if you still want to."
            )
            % {
                "who": who,
                "ref": action.ref,
                "now": labels.get(current.status, current.status),
                "to": labels[to],
            }
        )
        # The card shows the stored state; a second Move is a deliberate overwrite of it.
        state.version = current.version
    if status == 200:
        text = _("%(ref)s moved to %(to)s.") % {"ref": action.ref, "to": labels[to]}
        if not request.htmx:
            messages.success(request, text)
            return redirect(view.url(project))
        return _render_board(request, project, view=view, status_text=text)
    text = _("%(ref)s was not moved.") % {"ref": action.ref}
    return _render_board(
        request,
        project,
        view=view,
        states={action.pk: state},
        status_text=text,
        status=page_status(request, status),
    )
