"""``steerco serve``: the production-style web server (gunicorn), optionally with a worker.

This command supervises its children rather than running gunicorn in-process: gunicorn's
master reaps every child of its process, so a job worker started beside it would be
collected behind our back. Here each child runs in its own session, so Ctrl+C in a
terminal reaches only this process, which then asks each child exactly once to stop
(SIGTERM: gunicorn finishes its requests, the worker finishes its current job). A second
signal to the worker would abort the job it is running.
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
        self.children[name] = subprocess.Popen(  # noqa: S603 — our own interpreter and args
            command,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )

    def supervise(self) -> tuple[str, int] | None:
        """Wait for a stop signal or for a child to die; return the child that died."""
        while self.stop_signal is None:
            for name, child in self.children.items():
                code = child.poll()
                if code is not None:
                    return name, code
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
