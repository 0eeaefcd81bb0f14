"""Server time and SQL queries of the plan page (grid + Gantt chart) for 200 and 2,000 tasks.

A throwaway SQLite database in a temporary directory; a project whose plan has phases of
twenty tasks (a summary and nineteen subtasks) with about 1.5 links per task (finish-to-start
chains plus start-to-start links with a lag), made with bulk_create. The page is fetched with
Django's test client as the project's support officer (who sees every edit control); the
figure is the best of five GETs, and the query count must be the same at both sizes.

Goal: 2,000 tasks in under 1 s, with a query count that does not grow with the plan.
Run: ``.venv/bin/python benchmarks/bench_plan_page.py``
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

# Settings read the data directory when imported, so it must be set before Django loads.
DATA_DIR = tempfile.mkdtemp(prefix="steerco-bench-")
os.environ["STEERCO_DATA_DIR"] = DATA_DIR
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steerco.config.settings")

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

PHASE = 20
DAY = 480
RUNS = 5


def make_people():
    from steerco.accounts.models import OrganisationRole, User
    from steerco.resources.models import Person

    admin = User.objects.create(username="admin", is_superuser=True, is_staff=True)
    OrganisationRole.objects.create(user=admin, role=OrganisationRole.Role.ADMINISTRATOR)
    mary = User.objects.create(username="mary")
    Person.objects.create(name="Admin", email="admin@example.org", user=admin)
    person = Person.objects.create(name="Mary Moss", email="mary@example.org", user=mary)
    return admin, mary, person


def make_project(admin, support, code: str, size: int):
    """A project with ``size`` tasks and about 1.5 links per task; returns (project, links)."""
    from steerco.plans.models import ProjectPlan, Task, TaskLink
    from steerco.projects.models import Membership
    from steerco.projects.services import project_create

    project = project_create(actor=admin, code=code, name=f"Benchmark {size}", status="active")
    Membership.objects.create(project=project, person=support, role=Membership.Role.PROJECT_SUPPORT)
    ProjectPlan.objects.create(project=project, start=dt.datetime(2026, 1, 5, 8, 0))
    rows = []
    for index in range(size):
        summary = index % PHASE == 0
        phase, offset = divmod(index, PHASE)
        rows.append(
            Task(
                project=project,
                uid=index + 1,
                position=index + 1,
                outline_level=1 if summary else 2,
                wbs=f"{phase + 1}" if summary else f"{phase + 1}.{offset}",
                name=f"{'Phase' if summary else 'Task'} {index + 1}",
                duration_minutes=(1 + index % 5) * DAY,
                percent_complete=50 if index < size // 10 else 0,
            )
        )
    Task.objects.bulk_create(rows, batch_size=500)
    tasks = list(Task.objects.filter(project=project).order_by("position"))
    parent = None
    leaves = []
    for task in tasks:
        if task.outline_level == 1:
            parent = task
        else:
            task.parent = parent
            leaves.append(task)
    Task.objects.bulk_update(leaves, ["parent"], batch_size=500)
    links = []
    for number, task in enumerate(leaves):
        if number >= 1:
            links.append(TaskLink(project=project, predecessor=leaves[number - 1], successor=task))
        if number >= 5 and number % 2 == 0:
            links.append(
                TaskLink(
                    project=project,
                    predecessor=leaves[number - 5],
                    successor=task,
                    type=TaskLink.Type.SS,
                    lag_minutes=DAY,
                )
            )
    TaskLink.objects.bulk_create(links, batch_size=500)
    return project, len(links)


def measure(client: Client, project) -> tuple[float, float, int, int]:
    """Best wall and CPU time of RUNS GETs (seconds), the query count, and the page's size.

    CPU time is reported beside wall time because a shared machine's load inflates the
    wall clock; the process's own CPU time is what the page costs the server.
    """
    url = reverse("plans:plan", kwargs={"project_id": project.pk})
    client.get(url)  # warm up: template loading, sessions, content types
    best_wall = best_cpu = float("inf")
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
        if response.status_code != 200:
            raise SystemExit(f"The plan page answered {response.status_code}.")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return best_wall, best_cpu, len(captured), len(response.content)


def main() -> int:
    setup_test_environment()
    call_command("migrate", verbosity=0, interactive=False)
    admin, mary, person = make_people()
    client = Client()
    client.force_login(mary)
    results = {}
    for size in (200, 2000):
        project, links = make_project(admin, person, f"B{size}", size)
        wall, cpu, queries, size_bytes = measure(client, project)
        results[size] = queries
        print(
            f"{size:>5} tasks, {links:>5} links: best of {RUNS} {wall * 1000:7.1f} ms wall, "
            f"{cpu * 1000:7.1f} ms CPU, {queries} SQL queries, {size_bytes / 1024:.0f} KiB of HTML"
        )
    same = results[200] == results[2000]
    print("query count constant:", "yes" if same else "NO")
    print("load average:", ", ".join(f"{value:.1f}" for value in os.getloadavg()))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
