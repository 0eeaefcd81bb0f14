"""Overwriting a saved baseline: it needs the version read, a protected baseline 0 needs
the project manager or the PMO and a reason, and the history keeps who, when and why.

The threaded test is PostgreSQL-only: SQLite serialises every write behind one database
lock, so only a server with row locks shows that twenty saves of one baseline at the same
moment cannot all go through.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from steerco.plans import services
from steerco.plans.models import Baseline
from steerco.projects.selectors import project_history

JSON = "application/json"
DAY = 480


def baselines_url(project, suffix: str = "") -> str:
    return f"/api/v1/projects/{project.pk}/baselines{suffix}"


def post(client, project, body: dict):
    return client.post(baselines_url(project), body, content_type=JSON)


@pytest.fixture
def planned(org):
    """ALPHA with one task, so a baseline has something to save."""
    services.task_create(actor=org.mary, project=org.alpha, name="Design", duration_minutes=DAY)
    return org.alpha


# --- the version ------------------------------------------------------------------------


def test_overwriting_without_the_version_is_409_with_the_stored_baseline(planned, client_for):
    mary = client_for("mary")
    assert post(mary, planned, {"number": 1, "name": "Agreed"}).status_code == 201

    response = post(mary, planned, {"number": 1, "name": "Replaced blindly"})

    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "version_conflict"
    assert body["current"]["name"] == "Agreed" and body["current"]["version"] == 1
    assert Baseline.objects.get(project=planned, number=1).name == "Agreed"


def test_a_stale_version_is_409_and_the_first_overwrite_stands(planned, client_for):
    """Two people read baseline 2 at version 1; the second to save is refused."""
    mary, priya = client_for("mary"), client_for("priya")
    first = post(mary, planned, {"number": 2, "name": "First"}).json()

    won = post(priya, planned, {"number": 2, "name": "Priya's", "version": first["version"]})
    lost = post(mary, planned, {"number": 2, "name": "Mary's", "version": first["version"]})

    assert won.status_code == 201 and won.json()["version"] == 2
    assert lost.status_code == 409
    assert lost.json()["current"]["name"] == "Priya's"
    stored = Baseline.objects.get(project=planned, number=2)
    assert (stored.name, stored.version) == ("Priya's", 2)


def test_overwriting_with_the_same_dates_still_makes_a_new_version(planned, org):
    """A baseline saved again is a new snapshot even when nothing has moved."""
    baseline = services.baseline_save(actor=org.mary, project=planned, number=4)
    again = services.baseline_save(
        actor=org.mary, project=planned, number=4, expected_version=baseline.version
    )
    assert again.version == baseline.version + 1


def test_a_version_for_a_baseline_deleted_meanwhile_is_404(planned, client_for):
    mary = client_for("mary")
    saved = post(mary, planned, {"number": 3}).json()
    assert mary.delete(baselines_url(planned, "/3")).status_code == 204

    response = post(mary, planned, {"number": 3, "version": saved["version"]})

    assert response.status_code == 404
    assert not Baseline.objects.filter(project=planned, number=3).exists()


def test_the_baselines_page_sends_the_version_it_showed(planned, client_for, org):
    services.baseline_save(actor=org.mary, project=planned, number=1, name="Shown")
    client = client_for("mary")
    page = reverse("plans:baselines", kwargs={"project_id": planned.pk})
    html = client.get(page).content.decode()
    assert 'name="version_1" value="1"' in html

    # Someone saves baseline 1 again after the page was drawn.
    services.baseline_save(
        actor=org.priya, project=planned, number=1, name="Meanwhile", expected_version=1
    )
    response = client.post(
        page, {"number": "1", "name": "Mine", "overwrite": "on", "version_1": "1"}
    )

    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    # The page is drawn again with the version now stored, to confirm against.
    assert 'name="version_1" value="2"' in response.content.decode()
    assert Baseline.objects.get(project=planned, number=1).name == "Meanwhile"


# --- protection ---------------------------------------------------------------------------


def test_baseline_0_saved_by_the_project_manager_is_protected(planned, client_for):
    body = post(client_for("priya"), planned, {"number": 0, "name": "Approved"}).json()
    assert body["protected"] is True


def test_a_protected_baseline_refuses_a_plan_editor_who_is_not_the_manager(planned, client_for):
    approved = post(client_for("priya"), planned, {"number": 0, "name": "Approved"}).json()

    # mary supports the project: she edits the plan, but the approved baseline is not hers.
    response = post(
        client_for("mary"),
        planned,
        {"number": 0, "name": "Mine", "version": approved["version"], "reason": "Re-plan"},
    )

    assert response.status_code == 403, response.content
    assert "protected" in response.json()["detail"]
    delete = client_for("mary").delete(baselines_url(planned, "/0?reason=Tidy"))
    assert delete.status_code == 403
    assert Baseline.objects.get(project=planned, number=0).name == "Approved"


def test_overwriting_a_protected_baseline_needs_a_reason(planned, client_for):
    priya = client_for("priya")
    approved = post(priya, planned, {"number": 0, "name": "Approved"}).json()

    response = post(priya, planned, {"number": 0, "version": approved["version"]})

    assert response.status_code == 422
    assert "reason" in response.json()["fields"]
    assert Baseline.objects.get(project=planned, number=0).version == approved["version"]


def test_the_pmo_overwrites_a_protected_baseline_and_history_keeps_the_reason(
    planned, client_for, org
):
    approved = post(client_for("priya"), planned, {"number": 0, "name": "Approved"}).json()
    reason = "Steering committee approved the re-plan of 12 March " + "x" * 150

    response = post(
        client_for("bob"),
        planned,
        {"number": 0, "name": "Re-planned", "version": approved["version"], "reason": reason},
    )

    assert response.status_code == 201, response.content
    assert response.json()["protected"] is True
    stored = Baseline.objects.get(project=planned, number=0)
    latest = stored.history.order_by("-history_id").first()
    assert (latest.history_user, latest.reason) == (org.bob, reason)  # whole, not cut at 100
    entries = project_history(project_id=planned.pk)
    [entry] = [e for e in entries if e.kind == "baseline" and e.action == "changed"]
    assert entry.who == "Bob Baker"
    assert entry.reason.startswith("Overwrote baseline 0: Steering committee")
    assert {change.field for change in entry.changes} >= {"name", "reason for the change"}


def test_deleting_a_protected_baseline_needs_a_reason_that_history_keeps(planned, client_for):
    priya = client_for("priya")
    post(priya, planned, {"number": 0, "name": "Approved"})

    assert priya.delete(baselines_url(planned, "/0")).status_code == 422
    assert priya.delete(baselines_url(planned, "/0?reason=Project+re-scoped")).status_code == 204

    deleted = Baseline.history.filter(history_type="-").get()
    assert deleted.reason == "Project re-scoped"


def test_only_baseline_0_can_be_protected_and_only_by_the_manager_or_pmo(planned, client_for):
    priya, mary = client_for("priya"), client_for("mary")
    assert post(priya, planned, {"number": 1, "protected": True}).status_code == 422
    assert post(mary, planned, {"number": 0, "protected": True}).status_code == 403
    # mary may save baseline 0 unprotected, and overwrite it while it stays so.
    saved = post(mary, planned, {"number": 0}).json()
    assert saved["protected"] is False
    again = post(mary, planned, {"number": 0, "version": saved["version"]})
    assert again.status_code == 201


# --- at the same moment -------------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("already_saved", [False, True], ids=["first-save", "overwrite"])
def test_twenty_saves_of_one_baseline_at_once_exactly_one_succeeds(org, already_saved):
    """Twenty API clients save baseline 5 at the same moment, all naming the same version
    (none, for a number not yet saved): one gets 201, the other nineteen 409."""
    project = org.alpha
    services.task_create(actor=org.mary, project=project, name="Design", duration_minutes=DAY)
    version = None
    if already_saved:
        version = services.baseline_save(actor=org.mary, project=project, number=5).version
    clients = 20
    start = threading.Barrier(clients)
    statuses: list[int] = []
    errors: list[str] = []

    def save(index: int):
        try:
            client = Client()
            client.force_login(org.users["priya" if index % 2 else "mary"])
            body = {"number": 5, "name": f"Save {index}"}
            if version is not None:
                body["version"] = version
            start.wait(timeout=30)
            statuses.append(post(client, project, body).status_code)
        except Exception as error:  # reported by the assertion below, not swallowed
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    assert sorted(statuses) == [201] + [409] * (clients - 1), statuses
    stored = Baseline.objects.get(project=project, number=5)
    assert stored.version == (version or 0) + 1
    saves = stored.history.exclude(history_type="-").count()
    assert saves == (2 if already_saved else 1)
