"""Sessions end when idle as well as at their absolute age; the SQLite database and the data
directory are private to their owner (issue 14, item 12)."""

from __future__ import annotations

import os
import secrets
import sqlite3
import stat
import subprocess
import sys
import time
from datetime import timedelta

from django.conf import settings
from django.test import Client
from django.urls import reverse

from steerco.core.middleware import SessionTimeoutMiddleware

STARTED = SessionTimeoutMiddleware.STARTED
SEEN = SessionTimeoutMiddleware.SEEN
HOME = "/"


def age_session(client, **ages: timedelta) -> None:
    session = client.session
    for key, age in ages.items():
        session[key] = time.time() - age.total_seconds()
    session.save()


def test_the_idle_timeout_is_eight_hours():
    assert timedelta(hours=8) == settings.STEERCO_SESSION_IDLE_TIMEOUT
    assert settings.STEERCO_SESSION_IDLE_TIMEOUT.total_seconds() < settings.SESSION_COOKIE_AGE


def test_a_session_idle_longer_than_the_timeout_ends(client_for):
    client = client_for("priya")
    assert client.get(HOME).status_code == 200

    age_session(client, **{SEEN: timedelta(hours=8, minutes=1)})
    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_a_session_in_use_stays_and_its_idle_clock_restarts(client_for):
    client = client_for("priya")
    age_session(client, **{SEEN: timedelta(hours=7, minutes=59)})

    assert client.get(HOME).status_code == 200
    assert time.time() - client.session[SEEN] < 60


def test_a_session_ends_at_its_absolute_age_however_busy(client_for):
    client = client_for("priya")
    age_session(
        client,
        **{STARTED: timedelta(seconds=settings.SESSION_COOKIE_AGE + 60), SEEN: timedelta(0)},
    )

    assert client.get(HOME).status_code == 302


def test_an_idle_session_is_refused_by_the_api_too(client_for):
    client = client_for("priya")
    assert client.get("/api/v1/projects").status_code == 200
    age_session(client, **{SEEN: timedelta(hours=9)})

    assert client.get("/api/v1/projects").status_code == 401


def test_a_login_starts_both_clocks(org):
    client = Client()
    client.post(reverse("accounts:login"), {"username": "priya", "password": org.password})

    assert time.time() - client.session[STARTED] < 60
    assert time.time() - client.session[SEEN] < 60


# Files --------------------------------------------------------------------------------------


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def connect_with_fresh_settings(data_dir) -> None:
    """Open the default database in a new process, as `steerco serve` would."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="steerco.config.settings",
        STEERCO_DATA_DIR=str(data_dir),
        # Given, so that only the database makes the data directory.
        SECRET_KEY=secrets.token_urlsafe(50),
    )
    script = "from django.db import connection; connection.ensure_connection()"
    subprocess.run(
        [sys.executable, "-m", "steerco", "shell", "-c", script],
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
    )


def test_the_data_directory_and_database_are_created_private(tmp_path):
    data_dir = tmp_path / "data"
    old_umask = os.umask(0o022)
    try:
        connect_with_fresh_settings(data_dir)
    finally:
        os.umask(old_umask)

    assert mode(data_dir) == 0o700
    database = data_dir / "steerco.sqlite3"
    assert mode(database) == 0o600
    for extra in (data_dir / "steerco.sqlite3-wal", data_dir / "steerco.sqlite3-shm"):
        if extra.exists():
            assert mode(extra) == 0o600


def test_an_existing_readable_database_is_made_private(tmp_path):
    database = tmp_path / "steerco.sqlite3"
    sqlite3.connect(database).close()
    database.chmod(0o644)

    connect_with_fresh_settings(tmp_path)

    assert mode(database) == 0o600
