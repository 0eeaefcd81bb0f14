"""A small staffing setup on the shared organisation: roles, skills and working patterns."""

from __future__ import annotations

from datetime import date

import pytest


@pytest.fixture
def staff(org):
    """tom: a developer, full time, Mon–Fri 40 h at 80 % (32 h a week, 6.4 h a day), no
    holidays; rita's report. dev: the Developer role. python: a skill tom has at 4."""
    from steerco.resources.models import PersonSkill, Role, Skill

    developer = Role.objects.create(name="Developer")
    tester = Role.objects.create(name="Tester")
    python = Skill.objects.create(name="Python")
    tom = org.people["tom"]
    tom.primary_role = developer
    tom.line_manager = org.people["rita"]
    tom.employment_start = date(2026, 1, 1)
    tom.employment_end = date(2027, 6, 30)
    tom.save()
    PersonSkill.objects.create(person=tom, skill=python, level=4)
    return type(
        "Staff", (), {"developer": developer, "tester": tester, "python": python, "tom": tom}
    )
