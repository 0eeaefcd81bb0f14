"""The "Schedule" panel of a project's overview page: how far along the plan is, its
forecast finish against baseline 0 and the planned finish, the schedule's RAG and the
next milestones, each with its reason (``selectors.project_outlook``).

Contributed to the projects app's overview through ``core.project_pages`` (apps.py),
since projects sits below plans and cannot ask for it by name.
"""

from __future__ import annotations

from django.urls import reverse

from steerco.accounts.rules import P, check_project, has_perm
from steerco.core.project_pages import OverviewPanel

from ..selectors import project_outlook


def schedule_panels(*, user, project) -> list[OverviewPanel]:
    check_project(user, project, P.PROJECT_VIEW)
    return [
        OverviewPanel(
            template="plans/_outlook_panel.html",
            context={
                "outlook": project_outlook(project=project),
                "plan_url": reverse("plans:plan", args=[project.pk]),
                "milestones_url": reverse("plans:milestones", args=[project.pk]),
                "baselines_url": reverse("plans:baselines", args=[project.pk]),
                "may_change_plan": has_perm(user, P.PLAN_CHANGE, project),
            },
            order=10,
        )
    ]
