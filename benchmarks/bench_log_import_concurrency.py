"""How long a 10,000-row risk log import takes, and how long other users wait meanwhile.

One user uploads a CSV of ROWS risks on the import page: most are new, UPDATES change
risks the project already has (their Ref and Version as an export gives them). The page
hands the file to a background worker (a separate process, as ``steerco serve
--with-worker`` runs it). Meanwhile other users' threads keep reading and saving risks:
another project's log and the importing project's log (risks the file does not touch),
through the API and the log page. Every request's wait is recorded; any answer other than
the expected one is a failure.

Prints the import's duration, the upload request's time, and the longest wait of any
concurrent request. ``--json`` prints the figures as JSON (the test reads them).

    python benchmarks/bench_log_import_concurrency.py                 # SQLite, a scratch file
    DATABASE_URL=postgres://... python benchmarks/bench_log_import_concurrency.py  # PostgreSQL

On PostgreSQL, give a database that may be migrated and written to (a throwaway one).
"""

from __future__ import annotations

import argparse
import csv
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

BUSY_RISKS = 30  # risks per project the other users keep saving


def risks_file(updated: list, creations: int) -> bytes:
    """A CSV that changes the title of each of ``updated`` and adds ``creations`` risks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Ref", "Version", "Title", "Probability", "Impact", "Category"])
    for risk in updated:
        writer.writerow([risk.ref, risk.version, f"{risk.title} (imported)", 3, 3, "technical"])
    for index in range(creations):
        writer.writerow(["", "", f"Imported risk {index + 1}", 1 + index % 5, 2, "schedule"])
    return buffer.getvalue().encode("utf-8")


def run(rows: int, updates: int, readers: int, baseline_seconds: float = 5.0) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from steerco.accounts.models import User
    from steerco.jobs.models import Job
    from steerco.logs import services
    from steerco.logs.models import LogCounter, LogImport, Risk
    from steerco.logs.tasks import log_import_report
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

    def risk(project, title: str):
        return services.item_create(
            actor=admin, project=project, kind="risks", title=title, probability=2, impact=2
        )

    to_update = [risk(imported, f"Risk to update {n}") for n in range(updates)]
    busy = {
        project.pk: [risk(project, f"Busy risk {n}") for n in range(BUSY_RISKS)]
        for project in (imported, other)
    }
    content = risks_file(to_update, rows - updates)
    connection.close()

    stop = threading.Event()
    waits: list[tuple[float, str, float]] = []
    failures: list[str] = []
    lock = threading.Lock()

    def user_loop(user, number: int) -> None:
        client = Client()
        client.force_login(user)
        mine = {pk: items[number % len(items)] for pk, items in busy.items()}
        versions = {pk: Risk.objects.get(pk=item.pk).version for pk, item in mine.items()}
        base = "/api/v1/projects"
        count = 0

        def save(project_id: int, count: int):
            return client.patch(
                f"{base}/{project_id}/risks/{mine[project_id].pk}",
                {"version": versions[project_id], "title": f"Saved by {number} ({count})"},
                content_type="application/json",
            )

        while not stop.is_set():
            count += 1
            requests = [
                ("read other log", lambda: client.get(f"{base}/{other.pk}/risks"), other.pk),
                ("save in other log", lambda count=count: save(other.pk, count), other.pk),
                ("read importing log", lambda: client.get(f"{base}/{imported.pk}/risks"), 0),
                (
                    "save in importing log",
                    lambda count=count: save(imported.pk, count),
                    imported.pk,
                ),
                (
                    "open importing log page",
                    lambda: client.get(f"/projects/{imported.pk}/logs/risks/"),
                    0,
                ),
            ]
            for what, request, saved_in in requests:
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
                    if response.status_code != 200:
                        failures.append(f"{what}: {response.status_code} {response.content[:200]}")
                if what.startswith("save") and response.status_code == 200:
                    versions[saved_in] = response.json()["version"]
                time.sleep(0.02)
        from django.db import connection as thread_connection

        thread_connection.close()

    probes: list[tuple[float, float]] = []

    def lock_probe() -> None:
        """How long a write waits for the database itself, without a request's work around
        it: an empty write transaction every 50 ms. On a loaded machine a request's wait
        is mostly the CPU it waits for; this is the part an import can cause."""
        from django.db import connection as probe_connection
        from django.db import transaction

        while not stop.is_set():
            started = time.monotonic()
            with transaction.atomic():
                LogCounter.objects.filter(pk=0).update(last_number=0)  # writes no row
            with lock:
                probes.append((time.monotonic() - started, started))
            time.sleep(0.05)
        probe_connection.close()

    threads = [
        threading.Thread(target=user_loop, args=(user, n), daemon=True)
        for n, user in enumerate(others)
    ]
    threads.append(threading.Thread(target=lock_probe, daemon=True))
    for thread in threads:
        thread.start()
    # The users are busy for a while before the upload arrives: their waits then are what
    # this machine costs without an import, to compare with their waits during it.
    time.sleep(baseline_seconds)

    uploader = Client()
    uploader.force_login(importer)
    began = time.monotonic()
    began_at = timezone.now()
    upload = io.BytesIO(content)
    upload.name = "risks.csv"
    response = uploader.post(f"/projects/{imported.pk}/logs/risks/import/", {"file": upload})
    uploaded = time.monotonic() - began
    if response.status_code != 302:
        stop.set()
        raise SystemExit(f"The upload answered {response.status_code}: {response.content[:500]}")
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
    job = Job.objects.filter(owner=importer).latest("pk")
    outcome = log_import_report(job) or {}
    result = outcome.get("result") or {}
    run_row = LogImport.objects.filter(project=imported).latest("pk")
    before = [wait for wait in waits if wait[2] < began]
    during = [wait for wait in waits if began <= wait[2]]
    longest, longest_what, longest_started = max(during) if during else (0.0, "", began)
    longest_before = max(before)[0] if before else 0.0
    probed = [(wait, started) for wait, started in probes if began <= started]
    probed_before = [wait for wait, started in probes if started < began]
    by_request: dict[str, float] = {}
    for waited, what, _started in during:
        by_request[what] = round(max(waited, by_request.get(what, 0.0)), 3)
    return {
        "database": connection.vendor,
        "rows": rows,
        "updates": updates,
        "import_seconds": round(imported_in, 2),
        "upload_request_seconds": round(uploaded, 2),
        "job_status": job.status,
        "job_error": job.error_message,
        "import_state": run_row.state,
        "rejected_rows": len((outcome.get("rejected") or {}).get("report", [])),
        "created": len(result.get("created", [])),
        "updated": len(result.get("updated", [])),
        "risks_after": Risk.objects.filter(project=imported).count(),
        "hidden_rows_left": Risk.all_rows.filter(staged_import__isnull=False).count(),
        "requests": len(during),
        "requests_before": len(before),
        "longest_wait_before_seconds": round(longest_before, 3),
        "longest_wait_seconds": round(longest, 3),
        "longest_wait_request": longest_what,
        "longest_wait_by_request": by_request,
        "longest_write_lock_wait_seconds": round(max(probed, default=(0.0, began))[0], 3),
        "longest_write_lock_wait_began_at_seconds": round(
            max(probed, default=(0.0, began))[1] - began, 2
        ),
        "write_lock_probes": len(probed),
        "longest_write_lock_wait_before_seconds": round(max(probed_before, default=0.0), 3),
        # When, counted from the upload: the longest wait began, the worker began writing
        # the rows, and the switch ended (to tell a batch's wait from the switch's).
        "longest_wait_began_at_seconds": round(longest_started - began, 2),
        "writing_began_at_seconds": round((run_row.created_at - began_at).total_seconds(), 2),
        "switched_at_seconds": round(
            ((run_row.finished_at or began_at) - began_at).total_seconds(), 2
        ),
        "failures": failures[:20],
        "failure_count": len(failures),
        "worker_exit_code": worker.returncode,
        "worker_output": (worker.stdout + worker.stderr)[-2000:],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--updates", type=int, default=500, help="rows that change a risk")
    parser.add_argument("--users", type=int, default=3, help="concurrent users (threads)")
    parser.add_argument(
        "--baseline", type=float, default=5.0, help="seconds the users run before the upload"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    arguments = parser.parse_args()
    configure("steerco-bench-log-import-")
    figures = run(arguments.rows, arguments.updates, arguments.users, arguments.baseline)
    if arguments.json:
        print(json.dumps(figures))
        return
    print(f"Database: {figures['database']}")
    print(
        f"Import of {figures['rows']:,} rows ({figures['updates']:,} updates): "
        f"{figures['import_seconds']} s (the upload request: "
        f"{figures['upload_request_seconds']} s), job {figures['job_status']}, import "
        f"{figures['import_state']}: {figures['created']:,} created, {figures['updated']:,} "
        f"updated"
    )
    print(
        f"Requests during the import: {figures['requests']:,}, longest wait "
        f"{figures['longest_wait_seconds']} s ({figures['longest_wait_request']}), "
        f"failures: {figures['failure_count']}"
    )
    for what, waited in sorted(figures["longest_wait_by_request"].items()):
        print(f"  longest {what}: {waited} s")
    print(
        f"  longest wait for the database's write lock alone: "
        f"{figures['longest_write_lock_wait_seconds']} s ({figures['write_lock_probes']} tries)"
    )
    print(
        f"Requests before it (this machine without an import): {figures['requests_before']:,},"
        f" longest wait {figures['longest_wait_before_seconds']} s, for the write lock alone "
        f"{figures['longest_write_lock_wait_before_seconds']} s"
    )
    for failure in figures["failures"]:
        print(f"  {failure}")


if __name__ == "__main__":
    main()
