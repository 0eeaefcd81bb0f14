# Every subprocess here runs a fixed tool with arguments this script builds itself.
# ruff: noqa: S603
"""A throwaway PostgreSQL cluster for one test run.

The Django suite must pass on PostgreSQL as well as SQLite, and a developer's machine
rarely has a server they want a test run to touch. So the run makes its own: a fresh
cluster in a temporary directory, on a free port on 127.0.0.1, with its unix socket in
that directory, and removes it afterwards, whatever happened in between.

Use as a context manager::

    with PostgresCluster() as cluster:
        env["DATABASE_URL"] = cluster.url

or run this file to start one by hand and print its URL until Ctrl-C.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from steerco.core.pg_tools import find_bindir

SUPERUSER = "steerco"
DATABASE = "steerco"
# initdb refuses to run as root; Debian's package creates this account for the server.
SERVICE_ACCOUNT = "postgres"


class ClusterUnavailable(RuntimeError):
    """PostgreSQL server binaries are missing, or the cluster would not start."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresCluster:
    def __init__(self, bindir: Path | None = None) -> None:
        self.bindir = bindir or find_bindir("initdb", "pg_ctl")
        if self.bindir is None:
            raise ClusterUnavailable(
                "PostgreSQL server binaries (initdb, pg_ctl) were not found: neither "
                "`pg_config --bindir` nor /usr/lib/postgresql/*/bin has them. On Debian or "
                "Ubuntu: `apt-get install postgresql`."
            )
        self.as_service_account = os.geteuid() == 0
        self.root: Path | None = None
        self.port: int | None = None
        self._started = False

    @property
    def datadir(self) -> Path:
        if self.root is None:
            raise ClusterUnavailable("The cluster has not been created yet.")
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgres://{SUPERUSER}@127.0.0.1:{self.port}/{DATABASE}"

    def _run(self, *args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess:
        command = [str(arg) for arg in args]
        if self.as_service_account:
            command = ["runuser", "-u", SERVICE_ACCOUNT, "--", *command]
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.root,  # the service account may not be allowed into our cwd
            check=False,
        )
        if result.returncode != 0:
            log = self.root / "server.log" if self.root else None
            tail = ""
            if log and log.exists():
                tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
            raise ClusterUnavailable(
                f"{' '.join(command)} failed ({result.returncode}):\n"
                f"{result.stdout}{result.stderr}{tail}"
            )
        return result

    def start(self) -> PostgresCluster:
        if self.as_service_account:
            try:
                import pwd

                account = pwd.getpwnam(SERVICE_ACCOUNT)
            except KeyError:
                raise ClusterUnavailable(
                    f"Running as root, but there is no '{SERVICE_ACCOUNT}' system user to run "
                    "the PostgreSQL server as (initdb refuses root)."
                ) from None
        self.root = Path(tempfile.mkdtemp(prefix="steerco-pg-"))
        if self.as_service_account:
            os.chown(self.root, account.pw_uid, account.pw_gid)
        self._run(
            self.bindir / "initdb",
            "--pgdata",
            self.datadir,
            "--username",
            SUPERUSER,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C",
            "--no-sync",
        )
        # Another process may take the free port between probing and binding; retry then.
        for attempt in range(5):
            self.port = _free_port()
            options = " ".join(
                [
                    "-c listen_addresses=127.0.0.1",
                    f"-c port={self.port}",
                    f"-c unix_socket_directories={self.root}",
                    # Durability is worthless for a database thrown away in a minute.
                    "-c fsync=off",
                    "-c synchronous_commit=off",
                    "-c full_page_writes=off",
                    "-c max_connections=100",
                ]
            )
            try:
                self._run(
                    self.bindir / "pg_ctl",
                    "--pgdata",
                    self.datadir,
                    "--log",
                    self.root / "server.log",
                    "--wait",
                    "--timeout",
                    "60",
                    "--options",
                    options,
                    "start",
                )
            except ClusterUnavailable:
                if attempt == 4:
                    raise
                time.sleep(0.2)
                continue
            self._started = True
            break
        self._create_database()
        return self

    def _create_database(self) -> None:
        createdb = self.bindir / "createdb"
        args = ["--host", "127.0.0.1", "--port", str(self.port), "--username", SUPERUSER]
        if createdb.is_file():
            subprocess.run(
                [str(createdb), *args, DATABASE], check=True, capture_output=True, timeout=60
            )
            return
        psql = self.bindir / "psql"
        subprocess.run(
            [str(psql), *args, "--dbname", "postgres", "-c", f"CREATE DATABASE {DATABASE}"],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def stop(self) -> None:
        try:
            # The server may be gone already (Ctrl-C reaches it too); nothing to stop then.
            if self._started and (self.datadir / "postmaster.pid").exists():
                self._started = False
                # Immediate: nothing in a throwaway cluster is worth a clean checkpoint.
                self._run(
                    self.bindir / "pg_ctl", "--pgdata", self.datadir, "--mode", "immediate", "stop"
                )
        except (ClusterUnavailable, subprocess.SubprocessError, OSError) as problem:
            print(
                f"warning: could not stop the test PostgreSQL cluster: {problem}", file=sys.stderr
            )
        finally:
            if self.root is not None:
                shutil.rmtree(self.root, ignore_errors=True)
                self.root = None

    def __enter__(self) -> PostgresCluster:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc_info) -> None:
        self.stop()


def main() -> int:
    try:
        with PostgresCluster() as cluster:
            print(f"DATABASE_URL={cluster.url}", flush=True)
            print("Ctrl-C stops and removes the cluster.", flush=True)
            while True:
                time.sleep(3600)
    except ClusterUnavailable as problem:
        print(problem, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
