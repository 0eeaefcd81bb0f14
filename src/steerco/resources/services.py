"""Writes for people."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied

from steerco.accounts.rules import P, has_perm, may_see_private, person_of, require_perm
from steerco.core.exceptions import DomainError
from steerco.core.versioning import versioned_update

from .models import Leave, Person, PersonSkill, Role, Skill

#: A person's working pattern and employment, beside the directory's own fields.
PATTERN_FIELDS = (
    "line_manager",
    "primary_role",
    "employment_type",
    "employment_start",
    "employment_end",
    "weekly_hours",
    "working_weekdays",
    "part_time_percent",
    "availability_percent",
    "holiday_country",
    "holiday_subdivision",
)
PERSON_EDITABLE_FIELDS = ("name", "email", "team", "job_title", "user", "active", *PATTERN_FIELDS)


def person_create(
    *,
    actor,
    name: str,
    email: str = "",
    team: str = "",
    job_title: str = "",
    user=None,
    **details,
) -> Person:
    """A new person; ``details`` are any other of PERSON_EDITABLE_FIELDS (role, working
    pattern, employment)."""
    require_perm(actor, P.PEOPLE_MANAGE)
    unknown = set(details) - set(PERSON_EDITABLE_FIELDS)
    if unknown:
        raise DomainError("These fields cannot be set: " + ", ".join(sorted(unknown)))
    person = Person(
        name=name.strip(),
        email=email.strip(),
        team=team.strip(),
        job_title=job_title.strip(),
        user=user,
        **{k: v for k, v in details.items() if v is not None or k in _NULLABLE},
    )
    person.full_clean()
    person._history_user = actor
    person.save()
    return person


_NULLABLE = {"line_manager", "primary_role", "employment_start", "employment_end"}


def person_update(*, actor, person: Person, expected_version: int, **changes) -> Person:
    require_perm(actor, P.PEOPLE_MANAGE)
    unknown = set(changes) - set(PERSON_EDITABLE_FIELDS)
    if unknown:
        raise DomainError("These fields cannot be changed: " + ", ".join(sorted(unknown)))
    if "line_manager" in changes and changes["line_manager"] is not None:
        _check_no_management_loop(person, changes["line_manager"])
    return versioned_update(person, expected_version=expected_version, changes=changes, actor=actor)


def _check_no_management_loop(person: Person, manager: Person) -> None:
    seen = {person.pk}
    current = manager
    while current is not None:
        if current.pk in seen:
            raise DomainError(
                f"{manager.name} cannot be {person.name}'s line manager: "
                f"{person.name} is above them in the line."
            )
        seen.add(current.pk)
        current = current.line_manager


def person_roles_set(*, actor, person: Person, roles: list[Role]) -> None:
    """The person's other roles (beside the primary role)."""
    require_perm(actor, P.PEOPLE_MANAGE)
    person.roles.set(roles)


def role_ensure(*, actor, name: str) -> Role:
    """The role called ``name``, created when missing."""
    require_perm(actor, P.PEOPLE_MANAGE)
    name = name.strip()
    if not name:
        raise DomainError("A role needs a name.")
    role = Role.objects.filter(name__iexact=name).first()
    return role or Role.objects.create(name=name)


def skill_ensure(*, actor, name: str, category: str = "") -> Skill:
    require_perm(actor, P.PEOPLE_MANAGE)
    name = name.strip()
    if not name:
        raise DomainError("A skill needs a name.")
    skill = Skill.objects.filter(name__iexact=name).first()
    return skill or Skill.objects.create(name=name, category=category.strip())


def person_skill_set(
    *, actor, person: Person, skill: Skill, level: int, assessed_on: dt.date | None = None
) -> PersonSkill:
    """Record ``person``'s proficiency in ``skill`` (1–5), replacing an earlier one."""
    require_perm(actor, P.PEOPLE_MANAGE)
    row = PersonSkill.objects.filter(person=person, skill=skill).first() or PersonSkill(
        person=person, skill=skill
    )
    row.level = level
    row.assessed_on = assessed_on
    row.full_clean()
    row._history_user = actor
    row.save()
    return row


def person_skill_remove(*, actor, person: Person, skill: Skill) -> None:
    require_perm(actor, P.PEOPLE_MANAGE)
    PersonSkill.objects.filter(person=person, skill=skill).delete()


def _check_may_record_leave(actor, person: Person) -> None:
    # The person, their line manager, resource managers and the PMO; a project manager
    # sees the load but neither records nor reads the leave.
    if has_perm(actor, P.PEOPLE_MANAGE) or may_see_private(actor, person):
        return
    raise PermissionDenied(
        "Only the person, their line manager and resource managers record leave."
    )


def leave_add(
    *,
    actor,
    person: Person,
    start: dt.date,
    finish: dt.date,
    day_fraction: float = 1,
    kind: str = Leave.Kind.ANNUAL,
    reason: str = "",
) -> Leave:
    _check_may_record_leave(actor, person)
    leave = Leave(
        person=person,
        start=start,
        finish=finish,
        day_fraction=day_fraction,
        kind=kind,
        reason=reason.strip(),
    )
    leave.full_clean()
    leave._history_user = actor
    leave.save()
    return leave


def leave_remove(*, actor, leave: Leave) -> None:
    _check_may_record_leave(actor, leave.person)
    leave._history_user = actor
    leave.delete()


def is_own_record(actor, person: Person) -> bool:
    me = person_of(actor)
    return me is not None and me.pk == person.pk
