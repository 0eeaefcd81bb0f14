"""The people directory over HTTP (/api/v1/people)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from steerco.accounts.rules import P, has_perm, visible_projects
from steerco.core.api import PageNumbers, responses

from . import selectors

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    version: int
    name: str
    team: str
    job_title: str
    active: bool


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
    return selectors.person_list(user=user, search=q, include_inactive=include_inactive)
