"""Project and portfolio pages.

Each view fetches through ``accounts.rules`` (404 for outsiders, 403 for users who may
look but not act), validates the form, calls one service and renders. Service errors go
through ``core.pages.refusal`` (form errors, the conflict panel, the status code), so bad
input never becomes a 500.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, ProtectedError, RestrictedError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from steerco.accounts.rules import (
    P,
    has_perm,
    person_of,
    project_for,
    project_permissions,
    require_perm,
    trashed_project_for,
)
from steerco.core.history import name_of
from steerco.core.pages import (
    SERVICE_ERRORS,
    is_partial,
    page_status,
    posted_version,
    refusal,
)
from steerco.core.project_pages import ScheduleOutlook, overview_panels, schedule_outlooks

from . import services
from .forms import (
    MemberAddForm,
    MemberRoleForm,
    PortfolioForm,
    ProjectCloseForm,
    ProjectFilterForm,
    ProjectForm,
    VersionForm,
    portfolio_initial,
    project_initial,
)
from .models import TRASH_DAYS, Membership, Portfolio, Project
from .selectors import (
    portfolio_list,
    project_history,
    project_list,
    project_members,
    purged_projects,
    trash_list,
)

PAGE_SIZE = 25


# --- refusals -------------------------------------------------------------------------


def _refused(form_class, data: dict, message: str, **kwargs):
    """A form re-filled with the current version and a form-wide error saying why."""
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, message)
    return form


# --- projects ------------------------------------------------------------------------


@require_http_methods(["GET"])
@vary_on_headers("HX-Request")
def project_list_view(request):
    form = ProjectFilterForm(request.GET, user=request.user)
    projects = project_list(user=request.user, **form.filters())
    page_obj = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter_form": form,
        "page_obj": page_obj,
        "projects": page_obj.object_list,
        "rows": _with_outlooks(page_obj.object_list),
        "filtered": any(form.filters().values()),
        "result_count": ngettext(
            "%(count)d project", "%(count)d projects", page_obj.paginator.count
        )
        % {"count": page_obj.paginator.count},
        "can_create": has_perm(request.user, P.PROJECT_CREATE),
        "can_see_trash": has_perm(request.user, P.TRASH_RESTORE),
    }
    # Live filtering swaps only the results table; history restores need the whole page.
    partial_only = is_partial(request)
    context["partial_only"] = partial_only
    template = "projects/project_list.html"
    if partial_only:
        template += "#results"
    return render(request, template, context)


@dataclass(frozen=True)
class ProjectRow:
    """A project in a list, with its schedule outlook (None when no app gives one)."""

    project: Project
    outlook: ScheduleOutlook | None


def _with_outlooks(projects) -> list[ProjectRow]:
    """The projects with their schedule outlooks, read for all of them at once."""
    projects = list(projects)
    outlooks = schedule_outlooks(projects=projects)
    return [ProjectRow(project=project, outlook=outlooks.get(project.pk)) for project in projects]


@require_http_methods(["GET", "POST"])
def project_create_view(request):
    require_perm(request.user, P.PROJECT_CREATE)
    status = 200
    if request.method == "POST":
        form = ProjectForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                project = services.project_create(actor=request.user, **form.changes())
            except SERVICE_ERRORS as error:
                status = refusal(error, form=form).status
            else:
                messages.success(request, _("Project %(code)s created.") % {"code": project.code})
                return redirect("projects:detail", pk=project.pk)
    else:
        form = ProjectForm(
            user=request.user,
            initial={"manager": getattr(person_of(request.user), "pk", None)},
        )
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "project": None},
        status=page_status(request, status),
    )


@require_http_methods(["GET"])
def project_detail_view(request, pk: int):
    project = project_for(request.user, pk)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "can": _abilities(request.user, project),
            "members": project_members(project=project),
            # The schedule and the logs' highlights, from the apps above (ADR 12).
            "panels": overview_panels(user=request.user, project=project),
        },
    )


def _abilities(user, project) -> dict[str, bool]:
    granted = project_permissions(user, project)
    return {
        "change": P.PROJECT_CHANGE in granted,
        "close": P.PROJECT_CLOSE in granted,
        "delete": P.PROJECT_DELETE in granted,
        "manage_members": P.MEMBERS_MANAGE in granted,
    }


@require_http_methods(["GET", "POST"])
def project_edit_view(request, pk: int):
    project = project_for(request.user, pk, P.PROJECT_CHANGE)
    may_close = has_perm(request.user, P.PROJECT_CLOSE, project)
    conflict = None
    status = 200
    if request.method == "POST":
        form = ProjectForm(request.POST, user=request.user, project=project, may_close=may_close)
        if form.is_valid():
            changes = form.changes()
            try:
                services.project_update(
                    actor=request.user,
                    project=project,
                    expected_version=form.cleaned_data["version"],
                    **changes,
                )
            except SERVICE_ERRORS as error:
                # A clash on the manager's membership, not on the project's own fields,
                # goes on the form; a clash on the project shows the conflict panel.
                on_project = isinstance(getattr(error, "current", None), Project)
                refused = refusal(
                    error,
                    form=None if on_project else form,
                    submitted=changes if on_project else None,
                )
                if refused.gone:
                    messages.error(request, _("This project has been deleted by someone else."))
                    return redirect("projects:list")
                status = refused.status
                # The failed save may have touched the in-memory object; show the stored one.
                project = project_for(request.user, pk, P.PROJECT_CHANGE)
                if refused.conflict is not None:
                    conflict = refused.conflict
                    # Start again from what is saved now; the table shows what to re-apply.
                    form = ProjectForm(
                        user=request.user,
                        project=project,
                        may_close=may_close,
                        initial=project_initial(project),
                    )
            else:
                messages.success(request, _("Project %(code)s saved.") % {"code": project.code})
                return redirect("projects:detail", pk=project.pk)
    else:
        form = ProjectForm(
            user=request.user,
            project=project,
            may_close=may_close,
            initial=project_initial(project),
        )
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "project": project, "conflict": conflict},
        status=page_status(request, status),
    )


@require_http_methods(["GET", "POST"])
def project_close_view(request, pk: int):
    project = project_for(request.user, pk, P.PROJECT_CLOSE)
    initial = {"version": project.version, "status": Project.Status.CLOSED}
    status = 200
    if request.method == "POST":
        form = ProjectCloseForm(request.POST, initial=initial)
        if form.is_valid():
            try:
                services.project_close(
                    actor=request.user,
                    project=project,
                    expected_version=form.cleaned_data["version"],
                    status=form.cleaned_data["status"],
                )
            except SERVICE_ERRORS as error:
                refused = refusal(error, form=form)
                if refused.gone:
                    messages.error(request, _("This project has been deleted by someone else."))
                    return redirect("projects:list")
                status = refused.status
                project = project_for(request.user, pk, P.PROJECT_CLOSE)
                if refused.stale:
                    form = _refused(
                        ProjectCloseForm,
                        {"version": project.version, "status": form.cleaned_data["status"]},
                        refused.message,
                    )
            else:
                messages.success(
                    request,
                    _("Project %(code)s is now %(status)s.")
                    % {"code": project.code, "status": project.get_status_display().lower()},
                )
                return redirect("projects:detail", pk=project.pk)
    else:
        form = ProjectCloseForm(initial=initial)
    return render(
        request,
        "projects/project_close.html",
        {"form": form, "project": project},
        status=page_status(request, status),
    )


@require_http_methods(["GET", "POST"])
def project_delete_view(request, pk: int):
    project = project_for(request.user, pk, P.PROJECT_DELETE)
    status = 200
    if request.method == "POST":
        form = VersionForm(request.POST)
        if form.is_valid():
            try:
                services.project_delete(
                    actor=request.user,
                    project=project,
                    expected_version=form.cleaned_data["version"],
                )
            except (ProtectedError, RestrictedError):
                form.add_error(
                    None,
                    _(
                        "Other records still refer to this project, so it cannot be deleted. "
                        "Close it instead."
                    ),
                )
                status = 422
            except SERVICE_ERRORS as error:
                refused = refusal(error, form=form)
                if refused.gone:
                    messages.info(request, _("This project had already been deleted."))
                    return redirect("projects:list")
                status = refused.status
                if refused.stale:
                    project = project_for(request.user, pk, P.PROJECT_DELETE)
                    form = _refused(VersionForm, {"version": project.version}, refused.message)
            else:
                messages.success(
                    request,
                    _(
                        "Project %(code)s moved to the trash. The PMO or an administrator can "
                        "restore it within %(days)d days."
                    )
                    % {"code": project.code, "days": TRASH_DAYS},
                )
                return redirect("projects:list")
    else:
        form = VersionForm(initial={"version": project.version})
    return render(
        request,
        "projects/project_delete.html",
        {
            "form": form,
            "project": project,
            "counts": services.purge_counts(project),
            "days": TRASH_DAYS,
        },
        status=page_status(request, status),
    )


# --- the trash -----------------------------------------------------------------------


@require_http_methods(["GET"])
def trash_view(request):
    """Projects in the trash: who deleted them and when, until when they can be restored."""
    require_perm(request.user, P.TRASH_RESTORE)
    return render(
        request,
        "projects/trash.html",
        {
            "projects": [
                {
                    "project": project,
                    "who": name_of(project.deleted_by) or _("someone since removed"),
                    "purge_on": services.purge_due_on(project),
                }
                for project in trash_list()
            ],
            "days": TRASH_DAYS,
            "can_purge": has_perm(request.user, P.TRASH_PURGE),
            "purged": purged_projects(),
        },
    )


@require_POST
def trash_restore_view(request, pk: int):
    project = trashed_project_for(request.user, pk, P.TRASH_RESTORE)
    try:
        services.project_restore(
            actor=request.user, project=project, expected_version=posted_version(request, project)
        )
    except SERVICE_ERRORS as error:
        messages.error(request, refusal(error).message)
        return redirect("projects:trash")
    messages.success(request, _("Project %(code)s restored.") % {"code": project.code})
    return redirect("projects:detail", pk=project.pk)


@require_http_methods(["GET", "POST"])
def trash_purge_view(request, pk: int):
    """Purging for good, after a confirmation that counts what will go."""
    project = trashed_project_for(request.user, pk, P.TRASH_PURGE)
    status = 200
    if request.method == "POST":
        form = VersionForm(request.POST)
        if form.is_valid():
            try:
                services.project_purge(
                    actor=request.user,
                    project=project,
                    expected_version=form.cleaned_data["version"],
                )
            except SERVICE_ERRORS as error:
                refused = refusal(error, form=form)
                if refused.gone:
                    messages.info(request, _("This project had already been purged."))
                    return redirect("projects:trash")
                status = refused.status
                if refused.stale:
                    project = trashed_project_for(request.user, pk, P.TRASH_PURGE)
                    form = _refused(VersionForm, {"version": project.version}, refused.message)
            else:
                messages.success(
                    request, _("Project %(code)s purged for good.") % {"code": project.code}
                )
                return redirect("projects:trash")
    else:
        form = VersionForm(initial={"version": project.version})
    return render(
        request,
        "projects/trash_purge.html",
        {"form": form, "project": project, "counts": services.purge_counts(project)},
        status=page_status(request, status),
    )


@require_http_methods(["GET"])
def project_history_view(request, pk: int):
    project = project_for(request.user, pk)
    return render(
        request,
        "projects/project_history.html",
        {"project": project, "entries": project_history(project_id=project.pk)},
    )


# --- members -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def project_members_view(request, pk: int):
    project = project_for(request.user, pk)
    can_manage = has_perm(request.user, P.MEMBERS_MANAGE, project)
    form = None
    status = 200
    if request.method == "POST":
        project = project_for(request.user, pk, P.MEMBERS_MANAGE)
        form = MemberAddForm(request.POST, project=project)
        if form.is_valid():
            try:
                membership = services.membership_add(
                    actor=request.user,
                    project=project,
                    person=form.cleaned_data["person"],
                    role=form.cleaned_data["role"],
                )
            except SERVICE_ERRORS as error:
                status = refusal(error, form=form).status
            else:
                messages.success(
                    request,
                    _("%(person)s added as %(role)s.")
                    % {
                        "person": membership.person,
                        "role": membership.get_role_display().lower(),
                    },
                )
                return redirect("projects:members", pk=project.pk)
    elif can_manage:
        form = MemberAddForm(project=project)
    return render(
        request,
        "projects/project_members.html",
        {
            "project": project,
            "members": project_members(project=project),
            "form": form,
            "can_manage": can_manage,
        },
        status=page_status(request, status),
    )


def _membership(project, membership_pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("person", "project"), pk=membership_pk, project=project
    )


@require_http_methods(["GET", "POST"])
def member_edit_view(request, pk: int, membership_pk: int):
    project = project_for(request.user, pk, P.MEMBERS_MANAGE)
    membership = _membership(project, membership_pk)
    initial = {"version": membership.version, "role": membership.role}
    status = 200
    if request.method == "POST":
        form = MemberRoleForm(request.POST, initial=initial)
        if form.is_valid():
            try:
                services.membership_change_role(
                    actor=request.user,
                    membership=membership,
                    role=form.cleaned_data["role"],
                    expected_version=form.cleaned_data["version"],
                )
            except SERVICE_ERRORS as error:
                refused = refusal(error, form=form)
                if refused.gone:
                    messages.error(request, _("This person has been removed from the project."))
                    return redirect("projects:members", pk=project.pk)
                status = refused.status
                membership = _membership(project, membership_pk)
                if refused.stale:
                    form = _refused(
                        MemberRoleForm,
                        {"version": membership.version, "role": form.cleaned_data["role"]},
                        refused.message,
                    )
            else:
                messages.success(
                    request,
                    _("%(person)s is now %(role)s.")
                    % {"person": membership.person, "role": membership.get_role_display().lower()},
                )
                return redirect("projects:members", pk=project.pk)
    else:
        form = MemberRoleForm(initial=initial)
    return render(
        request,
        "projects/member_edit.html",
        {"project": project, "membership": membership, "form": form},
        status=page_status(request, status),
    )


@require_POST
def member_remove_view(request, pk: int, membership_pk: int):
    project = project_for(request.user, pk, P.MEMBERS_MANAGE)
    membership = _membership(project, membership_pk)
    try:
        services.membership_remove(
            actor=request.user,
            membership=membership,
            expected_version=posted_version(request, membership),
        )
    except SERVICE_ERRORS as error:
        messages.error(request, refusal(error).message)
    else:
        messages.success(
            request,
            _("%(person)s is no longer a member of %(code)s.")
            % {"person": membership.person, "code": project.code},
        )
    return redirect("projects:members", pk=project.pk)


# --- portfolios ----------------------------------------------------------------------


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


def _status_mix(user) -> dict[int | None, list[StatusCount]]:
    """Per portfolio, how many of the projects the user can see are in each status."""
    counts = (
        project_list(user=user)
        .order_by()
        .values("portfolio_id", "status")
        .annotate(count=Count("id"))
    )
    by_portfolio: dict[int | None, dict[str, int]] = {}
    for row in counts:
        by_portfolio.setdefault(row["portfolio_id"], {})[row["status"]] = row["count"]
    return {
        portfolio_id: [
            StatusCount(status=value, label=str(label), count=statuses[value])
            for value, label in Project.Status.choices
            if statuses.get(value)
        ]
        for portfolio_id, statuses in by_portfolio.items()
    }


@require_http_methods(["GET"])
def portfolio_list_view(request):
    mix = _status_mix(request.user)
    rows = [
        {
            "portfolio": portfolio,
            "mix": mix.get(portfolio.pk, []),
            "total": sum(item.count for item in mix.get(portfolio.pk, [])),
        }
        for portfolio in portfolio_list(user=request.user).order_by("name")
    ]
    return render(
        request,
        "projects/portfolio_list.html",
        {"rows": rows, "can_manage": has_perm(request.user, P.PORTFOLIO_MANAGE)},
    )


def _portfolio_for(user, pk: int) -> Portfolio:
    # Portfolios the user cannot see are unknown to them (404), as with projects.
    return get_object_or_404(portfolio_list(user=user), pk=pk)


@require_http_methods(["GET"])
def portfolio_detail_view(request, pk: int):
    portfolio = _portfolio_for(request.user, pk)
    projects = project_list(user=request.user, portfolio_id=portfolio.pk)
    return render(
        request,
        "projects/portfolio_detail.html",
        {
            "portfolio": portfolio,
            "projects": projects,
            "rows": _with_outlooks(projects),
            "mix": _status_mix(request.user).get(portfolio.pk, []),
            "can_manage": has_perm(request.user, P.PORTFOLIO_MANAGE),
        },
    )


@require_http_methods(["GET", "POST"])
def portfolio_create_view(request):
    require_perm(request.user, P.PORTFOLIO_MANAGE)
    status = 200
    if request.method == "POST":
        form = PortfolioForm(request.POST)
        if form.is_valid():
            try:
                portfolio = services.portfolio_create(actor=request.user, **form.changes())
            except SERVICE_ERRORS as error:
                status = refusal(error, form=form).status
            else:
                messages.success(
                    request, _("Portfolio %(name)s created.") % {"name": portfolio.name}
                )
                return redirect("portfolios:detail", pk=portfolio.pk)
    else:
        form = PortfolioForm()
    return render(
        request,
        "projects/portfolio_form.html",
        {"form": form, "portfolio": None},
        status=page_status(request, status),
    )


@require_http_methods(["GET", "POST"])
def portfolio_edit_view(request, pk: int):
    portfolio = _portfolio_for(request.user, pk)
    require_perm(request.user, P.PORTFOLIO_MANAGE)
    conflict = None
    status = 200
    if request.method == "POST":
        form = PortfolioForm(request.POST, portfolio=portfolio)
        if form.is_valid():
            changes = form.changes()
            try:
                services.portfolio_update(
                    actor=request.user,
                    portfolio=portfolio,
                    expected_version=form.cleaned_data["version"],
                    **changes,
                )
            except SERVICE_ERRORS as error:
                refused = refusal(error, form=form, submitted=changes)
                if refused.gone:
                    messages.error(request, _("This portfolio has been deleted by someone else."))
                    return redirect("portfolios:list")
                status = refused.status
                conflict = refused.conflict
                portfolio = _portfolio_for(request.user, pk)
                if conflict is not None:
                    form = PortfolioForm(portfolio=portfolio, initial=portfolio_initial(portfolio))
            else:
                messages.success(request, _("Portfolio %(name)s saved.") % {"name": portfolio.name})
                return redirect("portfolios:detail", pk=portfolio.pk)
    else:
        form = PortfolioForm(portfolio=portfolio, initial=portfolio_initial(portfolio))
    return render(
        request,
        "projects/portfolio_form.html",
        {"form": form, "portfolio": portfolio, "conflict": conflict},
        status=page_status(request, status),
    )
