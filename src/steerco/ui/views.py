"""The landing page ("My work") and the placeholder sections."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from steerco.accounts.models import OrganisationRole
from steerco.accounts.rules import P, has_perm, organisation_roles, person_of, project_role
from steerco.logs.selectors import actions_for_person
from steerco.plans.selectors import tasks_assigned_to
from steerco.projects.models import Membership
from steerco.projects.selectors import project_list

# What each section will hold, said plainly: these pages must not pretend to work yet.
SECTIONS = {
    "resources": {
        "title": _("Resources"),
        "summary": _("People, their skills and calendars, and who is allocated to what."),
        "available": [
            (_("People directory: everyone who works on or for projects"), "people:list"),
            (_("Working calendars: office hours, public holidays and closures"), "calendars:list"),
        ],
        "coming": [
            _("Roles, skills and working calendars for each person."),
            _("Allocations of people to projects, and capacity against demand by week or month."),
            _("Over-allocation warnings and resource levelling."),
            _("Bookings of rooms and equipment, with clash detection."),
        ],
    },
    "methods": {
        "title": _("Methods"),
        "summary": _("The lifecycles your projects follow and the checks along the way."),
        "coming": [
            _("Lifecycles made of stages and gates, with gate reviews and decisions."),
            _("Project templates and checklists for each stage."),
            _("Quality health checks of projects against the chosen method."),
        ],
    },
    "capability": {
        "title": _("Capability"),
        "summary": _("How mature the organisation's project practice is, and how to grow it."),
        "coming": [
            _("Maturity frameworks and assessments with scores by area."),
            _("Competency frameworks for project professionals and self-assessments."),
            _("Development plans that follow from the assessments."),
        ],
    },
    "reports": {
        "title": _("Reports"),
        "summary": _("Status reporting and dashboards across projects and portfolios."),
        "coming": [
            _("Highlight and status reports with RAG ratings, submitted and approved."),
            _("Portfolio dashboards and trends built from the projects' data."),
            _("Exports to PDF, PowerPoint and Excel."),
        ],
    },
}


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
    org_roles = [
        OrganisationRole.Role(role).label
        for role in sorted(organisation_roles(user))
        if role in OrganisationRole.Role.values
    ]
    return render(
        request,
        "ui/home.html",
        {
            "rows": rows,
            "person": person,
            "display_name": person.name if person else user.get_username(),
            "organisation_roles": org_roles,
            "sees_all_projects": has_perm(user, P.PORTFOLIO_VIEW),
            "can_create_project": has_perm(user, P.PROJECT_CREATE),
            "my_tasks": tasks_assigned_to(user=user, person=person) if person else [],
            "my_actions": _my_actions(user, person) if person else None,
        },
    )


def _my_actions(user, person) -> list[dict]:
    """The person's open actions in every project the user may see, soonest due first."""
    today = timezone.localdate()
    return [
        {"action": action, "overdue": action.is_overdue(today)}
        for action in actions_for_person(user=user, person=person)
    ]


@require_GET
def section(request, slug: str):
    try:
        content = SECTIONS[slug]
    except KeyError:
        raise Http404("No such section.") from None
    return render(request, "ui/section.html", {"section": content, "slug": slug})
