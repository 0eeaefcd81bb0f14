"""Baseline pages: the list (and saving one), deleting one, and one against the schedule."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from steerco.accounts.rules import P, has_perm, project_for
from steerco.core.pages import SERVICE_ERRORS, page_status, posted_version, refusal

from .. import services
from ..display import day_text, signed_days_text, verdict_text
from ..forms import BaselineSaveForm
from ..models import Baseline
from ..selectors import baseline_comparison, baseline_list


@require_http_methods(["GET", "POST"])
def baseline_list_view(request, project_id: int):
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
                    expected_version=form.cleaned_data["expected_version"],
                    reason=form.cleaned_data["reason"],
                )
            except SERVICE_ERRORS as error:
                status = refusal(error, form=form).status
                # Show the baselines as they are now, with the versions to confirm against.
                baselines = list(baseline_list(project=project))
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
def baseline_delete_view(request, project_id: int, number: int):
    project = project_for(request.user, project_id, P.PLAN_CHANGE)
    baseline = get_object_or_404(Baseline, project=project, number=number)
    if request.method == "POST":
        try:
            services.baseline_delete(
                actor=request.user,
                baseline=baseline,
                expected_version=posted_version(request, baseline),
                reason=request.POST.get("reason", ""),
            )
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
    """One row of the comparison table, as the page writes it."""

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
    verdict: str
    late: bool


@require_GET
def baseline_compare_view(request, project_id: int, number: int):
    project = project_for(request.user, project_id)
    baseline = get_object_or_404(Baseline, project=project, number=number)
    comparison = baseline_comparison(project=project, baseline=baseline)
    per_day = comparison.minutes_per_day
    rows = [
        VarianceRow(
            position=row.task.position,
            wbs=row.task.wbs,
            name=row.task.name,
            baseline_start=day_text(row.baseline_start),
            start=day_text(row.start),
            baseline_finish=day_text(row.baseline_finish),
            finish=day_text(row.finish),
            start_variance=signed_days_text(row.start_minutes, per_day),
            finish_variance=signed_days_text(row.finish_minutes, per_day),
            duration_variance=signed_days_text(row.duration_minutes, per_day),
            verdict=verdict_text(row.finish_minutes, per_day),
            late=row.late,
        )
        for row in comparison.variances
    ]
    return render(
        request,
        "plans/baseline_compare.html",
        {
            "project": project,
            "baseline": baseline,
            "baselines": list(baseline_list(project=project)),
            "rows": rows,
            "slipped": comparison.slipped,
            "added": comparison.added,
            "removed": comparison.removed,
            "error": comparison.error,
            "may_change_plan": has_perm(request.user, P.PLAN_CHANGE, project),
        },
    )
