"""The people directory over HTTP (/api/v1/people)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from steerco.accounts.rules import P, has_perm, visible_projects
from steerco.core.api import PageNumbers, responses

from . import selectors

router = Router(tags=["people"])


class SkillLevelOut(Schema):
    skill: str
    level: int = Field(..., description="Proficiency 1 (aware) to 5 (expert).")
    assessed_on: date | None


class PersonOut(Schema):
    id: int
    version: int
    name: str
    team: str
    job_title: str
    active: bool
    primary_role: str | None = Field(None, description="The role the person is counted under.")
    roles: list[str] = Field(..., description="Every role, the primary one first.")
    skills: list[SkillLevelOut]
    employment_type: str
    weekly_hours: Decimal
    working_weekdays: list[int] = Field(..., description="0 Monday … 6 Sunday.")
    part_time_percent: int
    availability_percent: int = Field(..., description="Share of working time for projects.")

    @staticmethod
    def resolve_primary_role(obj) -> str | None:
        return obj.primary_role.name if obj.primary_role_id else None

    @staticmethod
    def resolve_roles(obj) -> list[str]:
        primary = obj.primary_role.name if obj.primary_role_id else None
        others = sorted(role.name for role in obj.roles.all() if role.name != primary)
        return ([primary] if primary else []) + others

    @staticmethod
    def resolve_skills(obj) -> list[dict]:
        return [
            {"skill": row.skill.name, "level": row.level, "assessed_on": row.assessed_on}
            for row in obj.skills.all()
        ]


@router.get("people", response=responses({200: list[PersonOut]}, 400, 403), summary="List people")
@paginate(PageNumbers)
def person_list(
    request,
    q: str | None = Query(None, max_length=200, description="Search name, email, team."),
    include_inactive: bool = Query(False, description="Also list people no longer active."),
):
    """Names to pick owners, sponsors and members from.

    Organisation roles see everyone, project members the people on their projects. A
    login with no role at all is refused (403) rather than shown a list of one: it has
    nothing to pick people for.
    """
    user = request.auth
    if not (
        has_perm(user, P.PEOPLE_VIEW)
        or has_perm(user, P.PORTFOLIO_VIEW)
        or visible_projects(user).exists()
    ):
        raise PermissionDenied(_("You need a role on a project to look people up."))
    return (
        selectors.person_list(user=user, search=q, include_inactive=include_inactive)
        .select_related("primary_role")
        .prefetch_related("roles", "skills__skill")
    )
