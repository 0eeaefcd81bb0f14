"""Reads for people."""

from __future__ import annotations

from collections.abc import Iterable

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


def assignable_names() -> list[str]:
    """The names of everyone a plan may assign work to: the directory's active people,
    contractors without a login included, in name order. Names only: who may read the
    rest of a person's entry is ``person_list``'s rule (ADR 17)."""
    return list(Person.objects.filter(active=True).order_by("name").values_list("name", flat=True))


def people_named(names: Iterable[str]) -> dict[str, list[Person]]:
    """The directory's active people whose name is one of ``names`` (compared without
    regard to case), by casefolded name; a name nobody has is absent. One query."""
    wanted = {name.casefold() for name in names}
    if not wanted:
        return {}
    matching = Q()
    for name in wanted:
        matching |= Q(name__iexact=name)
    found: dict[str, list[Person]] = {}
    for person in Person.objects.filter(matching, active=True).order_by("name", "pk"):
        key = person.name.casefold()
        if key in wanted:  # the database's case rules may be looser than casefold
            found.setdefault(key, []).append(person)
    return found
