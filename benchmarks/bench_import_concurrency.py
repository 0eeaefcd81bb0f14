"""How long a 40,000-task plan import takes, and how long other users wait meanwhile.

One user uploads a plan of TASKS tasks (a seeded synthetic network, as a SteerCo JSON plan)
through the API; the file is checked in the request and written by a background worker (a
separate process, as ``steerco serve --with-worker`` runs it). Meanwhile other users'
threads keep reading and writing: the plan of another project (list its tasks, rename a
task), the importing project's plan (which stays the old one until the switch) and their
own pages. Every request's wait is recorded; any answer other than the expected one is a
failure.

Prints the import's duration, the upload request's time, and the longest wait of any
concurrent request. ``--json`` prints the figures as JSON (the test reads them).

    python benchmarks/bench_import_concurrency.py                 # SQLite, a scratch file
    DATABASE_URL=postgres://... python benchmarks/bench_import_concurrency.py  # PostgreSQL

On PostgreSQL, give a database that may be migrated and written to (a throwaway one).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _scratch_django import configure  # noqa: E402


def run(tasks: int, readers: int, baseline_seconds: float = 5.0) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from steerco.accounts.models import User
    from steerco.engine.scheduling.synthetic import fs_network, plan_json
    from steerco.plans.models import Task
    from steerco.plans.services import task_create
    from steerco.projects.services import project_create
    from steerco.resources.models import Person

    call_command("migrate", verbosity=0)
    connection.close()
    tag = uuid.uuid4().hex[:6].upper()
    admin = User.objects.create(username=f"bench-admin-{tag}", is_superuser=True, is_staff=True)
    manager = Person.objects.create(name=f"Bench Manager {tag}")
    importer = User.objects.create(username=f"bench-importer-{tag}", is_superuser=True)
    others = [
        User.objects.create(username=f"bench-user-{tag}-{n}", is_superuser=True)
        for n in range(readers)
    ]
    imported = project_create(actor=admin, code=f"I{tag}", name="Imported", manager=manager)
    other = project_create(actor=admin, code=f"O{tag}", name="Busy", manager=manager)
    for n in range(30):
        task_create(actor=admin, project=imported, name=f"Old task {n}")
    other_tasks = [task_create(actor=admin, project=other, name=f"Task {n}") for n in range(30)]
    plan = plan_json(fs_network(tasks)).encode()
    connection.close()

    stop = threading.Event()
    waits: list[tuple[float, str]] = []
    failures: list[str] = []
    lock = threading.Lock()

    def user_loop(user, number: int) -> None:
        client = Client()
        client.force_login(user)
        task = other_tasks[number % len(other_tasks)]
        version = Task.objects.get(pk=task.pk).version
        base = "/api/v1/projects"
        count = 0
        while not stop.is_set():
            count += 1
            requests = [
                ("read other plan", lambda: client.get(f"{base}/{other.pk}/tasks"), 200),
                (
                    "write other plan",
                    lambda version=version, count=count: client.patch(
                        f"{base}/{other.pk}/tasks/{task.pk}",
                        {"version": version, "name": f"Renamed {number} {count}"},
                        content_type="application/json",
                    ),
                    200,
                ),
                ("read importing plan", lambda: client.get(f"{base}/{imported.pk}/tasks"), 200),
                ("open projects page", lambda: client.get("/projects/"), 200),
            ]
            for what, request, expected in requests:
                started = time.monotonic()
                try:
                    response = request()
                except Exception as error:
                    with lock:
                        failures.append(f"{what}: {type(error).__name__}: {error}")
                    continue
                waited = time.monotonic() - started
                with lock:
                    waits.append((waited, what, started))
                    if response.status_code != expected:
                        failures.append(f"{what}: {response.status_code} {response.content[:200]}")
                if what == "write other plan" and response.status_code == 200:
                    version = response.json()["version"]
                time.sleep(0.02)
        from django.db import connection as thread_connection

        thread_connection.close()

    threads = [
        threading.Thread(target=user_loop, args=(user, n), daemon=True)
        for n, user in enumerate(others)
    ]
    for thread in threads:
        thread.start()
    # The users are busy for a while before the upload arrives: their waits then are what
    # this machine costs without an import, to compare with their waits during it.
    time.sleep(baseline_seconds)

    uploader = Client()
    uploader.force_login(importer)
    began = time.monotonic()
    upload = io.BytesIO(plan)
    upload.name = "large-plan.json"
    response = uploader.post(f"/api/v1/projects/{imported.pk}/plan/import", {"file": upload})
    uploaded = time.monotonic() - began
    if response.status_code != 202:
        stop.set()
        raise SystemExit(f"The upload answered {response.status_code}: {response.content[:500]}")
    status_url = response.json()["status_url"]
    connection.close()
    worker = subprocess.run(
        [sys.executable, "-m", "steerco", "worker", "--batch", "-v", "0"],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    imported_in = time.monotonic() - began
    time.sleep(0.5)
    stop.set()
    for thread in threads:
        thread.join(30)
    state = uploader.get(status_url).json()
    task_count = Task.objects.filter(project=imported).count()
    before = [wait for wait in waits if wait[2] < began]
    during = [wait for wait in waits if began <= wait[2]]
    longest, longest_what, _ = max(during) if during else (0.0, "", 0)
    longest_before = max(before)[0] if before else 0.0
    return {
        "database": connection.vendor,
        "tasks": tasks,
        "import_seconds": round(imported_in, 2),
        "upload_request_seconds": round(uploaded, 2),
        "state": state["state"],
        "state_message": state["message"],
        "tasks_after": task_count,
        "requests": len(during),
        "requests_before": len(before),
        "longest_wait_before_seconds": round(longest_before, 3),
        "longest_wait_seconds": round(longest, 3),
        "longest_wait_request": longest_what,
        "failures": failures[:20],
        "failure_count": len(failures),
        "worker_exit_code": worker.returncode,
        "worker_output": (worker.stdout + worker.stderr)[-2000:],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=40_000)
    parser.add_argument("--users", type=int, default=3, help="concurrent users (threads)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    arguments = parser.parse_args()
    configure("steerco-bench-import-")
    figures = run(arguments.tasks, arguments.users)
    if arguments.json:
        print(json.dumps(figures))
        return
    print(f"Database: {figures['database']}")
    print(
        f"Import of {figures['tasks']:,} tasks: {figures['import_seconds']} s "
        f"(the upload request: {figures['upload_request_seconds']} s), "
        f"ended {figures['state']} with {figures['tasks_after']:,} tasks"
    )
    print(
        f"Requests during the import: {figures['requests']:,}, longest wait "
        f"{figures['longest_wait_seconds']} s ({figures['longest_wait_request']}), "
        f"failures: {figures['failure_count']}"
    )
    print(
        f"Requests before it (this machine without an import): {figures['requests_before']:,},"
        f" longest wait {figures['longest_wait_before_seconds']} s"
    )
    for failure in figures["failures"]:
        print(f"  {failure}")


if __name__ == "__main__":
    main()
