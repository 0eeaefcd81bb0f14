"""Deleting a project moves it to the trash; the PMO restores it, an administrator purges
it (issue 14, item 3: nothing lost)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from steerco.core.history import change_set
from steerco.logs import services as log_services
from steerco.logs.models import Risk
from steerco.plans.models import Task
from steerco.plans.services import baseline_save, task_create
from steerco.projects.models import Membership, Project
from steerco.projects.selectors import project_history
from steerco.projects.services import project_delete, project_purge, purge_expired

JSON = "application/json"


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _fill(org):
    """BETA with a plan, a baseline and log items; ALPHA depends on BETA."""
    task = task_create(actor=org.priya, project=org.beta, name="Load the warehouse")
    task_create(actor=org.priya, project=org.beta, name="Reconcile")
    baseline_save(actor=org.priya, project=org.beta, number=0)
    log_services.item_create(
        actor=org.priya,
        project=org.beta,
        kind="risks",
        title="Vendor late",
        probability=3,
        impact=4,
    )
    dependency = log_services.item_create(
        actor=org.priya,
        project=org.alpha,
        kind="dependencies",
        title="Customer data from the platform",
        other_project=org.beta,
    )
    return task, dependency


def _trash(org, project):
    project = Project.objects.get(pk=project.pk)
    return project_delete(actor=org.bob, project=project, expected_version=project.version)


def test_deleting_moves_the_project_to_the_trash_and_keeps_its_data(org, client_for):
    _fill(org)
    response = client_for("bob").post(
        reverse("projects:delete", kwargs={"pk": org.beta.pk}), {"version": org.beta.version}
    )
    assert response.status_code == 302

    trashed = Project.all_objects.get(pk=org.beta.pk)
    assert trashed.in_trash and trashed.deleted_by == org.bob
    assert Task.objects.filter(project_id=org.beta.pk).count() == 2
    assert Risk.objects.filter(project_id=org.beta.pk).count() == 1
    assert Membership.objects.filter(project_id=org.beta.pk).exists()
    # Gone from lists, counts, pages and the API, for everyone.
    bob = client_for("bob")
    assert "BETA" not in _text(bob.get(reverse("projects:list")))
    assert bob.get(reverse("projects:detail", kwargs={"pk": org.beta.pk})).status_code == 404
    codes = [p["code"] for p in bob.get("/api/v1/projects").json()["items"]]
    assert "BETA" not in codes
    assert bob.get(f"/api/v1/projects/{org.beta.pk}").status_code == 404
    portfolio = _text(bob.get(reverse("portfolios:detail", kwargs={"pk": org.portfolio.pk})))
    assert "Beta data platform" not in portfolio
    assert "BETA" not in _text(client_for("priya").get(reverse("home:home")))
    # ALPHA's dependency on it is still there, and says where BETA went.
    text = _text(bob.get(reverse("logs:list", args=[org.alpha.pk, "dependencies"])))
    assert "Customer data from the platform" in text
    assert "BETA Beta data platform (in the trash)" in text


def test_the_delete_confirmation_counts_what_goes_to_the_trash(org, client_for):
    _fill(org)
    text = _text(client_for("bob").get(reverse("projects:delete", kwargs={"pk": org.beta.pk})))
    assert "2 tasks" in text
    assert "1 risks" in text or "1 risk" in text
    assert "restore it" in text


def test_pmo_restores_through_the_api_and_the_history_says_so(org, client_for):
    _fill(org)
    _trash(org, org.beta)
    version = Project.all_objects.get(pk=org.beta.pk).version
    url = f"/api/v1/projects/{org.beta.pk}/restore"
    assert client_for("olga").post(url, {"version": version}, JSON).status_code == 404
    assert client_for("priya").post(url, {"version": version}, JSON).status_code == 403
    assert client_for("erin").post(url, {"version": version}, JSON).status_code == 403
    response = client_for("bob").post(url, {"version": version}, JSON)
    assert response.status_code == 200, response.content
    assert response.json()["code"] == "BETA"
    assert Project.objects.filter(pk=org.beta.pk).exists()
    assert Task.objects.filter(project_id=org.beta.pk).count() == 2
    reasons = [(e.reason, e.who) for e in project_history(project_id=org.beta.pk)]
    assert ("Restored from the trash", "Bob Baker") in reasons
    assert ("Moved to the trash", "Bob Baker") in reasons
    # A project not in the trash is not restored again.
    assert client_for("bob").post(url, {"version": version + 1}, JSON).status_code == 404


def test_the_trash_page_lists_who_deleted_what_and_restores(org, client_for):
    _trash(org, org.gamma)
    page = client_for("bob").get(reverse("projects:trash"))
    text = _text(page)
    assert page.status_code == 200
    assert "GAMMA" in text and "Bob Baker" in text and "Restore" in text
    purge = reverse("projects:purge", kwargs={"pk": org.gamma.pk})
    assert purge not in text  # purging is the administrator's
    assert purge in _text(client_for("admin").get(reverse("projects:trash")))
    assert client_for("priya").get(reverse("projects:trash")).status_code == 403
    assert "GAMMA" in _text(client_for("bob").get("/api/v1/projects/trash"))
    version = Project.all_objects.get(pk=org.gamma.pk).version
    response = client_for("bob").post(
        reverse("projects:restore", kwargs={"pk": org.gamma.pk}), {"version": version}
    )
    assert response.status_code == 302
    assert Project.objects.filter(pk=org.gamma.pk).exists()


def test_only_an_administrator_purges_after_a_confirmation_with_counts(org, client_for):
    _task, dependency = _fill(org)
    _trash(org, org.beta)
    url = reverse("projects:purge", kwargs={"pk": org.beta.pk})
    assert client_for("bob").get(url).status_code == 403
    assert client_for("olga").get(url).status_code == 404
    page = _text(client_for("admin").get(url))
    for expected in ("2 tasks", "memberships", "baselines", "cannot be undone"):
        assert expected in page
    version = Project.all_objects.get(pk=org.beta.pk).version
    assert client_for("bob").post(url, {"version": version}).status_code == 403
    response = client_for("admin").post(url, {"version": version})
    assert response.status_code == 302
    assert not Project.all_objects.filter(pk=org.beta.pk).exists()
    assert not Task.objects.filter(project_id=org.beta.pk).exists()
    # The trash page keeps the last word on it: who purged it, and why.
    trash = _text(client_for("bob").get(reverse("projects:trash")))
    assert "Deleted for good" in trash
    assert "BETA Beta data platform" in trash and "Purged project BETA" in trash
    # Every purged row's history names who purged it, and why.
    for model in (Task, Risk, Membership, Project):
        rows = model.history.filter(history_type="-")
        if model is Project:
            rows = rows.filter(id=org.beta.pk)
        else:
            rows = rows.filter(project_id=org.beta.pk)
        assert rows.exists(), model
        assert set(rows.values_list("history_user_id", flat=True)) == {org.admin.pk}, model
        assert set(rows.values_list("history_change_reason", flat=True)) == {"Purged project BETA"}
    # ALPHA's dependency keeps what it depended on, with the change in its history.
    dependency.refresh_from_db()
    assert dependency.other_project_id is None
    assert dependency.external_party == "BETA Beta data platform (purged project)"
    assert dependency.history.first().history_user_id == org.admin.pk


def test_purge_through_the_api_answers_the_counts(org, client_for):
    _fill(org)
    _trash(org, org.beta)
    version = Project.all_objects.get(pk=org.beta.pk).version
    url = f"/api/v1/projects/{org.beta.pk}/purge?version={version}"
    assert client_for("bob").delete(url).status_code == 403
    response = client_for("admin").delete(url)
    assert response.status_code == 200, response.content
    counts = {row["kind"]: row["count"] for row in response.json()}
    assert counts["tasks"] == 2
    assert not Project.all_objects.filter(pk=org.beta.pk).exists()


def test_a_live_project_cannot_be_purged(org, client_for):
    url = f"/api/v1/projects/{org.gamma.pk}/purge?version={org.gamma.version}"
    assert client_for("admin").delete(url).status_code == 404
    assert Project.objects.filter(pk=org.gamma.pk).exists()


def test_projects_are_purged_automatically_after_30_days(org):
    _trash(org, org.gamma)
    _trash(org, org.beta)
    Project.all_objects.filter(pk=org.gamma.pk).update(
        deleted_at=timezone.now() - dt.timedelta(days=31)
    )
    assert purge_expired() == ["GAMMA"]
    assert not Project.all_objects.filter(pk=org.gamma.pk).exists()
    assert Project.all_objects.filter(pk=org.beta.pk).exists()  # 29 days to go
    row = Project.history.filter(id=org.gamma.pk, history_type="-").get()
    assert "after 30 days in the trash" in row.history_change_reason


def test_a_running_worker_purges_daily_by_default_as_the_command_does(org, settings):
    """On unless switched off, daily; the worker's purge and ``steerco purge_trash`` leave
    the same history: no person, and the reason says it was the 30 days."""
    from django.core.management import call_command

    from steerco.core.background import periodic_jobs

    (job,) = [job for job in periodic_jobs() if job.name == "trash_purge"]
    assert job.every == 24 * 3600
    assert "30 days" in job.when() and "once a day" in job.when()
    _trash(org, org.gamma)
    _trash(org, org.beta)
    month_ago = timezone.now() - dt.timedelta(days=30, minutes=1)
    Project.all_objects.filter(pk=org.gamma.pk).update(deleted_at=month_ago)

    assert job.tick() == ["GAMMA"]  # the worker's turn: BETA has a while to go

    Project.all_objects.filter(pk=org.beta.pk).update(deleted_at=month_ago)
    out = io.StringIO()
    call_command("purge_trash", stdout=out)
    assert "BETA" in out.getvalue()

    assert not Project.all_objects.filter(pk__in=[org.gamma.pk, org.beta.pk]).exists()
    for project in (org.gamma, org.beta):
        row = Project.history.filter(id=project.pk, history_type="-").get()
        assert row.history_user is None
        assert row.history_change_reason == (
            f"Purged project {project.code} after 30 days in the trash"
        )


def test_the_worker_purge_can_be_switched_off(settings):
    from steerco.core.background import periodic_jobs

    (job,) = [job for job in periodic_jobs() if job.name == "trash_purge"]
    settings.STEERCO_TRASH_PURGE = False

    assert job.when() is None


def test_a_trashed_projects_code_stays_taken(org, client_for):
    _trash(org, org.gamma)
    response = client_for("bob").post(
        "/api/v1/projects", json.dumps({"code": "GAMMA", "name": "Again"}), content_type=JSON
    )
    assert response.status_code in (409, 422), response.content


def test_trashed_projects_leave_the_digest_and_the_register(org):
    from steerco.logs.selectors import digest_for

    log_services.item_create(
        actor=org.priya,
        project=org.beta,
        kind="actions",
        title="Chase the vendor",
        owner=org.people["tom"],
        due_date=dt.date.today(),
    )
    assert digest_for(person=org.people["tom"]).due_actions
    _trash(org, org.beta)
    assert not digest_for(person=org.people["tom"]).due_actions


def test_purge_inside_a_change_set_joins_it(org):
    """The purge opens its own change set; called inside another, it joins that one."""
    _trash(org, org.gamma)
    gamma = Project.all_objects.get(pk=org.gamma.pk)
    with change_set(actor=org.admin, reason="Clean-up"):
        project_purge(actor=org.admin, project=gamma)
    row = Project.history.filter(id=org.gamma.pk, history_type="-").get()
    assert row.history_user_id == org.admin.pk


@pytest.mark.parametrize("username", ["priya", "tom"])
def test_only_pmo_and_admin_move_projects_to_the_trash(org, client_for, username):
    url = f"/api/v1/projects/{org.alpha.pk}?version={org.alpha.version}"
    assert client_for(username).delete(url).status_code == 403
    assert Project.objects.filter(pk=org.alpha.pk).exists()
