"""``steerco backup`` and ``steerco restore``: a round trip that loses nothing, and refusals.

The round trip backs up the test organisation (projects, people, a plan, log items and their
history), deletes things, restores, and compares every table's row count and a checksum of its
rows (ordered by primary key) with the state at backup time. The refusals are checked to leave
the database as it was. These tests run on SQLite and, in the django-postgres suite, through
pg_dump and pg_restore on PostgreSQL.

Backup reads committed data (on PostgreSQL from a connection of its own) and restore replaces
the whole database, so the tests that write run outside the per-test transaction.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
import zipfile
from contextlib import closing
from datetime import date
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from steerco.core import backup as backup_module
from steerco.core.backup import (
    MANIFEST_NAME,
    DamagedBackup,
    DatabaseNotEmpty,
    IncompatibleBackup,
    NotABackup,
    backup_create,
    backup_restore,
)
from steerco.logs import services as log_services
from steerco.logs.models import Action, Issue, Risk
from steerco.plans import services as plan_services
from steerco.projects.models import Project

transactional = pytest.mark.django_db(transaction=True)


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def snapshot(conn=connection) -> dict[str, tuple[int, str]]:
    """Every table's row count and a SHA-256 over its rows in primary-key order."""
    state = {}
    with conn.cursor() as cursor:
        for table in sorted(conn.introspection.table_names(cursor)):
            key = conn.introspection.get_primary_key_column(cursor, table)
            name = conn.ops.quote_name(table)
            order = f" ORDER BY {conn.ops.quote_name(key)}" if key else ""
            cursor.execute(f"SELECT * FROM {name}{order}")  # noqa: S608 — a table's name
            rows = cursor.fetchall()
            digest = hashlib.sha256()
            for row in rows:
                values = [bytes(v) if isinstance(v, memoryview) else v for v in row]
                digest.update(repr(values).encode())
            state[table] = (len(rows), digest.hexdigest())
    return state


@pytest.fixture
def filled(org):
    """The test organisation with a plan and log items, so most tables hold rows."""
    design = plan_services.task_create(actor=org.priya, project=org.alpha, name="Design")
    plan_services.task_create(actor=org.priya, project=org.alpha, name="Build", after=design)
    for kind, title, fields in [
        ("risks", "Supplier fails", {"probability": 3, "impact": 4}),
        ("issues", "Licence costs rose", {}),
        ("actions", "Chase supplier", {}),
        ("decisions", "Go with vendor B", {"decided_on": date(2026, 3, 2)}),
    ]:
        for project in (org.alpha, org.beta):
            log_services.item_create(
                actor=org.priya, project=project, kind=kind, title=title, **fields
            )
    return org


def add_risk(org, title: str) -> None:
    log_services.item_create(
        actor=org.priya, project=org.alpha, kind="risks", title=title, probability=2, impact=2
    )


def rewrite(source: Path, target: Path, **manifest_changes) -> Path:
    """A copy of a backup with some manifest fields changed, the dump left as it was."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == MANIFEST_NAME:
                manifest = json.loads(data)
                manifest.update(manifest_changes)
                data = json.dumps(manifest).encode()
            copy.writestr(info, data)
    return target


# --- the round trip ------------------------------------------------------------------------


@transactional
def test_restore_brings_back_every_table_as_it_was_at_backup_time(filled, tmp_path):
    backup = tmp_path / "steerco.backup"
    at_backup = snapshot()

    out = run("backup", str(backup))

    assert f"to {backup}" in out and "tables" in out
    assert backup.stat().st_mode & 0o777 == 0o600, "a backup holds password hashes"
    # Delete things: a project with everything it owns, and log items of another.
    Project.objects.filter(pk=filled.beta.pk).delete()
    for model in (Risk, Issue, Action):
        model.objects.filter(project=filled.alpha).delete()
    assert snapshot() != at_backup

    out = run("restore", str(backup), "--force")

    assert snapshot() == at_backup
    rows = sum(rows for rows, _ in at_backup.values())
    assert f"{rows:,} rows" in out
    assert "projects_project" in out, "the report lists what was restored"
    assert "migrated" not in out
    # Sequences came back too: a new row does not collide with a restored one.
    add_risk(filled, "New")


@transactional
def test_restore_into_an_empty_database_needs_no_force(filled, tmp_path):
    backup = tmp_path / "steerco.backup"
    backup_create(backup)
    at_backup = snapshot()
    call_command("flush", interactive=False, verbosity=0)

    result = backup_restore(backup)

    assert snapshot() == at_backup
    assert result.tables == {table: rows for table, (rows, _) in at_backup.items()}


@transactional
def test_an_older_backup_is_restored_then_migrated(org, tmp_path):
    backup = tmp_path / "old.backup"
    call_command("migrate", "logs", "0002_default_scales", verbosity=0)
    try:
        backup_create(backup)
    finally:
        call_command("migrate", verbosity=0)

    out = run("restore", str(backup), "--force")

    assert "older" in out and "logs.0003_digest_run" in out
    with connection.cursor() as cursor:
        assert "logs_digestrun" in connection.introspection.table_names(cursor)
    assert Project.objects.filter(code="ALPHA").exists()


# --- refusals, each leaving the database as it was ----------------------------------------


@transactional
def test_restore_refuses_a_database_that_holds_data_without_force(filled, tmp_path):
    backup = tmp_path / "steerco.backup"
    backup_create(backup)
    add_risk(filled, "Late")
    before = snapshot()

    with pytest.raises(CommandError, match=r"not empty.*--force"):
        run("restore", str(backup))
    with pytest.raises(DatabaseNotEmpty, match="8 user account"):
        backup_restore(backup)

    assert snapshot() == before


@pytest.fixture
def backup(transactional_db, tmp_path):
    """A genuine backup of the (empty) test database, to spoil in the refusal tests."""
    path = tmp_path / "good.backup"
    backup_create(path)
    return path


def test_restore_refuses_a_file_that_is_not_a_backup(backup, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("Not a backup at all")
    other_zip = tmp_path / "photos.zip"
    with zipfile.ZipFile(other_zip, "w") as bundle:
        bundle.writestr("photo.jpg", b"\xff\xd8")

    for path in (text, other_zip, rewrite(backup, tmp_path / "other.zip", format="other-tool")):
        with pytest.raises(NotABackup, match="not a SteerCo backup"):
            backup_restore(path, force=True)
    with pytest.raises(CommandError, match="not a SteerCo backup"):
        run("restore", str(text), "--force")


def test_restore_refuses_a_truncated_or_corrupt_backup(backup, tmp_path):
    data = backup.read_bytes()
    truncated = tmp_path / "truncated.backup"
    truncated.write_bytes(data[: len(data) // 2])
    # One byte changed in the middle of the dump: the zip's CRC or the manifest's hash sees it.
    corrupt = tmp_path / "corrupt.backup"
    with zipfile.ZipFile(backup) as bundle:
        dump = next(info for info in bundle.infolist() if info.filename != MANIFEST_NAME)
    spoiled = bytearray(data)
    middle = dump.header_offset + 100 + dump.compress_size // 2
    spoiled[middle] ^= 0xFF
    corrupt.write_bytes(bytes(spoiled))

    for path in (truncated, corrupt):
        with pytest.raises(DamagedBackup, match="damaged"):
            backup_restore(path, force=True)


def test_restore_refuses_a_dump_that_does_not_match_its_manifest(backup, tmp_path):
    tampered = rewrite(backup, tmp_path / "tampered.backup", dump={"name": "x", "sha256": "0"})

    with pytest.raises(DamagedBackup):
        backup_restore(tampered, force=True)


def test_restore_refuses_a_backup_from_a_newer_schema(backup, tmp_path):
    with zipfile.ZipFile(backup) as bundle:
        migrations = json.loads(bundle.read(MANIFEST_NAME))["migrations"]
    newer = rewrite(
        backup,
        tmp_path / "newer.backup",
        migrations={**migrations, "logs": "0999_from_the_future"},
        steerco_version="9.0.0",
    )

    with pytest.raises(IncompatibleBackup, match="newer SteerCo schema") as refusal:
        backup_restore(newer, force=True)
    assert "logs.0999_from_the_future" in refusal.value.message
    assert "9.0.0" in refusal.value.message


def test_restore_refuses_a_newer_backup_format_and_another_vendor(backup, tmp_path):
    newer_format = rewrite(backup, tmp_path / "format.backup", format_version=99)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    other_vendor = rewrite(backup, tmp_path / "vendor.backup", vendor=other)

    with pytest.raises(IncompatibleBackup, match="backup format 99"):
        backup_restore(newer_format, force=True)
    with pytest.raises(IncompatibleBackup, match="configured for"):
        backup_restore(other_vendor, force=True)


def test_backup_refuses_a_directory_that_does_not_exist(db, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run("backup", str(tmp_path / "missing" / "steerco.backup"))


def test_backup_refuses_to_run_inside_a_transaction(db, tmp_path):
    """The test's own transaction stands for a caller's: its rows are not committed."""
    with pytest.raises(CommandError, match="outside a transaction"):
        run("backup", str(tmp_path / "steerco.backup"))


def test_postgres_programs_get_the_password_through_the_environment(monkeypatch):
    """``ps`` shows every user a command line, so the password must not be on it."""
    calls = []

    def fake_run(command, **options):
        calls.append((command, options["env"]))
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(backup_module.subprocess, "run", fake_run)
    settings = {
        "NAME": "steerco",
        "USER": "steerco",
        "PASSWORD": "s3cret-Pa55",
        "HOST": "db.example.org",
        "PORT": "5432",
        "OPTIONS": {"sslmode": "require"},
    }

    backup_module._run(["pg_dump", "--format=custom"], SimpleNamespace(settings_dict=settings), "")

    ((command, env),) = calls
    assert not any("s3cret" in part for part in command)
    assert env["PGPASSWORD"] == "s3cret-Pa55" and env["PGSSLMODE"] == "require"
    assert env["PGHOST"] == "db.example.org" and env["PGDATABASE"] == "steerco"


# --- consistency while others write -------------------------------------------------------


@pytest.fixture
def live_database(org, tmp_path):
    """Makes Django connections to a database others may write to while it is backed up.

    On SQLite a file in WAL mode, as in production (the test database lives in memory); on
    PostgreSQL the test database itself.
    """
    settings = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        path = tmp_path / "live.sqlite3"
        with closing(sqlite3.connect(path)) as live:
            connection.connection.backup(live)
            live.execute("PRAGMA journal_mode=WAL")
        settings["NAME"] = str(path)
    wrapper_class = type(connections[connection.alias])
    return lambda alias: wrapper_class(dict(settings), alias=alias)


@transactional
def test_a_backup_taken_while_another_thread_writes_is_consistent(live_database, tmp_path):
    """Each write adds a group and its permission in one transaction: a consistent copy
    holds as many of one as of the other, and restores to exactly what its manifest says."""
    stop = threading.Event()
    written: list[int] = []
    failures: list[BaseException] = []

    def write() -> None:
        writer = live_database("writer")
        try:
            with writer.cursor() as cursor:
                cursor.execute("SELECT MIN(id) FROM auth_permission")
                (permission,) = cursor.fetchone()
                while not stop.is_set():
                    cursor.execute("BEGIN")
                    cursor.execute(
                        "INSERT INTO auth_group (name) VALUES (%s) RETURNING id",
                        [f"writer-{uuid.uuid4().hex}"],
                    )
                    (group,) = cursor.fetchone()
                    cursor.execute(
                        "INSERT INTO auth_group_permissions (group_id, permission_id) "
                        "VALUES (%s, %s)",
                        [group, permission],
                    )
                    cursor.execute("COMMIT")
                    written.append(group)
        except BaseException as problem:  # reported by the test thread below
            failures.append(problem)
        finally:
            writer.close()

    live = live_database("live")
    thread = threading.Thread(target=write)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while len(written) < 20 and not failures and time.monotonic() < deadline:
            time.sleep(0.01)
        manifest = backup_create(tmp_path / "live.backup", connection=live)
        at_backup = len(written)
        while len(written) < at_backup + 20 and not failures and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not failures, failures
    assert len(written) >= at_backup + 20, "the writer went on while and after the backup ran"
    groups, links = manifest.tables["auth_group"], manifest.tables["auth_group_permissions"]
    assert groups == links > 0, "the backup holds whole transactions only"

    result = backup_restore(tmp_path / "live.backup", force=True, connection=live)

    assert result.tables == manifest.tables
    if live.vendor == "sqlite":
        with closing(sqlite3.connect(live.settings_dict["NAME"])) as restored:
            assert restored.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    live.close()


# --- production ---------------------------------------------------------------------------


def database_url(tmp_path: Path) -> str:
    """A URL another process can open the test database's content at."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "production.sqlite3"
        with closing(sqlite3.connect(path)) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{path}"
    login = quote(settings["USER"] or "")
    if settings["PASSWORD"]:
        login += ":" + quote(settings["PASSWORD"])
    return f"postgres://{login}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


@transactional
def test_backup_and_restore_work_under_the_production_settings(org, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "steerco.config.production",
        "SECRET_KEY": "production-" + "x" * 50,
        "ALLOWED_HOSTS": "steerco.example.org",
        "DATABASE_URL": database_url(tmp_path),
        "STEERCO_DATA_DIR": str(tmp_path / "data"),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.org",
    }
    backup = tmp_path / "production.backup"

    def steerco(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "steerco", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    made = steerco("backup", str(backup))
    assert made.returncode == 0, made.stderr
    refused = steerco("restore", str(backup))
    assert refused.returncode != 0 and "--force" in refused.stderr
    restored = steerco("restore", str(backup), "--force")
    assert restored.returncode == 0, restored.stderr
    assert "accounts_user" in restored.stdout
