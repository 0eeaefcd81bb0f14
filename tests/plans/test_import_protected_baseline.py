"""A plan import may replace a protected baseline 0 only where saving one may (issue 14):
whoever lacks ``P.BASELINE_PROTECTED_OVERWRITE`` is refused before anything is written,
and a permitted replacement is kept in the history with the import as its reason.

mary supports ALPHA (she may change the plan, not the approved baseline); priya manages it.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from steerco.plans import transfer
from steerco.plans.models import Baseline, BaselineTask, PlanImport, Task

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mspdi"
CSV_PLAN = b"Name,Duration\nDesign,2d\nBuild,3d\n"


def _file(numbers: str) -> bytes:
    """The Project 2019 sample with only the baselines whose number matches ``numbers``."""
    text = (SHARED / "task-baselines-project2019-mspdi.xml").read_text()
    pattern = rf"<Baseline>\s*<Number>(?!(?:{numbers})</Number>)\d+</Number>.*?</Baseline>"
    return re.sub(pattern, "", text, flags=re.S).encode()


@pytest.fixture
def approved(org):
    """ALPHA with a plan and its protected baseline 0."""
    transfer.plan_import(actor=org.priya, project=org.alpha, data=CSV_PLAN, filename="old.csv")
    baseline = Baseline.objects.create(
        project=org.alpha, number=0, name="Approved at gate 2", protected=True
    )
    BaselineTask.objects.bulk_create(
        [BaselineTask(baseline=baseline, task_uid=uid, name=f"Task {uid}") for uid in (1, 2)]
    )
    return baseline


def _plan_names(project) -> list[str]:
    return list(Task.objects.filter(project=project).values_list("name", flat=True))


def test_an_import_carrying_a_protected_baseline_is_refused_before_anything_is_written(
    org, approved
):
    with pytest.raises(PermissionDenied) as refused:
        transfer.plan_import_submit(actor=org.mary, project=org.alpha, data=_file("0"))

    message = str(refused.value)
    assert "baseline 0" in message and "protected" in message
    assert "project manager or the PMO" in message
    assert _plan_names(org.alpha) == ["Design", "Build"]
    approved.refresh_from_db()
    assert approved.name == "Approved at gate 2" and approved.tasks.count() == 2
    assert PlanImport.objects.filter(project=org.alpha).count() == 1  # the first import's


def test_the_api_answers_403_with_the_reason(org, approved, client_for):
    handle = io.BytesIO(_file("0"))
    handle.name = "plan.xml"

    response = client_for("mary").post(
        f"/api/v1/projects/{org.alpha.pk}/plan/import", {"file": handle}
    )

    assert response.status_code == 403, response.content
    assert "baseline 0" in response.json()["detail"]
    assert Baseline.objects.get(project=org.alpha, number=0).name == "Approved at gate 2"


def test_the_import_page_shows_the_refusal(org, approved, client_for):
    handle = io.BytesIO(_file("0"))
    handle.name = "plan.xml"

    response = client_for("mary").post(
        f"/projects/{org.alpha.pk}/plan/import/", {"file": handle, "mode": "replace"}
    )

    assert response.status_code == 422  # the import form, refused, with the reason on it
    assert "only the project manager or the PMO may replace it" in response.content.decode()
    assert _plan_names(org.alpha) == ["Design", "Build"]


def test_a_file_without_the_protected_baseline_is_imported_as_before(org, approved):
    report = transfer.plan_import(actor=org.mary, project=org.alpha, data=_file("3"))

    assert report.baselines == 1
    numbers = dict(Baseline.objects.filter(project=org.alpha).values_list("number", "name"))
    assert numbers == {0: "Approved at gate 2", 3: "Baseline 3 (imported)"}


def test_the_project_manager_replaces_it_and_the_history_keeps_the_import_as_reason(org, approved):
    transfer.plan_import(
        actor=org.priya, project=org.alpha, data=_file("0"), filename="rebaselined.xml"
    )

    replaced = Baseline.objects.get(project=org.alpha, number=0)
    assert replaced.pk != approved.pk and replaced.name == "Baseline 0 (imported)"
    assert replaced.protected  # still the approved baseline
    reason = "Imported from rebaselined.xml"
    deleted = Baseline.history.get(id=approved.pk, history_type="-")
    created = Baseline.history.get(id=replaced.pk, history_type="+")
    for row in (deleted, created):
        assert (row.history_user, row.history_change_reason, row.reason) == (
            org.priya,
            reason,
            reason,
        )


def test_a_baseline_protected_while_a_large_import_waits_is_not_replaced(org, monkeypatch):
    """The worker checks again as it switches: the file was read before the protection."""
    from steerco.jobs.models import Job

    monkeypatch.setattr(transfer, "SYNC_IMPORT_MAX_TASKS", 3)
    transfer.plan_import(actor=org.mary, project=org.alpha, data=CSV_PLAN, filename="old.csv")
    Baseline.objects.create(project=org.alpha, number=0, name="Draft")
    run = transfer.plan_import_submit(actor=org.mary, project=org.alpha, data=_file("0"))
    assert isinstance(run, PlanImport)
    Baseline.objects.filter(project=org.alpha, number=0).update(protected=True)

    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", "--batch", verbosity=0)

    job = Job.objects.get(pk=run.job_id)
    assert job.status == Job.Status.FAILED
    assert "baseline 0" in job.error_message and "protected" in job.error_message
    run.refresh_from_db()
    assert run.state == PlanImport.State.FAILED
    assert Baseline.objects.get(project=org.alpha, number=0).name == "Draft"
    assert _plan_names(org.alpha) == ["Design", "Build"]
    assert not Task.all_rows.filter(staged_import__isnull=False).exists()
