"""Writes for people."""

from __future__ import annotations

from steerco.accounts.rules import P, require_perm
from steerco.core.exceptions import DomainError
from steerco.core.versioning import versioned_update

from .models import Person

PERSON_EDITABLE_FIELDS = ("name", "email", "team", "job_title", "user", "active")


def person_create(
    *,
    actor,
    name: str,
    email: str = "",
    team: str = "",
    job_title: str = "",
    user=None,
) -> Person:
    require_perm(actor, P.PEOPLE_MANAGE)
    person = Person(
        name=name.strip(),
        email=email.strip(),
        team=team.strip(),
        job_title=job_title.strip(),
        user=user,
    )
    person.full_clean()
    person._history_user = actor
    person.save()
    return person


def person_update(*, actor, person: Person, expected_version: int, **changes) -> Person:
    require_perm(actor, P.PEOPLE_MANAGE)
    unknown = set(changes) - set(PERSON_EDITABLE_FIELDS)
    if unknown:
        raise DomainError("These fields cannot be changed: " + ", ".join(sorted(unknown)))
    return versioned_update(person, expected_version=expected_version, changes=changes, actor=actor)
