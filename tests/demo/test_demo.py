"""The demo organisation: who is in it, what they see, and that loading it twice is harmless."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from steerco.accounts.models import OrganisationRole
from steerco.accounts.rules import visible_projects
from steerco.demo.organisation import PEOPLE, PROJECTS, USERS, load_demo_organisation
from steerco.demo.staffing import BENCH
from steerco.projects.models import Membership, Portfolio, Project
from steerco.projects.selectors import project_history
from steerco.resources.models import Person

User = get_user_model()


def run_demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, int]:
    models = [User, OrganisationRole, Person, Portfolio, Project, Membership]
    counts = {model.__name__: model.objects.count() for model in models}
    for model in (Person, Portfolio, Project, Membership):
        counts[f"history of {model.__name__}"] = model.history.count()
    return counts


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    # The demo hashes "demo" with argon2, slow by design; the tests check the password,
    # not the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def without_plans(monkeypatch):
    # These tests are about the organisation; the plans have their own tests
    # (tests/plans/test_demo_plans.py) and would add seconds to every load here.
    monkeypatch.setattr("steerco.demo.organisation._Loader.load_plans", lambda loader: None)
    monkeypatch.setattr("steerco.demo.organisation._Loader.load_logs", lambda loader: None)


@pytest.fixture
def demo(db):
    run_demo()
    return {user.username: user for user in User.objects.all()}


def codes(user) -> set[str]:
    return set(visible_projects(user).values_list("code", flat=True))


def test_demo_creates_every_login_with_a_person_and_password_demo(demo):
    for spec in USERS:
        user = User.objects.get(username=spec.username)
        assert user.check_password("demo")
        assert user.person.name == spec.name
        assert user.person.email and user.person.team and user.person.job_title
    assert set(demo) == {"admin", "bob", "mary", "priya", "tom", "erin", "olga", "rita"}


def test_demo_is_a_mid_size_organisation(demo):
    assert Person.objects.count() == len(USERS) + len(PEOPLE) + len(BENCH) >= 55
    assert Person.objects.filter(user__isnull=True).count() >= 12
    assert Portfolio.objects.count() == 3
    assert 8 <= Project.objects.count() <= 10
    statuses = set(Project.objects.values_list("status", "health"))
    for expected in [
        ("active", "green"),
        ("active", "amber"),
        ("on_hold", "red"),
        ("proposed", "not_assessed"),
        ("closed", "green"),
        ("cancelled", "amber"),
    ]:
        assert expected in statuses
    for project in Project.objects.exclude(status="proposed"):
        assert project.sponsor and project.manager and project.description
        assert 2026 <= project.planned_finish.year <= 2027


def test_organisation_roles_are_as_documented(demo):
    admin = demo["admin"]
    assert admin.is_superuser and admin.is_staff
    roles = dict(OrganisationRole.objects.values_list("user__username", "role"))
    assert roles == {
        "admin": "administrator",
        "bob": "pmo",
        "erin": "executive",
        "rita": "resource_manager",
    }


def test_project_roles_are_as_documented(demo):
    def roles_of(username):
        return dict(
            Membership.objects.filter(person__user__username=username).values_list(
                "project__code", "role"
            )
        )

    assert roles_of("priya") == {"CRM": "project_manager", "DATAPLAT": "project_manager"}
    assert roles_of("mary") == {"CRM": "project_support", "DATAPLAT": "project_support"}
    assert roles_of("tom") == {"CRM": "team_member"}
    assert roles_of("olga") == {}


def test_each_login_sees_what_the_interfaces_promise(demo):
    every = set(Project.objects.values_list("code", flat=True))
    assert codes(demo["olga"]) == set()
    assert codes(demo["tom"]) == {"CRM"}
    assert codes(demo["priya"]) == codes(demo["mary"]) == {"CRM", "DATAPLAT"}
    for username in ("admin", "bob", "erin", "rita"):
        assert codes(demo[username]) == every


def test_history_has_depth_and_names_the_people_who_acted(demo):
    crm = Project.objects.get(code="CRM")
    history = project_history(project_id=crm.pk)

    authors = {entry.who for entry in history}
    assert {"Bob Harris", "Priya Shah", "Mary Okafor"} <= authors
    changed = {change.field for entry in history for change in entry.changes}
    assert {"status", "health"} <= changed
    months = {(entry.when.year, entry.when.month) for entry in history}
    assert len(months) >= 4, "history should span several months"
    assert all(entry.who != "system" for entry in history)


def test_closed_project_is_closed_on_its_story_date(demo):
    dcexit = Project.objects.get(code="DCEXIT")
    assert dcexit.status == "closed"
    assert dcexit.closed_on.isoformat() == "2026-11-06"


def test_running_the_demo_twice_changes_nothing(demo):
    before = snapshot()

    output = run_demo()

    assert snapshot() == before
    assert "nothing changed" in output
    assert User.objects.filter(username="priya").count() == 1


def test_demo_adds_only_what_is_missing(demo):
    Project.objects.get(code="PORTAL").delete()
    before = snapshot()

    result = load_demo_organisation()

    assert result.created == {"projects": 1, "memberships": 1}
    assert snapshot()["Project"] == before["Project"] + 1


def test_output_has_the_url_and_every_login(db, monkeypatch):
    monkeypatch.setenv("HOST", "0.0.0.0")  # noqa: S104 — shown as a local address
    monkeypatch.setenv("PORT", "8123")

    output = run_demo()

    assert "http://127.0.0.1:8123/" in output
    for spec in USERS:
        assert f"{spec.username} " in output
        assert spec.role_summary in output
    assert "demo" in output


def test_if_empty_skips_a_database_with_users_but_still_prints_logins(db):
    User.objects.create_user("someone", password="x-very-long-secret")

    output = run_demo("--if-empty")

    assert not Project.objects.exists()
    assert "not loaded" in output
    assert "priya" in output and "Password" in output


def test_if_empty_loads_an_empty_database(db):
    run_demo("--if-empty")

    assert Project.objects.count() == len(PROJECTS)


@pytest.mark.parametrize("args", [(), ("--if-empty",)])
@override_settings(STEERCO_PRODUCTION=True)
def test_demo_refuses_production_settings(db, args):
    User.objects.create_user("existing", password="x-very-long-secret")

    with pytest.raises(CommandError, match="production"):
        run_demo(*args)
    assert list(User.objects.values_list("username", flat=True)) == ["existing"]


def test_demo_staffing_has_an_overbooked_role_and_open_requests(demo):
    """About sixty people with roles, skills and working patterns; developers are booked
    beyond what they can give in some week ahead, and priya's requests for a role wait for
    a person."""
    from steerco.engine.capacity import GroupBy, load_table
    from steerco.resources.models import Leave
    from steerco.staffing.models import Allocation
    from steerco.staffing.selectors import capacity_model

    assert Person.objects.count() >= 55
    assert Person.objects.filter(primary_role__isnull=False).count() >= 50
    assert Person.objects.filter(skills__isnull=False).distinct().count() >= 50
    assert Leave.objects.exists()
    assert Allocation.objects.filter(person__isnull=True, state="requested").count() >= 1
    monday = date.today() - timedelta(days=date.today().weekday())
    model, _ = capacity_model(first=monday, last=monday + timedelta(weeks=12), interval="week")
    developers = load_table(model, GroupBy.ROLE)
    row = developers.keys.index("Developer")
    assert (developers.demand[row] > developers.capacity[row]).any()
