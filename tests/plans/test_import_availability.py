"""A plan import keeps the service up and the project's data whole (issue 14, items 1 and 4):
the upload limit is the one the middleware applies, the JSON body is described by the
schema the import checks, and an import without baselines keeps the project's baselines.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from steerco.engine.interop.plan_json_schema import PLAN_SCHEMA
from steerco.plans.models import Baseline, BaselineTask, Task
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
        f"/projects/{org.alpha.pk}/plan/import/", {"file": handle, "replace": "on"}
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
