"""Who may see private details and capacity, and the people records' own rules."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from steerco.accounts.rules import may_see_private, may_view_capacity
from steerco.core.exceptions import DomainError
from steerco.resources import services
from steerco.resources.models import Person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("tom", True),  # himself
        ("rita", True),  # resource manager (and his line manager here)
        ("bob", True),  # PMO
        ("admin", True),
        ("priya", False),  # his project manager: load, not reasons
        ("erin", False),  # executive
        ("olga", False),
    ],
)
def test_private_details_of_tom(org, staff, username, sees):
    assert may_see_private(org.users[username], staff.tom) is sees


def test_line_manager_sees_private_details(org, staff):
    staff.tom.line_manager = org.people["olga"]
    staff.tom.save()
    assert may_see_private(org.users["olga"], staff.tom)


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("rita", True),
        ("bob", True),
        ("erin", True),
        ("priya", True),  # manages projects
        ("mary", True),  # project support
        ("tom", False),  # team member only
        ("olga", False),
    ],
)
def test_who_sees_capacity(org, username, sees):
    assert may_view_capacity(org.users[username]) is sees


def test_leave_is_recorded_by_the_person_or_resource_managers_not_the_project_manager(org, staff):
    leave = services.leave_add(
        actor=org.users["tom"], person=staff.tom, start=date(2026, 5, 4), finish=date(2026, 5, 8)
    )
    assert leave.pk
    with pytest.raises(PermissionDenied):
        services.leave_add(
            actor=org.users["priya"],
            person=staff.tom,
            start=date(2026, 6, 1),
            finish=date(2026, 6, 1),
        )


def test_leave_cannot_end_before_it_starts(org, staff):
    with pytest.raises(ValidationError) as refused:
        services.leave_add(
            actor=org.users["rita"],
            person=staff.tom,
            start=date(2026, 5, 8),
            finish=date(2026, 5, 4),
        )
    assert "finish" in refused.value.message_dict


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"working_weekdays": [0, 0, 1]}, "working_weekdays"),
        ({"working_weekdays": [7]}, "working_weekdays"),
        ({"working_weekdays": []}, "working_weekdays"),
        ({"holiday_country": "XX"}, "holiday_country"),
        ({"holiday_country": "GB", "holiday_subdivision": "NOPE"}, "holiday_country"),
        (
            {"employment_start": date(2026, 5, 1), "employment_end": date(2026, 4, 1)},
            "employment_end",
        ),
        ({"part_time_percent": 0}, "part_time_percent"),
        ({"availability_percent": 101}, "availability_percent"),
    ],
)
def test_bad_working_patterns_are_refused(org, staff, changes, field):
    with pytest.raises(ValidationError) as refused:
        services.person_update(
            actor=org.users["rita"], person=staff.tom, expected_version=staff.tom.version, **changes
        )
    assert field in refused.value.message_dict


def test_line_management_cannot_loop(org, staff):
    rita = org.people["rita"]  # tom's line manager
    with pytest.raises(DomainError):
        services.person_update(
            actor=org.users["rita"],
            person=rita,
            expected_version=rita.version,
            line_manager=staff.tom,
        )


def test_skill_level_is_replaced_not_duplicated(org, staff):
    services.person_skill_set(
        actor=org.users["rita"], person=staff.tom, skill=staff.python, level=2
    )
    assert list(staff.tom.skills.values_list("level", flat=True)) == [2]
    with pytest.raises(ValidationError):
        services.person_skill_set(
            actor=org.users["rita"], person=staff.tom, skill=staff.python, level=6
        )


def test_default_availability_is_eighty_percent(db):
    assert Person(name="New").availability_percent == 80
