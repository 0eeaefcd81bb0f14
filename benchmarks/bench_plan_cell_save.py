"""Bytes and server time of one grid cell save on the plan page (issue 9, ADR 18): a
duration edit answered with the changed rows alone, against the whole grid and chart a
save used to send back, on the demo's CRM plan (157 tasks) and a generated 5,000-task plan.

The plans are those of ``bench_plan_page.py`` (a throwaway SQLite database with the demo
loaded, and its generated plans: phases of twenty tasks, about 1.5 links a task). For each
plan three leaf tasks are edited: one in the middle of the plan, the plan's first leaf,
and the first unstarted critical one (whose edit moves every task after it). Each save
posts what the grid's row form sends, as htmx does, with the page's token as the browser
sends it, alternating the duration between two values so that every save changes the
schedule; the figures are the best and the median of RUNS saves, with the rows the answer
replaced. Then a bad duration ("three days"), refused, and the page's own size (what a
save used to send back).

With ``--browser``, each plan is also opened in Chromium (``bench_plan_page.py``'s live
server) and a duration typed in the middle of the plan: the figures are the time from
Enter until the row shows its new value (the round trip and the swaps), the rows htmx
replaced, and the time for the grid to scroll to the bottom and the chart to follow.

Goal: under 50 KB and under 150 ms of server time on the CRM plan.
Run: ``.venv/bin/python benchmarks/bench_plan_cell_save.py [--sizes 5000] [--browser]``
"""

from __future__ import annotations

import argparse
import html
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# Sets up Django on a throwaway database (see its docstring), so imported first.
import bench_plan_page as plan_bench
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse

RUNS = 7
HTMX = {"HTTP_HX_REQUEST": "true"}
_INPUT = re.compile(r'<input [^>]*?name="([^"]+)" value="([^"]*)"')


def row_fields(page: str, pk: int) -> dict[str, str]:
    """What the row's form would post: its inputs as the page drew them."""
    form = re.search(rf'<form id="f{pk}".*?</form>', page, re.S).group(0)
    return {name: html.unescape(value) for name, value in _INPUT.findall(form)}


def save(client: Client, project, pk: int, page_url: str, duration: str):
    page = client.get(page_url).content.decode()
    fields = row_fields(page, pk)
    fields["duration"] = duration
    # The page's token, which htmx sends back with every request from the page.
    token = re.search(r'"X-Plan-Page": "(\w+)"', page).group(1)
    url = reverse("plans:task_save", kwargs={"project_id": project.pk, "task_id": pk})
    started, cpu_started = time.perf_counter(), time.process_time()
    response = client.post(
        url,
        fields,
        HTTP_HX_CURRENT_URL="http://testserver" + page_url,
        HTTP_X_PLAN_PAGE=token,
        **HTMX,
    )
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    body = response.content.decode()
    rows = len(re.findall(r"<form id=\"f\d+\"", body))
    whole = 'id="plan-body"' in body
    return elapsed, len(response.content), rows, whole, cpu


def measure_edits(client: Client, project, pk: int, label: str) -> None:
    page_url = reverse("plans:plan", kwargs={"project_id": project.pk})
    times, sizes, rows, wholes, cpus = [], [], [], 0, []
    for run in range(RUNS):
        elapsed, size, changed, whole, cpu = save(
            client, project, pk, page_url, "2d" if run % 2 == 0 else "1d"
        )
        times.append(elapsed)
        cpus.append(cpu)
        sizes.append(size)
        rows.append(changed)
        wholes += whole
    print(
        f"  {label:<34} best {min(times) * 1000:6.1f} ms, median "
        f"{statistics.median(times) * 1000:6.1f} ms (CPU best {min(cpus) * 1000:6.1f} ms, median "
        f"{statistics.median(cpus) * 1000:6.1f} ms); {max(sizes) / 1024:6.1f} KiB at most; "
        f"{min(rows)}–{max(rows)} rows sent"
        + (f"; {wholes} of {RUNS} redrew the whole plan" if wholes else "")
    )


def measure_refusal(client: Client, project, pk: int) -> None:
    page_url = reverse("plans:plan", kwargs={"project_id": project.pk})
    times, sizes = [], []
    for _ in range(RUNS):
        elapsed, size, _rows, _whole, _cpu = save(client, project, pk, page_url, "three days")
        times.append(elapsed)
        sizes.append(size)
    print(
        f"  {'bad duration (refused)':<34} best {min(times) * 1000:6.1f} ms, median "
        f"{statistics.median(times) * 1000:6.1f} ms; {max(sizes) / 1024:6.1f} KiB"
    )


def first_critical_leaf(project) -> int:
    """An unstarted leaf on the critical path: its edit moves every task after it."""
    from steerco.plans.selectors import plan_view

    view = plan_view(project=project)
    return next(
        item.task.pk
        for item in view.rows
        if not item.summary
        and item.result is not None
        and item.result.critical
        and item.task.percent_complete == 0
        and item.task.duration_minutes > 0
    )


SCROLL_TO_BOTTOM = """() => new Promise(resolve => {
  const grid = document.getElementById("plan-grid-pane");
  const chart = document.getElementById("plan-chart");
  const started = performance.now();
  grid.scrollTop = grid.scrollHeight;
  function look() {
    if (Math.abs(chart.scrollTop - grid.scrollTop) < 1) {
      requestAnimationFrame(() => resolve(performance.now() - started));
    } else requestAnimationFrame(look);
  }
  look();
})"""

MARK_ROWS = """() => document.querySelectorAll("#plan-grid .grid-body .grid-row")
  .forEach(row => { row.benchKept = true; })"""

REPLACED = """() => [...document.querySelectorAll("#plan-grid .grid-body .grid-row")]
  .filter(row => !row.benchKept).length"""


def browser_figures(client: Client, plans) -> None:
    import django.conf
    from playwright.sync_api import sync_playwright

    from steerco.testing import find_chromium

    executable = find_chromium()
    if executable is None:
        raise SystemExit("--browser needs Chromium (apt-get install chromium).")
    session = client.cookies[django.conf.settings.SESSION_COOKIE_NAME].value
    with plan_bench.LiveServer() as live, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        context.add_cookies(
            [{"name": django.conf.settings.SESSION_COOKIE_NAME, "value": session, "url": live.url}]
        )
        page = context.new_page()
        page.set_default_timeout(plan_bench.PAGE_TIMEOUT_MS)
        print("\nbrowser (Chromium, 1440 x 900):")
        for label, project in plans:
            from steerco.plans.models import Task

            page.goto(live.url + reverse("plans:plan", kwargs={"project_id": project.pk}))
            page.wait_for_selector("#plan-page[data-ready]")
            scrolled = page.evaluate(SCROLL_TO_BOTTOM)
            leaves = leaves_of(project)
            position = Task.objects.get(pk=leaves[len(leaves) // 2]).position
            # A CSS locator: get_by_label walks every input's label, minutes on 50,000.
            cell = page.locator(f'input[aria-label="Duration, row {position}"]')
            cell.scroll_into_view_if_needed()
            old = cell.input_value()
            new = "2d" if old != "2 d" else "3d"
            page.evaluate(MARK_ROWS)
            cell.fill(new)
            started = time.perf_counter()
            cell.press("Enter")
            page.wait_for_function(
                """([position, shown]) => {
                  const cell = document.querySelector(
                    `input[aria-label="Duration, row ${position}"]`);
                  return cell && cell.value === shown && !cell.closest(".grid-row").benchKept;
                }""",
                arg=[position, new.replace("d", " d")],
            )
            elapsed = time.perf_counter() - started
            print(
                f"  {label:<22} save to row shown {elapsed * 1000:7.0f} ms, "
                f"{page.evaluate(REPLACED)} rows replaced; scroll to the last row "
                f"{scrolled:5.0f} ms"
            )
        browser.close()


def leaves_of(project) -> list[int]:
    from steerco.plans.models import Task

    parents = set(
        Task.objects.filter(project=project, parent__isnull=False).values_list(
            "parent_id", flat=True
        )
    )
    return [
        pk
        for pk, milestone in Task.objects.filter(project=project)
        .order_by("position")
        .values_list("pk", "milestone")
        if pk not in parents and not milestone
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5000", help="generated plan sizes")
    parser.add_argument("--browser", action="store_true", help="also save in Chromium")
    args = parser.parse_args()
    setup_test_environment()
    call_command("migrate", verbosity=0, interactive=False)
    admin, mary, person = plan_bench.demo_people()
    client = Client()
    client.force_login(mary)
    from steerco.projects.models import Project

    plans = [
        (
            f"CRM demo, {Project.objects.get(code='CRM').tasks.count()} tasks",
            Project.objects.get(code="CRM"),
        )
    ]
    for size in [int(size) for size in args.sizes.split(",") if size]:
        project, _links = plan_bench.make_project(admin, person, f"B{size}", size)
        plans.append((f"{size} tasks", project))
    for label, project in plans:
        page_url = reverse("plans:plan", kwargs={"project_id": project.pk})
        whole = client.get(page_url, **HTMX)
        print(
            f"{label}: the grid and chart a save used to send: {len(whole.content) / 1024:.0f} KiB"
        )
        leaves = leaves_of(project)
        measure_edits(
            client, project, leaves[len(leaves) // 2], "duration edit, middle of the plan"
        )
        measure_edits(client, project, leaves[0], "duration edit, first task")
        measure_edits(client, project, first_critical_leaf(project), "duration edit, critical task")
        measure_refusal(client, project, leaves[len(leaves) // 2])
    if args.browser:
        browser_figures(client, plans)
    return 0


if __name__ == "__main__":
    sys.exit(main())
