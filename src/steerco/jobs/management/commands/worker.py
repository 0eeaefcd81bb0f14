"""``steerco worker``: run background jobs (django-tasks-db's ``db_worker`` with our defaults)."""

from __future__ import annotations

import signal

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from steerco.logs.digest_schedule import DigestScheduler


class Command(BaseCommand):
    help = (
        "Run background jobs (exports, reports, imports) until stopped with Ctrl+C, and send "
        "the daily digest at STEERCO_DIGEST_TIME."
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
        # Only a long-running worker keeps the daily schedule; a --batch run is a one-off.
        scheduler = None if batch else DigestScheduler.start_if_enabled(warn=self.stderr.write)
        if scheduler is not None and options["verbosity"] >= 1:
            self.stdout.write(
                f"The daily digest goes out at {scheduler.send_at:%H:%M} ({settings.TIME_ZONE})."
            )
        try:
            call_command("db_worker", *arguments, verbosity=options["verbosity"])
        finally:
            if scheduler is not None:
                scheduler.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
