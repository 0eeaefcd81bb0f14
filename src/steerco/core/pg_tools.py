"""Where PostgreSQL's command-line programs live on this machine.

The throwaway test cluster (``scripts/pg_cluster.py``) needs the server programs (``initdb``,
``pg_ctl``) and backup and restore (``steerco.core.backup``) need the client ones (``pg_dump``,
``pg_restore``, ``psql``). Both look them up here, so they agree on which installation they
use. Standard library only: the test runner imports this before Django is set up.
"""

from __future__ import annotations

import glob
import shutil
import subprocess
from pathlib import Path


def find_bindir(*programs: str) -> Path | None:
    """The first directory holding every one of ``programs``, or None.

    ``pg_config --bindir`` is asked first; then Debian's layout, one directory per major
    version under /usr/lib/postgresql, newest first.
    """
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            answer = subprocess.run(  # noqa: S603 — pg_config from PATH, fixed argument
                [pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=10
            ).stdout.strip()
        except (subprocess.SubprocessError, OSError):
            answer = ""
        if answer:
            candidates.append(Path(answer))
    debian = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda path: int(Path(path).parent.name) if Path(path).parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates.extend(Path(path) for path in debian)
    for directory in candidates:
        if all((directory / program).is_file() for program in programs):
            return directory
    return None
