"""The "Risks, issues and actions" panel of a project's overview page: its top open
risks, open issues and overdue actions (``selectors.project_highlights``).

Contributed to the projects app's overview through ``core.project_pages`` (apps.py),
since projects sits below logs and cannot ask for it by name.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from steerco.accounts.rules import P, check_project
from steerco.core.project_pages import OverviewPanel

from .. import selectors
from .lists import BAND_BADGES, Scales


def log_panels(*, user, project) -> list[OverviewPanel]:
    check_project(user, project, P.PROJECT_VIEW)
    highlights = selectors.project_highlights(
        user=user, project=project, today=timezone.localdate()
    )
    scales = Scales()

    def entry(kind: str, item, **extra) -> dict:
        return {
            "item": item,
            "url": reverse("logs:item", args=[project.pk, kind, item.pk]),
            **extra,
        }

    risks = []
    for risk in highlights.risks:
        band = scales.band(risk.score_before)
        risks.append(
            entry(
                "risks",
                risk,
                score=risk.score_before,
                band=band,
                band_class=BAND_BADGES.get(band or "", ""),
            )
        )
    return [
        OverviewPanel(
            template="logs/_overview_panel.html",
            context={
                "highlights": highlights,
                "risks": risks,
                "issues": [entry("issues", issue) for issue in highlights.issues],
                "actions": [entry("actions", action) for action in highlights.overdue_actions],
                "logs_url": reverse("logs:overview", args=[project.pk]),
                "risks_url": reverse("logs:list", args=[project.pk, "risks"]),
                "issues_url": reverse("logs:list", args=[project.pk, "issues"]),
                "actions_url": reverse("logs:list", args=[project.pk, "actions"]),
            },
            order=20,
        )
    ]
