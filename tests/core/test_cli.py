"""The `steerco` command's own subcommands: token, worker and serve.

Commands that change the database run in-process against the test database; `serve` and
the exit-code checks run the real console script in a subprocess against a scratch data
directory, as an operator would.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from steerco.accounts.models import ApiToken
from steerco.accounts.services import token_authenticate, token_create
from steerco.jobs.models import Job
from steerco.jobs.services import job_start

STEERCO = [sys.executable, "-m", "steerco"]


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- steerco token -----------------------------------------------------------------------


def test_token_create_prints_a_token_that_authenticates(org):
    out, err = run("token", "create", "priya", "--name", "Reporting script")

    raw = out.strip()
    assert raw.startswith(ApiToken.PREFIX)
    assert "\n" not in raw, "stdout holds the token alone, for TOKEN=$(steerco token create)"
    assert token_authenticate(raw) == org.priya
    assert ApiToken.objects.get(user=org.priya).name == "Reporting script"
    assert "cannot be shown again" in err


def test_token_create_without_a_name_gets_a_dated_one(org):
    run("token", "create", "bob")

    assert ApiToken.objects.get(user=org.bob).name.startswith("Command line, ")


def test_token_create_for_an_unknown_user_is_a_clear_error(org):
    with pytest.raises(CommandError, match="no user called 'nobody'"):
        run("token", "create", "nobody")
    assert not ApiToken.objects.exists()


def test_token_create_refuses_a_deactivated_user(org):
    org.olga.is_active = False
    org.olga.save()

    with pytest.raises(CommandError, match="deactivated"):
        run("token", "create", "olga")


def test_token_list_shows_a_users_tokens_but_never_the_secret(org):
    token, raw = token_create(user=org.mary, name="Timesheet import")
    token_create(user=org.bob, name="Not mary's")

    out, _ = run("token", "list", "mary")

    assert "Timesheet import" in out and token.hint in out
    assert raw not in out
    assert "Not mary's" not in out


def test_token_revoke_stops_the_token_working(org):
    token, raw = token_create(user=org.tom, name="Laptop")

    out, _ = run("token", "revoke", str(token.pk))

    assert "Revoked" in out
    assert token_authenticate(raw) is None
    assert "revoked" in run("token", "list", "tom")[0]


def test_token_revoke_of_an_unknown_id_is_a_clear_error(org):
    with pytest.raises(CommandError, match="no token with id 999"):
        run("token", "revoke", "999")


# --- steerco worker ----------------------------------------------------------------------


def test_worker_batch_runs_the_queued_jobs_and_returns(org):
    jobs = [job_start(actor=org.priya, kind="project_export") for _ in range(2)]
    handler_before = signal.getsignal(signal.SIGINT)

    # Keep the test's transaction's connection open (see test_jobs.run_worker).
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", "--batch", verbosity=0)

    assert {Job.objects.get(pk=job.pk).status for job in jobs} == {Job.Status.SUCCEEDED}
    assert signal.getsignal(signal.SIGINT) is handler_before


# --- the console script in a subprocess --------------------------------------------------


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """A migrated scratch installation, shared by the subprocess tests of this module."""
    path = tmp_path_factory.mktemp("steerco-cli")
    subprocess.run(
        [*STEERCO, "migrate", "--no-input", "-v", "0"],
        env=cli_env(path),
        check=True,
        timeout=300,
    )
    return path


def cli_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"HOST", "PORT", "DATABASE_URL"}}
    env.update(
        STEERCO_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="steerco.config.settings",
        PYTHONUNBUFFERED="1",
    )
    return env


def test_unknown_user_fails_with_a_message_and_no_traceback(data_dir):
    result = subprocess.run(
        [*STEERCO, "token", "create", "nobody"],
        env=cli_env(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "There is no user called 'nobody'." in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children_of(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for_health(port: int, server: subprocess.Popen, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server exited before answering"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                return {"status": answer.status, "body": answer.read().decode()}
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the server never answered /healthz")


@pytest.fixture
def serve(data_dir):
    started = []

    def start(*args):
        port = free_port()
        server = subprocess.Popen(
            [*STEERCO, "serve", "--port", str(port), "--workers", "1", *args],
            env=cli_env(data_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started.append(server)
        return server, port

    yield start
    for server in started:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_serve_with_worker_serves_and_stops_both_children_on_ctrl_c(serve):
    server, port = serve("--with-worker")

    health = wait_for_health(port, server)
    children = children_of(server.pid)
    server.send_signal(signal.SIGINT)
    output, _ = server.communicate(timeout=60)

    assert health["status"] == 200 and '"ok"' in health["body"]
    assert output.splitlines()[0] == f"SteerCo is running at http://127.0.0.1:{port}/"
    assert len(children) == 2, "a gunicorn master and a job worker"
    assert server.returncode == 0
    assert "SteerCo has stopped." in output
    assert not [pid for pid in children if is_running(pid)]


def worker_of(server: subprocess.Popen) -> int | None:
    for pid in children_of(server.pid):
        try:
            if b"steerco\x00worker" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return pid
        except OSError:
            continue
    return None


def test_serve_starts_a_worker_that_dies_again_and_keeps_serving(serve):
    server, port = serve("--with-worker")
    wait_for_health(port, server)
    worker = worker_of(server)

    os.kill(worker, signal.SIGKILL)
    deadline = time.monotonic() + 30
    restarted = None
    while time.monotonic() < deadline:
        restarted = worker_of(server)
        if restarted not in (None, worker) and is_running(restarted):
            break
        time.sleep(0.2)

    assert restarted not in (None, worker), "the worker was not started again"
    assert server.poll() is None, "the web server stopped with the worker"
    assert wait_for_health(port, server)["status"] == 200
    server.send_signal(signal.SIGTERM)
    output, _ = server.communicate(timeout=60)
    assert server.returncode == 0
    assert "The worker stopped unexpectedly (exit code -9); starting it again" in output
    assert "The worker has been started again." in output
    assert not is_running(restarted)


def test_serve_without_worker_stops_cleanly_on_sigterm_and_serves_assets(serve):
    server, port = serve()
    wait_for_health(port, server)

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/ui/steerco.css", timeout=5) as css:
        assert css.status == 200
    assert len(children_of(server.pid)) == 1
    server.send_signal(signal.SIGTERM)
    output, _ = server.communicate(timeout=60)

    assert server.returncode == 0
    assert "SteerCo has stopped." in output


def test_serve_on_a_port_in_use_fails_with_a_hint(serve, data_dir):
    first, port = serve()
    wait_for_health(port, first)

    second = subprocess.run(
        [*STEERCO, "serve", "--port", str(port), "--workers", "1"],
        env=cli_env(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert second.returncode != 0
    assert f"Is port {port} already in use?" in second.stderr
    assert "Traceback" not in second.stderr
