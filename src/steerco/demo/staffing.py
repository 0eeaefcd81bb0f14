"""Demo staffing: roles, skills, working patterns, leave and allocations at Kestrel Mutual.

About sixty people: the demo's logins and named people get a role, skills and a working
pattern, and a bench of delivery staff (employees, contractors and supplier staff) joins
them. Allocations spread them over the demo projects from this week on, so the heatmap
always has a present to show: developers are over-booked (CRM and the data platform both
want more than the developers can give), the proposed projects carry soft demand with a
win probability, and priya has asked for a tester and a data engineer nobody has been
named for yet (open requests for rita, the resource manager).

Everything goes through the services, by the person who would do it: rita records people,
skills and leave and approves; priya requests on her projects. Loading twice adds nothing:
people are found by e-mail, and leave and allocations are loaded only into a directory
that has none.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from steerco.projects.models import Project
from steerco.resources import services as directory
from steerco.resources.models import Leave, Person
from steerco.staffing import services as staffing
from steerco.staffing.models import Allocation

EMAIL_DOMAIN = "kestrel-mutual.example"

ROLES = (
    "Project manager",
    "Business analyst",
    "Developer",
    "Tester",
    "Data engineer",
    "Solution architect",
    "UX designer",
    "Infrastructure engineer",
    "Compliance analyst",
    "Facilities coordinator",
)

SKILLS = {
    "Developer": ("Python", "Java", "SQL", "Agile delivery"),
    "Tester": ("Test automation", "SQL", "Agile delivery"),
    "Data engineer": ("Python", "SQL", "Data modelling", "Azure"),
    "Business analyst": ("Process mapping", "Stakeholder management", "SQL"),
    "Solution architect": ("Azure", "Java", "Data modelling", "Stakeholder management"),
    "UX designer": ("User research", "Prototyping"),
    "Infrastructure engineer": ("Networking", "Azure"),
    "Compliance analyst": ("Regulatory reporting", "Process mapping"),
    "Project manager": ("Stakeholder management", "Agile delivery", "Risk management"),
    "Facilities coordinator": ("Stakeholder management",),
}

# Existing demo people (key) and their primary role.
NAMED = {
    "priya": "Project manager",
    "james": "Project manager",
    "aisha": "Project manager",
    "hannah": "Project manager",
    "mary": "Project manager",
    "tom": "Developer",
    "ravi": "Data engineer",
    "sophie": "UX designer",
    "george": "Infrastructure engineer",
    "nina": "Tester",
    "grace": "Compliance analyst",
    "omar": "Facilities coordinator",
    "lukas": "Solution architect",
    "chloe": "Business analyst",
}

# The bench: (name, team, role, employment type, weekly pattern).
FIRST = [
    "Adam",
    "Ellis",
    "Beth",
    "Morgan",
    "Carl",
    "Nyberg",
    "Dina",
    "Shah",
    "Ethan",
    "Cole",
    "Farah",
    "Aziz",
    "Gavin",
    "Shaw",
    "Holly",
    "West",
    "Ian",
    "Boyd",
    "Jade",
    "Moore",
    "Kyle",
    "Ward",
    "Lena",
    "Fischer",
    "Milo",
    "Grant",
    "Nora",
    "Quinn",
    "Owen",
    "Hart",
    "Pia",
    "Lund",
    "Quentin",
    "Roy",
    "Rosa",
    "Diaz",
    "Sam",
    "Okoye",
    "Tara",
    "Bell",
    "Umar",
    "Farooq",
    "Vera",
    "Novak",
    "Will",
    "Foster",
    "Xena",
    "Brooks",
    "Yusuf",
    "Ali",
    "Zoe",
    "Hughes",
    "Aaron",
    "Pike",
    "Bianca",
    "Rossi",
    "Cormac",
    "Byrne",
    "Daria",
    "Ivanova",
    "Emil",
    "Sorensen",
    "Freya",
    "Hall",
    "Gita",
    "Rao",
    "Hugo",
    "Marsh",
    "Isla",
    "Reid",
    "Jonas",
    "Berg",
    "Keira",
    "Long",
]
BENCH_ROLES = (
    "Developer",
    "Developer",
    "Tester",
    "Data engineer",
    "Business analyst",
    "Developer",
    "Tester",
    "Solution architect",
    "Infrastructure engineer",
    "Compliance analyst",
    "UX designer",
)
TEAM_OF_ROLE = {
    "Developer": "Digital",
    "Tester": "Quality",
    "Data engineer": "Data",
    "Business analyst": "Delivery",
    "Solution architect": "Digital",
    "Infrastructure engineer": "IT infrastructure",
    "Compliance analyst": "Risk & compliance",
    "UX designer": "Digital",
    "Project manager": "Delivery",
    "Facilities coordinator": "Estates & facilities",
}


def _bench() -> list[tuple[str, str]]:
    """(name, role) of the bench people, in a fixed order."""
    names = [f"{FIRST[i]} {FIRST[i + 1]}" for i in range(0, len(FIRST) - 1, 2)]
    return [(name, BENCH_ROLES[k % len(BENCH_ROLES)]) for k, name in enumerate(names)]


BENCH = _bench()


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def load_demo_staffing(
    *,
    actor_of: Callable,
    people: dict[str, Person],
    count: Callable[[str], None],
    today: dt.date | None = None,
) -> None:
    """Load the demo's roles, skills, people, leave and allocations (see the module)."""
    rita, priya = actor_of("rita"), actor_of("priya")
    rng = random.Random(10)  # noqa: S311 — demo data, not security
    roles = {name: directory.role_ensure(actor=rita, name=name) for name in ROLES}
    skills = {
        name: directory.skill_ensure(actor=rita, name=name)
        for names in SKILLS.values()
        for name in names
    }
    start = _monday(today or dt.date.today())

    staff: list[tuple[Person, str]] = [
        (people[key], role) for key, role in NAMED.items() if key in people
    ]
    for name, role in BENCH:
        email = f"{name.lower().replace(' ', '.')}@{EMAIL_DOMAIN}"
        person = Person.objects.filter(email=email).first()
        if person is None:
            person = directory.person_create(
                actor=rita, name=name, email=email, team=TEAM_OF_ROLE[role], job_title=role
            )
            count("people")
        staff.append((person, role))

    for k, (person, role) in enumerate(staff):
        if person.primary_role_id is not None:
            continue  # loaded before
        changes = {
            "primary_role": roles[role],
            "holiday_country": "GB",
            "holiday_subdivision": "ENG",
        }
        if k % 9 == 4:
            changes.update(part_time_percent=60, working_weekdays=[0, 1, 2])
        elif k % 7 == 3:
            changes.update(weekly_hours=32, working_weekdays=[0, 1, 2, 3])
        if k % 11 == 5:
            changes.update(holiday_subdivision="SCT")
        if person.email.endswith(EMAIL_DOMAIN) and k >= len(NAMED) and k % 5 == 2:
            changes.update(
                employment_type=Person.EmploymentType.CONTRACTOR,
                employment_start=start - dt.timedelta(weeks=20),
                employment_end=start + dt.timedelta(weeks=30),
                availability_percent=90,
            )
        if k >= len(NAMED):
            changes["line_manager"] = people.get("rita")
        directory.person_update(
            actor=rita, person=person, expected_version=person.version, **changes
        )
        for skill in SKILLS[role]:
            directory.person_skill_set(
                actor=rita,
                person=person,
                skill=skills[skill],
                level=rng.randint(2, 5),
                assessed_on=start - dt.timedelta(days=rng.randint(10, 400)),
            )
        count("skills and working patterns")

    if not Leave.objects.exists():
        for k, (person, _role) in enumerate(staff):
            if k % 3:
                continue
            first = start + dt.timedelta(weeks=rng.randint(1, 10), days=rng.randint(0, 2))
            directory.leave_add(
                actor=rita,
                person=person,
                start=first,
                finish=first + dt.timedelta(days=rng.choice((0, 2, 4))),
                kind=rng.choice((Leave.Kind.ANNUAL, Leave.Kind.ANNUAL, Leave.Kind.TRAINING)),
                reason=rng.choice(("Family holiday", "Course: cloud architecture", "Wedding")),
            )
            count("leave")
        directory.leave_add(
            actor=rita,
            person=staff[0][0],
            start=start + dt.timedelta(days=2),
            finish=start + dt.timedelta(days=2),
            day_fraction=0.5,
            kind=Leave.Kind.SICK,
            reason="Medical appointment",
        )
        count("leave")

    if Allocation.all_objects.exists():
        return
    _allocate(staff, roles, start, rita, priya, count, rng)


def _allocate(staff, roles, start, rita, priya, count, rng) -> None:
    projects = {p.code: p for p in Project.objects.all()}
    horizon = (start - dt.timedelta(weeks=4), start + dt.timedelta(weeks=30))

    def window(code: str, weeks_from: int, weeks: int):
        project = projects.get(code)
        if project is None:
            return None
        first = max(start + dt.timedelta(weeks=weeks_from), horizon[0])
        last = first + dt.timedelta(weeks=weeks) - dt.timedelta(days=3)  # to a Friday
        return project, first, last

    by_role: dict[str, list[Person]] = {}
    for person, role in staff:
        by_role.setdefault(role, []).append(person)

    # Confirmed work on the active projects, as rita approves it.
    plan = {
        "CRM": ("Developer", "Tester", "Business analyst", "Solution architect", "UX designer"),
        "DATAPLAT": ("Data engineer", "Developer", "Business analyst"),
        "NETREFRESH": ("Infrastructure engineer",),
        "RETENTION": ("Compliance analyst", "Business analyst"),
        "PAYROLL": ("Developer", "Tester"),
    }
    for code, wanted in plan.items():
        for role in wanted:
            for n, person in enumerate(by_role.get(role, [])):
                if person.employment_end is not None:
                    continue
                # Developers are wanted by three projects at once: 20 h a week each on
                # the first developers tips them over their 32 h.
                hours = 20 if role == "Developer" else rng.choice((8, 12, 16, 24))
                if role != "Developer" and n % 2:
                    continue
                spec = window(code, rng.randint(-2, 3), rng.randint(10, 26))
                if spec is None:
                    continue
                project, first, last = spec
                _create(
                    rita,
                    project=project,
                    person=person,
                    amount=hours,
                    first=first,
                    last=last,
                    count=count,
                )
    # Soft demand for the proposals: a win probability weights it.
    for code, probability in (("PORTAL", 0.6), ("CLIMATE", 0.4)):
        spec = window(code, 6, 20)
        if spec is None:
            continue
        project, first, last = spec
        for role in ("Developer", "UX designer", "Business analyst"):
            _create(
                rita,
                project=project,
                role=roles[role],
                amount=30,
                first=first,
                last=last,
                status=Allocation.Status.SOFT,
                probability=probability,
                count=count,
            )
    # priya's open requests: nobody named yet.
    for code, role, hours in (
        ("CRM", "Tester", 24),
        ("DATAPLAT", "Data engineer", 30),
        ("CRM", "Developer", 32),
    ):
        spec = window(code, 1, 12)
        if spec is not None:
            project, first, last = spec
            _create(
                priya,
                project=project,
                role=roles[role],
                amount=hours,
                first=first,
                last=last,
                count=count,
                note="Needed for the next release.",
            )


def _create(
    actor, *, project, first, last, amount, count, person=None, role=None, **values
) -> None:
    staffing.allocation_create(
        actor=actor,
        project=project,
        person=person,
        role=role,
        amount=amount,
        unit=Allocation.Unit.HOURS_PER_WEEK,
        start=first,
        finish=last,
        **values,
    )
    count("allocations")
