"""The milestones page: each milestone's forecast, its slip from a baseline in working
days, and its state with the reason (``selectors.milestone_statuses``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import render
from django.views.decorators.http import require_GET

from steerco.accounts.rules import P, has_perm, project_for

from ..display import day_text, days_text
from ..selectors import APPROVED_BASELINE, baseline_list, milestone_statuses, plan_view


@dataclass
class MilestoneRow:
    position: int
    name: str
    date: str
    baseline_date: str
    days_late: str
    total_float: str
    deadline: str
    state: str
    label: str
    reason: str


def _signed(days: int | None) -> str:
    if days is None:
        return "—"
    return f"+{days}" if days > 0 else f"−{-days}" if days < 0 else "0"


def _chosen_baseline(request, numbers: set[int]) -> int | None:
    """The baseline asked for, else baseline 0 (the approved one) when saved, else none."""
    raw = request.GET.get("baseline")
    if raw is None:
        return APPROVED_BASELINE if APPROVED_BASELINE in numbers else None
    try:
        number = int(raw)
    except ValueError:
        return None
    return number if number in numbers else None


@require_GET
def milestone_list_view(request, project_id: int):
    project = project_for(request.user, project_id)
    baselines = list(baseline_list(project=project))
    number = _chosen_baseline(request, {baseline.number for baseline in baselines})
    view = plan_view(project=project)
    per_day = view.settings.minutes_per_day or 480
    rows = [
        MilestoneRow(
            position=status.task.position,
            name=status.task.name,
            date=day_text(status.finish),
            baseline_date=day_text(status.baseline_finish),
            days_late=_signed(status.days_late),
            total_float=(
                days_text(status.total_float_minutes, per_day)
                if status.total_float_minutes is not None
                else "—"
            ),
            deadline=day_text(status.task.deadline),
            state=status.state,
            label=status.label,
            reason=status.reason,
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
