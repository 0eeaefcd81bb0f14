"""Server time and queries of the resource heatmap with 1,000 people, 300 projects and 52
weeks, and of the capacity computation behind it.

A throwaway SQLite database (or ``DATABASE_URL``'s) gets 1,000 people in 10 roles with
skills, working patterns and leave, 300 projects, and 4,000 allocations over a year
(confirmed, tentative and soft, named and open requests). PLANNED_PROJECTS of the projects
also get a plan of TASKS_PER_PLAN tasks assigned to people, whose scheduled dates are
demand too: each such plan is scheduled once per request (ADR 19), so that figure is
printed apart. Pages are fetched with Django's test client as a resource manager; each
figure is the best of RUNS.

Run: ``.venv/bin/python benchmarks/bench_capacity_page.py [--json]``
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
import tempfile
import time

DATA_DIR = tempfile.mkdtemp(prefix="steerco-bench-")
os.environ.setdefault("STEERCO_DATA_DIR", DATA_DIR)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steerco.config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

PEOPLE = 1000
PROJECTS = 300
ALLOCATIONS = 4000
WEEKS = 52
PLANNED_PROJECTS = 20
TASKS_PER_PLAN = 30
RUNS = 3
FIRST = dt.date(2027, 1, 4)  # a Monday


def load() -> None:
    from django.contrib.auth import get_user_model

    from steerco.accounts.models import OrganisationRole
    from steerco.plans.models import ProjectPlan, Task, TaskAssignment
    from steerco.projects.models import Project
    from steerco.resources.models import Leave, Person, PersonSkill, Role, Skill
    from steerco.staffing.models import Allocation

    rng = random.Random(19)
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create(username="rita")
    OrganisationRole.objects.create(user=user, role=OrganisationRole.Role.RESOURCE_MANAGER)
    roles = Role.objects.bulk_create([Role(name=f"Role {k}") for k in range(10)])
    skills = Skill.objects.bulk_create([Skill(name=f"Skill {k}") for k in range(20)])
    people = Person.objects.bulk_create(
        [
            Person(
                name=f"Person {k:04d}",
                team=f"Team {k % 25}",
                primary_role=roles[k % 10],
                working_weekdays=[0, 1, 2, 3] if k % 7 == 0 else [0, 1, 2, 3, 4],
                part_time_percent=60 if k % 9 == 0 else 100,
                holiday_country="GB",
                holiday_subdivision="ENG" if k % 5 else "SCT",
            )
            for k in range(PEOPLE)
        ]
    )
    PersonSkill.objects.bulk_create(
        [
            PersonSkill(person=p, skill=s, level=rng.randint(1, 5))
            for p in people
            for s in rng.sample(skills, 3)
        ]
    )
    Leave.objects.bulk_create(
        [
            Leave(
                person=p,
                start=(start := FIRST + dt.timedelta(days=rng.randint(0, 350))),
                finish=start + dt.timedelta(days=rng.randint(0, 9)),
            )
            for p in people
            for _ in range(2)
        ]
    )
    projects = Project.objects.bulk_create(
        [Project(code=f"P{k:03d}", name=f"Project {k}", status="active") for k in range(PROJECTS)]
    )
    rows = []
    for k in range(ALLOCATIONS):
        start = FIRST + dt.timedelta(weeks=rng.randint(0, 40))
        status = rng.choice(["confirmed", "confirmed", "tentative", "soft"])
        rows.append(
            Allocation(
                project=projects[k % PROJECTS],
                person=None if k % 20 == 0 else people[rng.randrange(PEOPLE)],
                role=roles[k % 10],
                amount=rng.choice([4, 8, 12, 16, 24]),
                unit="hours_per_week",
                start=start,
                finish=start + dt.timedelta(weeks=rng.randint(2, 16), days=4),
                status=status,
                probability=1 if status == "confirmed" else 0.5,
                state="approved" if k % 10 else "requested",
            )
        )
    Allocation.objects.bulk_create(rows)
    for project in projects[:PLANNED_PROJECTS]:
        ProjectPlan.objects.create(project=project, start=dt.datetime(2027, 1, 4, 8, 0))
        tasks = Task.objects.bulk_create(
            [
                Task(
                    project=project,
                    uid=n + 1,
                    position=n + 1,
                    name=f"Task {n}",
                    duration_minutes=480 * rng.randint(2, 15),
                )
                for n in range(TASKS_PER_PLAN)
            ]
        )
        TaskAssignment.objects.bulk_create(
            [
                TaskAssignment(
                    task=task,
                    resource_name=(person := people[rng.randrange(PEOPLE)]).name,
                    person=person,
                    work_minutes=task.duration_minutes,
                )
                for task in tasks
            ]
        )


def best_get(client: Client, url: str) -> tuple[float, int, int]:
    """Best server time of RUNS GETs (seconds), the queries and the size of the last."""
    times = []
    for _run in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return min(times), len(queries), len(response.content)


def main() -> None:
    from django.contrib.auth import get_user_model

    from steerco.engine.capacity import GroupBy, load_table
    from steerco.staffing.selectors import capacity_inputs, capacity_model

    setup_test_environment()
    load()
    last = FIRST + dt.timedelta(weeks=WEEKS) - dt.timedelta(days=1)
    figures: dict = {"database": connection.vendor, "people": PEOPLE, "projects": PROJECTS}

    inputs = capacity_inputs(first=FIRST, last=last + dt.timedelta(days=7), include_plans=False)
    started = time.perf_counter()
    for _ in range(RUNS):
        model, _ = capacity_model(first=FIRST, last=last, interval="week", inputs=inputs)
        load_table(model, GroupBy.PERSON)
        load_table(model, GroupBy.ROLE)
    figures["engine_ms"] = (time.perf_counter() - started) / RUNS * 1000
    print(
        f"engine: {PEOPLE} people, {len(inputs.allocations)} allocations, {WEEKS} weeks, "
        f"by person and by role: {figures['engine_ms']:.0f} ms"
    )

    started = time.perf_counter()
    capacity_inputs(first=FIRST, last=last, include_plans=False)
    figures["inputs_ms"] = (time.perf_counter() - started) * 1000
    print(f"loading the engine's inputs from the database: {figures['inputs_ms']:.0f} ms")

    client = Client()
    client.force_login(get_user_model().objects.get(username="rita"))
    query = f"?start={FIRST}&finish={last}&interval=week"
    url = reverse("staffing:heatmap") + query
    client.get(url)
    for label, suffix in (
        ("heatmap by person, page 1 (100 rows × 52 weeks)", ""),
        ("heatmap by person, page 10", "&page=10"),
        ("heatmap by role", "&group_by=role"),
        ("heatmap by month", "&interval=month"),
    ):
        seconds, queries, size = best_get(client, url + suffix)
        key = label.split(",")[0].replace(" ", "_") + suffix.replace("&", "_").replace("=", "_")
        figures[key] = {"ms": round(seconds * 1000), "queries": queries}
        print(f"{label:52} {seconds * 1000:7.0f} ms  {queries:3d} queries  {size // 1024} KiB")
    person_id = inputs.people[0].id
    cell = (
        reverse("staffing:cell")
        + f"?group_by=person&interval=week&key={person_id}&period={FIRST}&start={FIRST}"
        f"&finish={last}"
    )
    seconds, queries, _size = best_get(client, cell)
    figures["cell_ms"] = round(seconds * 1000)
    label = "a cell clicked (one person, one week)"
    print(f"{label:52} {seconds * 1000:7.0f} ms  {queries:3d} queries")
    print(
        f"(plan work: {PLANNED_PROJECTS} of the projects have plans of {TASKS_PER_PLAN} tasks; "
        "each is scheduled once per page: about 5 queries per planned project)"
    )
    if "--json" in sys.argv:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
