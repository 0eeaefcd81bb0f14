"""The milestones page: each milestone's date, its slip from a baseline, and whether it
is at risk (see ``selectors.milestone_statuses``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import render
from django.views.decorators.http import require_GET

from steerco.accounts.rules import P, has_perm, project_for

from ..display import day_text, days_text, signed_days_text
from ..selectors import baseline_list, milestone_statuses, plan_view


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
def milestone_list_view(request, project_id: int):
    project = project_for(request.user, project_id)
    baselines = list(baseline_list(project=project))
    try:
        number = int(request.GET.get("baseline", baselines[0].number if baselines else -1))
    except ValueError:
        number = -1
    view = plan_view(project=project)
    per_day = view.settings.minutes_per_day or 480
    rows = [
        MilestoneRow(
            position=status.task.position,
            name=status.task.name,
            date=day_text(status.finish),
            baseline_date=day_text(status.baseline_finish),
            variance=(
                signed_days_text(status.variance_minutes, per_day)
                if status.variance_minutes is not None
                else "—"
            ),
            total_float=(
                days_text(status.total_float_minutes, per_day)
                if status.total_float_minutes is not None
                else "—"
            ),
            deadline=day_text(status.task.deadline),
            at_risk=status.at_risk,
            reasons=status.reasons,
        )
        for status in milestone_statuses(project=project, baseline_number=number, view=view)
    ]
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
