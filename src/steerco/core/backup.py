"""Backing up the whole database to one file, and restoring it: ``steerco backup|restore``.

A backup file is a zip archive of two members:

- ``manifest.json`` says what the file is: the format's name and version, the SteerCo version
  and database vendor that made it, when, the latest applied migration of every app and the
  row count of every table. The counts and migrations are read from the same snapshot as the
  dump, so they describe exactly what the dump holds. It also holds the dump's SHA-256.
- the dump: ``database.sqlite3``, a copy made with SQLite's online backup API, or
  ``database.pgdump``, ``pg_dump``'s custom format.

A zip because the manifest can then be read without unpacking the dump, and every member
carries a CRC: a truncated or damaged file is found before restore touches anything.

Both copies are consistent while the server and the worker write. SQLite's backup API copies
every page in one step inside one read transaction, which in WAL mode does not block writers;
on PostgreSQL a repeatable-read transaction exports its snapshot and ``pg_dump`` reads that
same snapshot, while the manifest's counts are taken in the exporting transaction.

Restore checks the file (is it a SteerCo backup, intact, of a format and schema this code
knows, from the same database vendor) and the target (empty, or ``force``) before it writes.
It then replaces the database in one transaction, so a failure midway leaves the database as
it was: SQLite's backup API copies the checked dump over the live database in a single step;
PostgreSQL's dump is turned into SQL by ``pg_restore`` and run by ``psql`` as one transaction.
A backup from an older schema is migrated afterwards; one from a newer schema is refused.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.postgresql.client import DatabaseClient as PostgresClient
from django.db.migrations.loader import MigrationLoader

import steerco
from steerco.core.pg_tools import find_bindir

FORMAT = "steerco-backup"
#: Raise when the layout or the manifest changes in a way an older restore cannot read.
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
ZIP_MAGIC = b"PK\x03\x04"
# A backup holds password hashes and token digests: readable by its owner only.
FILE_MODE = 0o600
PG_CLIENT_PROGRAMS = ("pg_dump", "pg_restore", "psql")


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotABackup(BackupError):
    """The file is not a SteerCo backup at all."""


class DamagedBackup(BackupError):
    """The file is a SteerCo backup, but truncated or corrupt."""


class IncompatibleBackup(BackupError):
    """An intact backup this code cannot restore: newer format or schema, other vendor."""


class DatabaseNotEmpty(BackupError):
    """Restoring would overwrite data, and the caller did not say that is intended."""


@dataclass(frozen=True)
class Manifest:
    vendor: str
    steerco_version: str
    created_at: str
    #: app label → name of its latest applied migration
    migrations: dict[str, str]
    #: table → rows, every table of the database
    tables: dict[str, int]
    dump_name: str
    dump_sha256: str
    dump_bytes: int
    format_version: int = FORMAT_VERSION

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "format_version": self.format_version,
                "steerco_version": self.steerco_version,
                "vendor": self.vendor,
                "created_at": self.created_at,
                "migrations": self.migrations,
                "tables": self.tables,
                "dump": {
                    "name": self.dump_name,
                    "sha256": self.dump_sha256,
                    "bytes": self.dump_bytes,
                },
            },
            indent=2,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: bytes, *, source: Path) -> Manifest:
        try:
            data = json.loads(text)
        except (ValueError, UnicodeDecodeError):
            raise DamagedBackup(f"{source}: its manifest is not readable JSON.") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise NotABackup(f"{source} is not a SteerCo backup (its manifest is another kind).")
        version = data.get("format_version")
        if not isinstance(version, int):
            raise DamagedBackup(f"{source}: its manifest has no format version.")
        if version > FORMAT_VERSION:
            raise IncompatibleBackup(
                f"{source} was written by a newer SteerCo ({data.get('steerco_version', '?')}) "
                f"in backup format {version}; this SteerCo ({steerco.__version__}) reads "
                f"format {FORMAT_VERSION} and older. Upgrade SteerCo, then restore."
            )
        try:
            dump = data["dump"]
            manifest = cls(
                format_version=version,
                vendor=str(data["vendor"]),
                steerco_version=str(data["steerco_version"]),
                created_at=str(data["created_at"]),
                migrations={str(app): str(name) for app, name in data["migrations"].items()},
                tables={str(table): int(rows) for table, rows in data["tables"].items()},
                dump_name=str(dump["name"]),
                dump_sha256=str(dump["sha256"]),
                dump_bytes=int(dump["bytes"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise DamagedBackup(f"{source}: its manifest lacks fields a backup has.") from None
        return manifest


@dataclass
class RestoreResult:
    manifest: Manifest
    #: table → rows found in the database right after the restore (before any migration)
    tables: dict[str, int]
    #: "app.migration" applied after the restore, because the backup's schema was older
    migrated: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


# --- backup ------------------------------------------------------------------------------


def backup_create(
    path: str | os.PathLike, *, connection: BaseDatabaseWrapper | None = None
) -> Manifest:
    """Write a backup of ``connection``'s database (default: Django's) to ``path``.

    Safe while others write. The file appears complete or not at all: it is written beside
    ``path`` under a temporary name and renamed into place.
    """
    connection = connection or default_connection
    vendor = _vendor(connection)
    path = Path(path)
    if not path.parent.is_dir():
        raise BackupError(f"Cannot write {path}: the directory {path.parent} does not exist.")
    if connection.in_atomic_block:
        # PostgreSQL's dump would miss the caller's uncommitted rows, and SQLite's backup
        # of an in-memory database would wait forever for the caller's lock.
        raise BackupError("A backup copies committed data: take it outside a transaction.")
    dump_name = DUMP_NAMES[vendor]
    # Beside the target, so the final rename stays on one file system.
    with tempfile.TemporaryDirectory(prefix=".steerco-backup-", dir=path.parent) as scratch:
        dump = Path(scratch) / dump_name
        if vendor == "sqlite":
            migrations, tables = _sqlite_snapshot(connection, dump)
        else:
            migrations, tables = _postgres_snapshot(connection, dump)
        manifest = Manifest(
            vendor=vendor,
            steerco_version=steerco.__version__,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            migrations=migrations,
            tables=tables,
            dump_name=dump_name,
            dump_sha256=_sha256(dump),
            dump_bytes=dump.stat().st_size,
        )
        archive = Path(scratch) / "backup.zip"
        descriptor = os.open(archive, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with os.fdopen(descriptor, "wb") as stream, zipfile.ZipFile(stream, "w") as bundle:
            bundle.writestr(MANIFEST_NAME, manifest.to_json(), zipfile.ZIP_DEFLATED)
            # pg_dump's custom format is compressed already; a SQLite file is not.
            compression = zipfile.ZIP_DEFLATED if vendor == "sqlite" else zipfile.ZIP_STORED
            bundle.write(dump, dump_name, compression)
        os.replace(archive, path)
    return manifest


def _sqlite_snapshot(connection, target: Path) -> tuple[dict[str, str], dict[str, int]]:
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as copy:
        # One step (all pages) is one read transaction: a consistent snapshot. Through the
        # connection Django already has, so an in-memory test database works as well.
        connection.connection.backup(copy)
        # The copy stands alone: no -wal file beside it when it is opened again.
        copy.execute("PRAGMA journal_mode=DELETE")
        cursor = copy.cursor()
        return _inventory(cursor, _sqlite_tables(cursor), _quote_sqlite)


def _postgres_snapshot(connection, target: Path) -> tuple[dict[str, str], dict[str, int]]:
    bindir = _pg_bindir()
    # A connection of our own: the snapshot's transaction must stay open while pg_dump runs,
    # and Django's connection may be inside a transaction of its caller.
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = True
        cursor = raw.cursor()
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        migrations, tables = _inventory(cursor, _postgres_tables(cursor), connection.ops.quote_name)
        _run(
            [
                bindir / "pg_dump",
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            connection,
            "pg_dump",
        )
        cursor.execute("COMMIT")
    finally:
        raw.close()
    return migrations, tables


# --- reading and checking a backup ------------------------------------------------------


def backup_inspect(path: str | os.PathLike) -> Manifest:
    """The manifest of the backup at ``path``, after checking it is one this code can read.

    Reads the manifest only; ``backup_restore`` checks the dump itself as well.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no file {path}.")
    with path.open("rb") as stream:
        magic = stream.read(len(ZIP_MAGIC))
    if magic != ZIP_MAGIC:
        raise NotABackup(
            f"{path} is not a SteerCo backup: a backup is the zip file `steerco backup` writes."
        )
    try:
        with zipfile.ZipFile(path) as bundle:
            if MANIFEST_NAME not in bundle.namelist():
                raise NotABackup(f"{path} is a zip file but not a SteerCo backup (no manifest).")
            text = bundle.read(MANIFEST_NAME)
    except (zipfile.BadZipFile, EOFError, OSError) as problem:
        raise DamagedBackup(
            f"{path} is damaged or incomplete (was it truncated while copied?): {problem}"
        ) from None
    return Manifest.from_json(text, source=path)


def _check_compatible(manifest: Manifest, vendor: str, *, source: Path) -> None:
    if manifest.vendor != vendor:
        raise IncompatibleBackup(
            f"{source} holds a {VENDOR_NAMES.get(manifest.vendor, manifest.vendor)} database, "
            f"but this SteerCo is configured for {VENDOR_NAMES[vendor]}. Restore it with the "
            "settings it was taken with."
        )
    unknown = _unknown_migrations(manifest.migrations)
    if unknown:
        raise IncompatibleBackup(
            f"{source} comes from a newer SteerCo schema than this one (SteerCo "
            f"{manifest.steerco_version}; this is {steerco.__version__}): it has migrations this "
            f"code does not know: {', '.join(unknown)}. Upgrade SteerCo, then restore."
        )


def _unknown_migrations(latest: dict[str, str]) -> list[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)  # a squashed migration stands for the ones it replaced
    return sorted(f"{app}.{name}" for app, name in latest.items() if (app, name) not in known)


@contextmanager
def _checked_dump(path: Path, manifest: Manifest) -> Iterator[Path]:
    """Unpack the dump into a temporary directory, check it against the manifest, yield it."""
    with tempfile.TemporaryDirectory(prefix="steerco-restore-") as scratch:
        dump = Path(scratch) / manifest.dump_name
        try:
            with (
                zipfile.ZipFile(path) as bundle,
                bundle.open(manifest.dump_name) as source,
                dump.open("wb") as target,
            ):
                while chunk := source.read(1 << 20):
                    target.write(chunk)
        except KeyError:
            raise DamagedBackup(f"{path} has no {manifest.dump_name} in it.") from None
        except (zipfile.BadZipFile, zlib.error, EOFError) as problem:
            raise DamagedBackup(f"{path} is damaged or incomplete: {problem}") from None
        if dump.stat().st_size != manifest.dump_bytes or _sha256(dump) != manifest.dump_sha256:
            raise DamagedBackup(f"{path} is damaged: its dump does not match its manifest.")
        if manifest.vendor == "sqlite":
            _check_sqlite_dump(dump, manifest, source=path)
        else:
            _run([_pg_bindir() / "pg_restore", "--list", dump], None, "pg_restore --list")
        yield dump


def _check_sqlite_dump(dump: Path, manifest: Manifest, *, source: Path) -> None:
    try:
        with closing(sqlite3.connect(f"{dump.as_uri()}?mode=ro", uri=True)) as copy:
            cursor = copy.cursor()
            (verdict,) = cursor.execute("PRAGMA integrity_check").fetchone()
            if verdict != "ok":
                raise DamagedBackup(f"{source} is damaged: its database fails SQLite's check.")
            _, tables = _inventory(cursor, _sqlite_tables(cursor), _quote_sqlite)
    except sqlite3.DatabaseError as problem:
        raise DamagedBackup(f"{source} is damaged: {problem}") from None
    if tables != manifest.tables:
        raise DamagedBackup(f"{source} is damaged: its tables do not match its manifest.")


# --- restore -----------------------------------------------------------------------------


def backup_restore(
    path: str | os.PathLike,
    *,
    force: bool = False,
    connection: BaseDatabaseWrapper | None = None,
) -> RestoreResult:
    """Replace ``connection``'s database (default: Django's) with the backup at ``path``.

    Everything is checked before anything is written: the file, its dump, its schema, and
    that the database is empty unless ``force``. Then the whole database is replaced in one
    transaction, and migrated if the backup's schema is older than this code's.
    """
    connection = connection or default_connection
    vendor = _vendor(connection)
    path = Path(path)
    manifest = backup_inspect(path)
    _check_compatible(manifest, vendor, source=path)
    with _checked_dump(path, manifest) as dump:
        if not force:
            _refuse_if_not_empty(connection)
        if vendor == "sqlite":
            _sqlite_restore(connection, dump)
        else:
            _postgres_restore(connection, dump, set(manifest.tables))
    with connection.cursor() as cursor:
        _, tables = _inventory(cursor, _tables(vendor, cursor), connection.ops.quote_name)
    if tables != manifest.tables:
        raise BackupError(
            f"Restored {path}, but the database's row counts differ from the backup's manifest "
            "(did something write to it during the restore?). Restore again with the server "
            "stopped."
        )
    # Content type ids are cached per process, and the restored ones may differ.
    ContentType.objects.clear_cache()
    return RestoreResult(manifest=manifest, tables=tables, migrated=_migrate(connection))


def _refuse_if_not_empty(connection) -> None:
    """Refuse unless the database holds no accounts.

    Nothing is entered into SteerCo without an account and ``migrate`` creates none (it
    fills only reference tables, such as the content types), so accounts mean real data.
    """
    users = get_user_model()._meta.db_table
    with connection.cursor() as cursor:
        tables = _tables(connection.vendor, cursor)
        if users not in tables:
            return
        _, counts = _inventory(cursor, tables, connection.ops.quote_name)
    if counts.get(users):
        filled = sum(1 for rows in counts.values() if rows)
        raise DatabaseNotEmpty(
            f"The database is not empty: it has {counts[users]} user account(s) and "
            f"{sum(counts.values()):,} rows in {filled} tables, which a restore replaces. "
            "Take a backup of it first (`steerco backup FILE`), then restore with --force."
        )


def _sqlite_restore(connection, dump: Path) -> None:
    connection.ensure_connection()
    with closing(sqlite3.connect(f"{dump.as_uri()}?mode=ro", uri=True)) as source:
        # All pages in one step: one write transaction on the live database, so other
        # connections see the old database or the new one, and a failure rolls back.
        source.backup(connection.connection)


def _postgres_restore(connection, dump: Path, dump_tables: set[str]) -> None:
    bindir = _pg_bindir()
    script = dump.with_suffix(".sql")
    # pg_restore --clean drops only what the dump holds; tables the database has beyond
    # those (from a newer schema) would stop the migration that follows, so they go too.
    with connection.cursor() as cursor:
        extra = sorted(set(_postgres_tables(cursor)) - dump_tables)
    _run(
        [
            bindir / "pg_restore",
            "--clean",
            "--if-exists",
            # Restored objects belong to the configured user, whoever owned them before.
            "--no-owner",
            "--no-privileges",
            f"--file={script}",
            dump,
        ],
        None,
        "pg_restore",
    )
    command: list[str | Path] = [
        bindir / "psql",
        "--no-psqlrc",
        "--quiet",
        "--set=ON_ERROR_STOP=1",
        # All of it or nothing: the drops, the creates and the data in one transaction.
        "--single-transaction",
    ]
    if extra:
        quote = connection.ops.quote_name
        drops = " ".join(f"DROP TABLE IF EXISTS {quote(table)} CASCADE;" for table in extra)
        command += ["--command", drops]
    command += [f"--file={script}"]
    _run(command, connection, "psql")


def _migrate(connection) -> list[str]:
    """Apply the migrations the restored database lacks; return their names."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        applied = set(cursor.fetchall())
    # The graph from disk, not MigrationExecutor: that reads the applied migrations through
    # the ORM, which knows only the connections in settings.
    loader = MigrationLoader(None, ignore_no_migrations=True)
    missing = []
    for leaf in loader.graph.leaf_nodes():
        for key in loader.graph.forwards_plan(leaf):
            replaced = loader.graph.nodes[key].replaces
            done = key in applied or (replaced and all(tuple(r) in applied for r in replaced))
            if not done and key not in missing:
                missing.append(key)
    if missing:
        call_command("migrate", database=connection.alias, interactive=False, verbosity=0)
    return [f"{app}.{name}" for app, name in missing]


# --- shared ------------------------------------------------------------------------------


def _vendor(connection) -> str:
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(
            f"Backups are made of SQLite and PostgreSQL databases, not {connection.vendor}."
        )
    return connection.vendor


def _inventory(cursor, tables, quote) -> tuple[dict[str, str], dict[str, int]]:
    """The latest applied migration per app, and every table's row count."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 — a table's name
        counts[table] = cursor.fetchone()[0]
    latest: dict[str, str] = {}
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        for app, name in cursor.fetchall():
            # Applied in dependency order, so an app's last one is its latest.
            latest[app] = name
    return latest, counts


def _tables(vendor: str, cursor) -> list[str]:
    return _sqlite_tables(cursor) if vendor == "sqlite" else _postgres_tables(cursor)


def _sqlite_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\'"
    )
    return [name for (name,) in cursor.fetchall()]


def _postgres_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()")
    return [name for (name,) in cursor.fetchall()]


def _quote_sqlite(name: str) -> str:
    return '"{}"'.format(name.replace('"', '""'))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_bindir() -> Path:
    bindir = find_bindir(*PG_CLIENT_PROGRAMS)
    if bindir is None:
        raise BackupError(
            "PostgreSQL's client programs (pg_dump, pg_restore, psql) were not found: neither "
            "`pg_config --bindir` nor /usr/lib/postgresql/*/bin has them. On Debian or Ubuntu: "
            "`apt-get install postgresql-client` (of the server's major version or newer)."
        )
    return bindir


def _run(command: list, connection, label: str) -> None:
    """Run a PostgreSQL program; connection details go through libpq's environment.

    The password travels as PGPASSWORD, never on the command line where ``ps`` shows it.
    """
    env = dict(os.environ)
    if connection is not None:
        settings = connection.settings_dict
        for variable, key in [
            ("PGHOST", "HOST"),
            ("PGPORT", "PORT"),
            ("PGUSER", "USER"),
            ("PGDATABASE", "NAME"),
        ]:
            if settings.get(key):
                env[variable] = str(settings[key])
        _, secrets = PostgresClient.settings_to_cmd_args_env(settings, [])
        env.update(secrets or {})
    result = subprocess.run(  # noqa: S603 — PostgreSQL's own programs, arguments built here
        [str(part) for part in command], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise BackupError(f"{label} failed (exit code {result.returncode}): " + " ".join(detail))
