"""The landing page, "My work": the user's tasks, open actions and projects.

Its own app because it reads every domain app (plans, logs, projects), while ``ui`` is
the layout those apps' pages build on.
"""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from steerco.accounts.models import OrganisationRole
from steerco.accounts.rules import P, has_perm, organisation_roles, person_of, project_role
from steerco.logs.selectors import actions_for_person
from steerco.plans.selectors import tasks_assigned_to
from steerco.plans.services import project_outlooks
from steerco.projects.models import Membership
from steerco.projects.selectors import project_list
from steerco.staffing.selectors import open_requests


@require_GET
def home(request):
    """My work: the user's unfinished tasks and open actions, and their projects."""
    user = request.user
    person = person_of(user)
    rows = []
    role_labels = dict(Membership.Role.choices)
    if person is not None:
        mine = project_list(user=user).filter(Q(memberships__person=person) | Q(sponsor=person))
        for project in mine.distinct():
            role = project_role(user, project)
            role_label = role_labels.get(role, role) if role else _("Sponsor")
            if project.sponsor_id == person.pk and role:
                role_label = _("%(role)s and sponsor") % {"role": role_label}
            rows.append({"project": project, "role": role_label})
        outlooks = project_outlooks(projects=[row["project"] for row in rows])
        for row in rows:
            row["outlook"] = outlooks.get(row["project"].pk)
    org_roles = [
        OrganisationRole.Role(role).label
        for role in sorted(organisation_roles(user))
        if role in OrganisationRole.Role.values
    ]
    return render(
        request,
        "home/home.html",
        {
            "rows": rows,
            "person": person,
            "display_name": person.name if person else user.get_username(),
            "organisation_roles": org_roles,
            "sees_all_projects": has_perm(user, P.PORTFOLIO_VIEW),
            "can_create_project": has_perm(user, P.PROJECT_CREATE),
            "my_tasks": tasks_assigned_to(user=user, person=person) if person else [],
            "my_actions": _my_actions(user, person) if person else None,
            # Resource managers start from the heatmap and the requests waiting for them.
            "resourcing": {"open_requests": open_requests(user=user).count()}
            if has_perm(user, P.ALLOCATIONS_MANAGE)
            else None,
        },
    )


def _my_actions(user, person) -> list[dict]:
    """The person's open actions in every project the user may see, soonest due first."""
    today = timezone.localdate()
    return [
        {"action": action, "overdue": action.is_overdue(today)}
        for action in actions_for_person(user=user, person=person)
    ]
