"""The page of one log item and what hangs off it: links, history, raising an issue from a
risk, and moving a change request along its workflow.

Each view fetches the project through ``accounts.rules`` first (404 for outsiders), then
the item (404 if it is not this project's), calls one service and renders. Refusals from
the services come back onto the page as messages, so a bad POST is never a 500.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from steerco.accounts.rules import P, check_project, has_perm, person_of, project_for
from steerco.core.exceptions import DomainError, VersionConflict
from steerco.core.formats import day_text, moment_text
from steerco.core.forms import PlainLabels
from steerco.core.pages import message_of, page_status, refusal
from steerco.resources.models import Person

from .. import selectors, services
from ..kinds import LogKind, kind_for, kind_of
from ..models import ChangeRequest, Issue, ItemLink, LogItem, ProjectDependency, Risk, ScaleLevel

# Button labels of the change-request workflow, keyed by the status the button moves to.
TRANSITION_LABELS = {
    ChangeRequest.Status.SUBMITTED: gettext_lazy("Submit"),
    ChangeRequest.Status.ASSESSED: gettext_lazy("Mark assessed"),
    ChangeRequest.Status.APPROVED: gettext_lazy("Approve"),
    ChangeRequest.Status.REJECTED: gettext_lazy("Reject"),
    ChangeRequest.Status.IMPLEMENTED: gettext_lazy("Mark implemented"),
    ChangeRequest.Status.DRAFT: gettext_lazy("Return to draft"),
}
# Shown in this order so the usual next step comes first and "back" comes last.
_TRANSITION_ORDER = list(TRANSITION_LABELS)

BAND_WORDS = {
    "low": gettext_lazy("low"),
    "medium": gettext_lazy("medium"),
    "high": gettext_lazy("high"),
}
# The colour only repeats the word beside it.
BAND_BADGES = {"low": "green", "medium": "amber", "high": "red"}
BAND_LETTERS = {"low": "L", "medium": "M", "high": "H"}

MONEY_FIELDS = {"cost_min", "cost_likely", "cost_max", "budget_adjustment"}
DAY_FIELDS = {
    "schedule_min_days",
    "schedule_likely_days",
    "schedule_max_days",
    "schedule_adjustment_days",
}
# Risk fields shown together under "Assessment" rather than one by one in the details.
RISK_ASSESSMENT_FIELDS = {
    "probability",
    "impact",
    "probability_after",
    "impact_after",
    "strategy",
    "response",
    "cost_min",
    "cost_likely",
    "cost_max",
    "schedule_min_days",
    "schedule_likely_days",
    "schedule_max_days",
}
ESCALATION_FIELDS = ("escalated_to_pmo", "escalated_to", "escalated_on", "escalation_reason")
# A dependency's counterpart is shown beside its direction, both as seen from the page's project.
DEPENDENCY_COUNTERPART_FIELDS = {"other_project", "external_party"}


# --- what the page shows --------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One term of a definition list. ``badge`` is a colour that repeats ``value``'s word."""

    label: str
    value: str
    url: str | None = None
    multiline: bool = False
    badge: str | None = None
    letter: str = ""  # the badge's one-letter summary, for scanning


@dataclass
class Section:
    key: str
    title: str
    rows: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class LinkRow:
    link_id: int
    label: str
    url: str
    kind_label: str
    removable: bool


@dataclass
class LinkGroup:
    relation: str
    rows: list[LinkRow] = field(default_factory=list)


def _name(obj) -> str:
    """People by name; user accounts by their person's name; projects by code and name."""
    if isinstance(obj, Person):
        return obj.name
    if hasattr(obj, "get_username"):
        person = person_of(obj)
        if person is not None:
            return person.name
        return obj.get_full_name() or obj.get_username()
    if hasattr(obj, "code") and hasattr(obj, "name"):
        return f"{obj.code} {obj.name}"
    return str(obj)


def _money(value: Decimal) -> str:
    return number_format(value, decimal_pos=2, force_grouping=True)


def _days(value: Decimal) -> str:
    return _("%(days)s working days") % {"days": number_format(value, decimal_pos=1)}


def _display(item: LogItem, name: str) -> str:
    model_field = type(item)._meta.get_field(name)
    value = getattr(item, name)
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(getattr(item, f"get_{name}_display")())
    if isinstance(model_field, models.BooleanField):
        return _("Yes") if value else _("No")
    if model_field.is_relation:
        return _name(value)
    if isinstance(value, date):
        return moment_text(value) if isinstance(value, datetime) else day_text(value)
    if name in MONEY_FIELDS:
        return _money(value)
    if name in DAY_FIELDS:
        return _days(value)
    return str(value)


def _label(item: LogItem, name: str) -> str:
    return capfirst(str(type(item)._meta.get_field(name).verbose_name))


def _row(item: LogItem, name: str) -> Row:
    model_field = type(item)._meta.get_field(name)
    return Row(
        label=_label(item, name),
        value=_display(item, name),
        multiline=isinstance(model_field, models.TextField),
    )


def _item_url(item: LogItem) -> str:
    return reverse(
        "logs:item",
        kwargs={"project_id": item.project_id, "kind": kind_of(item).slug, "item_id": item.pk},
    )


def _level_text(dimension: str, value: int | None) -> str:
    if value is None:
        return "—"
    labels = {level.value: level.label for level in selectors.scale_levels(dimension)}
    return f"{value} – {labels[value]}" if value in labels else str(value)


def _score_row(label: str, score: int | None) -> Row:
    if score is None:
        return Row(label=label, value=_("Not assessed"))
    band = selectors.risk_band(score)
    return Row(
        label=label,
        value=f"{score} – {BAND_WORDS[band]}",
        badge=BAND_BADGES[band],
        letter=BAND_LETTERS[band],
    )


def _range_row(item: Risk, label: str, names: tuple[str, str, str], unit) -> Row:
    values = [getattr(item, name) for name in names]
    if all(value is None for value in values):
        return Row(label=label, value=_("Not estimated"))
    low, likely, high = (unit(v) if v is not None else "—" for v in values)
    return Row(
        label=label,
        value=_("minimum %(low)s · most likely %(likely)s · maximum %(high)s")
        % {"low": low, "likely": likely, "high": high},
    )


def _risk_assessment(risk: Risk) -> Section:
    probability, impact = ScaleLevel.Dimension.PROBABILITY, ScaleLevel.Dimension.IMPACT
    rows = [
        Row(_label(risk, "probability"), _level_text(probability, risk.probability)),
        Row(_label(risk, "impact"), _level_text(impact, risk.impact)),
        _score_row(_("Score before response"), risk.score_before),
        _row(risk, "strategy"),
        _row(risk, "response"),
        Row(_label(risk, "probability_after"), _level_text(probability, risk.probability_after)),
        Row(_label(risk, "impact_after"), _level_text(impact, risk.impact_after)),
        _score_row(_("Score after response"), risk.score_after),
        _range_row(risk, _("Cost impact"), ("cost_min", "cost_likely", "cost_max"), _money),
        _range_row(
            risk,
            _("Schedule impact (working days)"),
            ("schedule_min_days", "schedule_likely_days", "schedule_max_days"),
            lambda value: number_format(value, decimal_pos=1),
        ),
    ]
    return Section("assessment", _("Assessment"), rows)


def _dependency_rows(user, dependency: ProjectDependency, project) -> list[Row]:
    seen = selectors.dependency_as_seen_from(dependency, project)
    directions = dict(ProjectDependency.Direction.choices)
    rows = [Row(_("Direction"), str(directions.get(seen["direction"], seen["direction"])))]
    counterpart = seen["counterpart"]
    if hasattr(counterpart, "code"):
        url = None
        if selectors.may_open_project(user, counterpart):
            url = reverse("projects:detail", kwargs={"pk": counterpart.pk})
        rows.append(
            Row(_("Other project"), selectors.project_named_for(user, counterpart), url=url)
        )
    else:
        rows.append(Row(_("External party"), counterpart or "—"))
    return rows


def _sections(user, project, kind: LogKind, item: LogItem) -> list[Section]:
    skip = {"title"}
    extra: list[Section] = []
    details = Section("details", _("Details"))
    if isinstance(item, Risk):
        skip |= RISK_ASSESSMENT_FIELDS
        extra.append(_risk_assessment(item))
    if isinstance(item, Issue):
        skip |= set(ESCALATION_FIELDS)
        if item.from_risk_id is not None:
            details.rows.append(
                Row(_("Raised from"), str(item.from_risk), url=_item_url(item.from_risk))
            )
        escalation = Section("escalation", _("Escalation"))
        if item.is_escalated:
            escalation.rows = [_row(item, name) for name in ESCALATION_FIELDS]
        else:
            escalation.rows = [Row(_("Escalated"), _("Not escalated"))]
        extra.append(escalation)
    if isinstance(item, ProjectDependency):
        skip |= DEPENDENCY_COUNTERPART_FIELDS
    if isinstance(item, ChangeRequest):
        skip |= set(kind.workflow_fields)
        extra.append(
            Section(
                "workflow",
                _("Approval"),
                [_row(item, "status"), _row(item, "decided_by"), _row(item, "decided_at")],
            )
        )
    names = [n for n in (*kind.editable_fields, *kind.workflow_fields) if n not in skip]
    for name in dict.fromkeys(names):
        if isinstance(item, ProjectDependency) and name == "direction":
            # Direction and counterpart as seen from the project whose page this is.
            details.rows.extend(_dependency_rows(user, item, project))
        else:
            details.rows.append(_row(item, name))
    details.rows.append(Row(_("Created"), _display(item, "created_at")))
    details.rows.append(
        Row(
            _("Last changed"),
            _("%(when)s (version %(version)s)")
            % {"when": _display(item, "updated_at"), "version": item.version},
        )
    )
    return [details, *extra]


# --- fetching -------------------------------------------------------------------------


def _item_here(user, project, kind: LogKind, item_id) -> LogItem:
    """The item as seen from ``project``: one it recorded, or — for dependencies — one
    another project recorded about it (shown mirrored)."""
    try:
        return selectors.item_get(user=user, project=project, kind=kind, item_id=item_id)
    except Http404:
        if kind.model is not ProjectDependency:
            raise
    # The dependency list of a project includes those other projects recorded about it.
    mirrored = selectors.item_list(user=user, project=project, kind=kind).filter(pk=item_id).first()
    if mirrored is None:
        raise Http404(f"No such {kind.label}.")
    return selectors.as_seen_by(user, project, mirrored)


def _own_item(user, project, kind: LogKind, item_id) -> LogItem:
    return selectors.item_get(user=user, project=project, kind=kind, item_id=item_id)


def _version(raw) -> int | None:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if value > 0 else None


# --- the page -------------------------------------------------------------------------


def _links_context(
    request, project, kind: LogKind, item: LogItem, *, error=None, notice=None, chosen=None
):
    user = request.user
    recorded_here = item.project_id == project.pk
    can_link = recorded_here and has_perm(user, kind.change_permission, project)
    groups: dict[str, LinkGroup] = {}
    for linked in selectors.item_links(item):
        if linked.is_task:
            url = reverse("plans:plan", kwargs={"project_id": item.project_id})
            url += f"#row-{linked.other.pk}"
            kind_label = _("plan task")
            source_kind = kind
        else:
            url = _item_url(linked.other)
            kind_label = str(kind_of(linked.other).label)
            source_kind = kind if linked.outgoing else kind_of(linked.other)
        removable = recorded_here and has_perm(user, source_kind.change_permission, project)
        groups.setdefault(linked.relation, LinkGroup(linked.relation)).rows.append(
            LinkRow(linked.link.pk, linked.label, url, kind_label, removable)
        )
    candidates: dict[str, list[tuple[str, str]]] = {}
    if can_link:
        for value, label, group in selectors.link_candidates(
            user=user, project=project, exclude=item
        ):
            candidates.setdefault(group, []).append((value, label))
    chosen = chosen or {}
    return {
        "project": project,
        "kind": kind,
        "item": item,
        "link_groups": list(groups.values()),
        "can_link": can_link,
        "candidates": list(candidates.items()),
        "relations": ItemLink.Relation.choices,
        "chosen_target": chosen.get("target", ""),
        "chosen_relation": chosen.get("relation", ItemLink.Relation.RELATES_TO),
        "links_error": error,
        "links_notice": notice,
    }


def _render_item(
    request,
    project,
    kind: LogKind,
    item: LogItem,
    *,
    status: int = 200,
    workflow_error: str | None = None,
    conflict=None,
    links: dict | None = None,
):
    user = request.user
    recorded_here = item.project_id == project.pk
    # Edit and delete act where the item is recorded, which may be another project.
    can = {
        "edit": has_perm(user, kind.change_permission, item.project) and not item.project.in_trash,
        "delete": has_perm(user, P.LOG_DELETE, item.project) and not item.project.in_trash,
        "see_origin": has_perm(user, P.PROJECT_VIEW, item.project),
    }
    context = {
        "project": project,
        "kind": kind,
        "item": item,
        "recorded_here": recorded_here,
        "origin_url": None if recorded_here else _item_url(item),
        "can": can,
        "sections": _sections(user, project, kind, item),
        # A dependency from a project the user cannot see keeps that project's record
        # (its history, who recorded it) to itself.
        "origin_hidden": getattr(item, "origin_hidden", False),
        "history": [] if getattr(item, "origin_hidden", False) else selectors.item_history(item),
        "workflow_error": workflow_error,
        "conflict": conflict,
        "show_links": recorded_here or can["see_origin"],
    }
    context.update(links or _links_context(request, project, kind, item))
    if isinstance(item, ChangeRequest) and has_perm(user, P.LOG_CHANGE, item.project):
        allowed = ChangeRequest.TRANSITIONS.get(item.status, frozenset())
        context["transitions"] = [
            (status_to, TRANSITION_LABELS[status_to])
            for status_to in _TRANSITION_ORDER
            if status_to in allowed
        ]
    if isinstance(item, Risk):
        issue = getattr(item, "resulting_issue", None)
        context["resulting_issue"] = issue
        context["can_raise_issue"] = (
            issue is None
            and item.status != Risk.Status.CLOSED
            and has_perm(user, P.LOG_CHANGE, item.project)
        )
    return render(request, "logs/item.html", context, status=status)


@require_http_methods(["GET"])
def item_detail_view(request, project_id: int, kind: str, item_id: int):
    project = project_for(request.user, project_id)
    log = kind_for(kind)
    item = _item_here(request.user, project, log, item_id)
    return _render_item(request, project, log, item)


# --- links ----------------------------------------------------------------------------


def _links_answer(request, project, kind, item, *, error=None, notice=None, chosen=None):
    """htmx swaps the panel; a plain form post goes back to the page (or shows it again
    with the refusal beside the form)."""
    links = _links_context(request, project, kind, item, error=error, notice=notice, chosen=chosen)
    if request.htmx:
        # 200 even for a refusal: htmx does not swap error responses, and the panel
        # carries the message.
        return render(request, "logs/_links.html", links)
    if error:
        return _render_item(request, project, kind, item, links=links, status=400)
    messages.success(request, notice)
    return redirect(_item_url(item))


@require_POST
def link_add_view(request, project_id: int, kind: str, item_id: int):
    project = project_for(request.user, project_id)
    log = kind_for(kind)
    item = _own_item(request.user, project, log, item_id)
    check_project(request.user, project, log.change_permission)
    chosen = {
        "target": request.POST.get("target", "").strip(),
        "relation": request.POST.get("relation", "").strip(),
    }
    if chosen["relation"] not in ItemLink.Relation.values:
        return _links_answer(
            request,
            project,
            log,
            item,
            error=_("Choose how the items are linked."),
            chosen=chosen,
        )
    try:
        target = selectors.link_target(user=request.user, project=project, value=chosen["target"])
    except Http404:
        return _links_answer(
            request,
            project,
            log,
            item,
            error=_("Choose an item or plan task of this project to link to."),
            chosen=chosen,
        )
    try:
        services.link_add(
            actor=request.user, source=item, target=target, relation=chosen["relation"]
        )
    except (DomainError, ValidationError) as error:
        return _links_answer(request, project, log, item, error=message_of(error), chosen=chosen)
    target_label = target.ref if isinstance(target, LogItem) else str(target)
    return _links_answer(
        request, project, log, item, notice=_("Linked to %(what)s.") % {"what": target_label}
    )


@require_POST
def link_remove_view(request, project_id: int, kind: str, item_id: int, item_link_id: int):
    project = project_for(request.user, project_id)
    log = kind_for(kind)
    item = _own_item(request.user, project, log, item_id)
    linked = next(
        (linked for linked in selectors.item_links(item) if linked.link.pk == item_link_id), None
    )
    if linked is None:
        raise Http404("No such link on this item.")
    try:
        services.link_remove(actor=request.user, link=linked.link)
    except ObjectDoesNotExist:  # the link's source vanished between reading and removing
        raise Http404("No such link on this item.") from None
    except (DomainError, ValidationError) as error:
        return _links_answer(request, project, log, item, error=message_of(error))
    return _links_answer(
        request, project, log, item, notice=_("Link to %(what)s removed.") % {"what": linked.label}
    )


# --- risk → issue ---------------------------------------------------------------------


class RaiseIssueForm(PlainLabels, forms.Form):
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": gettext_lazy("The page did not say which version of the risk you saw."),
            "invalid": gettext_lazy("The page did not say which version of the risk you saw."),
            "min_value": gettext_lazy("The page did not say which version of the risk you saw."),
        },
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=255)
    issue_type = forms.ChoiceField(label=gettext_lazy("Type"), choices=Issue.Type.choices)
    priority = forms.ChoiceField(label=gettext_lazy("Priority"), choices=Issue.Level.choices)
    severity = forms.ChoiceField(label=gettext_lazy("Severity"), choices=Issue.Level.choices)
    owner = forms.ModelChoiceField(
        label=gettext_lazy("Owner"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=gettext_lazy("Nobody yet"),
    )
    due_date = forms.DateField(
        label=gettext_lazy("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, risk: Risk, **kwargs):
        super().__init__(*args, **kwargs)
        keep = [risk.owner_id] if risk.owner_id else []
        self.fields["owner"].queryset = Person.objects.filter(
            models.Q(active=True) | models.Q(pk__in=keep)
        ).order_by("name")


# A risk's band suggests how severe the issue is; the user can change it.
_SEVERITY_OF_BAND = {
    "low": Issue.Level.LOW,
    "medium": Issue.Level.MEDIUM,
    "high": Issue.Level.HIGH,
}


def _raise_initial(risk: Risk) -> dict:
    band = selectors.risk_band(risk.score_before)
    return {
        "version": risk.version,
        "title": risk.title,
        "issue_type": Issue.Type.PROBLEM,
        "priority": Issue.Level.MEDIUM,
        "severity": _SEVERITY_OF_BAND.get(band, Issue.Level.MEDIUM),
        "owner": risk.owner_id,
    }


@require_http_methods(["GET", "POST"])
def risk_raise_issue_view(request, project_id: int, item_id: int):
    project = project_for(request.user, project_id)
    log = kind_for(Risk.KIND)
    risk = _own_item(request.user, project, log, item_id)
    check_project(request.user, project, P.LOG_CHANGE)
    conflict = None
    status = 200
    if request.method == "POST":
        form = RaiseIssueForm(request.POST, risk=risk)
        if form.is_valid():
            fields = dict(form.cleaned_data)
            version = fields.pop("version")
            try:
                issue = services.risk_raise_issue(
                    actor=request.user, risk=risk, expected_version=version, **fields
                )
            except (DomainError, ValidationError) as error:
                refused = refusal(error, form=form, submitted={})
                status, conflict = refused.status, refused.conflict
                # 404 if the risk is gone: there is nothing left to raise an issue from.
                risk = _own_item(request.user, project, log, item_id)
                if conflict is not None:
                    form = RaiseIssueForm(
                        initial={**form.cleaned_data, "version": risk.version}, risk=risk
                    )
            else:
                messages.success(
                    request,
                    _("%(risk)s has occurred: issue %(issue)s raised.")
                    % {"risk": risk.ref, "issue": issue.ref},
                )
                return redirect(_item_url(issue))
    else:
        form = RaiseIssueForm(initial=_raise_initial(risk), risk=risk)
    return render(
        request,
        "logs/raise_issue.html",
        {
            "project": project,
            "kind": log,
            "risk": risk,
            "form": form,
            "conflict": conflict,
            "resulting_issue": getattr(risk, "resulting_issue", None),
        },
        status=page_status(request, status),
    )


# --- change-request workflow -------------------------------------------------------------


@require_POST
def change_transition_view(request, project_id: int, item_id: int):
    project = project_for(request.user, project_id)
    log = kind_for(ChangeRequest.KIND)
    change = _own_item(request.user, project, log, item_id)
    check_project(request.user, project, P.LOG_CHANGE)
    to = request.POST.get("to", "").strip()
    version = _version(request.POST.get("version"))
    if version is None:
        error = _("The page did not say which version you saw; reload it and try again.")
        return _render_item(request, project, log, change, workflow_error=error, status=400)
    if to not in ChangeRequest.Status.values:
        error = _("Choose one of the workflow's next steps.")
        return _render_item(request, project, log, change, workflow_error=error, status=400)
    try:
        if version != change.version:
            # Judge the step against what the user saw, not against a status someone
            # else has since moved on: say who changed it rather than "cannot become".
            raise VersionConflict(change, sent_version=version)
        services.change_transition(
            actor=request.user, change=change, to=to, expected_version=version
        )
    except (DomainError, ValidationError) as error:
        refused = refusal(error, submitted={"status": to})
        if refused.gone:
            raise Http404("This change request has been deleted.") from None
        change = _own_item(request.user, project, log, item_id)
        if refused.stale:
            return _render_item(
                request, project, log, change, conflict=refused.conflict, status=409
            )
        # A step the workflow does not allow from here: a bad request, shown beside it.
        return _render_item(
            request, project, log, change, workflow_error=refused.message, status=400
        )
    messages.success(
        request,
        _("%(ref)s is now %(status)s.")
        % {"ref": change.ref, "status": change.get_status_display().lower()},
    )
    return redirect(_item_url(change))
