"""Importing a file into a project that already has a plan: replace it, or update it by
task UID (ADR 16); either way no baseline the file does not carry is dropped."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse

from steerco.plans import services
from steerco.plans.models import Baseline, Task, TaskLink
from steerco.plans.transfer import REPLACE, UPDATE, PlanImportError, plan_export, plan_import

pytestmark = pytest.mark.django_db
DAY = 480


def _plan(tasks: list[tuple], links: list[tuple]) -> bytes:
    """A SteerCo JSON plan: tasks (uid, name, days), links (predecessor, successor, type, lag)."""
    return json.dumps(
        {
            "format": "steerco-plan",
            "version": 1,
            "name": "Alpha",
            "start": "2026-01-05T08:00:00",
            "tasks": [
                {"uid": uid, "name": name, "duration_minutes": days * DAY}
                for uid, name, days in tasks
            ],
            "links": [
                {"predecessor": p, "successor": s, "type": kind, "lag_minutes": lag}
                for p, s, kind, lag in links
            ],
        }
    ).encode()


OLD = _plan(
    [(1, "Design", 5), (2, "Build", 10), (3, "Test", 5)],
    [(1, 2, "FS", 0), (2, 3, "FS", 0)],
)
# Design is longer and starts Build early; Build is as it was; Launch is new; Test is not in it.
NEW = _plan(
    [(1, "Design", 10), (2, "Build", 10), (4, "Launch", 0)],
    [(1, 2, "SS", DAY), (2, 4, "FS", 0)],
)


@pytest.fixture
def alpha(org):
    plan_import(actor=org.mary, project=org.alpha, data=OLD, filename="old.json")
    return org.alpha


def _tasks(project) -> dict[int, Task]:
    return {task.uid: task for task in Task.objects.filter(project=project)}


def _links(project) -> dict[tuple[int, int], tuple]:
    return {
        (link.predecessor.uid, link.successor.uid): (link.type, link.lag_minutes)
        for link in TaskLink.objects.filter(project=project).select_related(
            "predecessor", "successor"
        )
    }


def test_update_by_uid_updates_adds_and_keeps_tasks_and_records_only_what_changed(org, alpha):
    before = _tasks(alpha)
    history = Task.history.count()

    report = plan_import(actor=org.mary, project=alpha, data=NEW, filename="new.json", mode=UPDATE)

    assert (report.added, report.updated, report.kept, report.deleted) == (1, 1, 1, 0)
    after = _tasks(alpha)
    assert after[1].pk == before[1].pk and after[1].duration_minutes == 10 * DAY
    assert after[1].version == before[1].version + 1
    assert after[2].version == before[2].version  # unchanged: not written
    assert after[3].pk == before[3].pk and after[4].name == "Launch"
    # The file's tasks' predecessors follow the file; the kept task keeps its own.
    assert _links(alpha) == {(1, 2): (3, DAY), (2, 4): (1, 0), (2, 3): (1, 0)}
    written = Task.history.filter(history_change_reason="Imported from new.json")
    # Test (3) is kept after the file's tasks, so its row and WBS code moved: recorded too.
    assert sorted(written.values_list("uid", "history_type")) == [(1, "~"), (3, "~"), (4, "+")]
    assert (after[3].position, after[3].wbs) == (4, "4")
    assert Task.history.count() == history + 3
    changed_link = TaskLink.history.filter(history_change_reason="Imported from new.json")
    assert sorted(changed_link.values_list("history_type", flat=True)) == ["+", "~"]


def test_update_by_uid_deletes_the_tasks_not_in_the_file_only_when_asked(org, alpha):
    report = plan_import(
        actor=org.mary,
        project=alpha,
        data=NEW,
        filename="new.json",
        mode=UPDATE,
        delete_missing=True,
    )

    assert (report.added, report.updated, report.kept, report.deleted) == (1, 1, 0, 1)
    assert sorted(_tasks(alpha)) == [1, 2, 4]
    assert (2, 3) not in _links(alpha)
    deleted = Task.history.filter(history_type="-", history_change_reason="Imported from new.json")
    assert list(deleted.values_list("name", flat=True)) == ["Test"]


def test_replace_keeps_the_baselines_the_file_does_not_carry(org, alpha):
    services.baseline_save(actor=org.priya, project=alpha, number=1, name="Re-plan")
    saved = Baseline.objects.get(project=alpha, number=1)

    report = plan_import(actor=org.mary, project=alpha, data=NEW, filename="new.json")

    assert report.mode == REPLACE and report.baselines_kept == [1] and report.deleted == 3
    assert Baseline.objects.get(project=alpha, number=1).pk == saved.pk
    assert sorted(_tasks(alpha)) == [1, 2, 4]


def test_an_unknown_mode_is_refused_naming_the_modes(org, alpha):
    with pytest.raises(PlanImportError) as refused:
        plan_import(actor=org.mary, project=alpha, data=NEW, filename="new.json", mode="merge")
    assert "replace or update" in refused.value.message and "mode" in refused.value.fields
    assert sorted(_tasks(alpha)) == [1, 2, 3]


def _upload(data: bytes, name: str = "new.json"):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def test_the_api_takes_a_mode_and_answers_422_for_an_unknown_one(org, alpha, client_for):
    path = f"/api/v1/projects/{alpha.pk}/plan/import"
    client = client_for("mary")

    refused = client.post(path, {"file": _upload(NEW), "mode": "merge"})
    assert refused.status_code == 422, refused.content
    body = refused.json()
    assert body["fields"]["mode"] and "replace or update" in body["detail"]

    answer = client.post(path, {"file": _upload(NEW), "mode": "update"})
    assert answer.status_code == 200, answer.content
    report = answer.json()
    assert (report["mode"], report["added"], report["updated"], report["kept"]) == (
        "update",
        1,
        1,
        1,
    )


def test_the_import_page_asks_how_when_the_project_has_a_plan(org, alpha, client_for):
    url = reverse("plans:import", kwargs={"project_id": alpha.pk})
    client = client_for("mary")
    page = client.get(url).content.decode()
    assert 'name="mode"' in page and "Delete tasks not in the file" in page

    unanswered = client.post(url, {"file": _upload(NEW)})
    assert unanswered.status_code == 422
    assert sorted(_tasks(alpha)) == [1, 2, 3]

    done = client.post(url, {"file": _upload(NEW), "mode": "update"})
    assert done.status_code == 200
    text = done.content.decode()
    assert "Tasks added: 1; updated: 1; kept: 1; deleted: 0." in text
    assert sorted(_tasks(alpha)) == [1, 2, 3, 4]


def test_the_import_page_of_a_project_without_a_plan_asks_nothing(org, client_for):
    url = reverse("plans:import", kwargs={"project_id": org.beta.pk})
    client = client_for("mary")
    assert 'name="mode"' not in client.get(url).content.decode()
    assert client.post(url, {"file": _upload(OLD)}).status_code == 200
    assert sorted(_tasks(org.beta)) == [1, 2, 3]


@pytest.mark.parametrize("mode", [REPLACE, UPDATE])
def test_a_file_carrying_a_protected_baseline_as_it_stands_is_not_refused(org, alpha, mode):
    """mary may not replace the approved baseline; re-importing the plan's own export
    leaves it as it is, so she may import it, and it is neither rewritten nor dropped."""
    approved = services.baseline_save(actor=org.priya, project=alpha, number=0, protect=True)
    exported, _type, _name = plan_export(actor=org.mary, project=alpha, fmt="mspdi")
    assert b"<Baseline>" in exported

    report = plan_import(
        actor=org.mary, project=alpha, data=exported, filename="alpha.xml", mode=mode
    )

    assert report.baselines == 0 and report.baselines_kept == [0]
    kept = Baseline.objects.get(project=alpha, number=0)
    assert (kept.pk, kept.version, kept.protected) == (approved.pk, approved.version, True)


def test_a_large_update_runs_as_a_background_job_in_the_mode_asked(org, alpha, monkeypatch):
    from unittest import mock

    from django.core.management import call_command

    from steerco.plans import transfer
    from steerco.plans.models import PlanImport, PlanImportFile

    monkeypatch.setattr(transfer, "SYNC_IMPORT_MAX_TASKS", 2)
    run = transfer.plan_import_submit(
        actor=org.mary,
        project=alpha,
        data=NEW,
        filename="new.json",
        mode=UPDATE,
        delete_missing=True,
    )
    assert isinstance(run, PlanImport) and sorted(_tasks(alpha)) == [1, 2, 3]

    # The worker, in this test's transaction (it would close the connection between jobs).
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", "--batch", verbosity=0)

    run.refresh_from_db()
    assert run.state == PlanImport.State.SWITCHED
    assert not PlanImportFile.objects.filter(plan_import=run).exists()  # not kept
    assert sorted(_tasks(alpha)) == [1, 2, 4]
    assert _tasks(alpha)[1].duration_minutes == 10 * DAY
