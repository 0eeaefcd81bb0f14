"""A plan import keeps the service up and the project's data whole (issue 14, items 1 and 4):
the upload limit is the one the middleware applies, the JSON body is described by the
schema the import checks, and an import without baselines keeps the project's baselines.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.db import OperationalError

from steerco.engine.interop.plan_json_schema import PLAN_SCHEMA
from steerco.plans.models import Baseline, BaselineTask, PlanImport, PlanImportFile, Task, TaskLink
from steerco.plans.transfer import plan_import

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mspdi"
CSV_PLAN = b"Name,Duration\nDesign,2d\nBuild,3d\n"


def _upload(client, project, data: bytes, name: str):
    handle = io.BytesIO(data)
    handle.name = name
    return client.post(f"/api/v1/projects/{project.pk}/plan/import", {"file": handle})


# --- the upload limit is the settings' ----------------------------------------------------


def test_the_api_refuses_a_plan_over_the_settings_limit(org, client_for, settings):
    settings.STEERCO_PLAN_UPLOAD_MAX_BYTES = 30

    response = _upload(client_for("mary"), org.alpha, CSV_PLAN, "plan.csv")

    assert response.status_code == 413, response.content
    assert response.json()["code"] == "too_large"
    assert not Task.objects.filter(project=org.alpha).exists()


def test_the_page_refuses_a_plan_over_the_settings_limit(org, client_for, settings):
    settings.STEERCO_PLAN_UPLOAD_MAX_BYTES = 30
    handle = io.BytesIO(CSV_PLAN)
    handle.name = "plan.csv"

    response = client_for("mary").post(
        f"/projects/{org.alpha.pk}/plan/import/", {"file": handle, "mode": "replace"}
    )

    assert response.status_code == 422
    assert "larger than" in response.content.decode()
    assert not Task.objects.filter(project=org.alpha).exists()


def test_a_larger_settings_limit_lets_the_service_take_a_larger_file(org, settings):
    from steerco.plans import transfer

    settings.STEERCO_PLAN_UPLOAD_MAX_BYTES = 40 * 1024 * 1024

    assert transfer.import_limit() == 40 * 1024 * 1024


# --- the OpenAPI document describes the JSON plan -----------------------------------------


def test_the_openapi_document_describes_the_json_plan_body(org, client_for):
    document = client_for("priya").get("/api/openapi.json").json()

    operation = document["paths"]["/api/v1/projects/{project_id}/plan/import"]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]

    assert schema["properties"] == PLAN_SCHEMA["properties"]
    assert schema["required"] == PLAN_SCHEMA["required"]
    assert schema["properties"]["tasks"]["items"]["properties"]["name"]["type"] == "string"


# --- baselines ----------------------------------------------------------------------------


def _saved_baseline(project, number: int, uids=(1, 2)) -> Baseline:
    baseline = Baseline.objects.create(project=project, number=number, name=f"Saved {number}")
    BaselineTask.objects.bulk_create(
        [BaselineTask(baseline=baseline, task_uid=uid, name=f"Task {uid}") for uid in uids]
    )
    return baseline


def test_an_import_without_baselines_keeps_the_projects_baselines(org):
    plan_import(actor=org.mary, project=org.alpha, data=CSV_PLAN, filename="plan.csv")
    kept = _saved_baseline(org.alpha, 0)

    plan_import(actor=org.mary, project=org.alpha, data=CSV_PLAN, filename="again.csv")

    assert list(Baseline.objects.filter(project=org.alpha)) == [kept]
    assert sorted(kept.tasks.values_list("task_uid", flat=True)) == [1, 2]
    # The new plan's tasks have the UIDs the baseline holds, so they compare again.
    assert sorted(Task.objects.filter(project=org.alpha).values_list("uid", flat=True)) == [1, 2]


def test_an_import_replaces_only_the_baselines_the_file_carries(org):
    _saved_baseline(org.alpha, 0)
    kept = _saved_baseline(org.alpha, 3)
    text = (SHARED / "task-baselines-project2019-mspdi.xml").read_text()
    # Only baseline 0 is left in the file.
    only_zero = re.sub(
        r"<Baseline>\s*<Number>(?:[1-9]|10)</Number>.*?</Baseline>", "", text, flags=re.S
    )

    report = plan_import(actor=org.mary, project=org.alpha, data=only_zero.encode())

    assert report.baselines == 1
    numbers = dict(Baseline.objects.filter(project=org.alpha).values_list("number", "name"))
    assert numbers == {0: "Baseline 0 (imported)", 3: kept.name}
    assert kept.tasks.count() == 2


# --- large imports run as background jobs, all or nothing ---------------------------------


def _run_worker() -> None:
    from unittest import mock

    from django.core.management import call_command

    # Keep the test's transaction's connection open (see tests/jobs/test_jobs.run_worker).
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", "--batch", verbosity=0)


@pytest.fixture
def large(monkeypatch):
    """Files of 3 tasks or more count as large, so a test file shows the large path."""
    from steerco.plans import transfer

    monkeypatch.setattr(transfer, "SYNC_IMPORT_MAX_TASKS", 3)
    monkeypatch.setattr(transfer, "BATCH_ROWS", 2)
    monkeypatch.setattr(transfer, "SQLITE_PAUSE_SECONDS", 0)


LARGE_CSV = b"Name,Duration,Predecessors\nDesign,2d,\nBuild,3d,1\nTest,1d,2\nShip,0d,3\n"


def _names(project) -> list[str]:
    return list(Task.objects.filter(project=project).values_list("name", flat=True))


def test_a_large_import_is_a_background_job_and_switches_when_done(org, client_for, large):
    from steerco.jobs.models import Job
    from steerco.projects.selectors import project_history

    plan_import(actor=org.mary, project=org.alpha, data=CSV_PLAN, filename="old.csv")
    mary = client_for("mary")

    answer = _upload(mary, org.alpha, LARGE_CSV, "big.csv")

    assert answer.status_code == 202, answer.content
    queued = answer.json()
    assert queued["state"] == "staging" and queued["tasks"] == 4
    job = Job.objects.get(pk=queued["job_id"])
    assert job.kind == "plan_import" and job.owner == org.mary
    assert _names(org.alpha) == ["Design", "Build"]  # the old plan until the switch

    _run_worker()

    assert _names(org.alpha) == ["Design", "Build", "Test", "Ship"]
    assert TaskLink.objects.filter(project=org.alpha).count() == 3
    # Nothing left of the old plan's rows, nor marked rows of the import.
    assert Task.all_rows.filter(project=org.alpha).count() == 4
    assert not Task.all_rows.filter(staged_import__isnull=False).exists()
    status = mary.get(queued["status_url"]).json()
    assert status["state"] == "switched" and status["progress"] == 100
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.progress == 100
    assert not PlanImportFile.objects.filter(plan_import_id=queued["id"]).exists()  # not kept
    entry = project_history(project_id=org.alpha.pk)[0]
    assert entry.reason == "Imported from big.csv"
    assert "4 tasks created" in entry.counts and "2 tasks deleted" in entry.counts


def test_a_failed_large_import_leaves_the_plan_as_it_was(org, client_for, large, monkeypatch):
    from steerco.jobs.models import Job
    from steerco.plans import transfer

    plan_import(actor=org.mary, project=org.alpha, data=CSV_PLAN, filename="old.csv")
    before = list(Task.objects.filter(project=org.alpha).values_list("pk", "name", "version"))
    history_before = Task.history.count()

    def broken_switch(**kwargs):
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(transfer, "_switch", broken_switch)
    queued = _upload(client_for("mary"), org.alpha, LARGE_CSV, "big.csv").json()

    _run_worker()

    after = list(Task.objects.filter(project=org.alpha).values_list("pk", "name", "version"))
    assert after == before
    assert Task.all_rows.count() == len(before)  # the rows it wrote are gone
    assert not TaskLink.all_rows.filter(staged_import__isnull=False).exists()
    assert Task.history.count() == history_before  # and so is their history
    run = PlanImport.objects.get(pk=queued["id"])
    assert run.state == PlanImport.State.FAILED
    assert not PlanImportFile.objects.filter(plan_import=run).exists()
    assert Job.objects.get(pk=queued["job_id"]).status == Job.Status.FAILED


def test_rows_being_imported_are_in_no_list_and_no_history(org, large):
    from steerco.projects.selectors import project_history

    plan_import(actor=org.mary, project=org.alpha, data=CSV_PLAN, filename="old.csv")
    run = PlanImport.objects.create(project=org.alpha, started_by=org.mary, filename="x.csv")
    Task.objects.bulk_create(
        [Task(project=org.alpha, staged_import=run, uid=1, position=1, name="Staged")]
    )

    assert _names(org.alpha) == ["Design", "Build"]
    assert org.alpha.tasks.count() == 2
    assert "Staged" not in str(project_history(project_id=org.alpha.pk))


def test_the_import_page_sends_a_large_file_to_its_job_page(org, client_for, large):
    from steerco.jobs.models import Job

    handle = io.BytesIO(LARGE_CSV)
    handle.name = "big.csv"

    response = client_for("mary").post(
        f"/projects/{org.alpha.pk}/plan/import/", {"file": handle, "mode": "replace"}
    )

    job = Job.objects.get(kind="plan_import")
    assert response.status_code == 302
    assert response.url == f"/jobs/{job.pk}/"


def test_a_file_with_problems_is_refused_before_any_job(org, client_for, large):
    from steerco.jobs.models import Job

    answer = _upload(client_for("mary"), org.alpha, b"Name,Duration\nA,1d\nB,zz\nC,1d\n", "x.csv")

    assert answer.status_code == 422
    assert not Job.objects.exists() and not PlanImport.objects.exists()


def test_a_large_mspdi_file_linking_to_a_missing_task_is_refused_before_any_job(
    org, client_for, large
):
    # Issue 9, item 7: the link was dropped and the task imported without its predecessor.
    from steerco.jobs.models import Job

    tasks = "".join(
        f"<Task><UID>{uid}</UID><Name>Step {uid}</Name><Duration>PT8H0M0S</Duration>"
        f"<PredecessorLink><PredecessorUID>{uid - 1 if uid != 3 else 30}</PredecessorUID>"
        "</PredecessorLink></Task>"
        for uid in range(2, 6)
    )
    xml = (
        '<Project xmlns="http://schemas.microsoft.com/project">'
        "<StartDate>2027-01-04T08:00:00</StartDate><Tasks>"
        f"<Task><UID>1</UID><Name>Step 1</Name></Task>{tasks}</Tasks></Project>"
    )

    answer = _upload(client_for("mary"), org.alpha, xml.encode(), "big.xml")

    assert answer.status_code == 422, answer.content
    assert answer.json()["detail"] == (
        "Task 3 'Step 3' has a predecessor link to task 30, which is not in the file "
        "(or is a blank row)."
    )
    assert not Job.objects.exists() and not PlanImport.objects.exists()
    assert not Task.all_rows.filter(project=org.alpha).exists()


def test_a_large_import_updates_its_own_row_every_ten_points(org, client_for, large):
    # Its row holds the file, which SQLite rewrote at every batch's progress update: a
    # 40 MB file took a fifth of a second each time, longer than the batch (issue 9).
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = "".join(f"Step {n},1d,{n - 1 if n > 1 else ''}\n" for n in range(1, 41))
    queued = _upload(
        client_for("mary"), org.alpha, b"Name,Duration,Predecessors\n" + rows.encode(), "big.csv"
    ).json()

    with CaptureQueriesContext(connection) as queries:
        _run_worker()

    updates = [
        q["sql"] for q in queries if q["sql"].startswith('UPDATE "plans_planimport" SET "progress"')
    ]
    assert 0 < len(updates) <= 10
    assert PlanImport.objects.get(pk=queued["id"]).state == PlanImport.State.SWITCHED
    assert len(_names(org.alpha)) == 40
