"""Calendar pages: a project's working time (plan sub-navigation "Calendar") and the
organisation-wide base calendars the PMO keeps.

One POST handler serves both: the form's ``action`` says whether the week, a new exception
or the removal of one is sent. Every service error is shown inline; nothing becomes a 500.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from steerco.accounts.rules import P, has_perm, project_for
from steerco.core.pages import SERVICE_ERRORS, page_status, posted_version, refusal

from ..models import CalendarException, WorkCalendar, default_week
from ..services import plan_settings
from . import services as cal
from .forms import WEEKDAYS, CalendarForm, ExceptionForm, intervals_text


def _week_rows(calendar: WorkCalendar) -> list[dict]:
    rows = []
    for day, label in enumerate(WEEKDAYS):
        intervals = calendar.week.get(str(day))
        if intervals is None and calendar.base_id:
            intervals = calendar.base.week.get(str(day), [])
        rows.append({"label": label, "text": intervals_text(intervals), "working": bool(intervals)})
    return rows


def _special_rows(calendar: WorkCalendar) -> list[dict]:
    if calendar.pk is None:
        return []
    return [
        {
            "day": special.day,
            "name": special.name,
            "kind": special.kind,
            "hours": intervals_text(special.intervals),
        }
        for special in cal.special_days(calendar, dt.date.today())
    ]


def _handle_post(request, calendar_for_edit, shown: WorkCalendar | None):
    """Apply one POSTed action; returns (week_form, exception_form, conflict, status), where
    status is None when the action is done (the caller redirects) and the refusal's HTTP
    status otherwise."""
    action = request.POST.get("action", "save")
    week_form = exception_form = None
    conflict = None
    status = 200
    if action == "save":
        week_form = CalendarForm(request.POST)
        if week_form.is_valid():
            changes = week_form.changes()
            try:
                with transaction.atomic():
                    calendar = calendar_for_edit()
                    version = week_form.cleaned_data.get("version") or calendar.version
                    if shown is None or calendar.pk != shown.pk:
                        version = calendar.version  # just derived from what was shown
                    cal.calendar_update(
                        actor=request.user, calendar=calendar, expected_version=version, **changes
                    )
            except SERVICE_ERRORS as error:
                refused = refusal(error, form=week_form)
                status = refused.status
                if refused.stale:
                    conflict = _(
                        "Someone else saved this calendar after you opened it; the form now "
                        "shows the saved working time. Re-apply your changes and save again."
                    )
                    week_form = None
            else:
                messages.success(request, _("Working time saved."))
                return None, None, None, None
    elif action == "add_exception":
        exception_form = ExceptionForm(request.POST)
        if exception_form.is_valid():
            values = exception_form.values()
            try:
                with transaction.atomic():
                    cal.exception_add(actor=request.user, calendar=calendar_for_edit(), **values)
            except SERVICE_ERRORS as error:
                status = refusal(error, form=exception_form).status
            else:
                messages.success(request, _("Exception added."))
                return None, None, None, None
    elif action == "remove_exception":
        try:
            exception_id = int(request.POST.get("exception", ""))
        except ValueError:
            exception_id = None
        exception = (
            CalendarException.objects.filter(pk=exception_id, calendar=shown).first()
            if shown is not None and shown.pk
            else None
        )
        if exception is None:
            messages.error(request, _("That exception no longer exists."))
            return None, None, None, None
        try:
            cal.exception_remove(actor=request.user, exception=exception)
        except SERVICE_ERRORS as error:
            messages.error(request, refusal(error).message)
        else:
            messages.success(request, _("Exception removed."))
        return None, None, None, None
    return week_form, exception_form, conflict, status


def _context(calendar, week_form, exception_form, can_change, can_remove=None, **extra) -> dict:
    if can_change and week_form is None:
        week_form = CalendarForm(initial=CalendarForm.initial_from(calendar))
    if can_change and exception_form is None:
        exception_form = ExceptionForm()
    exceptions = list(calendar.exceptions.all()) if calendar.pk else []
    return {
        "calendar": calendar,
        "week_rows": _week_rows(calendar),
        "special_days": _special_rows(calendar),
        "exceptions": [(e, intervals_text(e.intervals)) for e in exceptions],
        "form": week_form,
        "exception_form": exception_form,
        "can_change": can_change,
        # Exceptions of a calendar the page does not edit (an organisation calendar a
        # project is scheduled on) are shown but removed only on that calendar's own page.
        "can_remove": can_change if can_remove is None else can_remove,
        **extra,
    }


# --- project calendar -------------------------------------------------------------------


def _shown_project_calendar(project) -> tuple[WorkCalendar, bool]:
    """The calendar the plan schedules on, and whether it is the project's own."""
    settings = plan_settings(project)
    calendar = settings.calendar
    if calendar is None:
        calendar = cal.organisation_default() or WorkCalendar(
            name=_("Standard (Monday–Friday)"), week=default_week()
        )
    return calendar, calendar.project_id == project.pk


@require_http_methods(["GET", "POST"])
def project_calendar_edit_view(request, project_id: int):
    project = project_for(request.user, project_id)
    can_change = has_perm(request.user, P.PLAN_CHANGE, project)
    shown, own = _shown_project_calendar(project)
    week_form = exception_form = conflict = None
    status = 200
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(_("You cannot change this plan."))

        def for_edit():
            return cal.project_calendar_for_edit(actor=request.user, project=project)

        week_form, exception_form, conflict, status = _handle_post(
            request, for_edit, shown if own else None
        )
        if status is None:
            return redirect("plans:calendar", project_id=project.pk)
        shown, own = _shown_project_calendar(project)
    return render(
        request,
        "plans/calendar.html",
        _context(
            shown,
            week_form,
            exception_form,
            can_change,
            can_remove=can_change and own,
            project=project,
            own=own,
            conflict=conflict,
            may_change_plan=can_change,
        ),
        status=page_status(request, status),
    )


# --- organisation calendars -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def calendar_list_view(request):
    can_manage = has_perm(request.user, P.PORTFOLIO_MANAGE)
    form = None
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("Only the PMO manages organisation calendars."))
        form = CalendarForm(request.POST)
        if form.is_valid():
            changes = form.changes()
            try:
                calendar = cal.calendar_create(actor=request.user, **changes)
            except SERVICE_ERRORS as error:
                status = refusal(error, form=form).status
            else:
                messages.success(request, _("Calendar created."))
                return redirect("calendars:detail", pk=calendar.pk)
    elif can_manage:
        form = CalendarForm(
            initial=CalendarForm.initial_from(WorkCalendar(name="", week=default_week()))
        )
    calendars = WorkCalendar.objects.filter(project__isnull=True).order_by("name")
    return render(
        request,
        "plans/calendar_list.html",
        {
            "calendars": [(c, _week_rows(c)) for c in calendars],
            "form": form,
            "can_manage": can_manage,
            "default": cal.organisation_default(),
        },
        status=page_status(request, status),
    )


@require_http_methods(["GET", "POST"])
def calendar_detail_view(request, pk: int):
    calendar = get_object_or_404(WorkCalendar, pk=pk, project__isnull=True)
    can_manage = has_perm(request.user, P.PORTFOLIO_MANAGE)
    week_form = exception_form = conflict = None
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("Only the PMO manages organisation calendars."))
        if request.POST.get("action") == "delete":
            try:
                cal.calendar_delete(
                    actor=request.user,
                    calendar=calendar,
                    expected_version=posted_version(request, calendar),
                )
            except SERVICE_ERRORS as error:
                refused = refusal(error)
                messages.error(request, refused.message)
                if refused.gone:
                    return redirect("calendars:list")
                return redirect("calendars:detail", pk=calendar.pk)
            messages.success(request, _("Calendar deleted."))
            return redirect("calendars:list")
        week_form, exception_form, conflict, status = _handle_post(
            request, lambda: calendar, calendar
        )
        if status is None:
            return redirect("calendars:detail", pk=calendar.pk)
        calendar = WorkCalendar.objects.filter(pk=pk).first()
        if calendar is None:
            raise Http404(_("No such calendar."))
    return render(
        request,
        "plans/calendar_org.html",
        _context(calendar, week_form, exception_form, can_manage, conflict=conflict),
        status=page_status(request, status),
    )
