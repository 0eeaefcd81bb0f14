"""The plan's settings page: start, calendar, status date, working time."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from steerco.accounts.rules import P, project_for
from steerco.core.pages import SERVICE_ERRORS, page_status, refusal

from .. import services
from ..forms import PlanSettingsForm, settings_initial
from ..selectors import plan_settings_get


@require_http_methods(["GET", "POST"])
def plan_settings_edit_view(request, project_id: int):
    project = project_for(request.user, project_id, P.PLAN_CHANGE)
    settings = plan_settings_get(project=project)
    conflict = None
    status = 200
    if request.method == "POST":
        form = PlanSettingsForm(request.POST)
        if form.is_valid():
            try:
                settings = services.plan_settings(project, actor=request.user)
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
