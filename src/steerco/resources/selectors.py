"""Reads for people."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from steerco.accounts.rules import P, has_perm, person_of, visible_projects

from .models import Person


def person_list(*, user, search: str | None = None, include_inactive: bool = False) -> QuerySet:
    """People the user may look up.

    Organisation roles see everyone. Project members see the people on their projects and
    themselves — enough to pick owners and assignees without exposing the whole directory.
    """
    if has_perm(user, P.PEOPLE_VIEW) or has_perm(user, P.PORTFOLIO_VIEW):
        people = Person.objects.all()
    else:
        me = person_of(user)
        people = Person.objects.filter(
            Q(memberships__project__in=visible_projects(user)) | Q(pk=getattr(me, "pk", None))
        ).distinct()
    if not include_inactive:
        people = people.filter(active=True)
    if search:
        term = search.strip()
        people = people.filter(
            Q(name__icontains=term) | Q(email__icontains=term) | Q(team__icontains=term)
        )
    return people.select_related("user").order_by("name")
