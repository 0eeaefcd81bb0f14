"""Server time of the project list, the portfolio page and a project's overview with 50
projects, each with a real plan, and what scheduling every plan on each request would cost.

A throwaway SQLite database in a temporary directory is loaded with the demo organisation
(10 projects, 8 of them planned), then 40 more projects get plans of 100–160 tasks built
the way the demo builds them, imported through the plan import. Pages are fetched with
Django's test client as Bob (PMO), who sees every project; each figure is the best of
five GETs. "Cold" is the first list after every stored outlook is deleted (each project
on the page is scheduled once and stored); "live" schedules all 50 plans as a list would
if it did not store outlooks.

Run: ``.venv/bin/python benchmarks/bench_project_list.py``
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import time

# Settings read the data directory when imported, so it must be set before Django loads.
DATA_DIR = tempfile.mkdtemp(prefix="steerco-bench-")
os.environ["STEERCO_DATA_DIR"] = DATA_DIR
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steerco.config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

EXTRA_PROJECTS = 40
RUNS = 5


def load() -> None:
    from django.contrib.auth import get_user_model

    from steerco.demo.organisation import load_demo_organisation
    from steerco.demo.plans import PLANS, build_plan_json, fit_to_finish
    from steerco.plans.transfer import plan_import
    from steerco.projects.models import Portfolio
    from steerco.projects.services import project_create

    call_command("migrate", verbosity=0)
    load_demo_organisation()
    bob = get_user_model().objects.get(username="bob")
    portfolio = Portfolio.objects.get(code="DIGITAL")
    codes = list(PLANS)
    for index in range(EXTRA_PROJECTS):
        start = dt.date(2026, 3, 2) + dt.timedelta(weeks=index % 12)
        finish = start + dt.timedelta(days=330)
        project = project_create(
            actor=bob,
            code=f"BENCH{index:02d}",
            name=f"Benchmark project {index}",
            status="active",
            portfolio=portfolio,
            planned_start=start,
            planned_finish=finish,
        )
        document, _leaves = build_plan_json(codes[index % len(codes)], start, project.name)
        document = fit_to_finish(document, finish)
        plan_import(
            actor=bob,
            project=project,
            data=json.dumps(document).encode(),
            filename="bench.json",
        )


def best_get(client: Client, url: str) -> tuple[float, int]:
    """Best server time of RUNS GETs (seconds) and the queries of the last one."""
    times = []
    for _run in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return min(times), len(queries)


def main() -> None:
    from django.contrib.auth import get_user_model

    from steerco.plans.models import PlanOutlook
    from steerco.plans.selectors import project_outlook
    from steerco.projects.models import Portfolio, Project

    setup_test_environment()
    load()
    client = Client()
    client.force_login(get_user_model().objects.get(username="bob"))
    projects = list(Project.objects.all())
    print(f"{len(projects)} projects; PAGE_SIZE 25 on the project list")

    list_url = reverse("projects:list")
    client.get(list_url)
    client.get(list_url + "?page=2")
    seconds, queries = best_get(client, list_url)
    print(f"project list, page 1, stored outlooks:  {seconds * 1000:7.1f} ms  {queries} queries")
    seconds, queries = best_get(client, list_url + "?page=2")
    print(f"project list, page 2, stored outlooks:  {seconds * 1000:7.1f} ms  {queries} queries")

    PlanOutlook.objects.all().delete()
    started = time.perf_counter()
    client.get(list_url)
    cold = time.perf_counter() - started
    print(
        f"project list, page 1, none stored:      {cold * 1000:7.1f} ms  (computes and stores 25)"
    )

    portfolio = Portfolio.objects.get(code="DIGITAL")
    client.get(reverse("portfolios:detail", args=[portfolio.pk]))
    seconds, queries = best_get(client, reverse("portfolios:detail", args=[portfolio.pk]))
    count = portfolio.projects.count()
    print(f"portfolio page ({count} projects):        {seconds * 1000:7.1f} ms  {queries} queries")

    crm = Project.objects.get(code="CRM")
    seconds, queries = best_get(client, reverse("projects:detail", args=[crm.pk]))
    print(f"CRM overview (schedules its plan live): {seconds * 1000:7.1f} ms  {queries} queries")

    started = time.perf_counter()
    for project in projects:
        project_outlook(project=project)
    live = time.perf_counter() - started
    print(
        f"scheduling all {len(projects)} plans live:        {live * 1000:7.1f} ms "
        f"({live / len(projects) * 1000:.0f} ms a project): what each list request would cost"
    )


if __name__ == "__main__":
    main()
