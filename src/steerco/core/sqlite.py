"""Keep a SQLite database file, and its WAL and shared-memory files, readable by the owner only.

SQLite creates the file with the process's umask (usually 0644), so on a shared machine every
local user could copy the whole database. Each new connection tightens the modes; SQLite gives
the WAL and shared-memory files it creates later the database file's mode.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE = 0o600


def restrict_file_mode(sender, connection, **kwargs) -> None:
    """``connection_created`` receiver: chmod 0600 the database's files that are wider."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict["NAME"])
    if connection.is_in_memory_db() or name.startswith("file:"):
        return
    for path in (Path(name), Path(f"{name}-wal"), Path(f"{name}-shm")):
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o077:
            os.chmod(path, mode & PRIVATE)
