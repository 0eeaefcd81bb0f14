"""Capacity and allocation pages: heatmap, a person's load, the role view, the skills
search, and allocation requests and decisions. Parse, call a selector or one service,
render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from steerco.accounts.rules import (
    P,
    has_perm,
    may_request_allocation,
    may_see_private,
    may_view_capacity,
    require_capacity_view,
)
from steerco.core.pages import SERVICE_ERRORS, refusal, render_page
from steerco.engine.capacity import CapacityError, DemandView, GroupBy, free_people, load_table
from steerco.projects.models import Project
from steerco.resources import services as directory
from steerco.resources.models import Leave, Person, PersonSkill

from . import selectors, services
from .forms import (
    AllocationForm,
    DecisionForm,
    FillForm,
    HeatmapForm,
    LeaveForm,
    RoleViewForm,
    SkillForm,
    SkillSearchForm,
    VersionForm,
    demand_flags,
)
from .models import Allocation
from .pages import BAND_LEGEND, first_day, heatmap_rows, load_chart, percent_text

ROWS_PER_PAGE = 100


def _view_of(choice: str) -> DemandView:
    return DemandView(**demand_flags(choice))


def _query_of(data: dict) -> dict:
    return {
        "group_by": data.get("group_by", "person"),
        "interval": data["interval"],
        "start": data["start"].isoformat(),
        "finish": data["finish"].isoformat(),
        "demand": data["demand"],
    }


@require_safe
def heatmap_view(request):
    """People (or roles, teams, skills) × weeks or months, coloured by load."""
    require_capacity_view(request.user)
    form = HeatmapForm(request.GET or {})
    form.is_valid()
    context = {"form": form, "legend": BAND_LEGEND, "rows": [], "periods": []}
    if form.errors:
        return render_page(request, "staffing/heatmap.html", context, status=400)
    data = form.cleaned_data
    model, inputs = selectors.capacity_model(
        first=data["start"], last=data["finish"], interval=data["interval"]
    )
    table = load_table(model, GroupBy(data["group_by"]), _view_of(data["demand"]))
    if data["group_by"] == "person":
        people = inputs.people
        if data.get("team"):
            people = [p for p in people if p.team.casefold() == data["team"].casefold()]
        keys = [p.id for p in people]
        labels = {p.id: p.name for p in people}
        links = {p.id: reverse("staffing:person", kwargs={"person_id": p.id}) for p in people}
    else:
        keys = list(table.keys)
        labels = {key: key or _("(no %(group)s)") % {"group": data["group_by"]} for key in keys}
        links = {}
    page = Paginator(keys, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    rows = heatmap_rows(
        table,
        keys=list(page.object_list),
        labels=labels,
        links=links,
        cell_url=reverse("staffing:cell"),
        query=_query_of(data),
    )
    context.update(
        rows=rows,
        periods=table.periods,
        page=page,
        query=_query_of(data) | {"team": data.get("team") or ""},
        open_requests=selectors.open_requests(user=request.user).count(),
        unschedulable=inputs.unschedulable,
    )
    return render_page(request, "staffing/heatmap.html", context, fragment="grid")


@require_safe
def cell_view(request):
    """The allocations and plan tasks behind one heatmap cell (an htmx fragment, or a
    page of its own when followed as a link)."""
    require_capacity_view(request.user)
    form = HeatmapForm(request.GET)
    period_start = first_day(request.GET.get("period"))
    key_text = request.GET.get("key", "")
    if not key_text or period_start is None:
        return redirect("staffing:heatmap")  # no cell named: the heatmap to choose one
    if not form.is_valid():
        raise Http404(_("No such cell."))
    data = form.cleaned_data
    group_by = GroupBy(data["group_by"])
    filters: dict = {}
    key: object = key_text
    if group_by is GroupBy.PERSON:
        try:
            key = int(key_text)
        except ValueError:
            raise Http404(_("No such cell.")) from None
        filters["person_ids"] = [key]
    elif group_by is GroupBy.ROLE:
        filters["roles"] = [key_text]
    model, inputs = selectors.capacity_model(
        first=period_start, last=period_start, interval=data["interval"], **filters
    )
    table = load_table(model, group_by, _view_of(data["demand"]))
    if key not in table.keys:
        raise Http404(_("No such cell."))
    cell = table.cell(key, 0)
    items = table.demand_items(key, 0)
    allocation_ids = [i.item_id for i in items if i.kind == "allocation"]
    allocations = {
        a.pk: a
        for a in Allocation.objects.filter(pk__in=allocation_ids).select_related(
            "person", "role", "project"
        )
    }
    task_ids = [i.item_id for i in items if i.kind != "allocation"]
    from steerco.plans.models import TaskAssignment

    tasks = {
        t.pk: t
        for t in TaskAssignment.objects.filter(pk__in=task_ids).select_related(
            "task", "task__project"
        )
    }
    lines = []
    for item in items:
        row = (
            allocations.get(item.item_id) if item.kind == "allocation" else tasks.get(item.item_id)
        )
        lines.append(
            {"item": item, "row": row, "project": inputs.project_names.get(item.project_id, "")}
        )
    label = inputs.person_names.get(key, key) if group_by is GroupBy.PERSON else key
    context = {
        "cell": cell,
        "label": label,
        "lines": lines,
        "percent": percent_text(cell.capacity, cell.demand),
    }
    return render_page(request, "staffing/cell.html", context, fragment="detail")


@require_safe
def person_view(request, person_id):
    """A person's roles, skills, working pattern, leave, allocations and load: for those
    who see capacity, and for the person and their line manager."""
    person = (
        Person.objects.select_related("primary_role", "line_manager").filter(pk=person_id).first()
    )
    if not may_view_capacity(request.user) and (
        person is None or not may_see_private(request.user, person)
    ):
        # The same answer whether or not the id exists: no directory probing.
        raise PermissionDenied(
            _(
                "This page is for resource managers, project managers, the PMO, and the "
                "person and their line manager."
            )
        )
    if person is None:
        raise Http404(_("No such person."))
    form = _range_form(request)
    data = form.cleaned_data
    model, _inputs = selectors.capacity_model(
        first=data["start"], last=data["finish"], interval=data["interval"], person_ids=[person.pk]
    )
    table = load_table(model, GroupBy.PERSON, _view_of(data["demand"]))
    chart = load_chart(table, person.pk) if person.pk in table.keys else None
    private = may_see_private(request.user, person)
    leave = Leave.objects.filter(
        person=person, finish__gte=data["start"], start__lte=data["finish"]
    )
    allocations = (
        selectors.allocation_list(user=request.user)
        .filter(person=person, finish__gte=data["start"])
        .order_by("start")
    )
    context = {
        "person": person,
        "form": form,
        "leave_form": LeaveForm() if may_record_leave(request.user, person) else None,
        "skill_form": SkillForm() if has_perm(request.user, P.PEOPLE_MANAGE) else None,
        "chart": chart,
        "private": private,
        "leave": leave,
        "skills": PersonSkill.objects.filter(person=person).select_related("skill"),
        "other_roles": person.roles.exclude(pk=person.primary_role_id),
        "allocations": allocations,
        "cells": [table.cell(person.pk, p) for p in range(len(table.periods))]
        if person.pk in table.keys
        else [],
    }
    return render_page(request, "staffing/person.html", context)


def _range_form(request) -> HeatmapForm:
    """The range asked for, or the default range when what was asked is unusable."""
    form = HeatmapForm(request.GET or {})
    if not form.is_valid():
        form = HeatmapForm({})
        form.is_valid()
    return form


def may_record_leave(user, person) -> bool:
    return has_perm(user, P.PEOPLE_MANAGE) or may_see_private(user, person)


def _person_to_change(request, person_id) -> Person:
    """The person a leave or skill form posts to; 403 before 404, as on their page."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None or not (
        may_view_capacity(request.user) or may_see_private(request.user, person)
    ):
        raise PermissionDenied(_("You cannot change this person's record."))
    return person


@require_POST
def leave_add_view(request, person_id):
    """Record leave: the person, their line manager, resource managers and the PMO."""
    person = _person_to_change(request, person_id)
    if not may_record_leave(request.user, person):
        raise PermissionDenied(
            _("Only the person, their line manager and resource managers record leave.")
        )
    form = LeaveForm(request.POST)
    if form.is_valid():
        try:
            directory.leave_add(actor=request.user, person=person, **form.cleaned_data)
        except SERVICE_ERRORS as error:
            messages.error(request, refusal(error).message)
        else:
            messages.success(request, _("The leave was recorded."))
    else:
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("staffing:person", person_id=person.pk)


@require_POST
def skill_set_view(request, person_id):
    """Record a person's level in a skill (people managers)."""
    person = _person_to_change(request, person_id)
    if not has_perm(request.user, P.PEOPLE_MANAGE):
        raise PermissionDenied(_("Only resource managers and the PMO record skills."))
    form = SkillForm(request.POST)
    if form.is_valid():
        try:
            directory.person_skill_set(actor=request.user, person=person, **form.cleaned_data)
        except SERVICE_ERRORS as error:
            messages.error(request, refusal(error).message)
        else:
            messages.success(request, _("The skill was recorded."))
    else:
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("staffing:person", person_id=person.pk)


@require_safe
def role_view(request):
    """Demand against capacity for each role by month, with the gap."""
    require_capacity_view(request.user)
    form = RoleViewForm(request.GET or {})
    if not form.is_valid():
        return render_page(request, "staffing/roles.html", {"form": form, "roles": []}, status=400)
    data = form.cleaned_data
    model, _inputs = selectors.capacity_model(
        first=data["start"], last=data["finish"], interval=data["interval"]
    )
    table = load_table(model, GroupBy.ROLE, _view_of(data["demand"]))
    roles = []
    for k, key in enumerate(table.keys):
        cells = []
        for p, period in enumerate(table.periods):
            capacity, demand = float(table.capacity[k, p]), float(table.demand[k, p])
            cells.append(
                {
                    "period": period,
                    "capacity": capacity,
                    "demand": demand,
                    "gap": capacity - demand,
                    "short": demand > capacity + 1e-9,
                }
            )
        roles.append({"name": key or _("(no role)"), "cells": cells})
    return render_page(
        request,
        "staffing/roles.html",
        {"form": form, "roles": roles, "periods": table.periods},
    )


@require_safe
def skills_view(request):
    """Who has a skill at a level and enough free time between two dates."""
    require_capacity_view(request.user)
    form = SkillSearchForm(request.GET or {"min_level": 3, "min_free": 50})
    results = []
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        model, _inputs = selectors.capacity_model(
            first=data["start"], last=data["finish"], interval="week"
        )
        try:
            results = free_people(
                model,
                first=data["start"],
                last=data["finish"],
                skill=data["skill"].name if data.get("skill") else None,
                min_level=data["min_level"],
                min_free_share=data["min_free"] / 100,
            )
        except CapacityError as error:
            form.add_error(None, str(error))
            status = 400
    else:
        status = 400
    return render_page(
        request, "staffing/skills.html", {"form": form, "results": results}, status=status
    )


# --- allocations ------------------------------------------------------------------------


@require_safe
def allocation_list_view(request):
    require_capacity_view(request.user)
    state = request.GET.get("state", "")
    rows = selectors.allocation_list(user=request.user)
    if state == "open":
        rows = selectors.open_requests(user=request.user)
    elif state in Allocation.State.values:
        rows = rows.filter(state=state)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    deleted = (
        selectors.allocation_list(user=request.user, include_deleted=True)
        .filter(deleted_at__isnull=False)
        .order_by("-deleted_at")[:10]
    )
    return render_page(
        request,
        "staffing/allocations.html",
        {
            "page": page,
            "state": state,
            "states": Allocation.State.choices,
            "manages": has_perm(request.user, P.ALLOCATIONS_MANAGE),
            "can_request": selectors.requestable_projects(user=request.user).exists(),
            "deleted": deleted,
        },
        fragment="results",
    )


def _form_values(allocation: Allocation) -> dict:
    return {
        "version": allocation.version,
        "project": allocation.project,
        "person": allocation.person,
        "role": allocation.role,
        "amount": allocation.amount,
        "unit": allocation.unit,
        "start": allocation.start,
        "finish": allocation.finish,
        "status": allocation.status,
        "probability": allocation.probability,
        "note": allocation.note,
    }


@require_http_methods(["GET", "POST"])
def allocation_create_view(request):
    projects = selectors.requestable_projects(user=request.user)
    if not projects.exists():
        raise PermissionDenied(_("You manage no project you could ask for people on."))
    initial = {"project": request.GET.get("project"), "role": request.GET.get("role")}
    form = AllocationForm(request.POST or None, projects=projects, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            allocation = services.allocation_create(actor=request.user, **data)
        except SERVICE_ERRORS as error:
            status = refusal(error, form=form).status
        else:
            messages.success(request, _("Saved: %(what)s.") % {"what": allocation})
            return redirect("staffing:allocations")
    return render_page(
        request, "staffing/allocation_form.html", {"form": form, "allocation": None}, status=status
    )


@require_http_methods(["GET", "POST"])
def allocation_edit_view(request, allocation_id):
    allocation = selectors.allocation_get(user=request.user, allocation_id=allocation_id)
    if not (
        has_perm(request.user, P.ALLOCATIONS_MANAGE)
        or may_request_allocation(request.user, allocation.project)
    ):
        raise PermissionDenied(_("You cannot change this allocation."))
    # The project cannot change; the field shows it, read-only.
    projects = Project.objects.filter(pk=allocation.project_id)
    form = AllocationForm(request.POST or None, projects=projects, initial=_form_values(allocation))
    form.fields["project"].disabled = True
    status, conflict = 200, None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or allocation.version
        data.pop("project")
        try:
            services.allocation_update(
                actor=request.user, allocation=allocation, expected_version=version, **data
            )
        except SERVICE_ERRORS as error:
            refused = refusal(error, form=form, submitted=data)
            if refused.gone:
                raise Http404(_("No such allocation.")) from error
            status, conflict = refused.status, refused.conflict
        else:
            messages.success(request, _("The allocation was saved."))
            return redirect("staffing:allocations")
    return render_page(
        request,
        "staffing/allocation_form.html",
        {"form": form, "allocation": allocation, "conflict": conflict},
        status=status,
    )


def _decision(request, allocation_id, act, form_class=DecisionForm, *, deciding=True, **extra):
    """POST one decision on an allocation; errors come back as a message. ``deciding``:
    a resource manager's decision (approve, reject, fill); otherwise withdrawing or
    restoring, which the project's manager and support may do too. Who may is checked
    before the form, so a refusal never depends on what was posted."""
    allocation = selectors.allocation_get(
        user=request.user, allocation_id=allocation_id, include_deleted=True
    )
    if not has_perm(request.user, P.ALLOCATIONS_MANAGE) and (
        deciding or not may_request_allocation(request.user, allocation.project)
    ):
        raise PermissionDenied(_("You cannot do this to this allocation."))
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("staffing:allocations")
    values = dict(form.cleaned_data)
    version = values.pop("version")
    try:
        act(actor=request.user, allocation=allocation, expected_version=version, **values, **extra)
    except SERVICE_ERRORS as error:
        refused = refusal(error)
        if refused.status == 403:
            raise PermissionDenied(refused.message) from error
        messages.error(request, refused.message)
        return redirect("staffing:allocations", permanent=False)
    return None


@require_POST
def allocation_approve_view(request, allocation_id):
    done = _decision(request, allocation_id, services.allocation_approve, form_class=VersionForm)
    if done is None:
        messages.success(request, _("Approved."))
    return done or redirect("staffing:allocations")


@require_POST
def allocation_reject_view(request, allocation_id):
    done = _decision(request, allocation_id, services.allocation_reject)
    if done is None:
        messages.success(request, _("Rejected."))
    return done or redirect("staffing:allocations")


@require_POST
def allocation_fill_view(request, allocation_id):
    done = _decision(request, allocation_id, services.allocation_fill, form_class=FillForm)
    if done is None:
        messages.success(request, _("The request is filled."))
    return done or redirect("staffing:allocations")


@require_POST
def allocation_delete_view(request, allocation_id):
    done = _decision(
        request, allocation_id, services.allocation_delete, form_class=VersionForm, deciding=False
    )
    if done is None:
        messages.success(request, _("Deleted. You can restore it from the list below."))
    return done or redirect("staffing:allocations")


@require_POST
def allocation_restore_view(request, allocation_id):
    done = _decision(
        request, allocation_id, services.allocation_restore, form_class=VersionForm, deciding=False
    )
    if done is None:
        messages.success(request, _("Restored."))
    return done or redirect("staffing:allocations")


@require_safe
def fill_candidates_view(request, allocation_id):
    """For an open request: who has the role and the free time, most free first."""
    if not has_perm(request.user, P.ALLOCATIONS_MANAGE):
        selectors.allocation_get(user=request.user, allocation_id=allocation_id)
        raise PermissionDenied(_("Only resource managers fill requests."))
    allocation = selectors.allocation_get(user=request.user, allocation_id=allocation_id)
    model, _inputs = selectors.capacity_model(
        first=allocation.start, last=allocation.finish, interval="week"
    )
    found = free_people(model, first=allocation.start, last=allocation.finish)
    role = allocation.role.name if allocation.role_id else None
    with_role = [f for f in found if role is None or role in _roles_of(model, f.person_id)]
    return render_page(
        request,
        "staffing/fill.html",
        {"allocation": allocation, "candidates": with_role[:25], "fill_form": FillForm()},
    )


def _roles_of(model, person_id: int) -> tuple[str, ...]:
    for person in model.people:
        if person.id == person_id:
            return person.roles
    return ()
