"""Fixtures shared by the Django and browser suites: a small organisation with every role.

The cast mirrors the demo organisation of INTERFACES.md so a test reads like the product:
priya manages ALPHA and BETA, mary supports both, tom is on ALPHA's team, bob is the PMO,
erin an executive, rita a resource manager, olga an outsider, admin the administrator.
GAMMA belongs to nobody but the PMO's view.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

PASSWORD = "correct-horse-battery"


def pytest_collection_modifyitems(config, items):
    """Tests of PostgreSQL-only behaviour (real row locks) belong to the PostgreSQL suite.

    On SQLite they are deselected rather than skipped: they are not pending work, they are
    another suite's tests, and `make test` runs that suite too.
    """
    from django.conf import settings

    if not settings.configured:
        return  # run with -p no:django: no database tests are collected anyway
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    elsewhere = [item for item in items if "postgres_only" in item.keywords]
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = [item for item in items if "postgres_only" not in item.keywords]


@pytest.fixture(scope="session")
def password_hash():
    """Hash once per run: argon2 is slow by design, and eight users per test add up."""
    from django.contrib.auth.hashers import make_password

    return make_password(PASSWORD)


@pytest.fixture
def org(db, django_user_model, password_hash):
    from steerco.accounts.models import OrganisationRole
    from steerco.projects.models import Membership
    from steerco.projects.services import portfolio_create, project_create
    from steerco.resources.models import Person

    Role = OrganisationRole.Role
    users = {}
    people = {}
    for username, full_name, team in [
        ("admin", "Ada Admin", "IT"),
        ("bob", "Bob Baker", "PMO"),
        ("mary", "Mary Moss", "PMO"),
        ("priya", "Priya Patel", "Delivery"),
        ("tom", "Tom Turner", "Engineering"),
        ("erin", "Erin Ellis", "Executive"),
        ("rita", "Rita Reyes", "Resourcing"),
        ("olga", "Olga Olsen", "Finance"),
    ]:
        user = django_user_model.objects.create(
            username=username,
            password=password_hash,
            email=f"{username}@example.org",
            is_superuser=(username == "admin"),
            is_staff=(username == "admin"),
        )
        users[username] = user
        people[username] = Person.objects.create(
            name=full_name, email=user.email, team=team, user=user
        )
    for username, role in [
        ("admin", Role.ADMINISTRATOR),
        ("bob", Role.PMO),
        ("erin", Role.EXECUTIVE),
        ("rita", Role.RESOURCE_MANAGER),
    ]:
        OrganisationRole.objects.create(user=users[username], role=role)

    admin = users["admin"]
    portfolio = portfolio_create(actor=admin, code="CHANGE", name="Change portfolio")
    alpha = project_create(
        actor=admin,
        code="ALPHA",
        name="Alpha CRM replacement",
        manager=people["priya"],
        sponsor=people["erin"],
        portfolio=portfolio,
        status="active",
        planned_start=date(2026, 1, 5),
        planned_finish=date(2026, 12, 18),
    )
    beta = project_create(
        actor=admin,
        code="BETA",
        name="Beta data platform",
        manager=people["priya"],
        portfolio=portfolio,
        status="active",
    )
    gamma = project_create(
        actor=admin,
        code="GAMMA",
        name="Gamma office move",
        manager=people["bob"],
        status="proposed",
    )
    for project in (alpha, beta):
        Membership.objects.create(
            project=project, person=people["mary"], role=Membership.Role.PROJECT_SUPPORT
        )
    Membership.objects.create(project=alpha, person=people["tom"], role=Membership.Role.TEAM_MEMBER)
    # Services cache roles on the user object; hand tests fresh objects.
    fresh = {name: django_user_model.objects.get(pk=user.pk) for name, user in users.items()}
    return SimpleNamespace(
        users=fresh,
        people=people,
        portfolio=portfolio,
        alpha=alpha,
        beta=beta,
        gamma=gamma,
        password=PASSWORD,
        **fresh,
    )


@pytest.fixture
def client_for(client, org):
    """``client_for("priya")`` is a Django test client logged in as that user."""
    from django.test import Client

    def make(username: str) -> Client:
        new_client = Client()
        new_client.force_login(org.users[username])
        return new_client

    return make


@pytest.fixture
def benchmark_against_scratch_database(tmp_path, django_db_blocker):
    """Run a script of ``benchmarks/`` with ``--json`` against a scratch database of the
    suite's kind, as production runs SteerCo (several processes sharing one database), and
    return its last line's figures; ``figures["database"]`` is checked to be that kind.

    SQLite: a scratch database file (the test database lives in memory, where SQLite's
    locking is another matter). PostgreSQL: a scratch database on the test server,
    dropped afterwards.
    """
    import json
    import os
    import subprocess
    import sys
    import uuid
    from pathlib import Path

    from django.conf import settings
    from django.db import connection

    root = Path(__file__).resolve().parents[1]
    database = settings.DATABASES["default"]

    def run(script: str, *arguments: str, timeout: int) -> dict:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(PYTHONPATH=str(root / "src"), PYTHONUNBUFFERED="1")
        scratch = None
        if database["ENGINE"].endswith("sqlite3"):
            env["STEERCO_DATA_DIR"], expected = str(tmp_path), "sqlite"
        else:
            scratch, expected = f"steerco_bench_{uuid.uuid4().hex[:8]}", "postgresql"
            with django_db_blocker.unblock(), connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{scratch}"')
            env["DATABASE_URL"] = "postgres://{}:{}@{}:{}/{}".format(
                database["USER"],
                database.get("PASSWORD") or "",
                database.get("HOST") or "localhost",
                database.get("PORT") or 5432,
                scratch,
            )
        try:
            finished = subprocess.run(
                [sys.executable, str(root / "benchmarks" / script), *arguments, "--json"],
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        finally:
            if scratch is not None:
                with django_db_blocker.unblock(), connection.cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
        figures = json.loads(finished.stdout.strip().splitlines()[-1])
        # The figures go to the test's output (pytest -rP shows them), for the record.
        print(json.dumps({k: v for k, v in figures.items() if k != "worker_output"}))
        assert figures["database"] == expected, figures
        return figures

    return run
