"""A 100,000-task Microsoft Project XML file: ``steerco schedule`` on it, and importing it.

The file is made by ``steerco.engine.scheduling.synthetic.mspdi`` from the seeded FS network
the other benchmarks use (about 1.5 links per task, lengths of 1 to 10 working days, gaps of
0 to 3 days), with a summary task over each 1,000-task project and one over every ten tasks,
on a calendar of Monday-Friday 08:00-12:00, 13:00-17:00 with public holidays: 110,100 tasks
and about 150,000 links in some 42 MB.

Prints:

* ``steerco schedule FILE --format json``, process to process (start, read, schedule, the
  JSON written to a file): each run's wall time, and the best;
* importing the file into a new project, on SQLite (a scratch database file) and on
  PostgreSQL (a throwaway cluster, as the test suites make one, when the server's programs
  are installed): the request's part (read, check, keep the file, queue the job), the
  worker's (``steerco worker --batch`` in its own process, as production runs it: read again,
  write the rows a batch per transaction with their history, switch), and the two together.

Goals (issue 9): the schedule under 3 s; the import under 30 s on either database. The figures
are the machine's at that moment: the load average is printed beside them.

With ``--phases``, the CPU seconds of each step of the command, timed in this process.

Run: ``.venv/bin/python benchmarks/bench_mspdi.py [--tasks 100000] [--runs 3] [--no-import]
[--phases]``
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from steerco.engine.collector import collector_paused  # noqa: E402
from steerco.engine.interop.mspdi import parse_xml, read_mspdi  # noqa: E402
from steerco.engine.interop.schedule_json import write_schedule_json  # noqa: E402
from steerco.engine.scheduling import schedule_plan, synthetic  # noqa: E402

#: The imports read the 42 MB file: the default upload limit (20 MB) is raised for them.
UPLOAD_LIMIT = str(60 * 1024 * 1024)


def environment(**extra: str) -> dict[str, str]:
    """This checkout's code for the subprocesses, whatever is installed in the venv."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return {**env, "PYTHONPATH": str(ROOT / "src"), **extra}


def load() -> str:
    return Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"


def time_schedule(plan_file: Path, runs: int, workdir: Path) -> None:
    output = workdir / "schedule.json"
    command = [sys.executable, "-m", "steerco", "schedule", str(plan_file), "--format", "json"]
    seconds, cpu = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), children_cpu()
        with output.open("wb") as out:
            done = subprocess.run(  # noqa: S603 - our own program and file
                command, stdout=out, stderr=subprocess.PIPE, env=environment(), check=False
            )
        seconds.append(time.perf_counter() - started)
        cpu.append(children_cpu() - used)
        if done.returncode != 0:
            raise SystemExit(f"steerco schedule failed: {done.stderr.decode()[-2000:]}")
    tasks = len(json.loads(output.read_text())["tasks"])
    runs_text = ", ".join(f"{s:.2f}" for s in seconds)
    print(
        f"steerco schedule --format json: best {min(seconds):.2f} s, {min(cpu):.2f} s of CPU "
        f"(runs: {runs_text} s; {tasks:,} tasks, {output.stat().st_size / 1e6:.0f} MB of "
        f"JSON; load {load()})"
    )


def schedule_phases(plan_file: Path) -> None:
    """In this process, the CPU seconds of each step of ``steerco schedule``: where the time
    goes, less disturbed by other work on the machine than the wall clock."""
    data = plan_file.read_bytes()
    with collector_paused():  # as the command runs
        moments = [time.process_time()]
        parse_xml(data)
        moments.append(time.process_time())
        plan = read_mspdi(data).plan
        moments.append(time.process_time())
        schedule = schedule_plan(plan)
        moments.append(time.process_time())
        write_schedule_json(plan, schedule, io.StringIO())
        moments.append(time.process_time())
    parse, read, scheduling, writing = (b - a for a, b in pairwise(moments))
    print(
        f"  in one process, CPU: parsing the XML {parse:.2f} s (dropping the tree included), "
        f"reading the file {read:.2f} s (parsing again included), scheduling "
        f"{scheduling:.2f} s, writing the JSON {writing:.2f} s; load {load()}"
    )


def children_cpu() -> float:
    """CPU seconds of this process's finished children: on a shared machine the wall clock
    also counts other people's work."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_import(plan_file: Path, label: str, env: dict[str, str]) -> None:
    """Run this script's ``--import-into-new-project`` in its own process for ``env``'s
    database (Django is set up once per process), and print what it measured."""
    done = subprocess.run(  # noqa: S603 - this script
        [sys.executable, __file__, "--import-into-new-project", str(plan_file)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(
            f"The import on {label} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}"
        )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"import on {label}: {figures['total']:.1f} s (the request {figures['request']:.1f} s, "
        f"the worker {figures['worker']:.1f} s; CPU of both {figures['cpu']:.1f} s, not "
        f"counting the database server's; {figures['tasks']:,} tasks, {figures['links']:,} "
        f"links, {figures['history']:,} history rows; load {load()})"
    )


def import_into_new_project(plan_file: Path) -> dict:
    """In this process: a new project, the file submitted as the import page and the API
    submit it, then a worker process runs the job. Prints the figures as JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steerco.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from steerco.accounts.models import User
    from steerco.plans.models import PlanImport, Task, TaskLink
    from steerco.plans.transfer import plan_import_submit
    from steerco.projects.services import project_create
    from steerco.resources.models import Person

    call_command("migrate", verbosity=0)
    importer = User.objects.create(username="bench-importer", is_superuser=True)
    manager = Person.objects.create(name="Bench Manager")
    project = project_create(actor=importer, code="BIG", name="Big plan", manager=manager)
    data = plan_file.read_bytes()
    started, used = time.perf_counter(), time.process_time() + children_cpu()
    run = plan_import_submit(actor=importer, project=project, data=data, filename=plan_file.name)
    request = time.perf_counter() - started
    if not isinstance(run, PlanImport):
        raise SystemExit("The file was imported in the request, not as a job.")
    connection.close()
    worker = subprocess.run(
        [sys.executable, "-m", "steerco", "worker", "--batch", "-v", "0"],
        env=os.environ,
        capture_output=True,
        text=True,
        check=False,
    )
    total = time.perf_counter() - started
    cpu = time.process_time() + children_cpu() - used
    run.refresh_from_db()
    if worker.returncode != 0 or run.state != PlanImport.State.SWITCHED:
        raise SystemExit(f"The import ended {run.state}: {run.message}\n{worker.stderr[-3000:]}")
    return {
        "request": request,
        "worker": total - request,
        "total": total,
        "cpu": cpu,
        "tasks": Task.objects.filter(project=project).count(),
        "links": TaskLink.objects.filter(project=project).count(),
        "history": Task.history.filter(project_id=project.pk).count()
        + TaskLink.history.filter(project_id=project.pk).count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000, help="tasks in the network")
    parser.add_argument("--runs", type=int, default=3, help="runs of steerco schedule")
    parser.add_argument("--no-import", action="store_true", help="time steerco schedule only")
    parser.add_argument(
        "--phases", action="store_true", help="also time each step of steerco schedule"
    )
    parser.add_argument("--import-into-new-project", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.import_into_new_project:
        print(json.dumps(import_into_new_project(arguments.import_into_new_project)))
        return
    with tempfile.TemporaryDirectory(prefix="steerco-bench-mspdi-") as scratch:
        workdir = Path(scratch)
        plan_file = workdir / f"plan-{arguments.tasks}.xml"
        plan_file.write_bytes(synthetic.mspdi(synthetic.fs_network(arguments.tasks)))
        print(f"File: {plan_file.stat().st_size / 1e6:.1f} MB, {arguments.tasks:,} tasks")
        time_schedule(plan_file, arguments.runs, workdir)
        if arguments.phases:
            schedule_phases(plan_file)
        if arguments.no_import:
            return
        for name in ("sqlite", "postgres"):
            (workdir / name).mkdir()
        sqlite_env = environment(
            STEERCO_DATA_DIR=str(workdir / "sqlite"),
            STEERCO_PLAN_UPLOAD_MAX_BYTES=UPLOAD_LIMIT,
        )
        time_import(plan_file, "SQLite", sqlite_env)
        from pg_cluster import ClusterUnavailable, PostgresCluster

        try:
            cluster = PostgresCluster()
        except ClusterUnavailable as problem:
            print(f"import on PostgreSQL: skipped ({problem})")
            return
        with cluster:
            postgres_env = environment(
                STEERCO_DATA_DIR=str(workdir / "postgres"),
                STEERCO_PLAN_UPLOAD_MAX_BYTES=UPLOAD_LIMIT,
                DATABASE_URL=cluster.url,
            )
            time_import(plan_file, "PostgreSQL", postgres_env)


if __name__ == "__main__":
    main()
