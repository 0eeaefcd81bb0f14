"""Server time, size and SQL queries of the plan page (grid + Gantt chart), and with
``--browser`` the browser's time until the page is usable, for the demo's CRM plan (157
tasks) and generated plans of 200, 2,000 and 5,000 tasks, people assigned to their subtasks.

A throwaway SQLite database in a temporary directory, with the demo organisation loaded
(its CRM plan is a real-looking plan of 157 tasks in three outline levels). The generated
projects have phases of twenty tasks (a summary and nineteen subtasks) with about 1.5 links
per task: finish-to-start chains, restarted every ten phases so that streams of work run
side by side as in a real programme, plus start-to-start links with a lag; made with
bulk_create. The page is fetched as mary, who may edit every one of these plans (every edit
control is drawn), with Django's test client; the figure is the best of five GETs, and the
query count must be the same at every generated size.

With ``--browser``, the same pages are served by a live server in this process and opened
in Chromium (``/usr/bin/chromium`` or STEERCO_CHROMIUM) through Playwright, three times
each: the figures are the response's first byte, DOMContentLoaded, the load event, and
"usable": the load event followed by two animation frames, the first moment the page
answers input (its scripts have run and the first layout and paint are done).

Goal: 2,000 tasks in under 1 s of server time; 5,000 tasks usable in the browser.
Run: ``.venv/bin/python benchmarks/bench_plan_page.py [--browser] [--sizes 200,2000,5000]``
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import sys
import tempfile
import threading
import time

# Settings read the data directory when imported, so it must be set before Django loads.
DATA_DIR = tempfile.mkdtemp(prefix="steerco-bench-")
os.environ["STEERCO_DATA_DIR"] = DATA_DIR
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steerco.config.settings")
# Playwright's sync API runs an event loop in this thread; the ORM calls between its steps
# are deliberate (see tests/e2e/conftest.py).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

PHASE = 20
PHASES_PER_STREAM = 10
DAY = 480
RUNS = 5
BROWSER_RUNS = 3
PAGE_TIMEOUT_MS = 300_000  # a large plan on a loaded machine takes a while


def demo_people():
    """The demo's administrator and mary (project support on CRM), with mary's person."""
    from steerco.accounts.models import User

    call_command("demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    admin = User.objects.get(username="admin")
    mary = User.objects.get(username="mary")
    return admin, mary, mary.person


def make_project(admin, support, code: str, size: int):
    """A project with ``size`` tasks, about 1.5 links per task and one or two people
    assigned to each subtask (the Resources column); returns (project, links)."""
    from steerco.plans.models import ProjectPlan, Task, TaskAssignment, TaskLink
    from steerco.projects.models import Membership
    from steerco.projects.services import project_create
    from steerco.resources.models import Person

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
    per_stream = PHASES_PER_STREAM * (PHASE - 1)
    links = []
    for number, task in enumerate(leaves):
        within = number % per_stream
        if within >= 1:
            links.append(TaskLink(project=project, predecessor=leaves[number - 1], successor=task))
        if within >= 5 and within % 2 == 0:
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
    people = list(Person.objects.filter(active=True).order_by("name")[:12])
    assignments = []
    for number, task in enumerate(leaves):
        assignments.append(
            TaskAssignment(
                task=task,
                resource_name=people[number % len(people)].name,
                person=people[number % len(people)],
                work_minutes=task.duration_minutes,
            )
        )
        if number % 3 == 0:
            helper = people[(number + 1) % len(people)]
            assignments.append(
                TaskAssignment(
                    task=task,
                    resource_name=helper.name,
                    person=helper,
                    units=0.5,
                    work_minutes=task.duration_minutes // 2,
                )
            )
    TaskAssignment.objects.bulk_create(assignments, batch_size=500)
    return project, len(links)


def measure(client: Client, url: str) -> tuple[float, float, int, int, int]:
    """Best wall and CPU time of RUNS GETs (seconds), the query count, and the page's size
    as sent and gzipped (what a compressing proxy would send).

    CPU time is reported beside wall time because a shared machine's load inflates the
    wall clock; the process's own CPU time is what the page costs the server.
    """
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
    body = response.content
    return best_wall, best_cpu, len(captured), len(body), len(gzip.compress(body))


class LiveServer:
    """This process's Django, with its static files, on a free local port in a thread."""

    def __enter__(self):
        from django.contrib.staticfiles.handlers import StaticFilesHandler
        from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
        from django.core.wsgi import get_wsgi_application

        class QuietHandler(WSGIRequestHandler):
            def log_message(self, *args):
                pass

        self.server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=True)
        self.server.set_app(StaticFilesHandler(get_wsgi_application()))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


USABLE = """() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(() => {
  const nav = performance.getEntriesByType("navigation")[0];
  resolve({
    ttfb: nav.responseStart,
    dcl: nav.domContentLoadedEventEnd,
    load: nav.loadEventEnd,
    usable: performance.now(),
  });
})))"""


def browser_figures(client: Client, pages: list[tuple[str, str]]) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    from steerco.testing import find_chromium

    executable = find_chromium()
    if executable is None:
        raise SystemExit("--browser needs Chromium (apt-get install chromium).")
    session = client.cookies[django.conf.settings.SESSION_COOKIE_NAME].value
    with LiveServer() as live, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        context.add_cookies(
            [
                {
                    "name": django.conf.settings.SESSION_COOKIE_NAME,
                    "value": session,
                    "url": live.url,
                }
            ]
        )
        page = context.new_page()
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        print(f"\nbrowser (median of {BROWSER_RUNS} loads, ms from navigation start):")
        for label, url in pages:
            runs = []
            try:
                page.goto(live.url + url)  # warm the server and the static files
                for _ in range(BROWSER_RUNS):
                    page.goto(live.url + url, wait_until="load")
                    runs.append(page.evaluate(USABLE))
            except PlaywrightTimeout:
                print(f"{label:>30}: not loaded within {PAGE_TIMEOUT_MS // 1000} s")
                page.close()
                page = context.new_page()
                page.set_default_timeout(PAGE_TIMEOUT_MS)
                continue
            median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
            print(
                f"{label:>30}: first byte {median['ttfb']:7.0f}, DOMContentLoaded "
                f"{median['dcl']:7.0f}, load {median['load']:7.0f}, usable {median['usable']:7.0f}"
            )
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--browser", action="store_true", help="also time the page in Chromium")
    parser.add_argument("--sizes", default="200,2000,5000", help="generated plan sizes")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size]

    setup_test_environment()
    call_command("migrate", verbosity=0, interactive=False)
    admin, mary, person = demo_people()
    client = Client()
    client.force_login(mary)
    from steerco.projects.models import Project

    pages = []
    crm = Project.objects.get(code="CRM")
    pages.append((f"CRM demo, {crm.tasks.count()} tasks", crm))
    link_counts = {}
    for size in sizes:
        project, links = make_project(admin, person, f"B{size}", size)
        link_counts[project.pk] = links
        pages.append((f"{size} tasks", project))
    queries_at = {}
    urls = []
    for label, project in pages:
        url = reverse("plans:plan", kwargs={"project_id": project.pk})
        urls.append((label, url))
        wall, cpu, queries, raw, packed = measure(client, url)
        if project.pk in link_counts:
            queries_at[label] = queries
        links = link_counts.get(project.pk)
        print(
            f"{label + (f', {links} links' if links else ''):>30}: best of {RUNS} "
            f"{wall * 1000:7.1f} ms wall, {cpu * 1000:7.1f} ms CPU, {queries} SQL queries, "
            f"{raw / 1024:6.0f} KiB of HTML ({packed / 1024:.0f} KiB gzipped)"
        )
    same = len(set(queries_at.values())) <= 1
    print("query count constant:", "yes" if same else "NO")
    print("load average:", ", ".join(f"{value:.1f}" for value in os.getloadavg()))
    if args.browser:
        browser_figures(client, urls)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
