"""``steerco serve``: the production-style web server (gunicorn), optionally with a worker.

This command supervises its children rather than running gunicorn in-process: gunicorn's
master reaps every child of its process, so a job worker started beside it would be
collected behind our back. Here each child runs in its own session, so Ctrl+C in a
terminal reaches only this process, which then asks each child exactly once to stop
(SIGTERM: gunicorn finishes its requests, the worker finishes its current job). A second
signal to the worker would abort the job it is running.

A worker that dies is started again (after a pause that grows while it keeps dying) and
the web server goes on serving meanwhile: jobs wait in the queue, pages do not. Only the
web server's own death ends the command.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

WSGI_APPLICATION = "steerco.config.wsgi:application"
# gunicorn's own graceful timeout is 30 s; the worker may be in the middle of a job.
STOP_GRACE_SECONDS = 35
# A dead worker is started again after this pause, doubled each time it dies again soon
# after starting (a database that is down), up to the longest pause.
WORKER_RESTART_SECONDS = 1.0
WORKER_RESTART_MAX_SECONDS = 60.0
# A worker that ran this long before dying starts again after the first pause.
WORKER_STABLE_SECONDS = 60.0


def _die_with_parent() -> None:  # pragma: no cover — runs in the child before exec
    """Have Linux stop the child if this supervisor is killed outright (SIGKILL)."""
    try:
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def _gunicorn_has_control_socket() -> bool:
    import gunicorn.config

    return hasattr(gunicorn.config, "ControlSocketDisable")


class Command(BaseCommand):
    help = (
        "Serve SteerCo with gunicorn (production-style). With --with-worker, also run a "
        "background-job worker, stopped together with the server."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--host",
            default=os.environ.get("HOST") or "127.0.0.1",
            help="Address to listen on (default: $HOST or 127.0.0.1).",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT") or 8000),
            help="Port to listen on (default: $PORT or 8000).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY") or 2),
            help="Web worker processes (default: $WEB_CONCURRENCY or 2).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=4,
            help="Threads per web worker, so progress polling does not queue behind pages.",
        )
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="Also run a background-job worker (what `make run` does).",
        )
        parser.add_argument(
            "--access-log", action="store_true", help="Log every request to standard output."
        )

    def handle(self, *args, **options):
        host, port = options["host"], options["port"]
        if not 0 < port < 65536:
            raise CommandError(f"The port must be between 1 and 65535, not {port}.")
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        # Connections opened by the system checks must not be shared with forked children.
        connections.close_all()

        server_command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            "--graceful-timeout",
            "30",
        ]
        if _gunicorn_has_control_socket():
            # This command is the supervisor; a control socket in ~/.gunicorn would only
            # make two SteerCo servers on one machine fight over the same path.
            server_command.append("--no-control-socket")
        if options["access_log"]:
            server_command += ["--access-logfile", "-"]
        server_command.append(WSGI_APPLICATION)

        self.children: dict[str, subprocess.Popen] = {}
        self.stop_signal: int | None = None
        self.stopping = False
        previous = {
            sig: signal.signal(sig, self.request_stop)
            for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
        }
        try:
            url_host = f"[{host}]" if ":" in host else host
            self.stdout.write(f"SteerCo is running at http://{url_host}:{port}/")
            if options["with_worker"]:
                self.stdout.write("A background-job worker runs beside it. Press Ctrl+C to stop.")
            else:
                self.stdout.write("Press Ctrl+C to stop.")
            self.stdout.flush()
            self.commands: dict[str, list[str]] = {}
            self.started_at: dict[str, float] = {}
            self.start("web server", server_command)
            if options["with_worker"]:
                self.start("worker", [sys.executable, "-m", "steerco", "worker"])
            failed = self.supervise()
        finally:
            self.stop_children()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if failed:
            name, code = failed
            hint = f" Is port {port} already in use?" if name == "web server" else ""
            raise CommandError(
                f"The {name} stopped unexpectedly (exit code {code}); its messages above say "
                f"why.{hint}"
            )
        self.stdout.write("SteerCo has stopped.")

    def request_stop(self, signum, frame) -> None:
        if self.stop_signal is not None and self.stopping:
            # Asked again while waiting for the children: stop waiting.
            for child in self.children.values():
                if child.poll() is None:
                    child.kill()
        self.stop_signal = signum

    def start(self, name: str, command: list[str]) -> None:
        self.commands[name] = command
        self.started_at[name] = time.monotonic()
        self.children[name] = subprocess.Popen(  # noqa: S603 — our own interpreter and args
            command,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )

    def supervise(self) -> tuple[str, int] | None:
        """Wait for a stop signal or for the web server to die (returned); start a worker
        that died again, after a pause, while the web server goes on serving."""
        pause = WORKER_RESTART_SECONDS
        restart_at: float | None = None
        while self.stop_signal is None:
            server = self.children["web server"]
            code = server.poll()
            if code is not None:
                return "web server", code
            worker = self.children.get("worker")
            if worker is not None and restart_at is None:
                code = worker.poll()
                if code is not None:
                    ran = time.monotonic() - self.started_at["worker"]
                    pause = WORKER_RESTART_SECONDS if ran >= WORKER_STABLE_SECONDS else pause
                    self.stderr.write(
                        f"The worker stopped unexpectedly (exit code {code}); starting it "
                        f"again in {pause:g} s. Its messages above say why."
                    )
                    self.stderr.flush()
                    restart_at = time.monotonic() + pause
            if restart_at is not None and time.monotonic() >= restart_at:
                self.start("worker", self.commands["worker"])
                self.stdout.write("The worker has been started again.")
                self.stdout.flush()
                restart_at = None
                pause = min(WORKER_RESTART_MAX_SECONDS, pause * 2)
            time.sleep(0.2)
        return None

    def stop_children(self) -> None:
        self.stopping = True
        alive = [child for child in self.children.values() if child.poll() is None]
        for child in alive:
            child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in alive:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
