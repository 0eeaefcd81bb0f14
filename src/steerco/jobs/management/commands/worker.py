"""``steerco worker``: run background jobs (django-tasks-db's ``db_worker`` with our defaults).

A database error (``OperationalError``: the database restarting, a lock held past the busy
timeout, the disk full) stops ``db_worker``'s loop. The worker does not die of it: it logs
the error, waits, and runs the loop again, waiting longer while the errors go on.

As it starts, a worker (a ``--batch`` run too) looks for jobs that a stopped worker left
"running" and queues them again or marks them failed (``jobs_recover_abandoned``); a
long-running worker then goes on looking every minute, as a periodic job.
"""

from __future__ import annotations

import logging
import signal
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import OperationalError, connections

from steerco.core.background import periodic_jobs
from steerco.jobs.periodic import PeriodicScheduler
from steerco.jobs.services import jobs_recover_abandoned

logger = logging.getLogger("steerco.jobs.worker")

# The first pause after a database error, doubled at each error that follows soon after,
# up to the longest; a loop that ran RETRY_STABLE_SECONDS without error starts again low.
RETRY_SECONDS = 1.0
RETRY_MAX_SECONDS = 60.0
RETRY_STABLE_SECONDS = 60.0


class Command(BaseCommand):
    help = (
        "Run background jobs (exports, reports, imports) until stopped with Ctrl+C, and start "
        "the periodic jobs the apps declare (such as the daily digest) when they are due."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run the jobs waiting now, then exit (for tests and cron).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait between looks at an empty queue (default: 1).",
        )
        parser.add_argument(
            "--queue",
            default="*",
            help="Queues to take jobs from, comma-separated; '*' for all (default).",
        )
        parser.add_argument(
            "--max-tasks",
            type=int,
            default=None,
            help="Exit after running this many jobs (lets a supervisor recycle the process).",
        )

    def handle(self, *args, batch: bool, interval: float, queue: str, max_tasks, **options):
        arguments = [
            "--queue-name",
            queue,
            "--interval",
            str(interval),
            # Reloading forks a second process that a supervisor (or `steerco serve
            # --with-worker`) would not know about, so it is never on here.
            "--no-reload",
            "--no-startup-delay",
        ]
        if batch:
            arguments.append("--batch")
        if max_tasks:
            arguments += ["--max-tasks", str(max_tasks)]
        if options["verbosity"] >= 1 and not batch:
            self.stdout.write("SteerCo worker started; waiting for background jobs (Ctrl+C stops).")
        # db_worker installs its own SIGINT/SIGTERM handlers for a graceful stop; give an
        # in-process caller (a test, `steerco shell`) its own handlers back afterwards.
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        self.recover_abandoned_jobs(options["verbosity"])
        # Only a long-running worker keeps the schedules; a --batch run is a one-off.
        schedulers = [] if batch else self.start_periodic_jobs(options["verbosity"])
        try:
            self.run_until_stopped(arguments, options["verbosity"])
        finally:
            for scheduler in schedulers:
                scheduler.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def recover_abandoned_jobs(self, verbosity: int) -> None:
        """Queue again or fail the jobs a stopped worker left running, before taking any.

        A failure here (a wrong setting, the database away) is reported and the worker
        starts all the same: the periodic check tries again.
        """
        try:
            recovered = jobs_recover_abandoned()
        except ValueError as error:
            self.stderr.write(str(error))
            return
        except Exception:
            logger.exception("Could not look for jobs a stopped worker left running.")
            return
        if verbosity >= 1:
            for job in recovered:
                outcome = "queued again" if job.status == job.Status.QUEUED else "marked failed"
                self.stdout.write(f"Job {job.pk} ({job.title}) lost its worker; {outcome}.")

    def run_until_stopped(self, arguments: list[str], verbosity: int) -> None:
        """Run ``db_worker``, again after each database error, pausing longer each time."""
        pause = RETRY_SECONDS
        while True:
            started = time.monotonic()
            try:
                call_command("db_worker", *arguments, verbosity=verbosity)
                return
            except OperationalError as error:
                if time.monotonic() - started >= RETRY_STABLE_SECONDS:
                    pause = RETRY_SECONDS
                logger.warning(
                    "The worker met a database error (%s); it tries again in %g s.", error, pause
                )
                # A broken connection is not reused; the next query opens a new one.
                for connection in connections.all(initialized_only=True):
                    if connection.connection is not None and not connection.is_usable():
                        connection.close()
                time.sleep(pause)
                pause = min(RETRY_MAX_SECONDS, pause * 2)

    def start_periodic_jobs(self, verbosity: int) -> list[PeriodicScheduler]:
        """Start a scheduler for each periodic job the apps declare that is switched on.

        A job whose setting is wrong is left off with a warning; the worker still runs.
        """
        schedulers = []
        for job in periodic_jobs():
            try:
                when = job.when()
            except ValueError as error:
                self.stderr.write(f"{error} {job.title} is off.")
                continue
            if when is None:
                continue
            scheduler = PeriodicScheduler(tick=job.tick, interval=job.every, name=job.name)
            scheduler.start()
            schedulers.append(scheduler)
            if verbosity >= 1:
                self.stdout.write(when)
        return schedulers
