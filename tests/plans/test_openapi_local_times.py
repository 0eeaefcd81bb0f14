"""The OpenAPI document describes plan dates truthfully: they are local wall-clock times
without offset, which RFC 3339's ``date-time`` (an offset required) is not.

Checked as an API fuzzer checks it: every plan read is answered and its body validated
against the document's schema for it, formats included (jsonschema's ``date-time``
checker is RFC 3339's, as Schemathesis's is). With ``date-time`` declared, every task's
dates failed it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from core.test_route_sweep import OPERATIONS, Objects, api_request, variants_of
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from steerco.plans import services
from steerco.plans.models import Task

JSON = "application/json"
MONDAY = dt.datetime(2026, 1, 5, 8, 0)
DAY = 480


def _answers_json(op) -> bool:
    ok = op.spec["responses"].get(200) or op.spec["responses"].get("200") or {}
    return JSON in ok.get("content", {})


PLAN_READS = [
    op
    for op in OPERATIONS
    if op.method == "get"
    and _answers_json(op)
    and not op.path.endswith("/export")  # a file in the format asked, not a JSON answer
    and op.path.startswith("/api/v1/projects/{project_id}/")
    and "{kind}" not in op.path
    and op.path.split("/")[5]
    in {"plan", "tasks", "task-links", "baselines", "schedule", "calendars"}
]


@pytest.fixture
def dated_plan(org):
    """ALPHA with every kind of plan date set: manual dates, a constraint, a deadline,
    actuals, a status date, and a baseline with its own dates."""
    project = org.alpha
    settings = services.plan_settings(project)
    services.plan_update(
        actor=org.priya,
        project=project,
        expected_version=settings.version,
        start=MONDAY,
        status_date=MONDAY + dt.timedelta(days=3, hours=9),
    )
    design = services.task_create(
        actor=org.priya, project=project, name="Design", duration_minutes=2 * DAY
    )
    services.task_update(
        actor=org.priya,
        task=design,
        expected_version=design.version,
        actual_start=MONDAY,
        percent_complete=50,
        deadline=MONDAY + dt.timedelta(days=10),
    )
    build = services.task_create(
        actor=org.priya, project=project, name="Build", duration_minutes=3 * DAY
    )
    services.task_update(
        actor=org.priya,
        task=build,
        expected_version=build.version,
        constraint_type=Task.Constraint.SNET,
        constraint_date=MONDAY + dt.timedelta(days=7),
    )
    services.link_create(actor=org.priya, project=project, predecessor=design, successor=build)
    services.baseline_save(actor=org.priya, project=project, number=0)
    return project


def _validator(document: dict, schema: dict) -> Draft202012Validator:
    # The operation's schema refers to #/components/...: give it the document's components
    # at its root, where such references resolve.
    return Draft202012Validator(
        {**schema, "components": document["components"]},
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def test_the_document_describes_plan_dates_as_local_times_not_date_time(org, client_for):
    document = client_for("priya").get("/api/openapi.json").json()
    validate(document)
    schemas = document["components"]["schemas"]
    task = schemas["TaskOut"]["properties"]
    options = task["manual_start"].get("anyOf", [task["manual_start"]])
    [text] = [option for option in options if option.get("type") == "string"]
    assert "format" not in text
    assert text["pattern"].startswith("^\\d{4}")
    assert "time zone of the project's calendar" in text["description"]
    # A baseline's saving moment is a real instant, with its offset: still date-time.
    assert schemas["BaselineOut"]["properties"]["saved_at"]["format"] == "date-time"


def test_the_plan_reads_exist_for_this_file():
    paths = {op.path for op in PLAN_READS}
    assert {
        "/api/v1/projects/{project_id}/plan",
        "/api/v1/projects/{project_id}/tasks",
        "/api/v1/projects/{project_id}/tasks/{task_id}",
        "/api/v1/projects/{project_id}/baselines/{baseline_number}",
        "/api/v1/projects/{project_id}/schedule",
    } <= paths


@pytest.mark.parametrize("op", PLAN_READS, ids=lambda op: op.label)
def test_every_plan_read_answers_what_the_document_says(op, dated_plan, org, client_for):
    client = client_for("priya")
    document = client.get("/api/openapi.json").json()
    schema = document["paths"][op.path]["get"]["responses"]["200"]["content"][JSON]["schema"]
    objects = Objects(org)
    for variant in variants_of(op.kwargs):
        url, _body = api_request(op, objects, variant)
        response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        errors = [
            f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in _validator(document, schema).iter_errors(response.json())
        ]
        assert not errors, f"{url} breaks its schema:\n" + "\n".join(errors[:10])


def test_a_task_list_with_dates_is_checked_for_real(dated_plan, client_for):
    """Proof the read above had dates to check, not only nulls."""
    tasks = client_for("priya").get(f"/api/v1/projects/{dated_plan.pk}/tasks").json()["items"]
    assert {task["name"]: task["actual_start"] for task in tasks}["Design"] == "2026-01-05T08:00:00"


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("2026-01-12T08:00:00", 200),
        ("2026-01-12T08:00", 200),
        ("2026-01-12", 400),  # a bare date: which hour? The document says a time is needed.
        ("2026-01-12T08:00:00+01:00", 400),
    ],
)
def test_plan_dates_sent_are_what_the_document_describes(dated_plan, client_for, value, status):
    client = client_for("priya")
    plan = client.get(f"/api/v1/projects/{dated_plan.pk}/plan").json()
    response = client.patch(
        f"/api/v1/projects/{dated_plan.pk}/plan",
        {"version": plan["version"], "start": value},
        content_type=JSON,
    )
    assert response.status_code == status, response.content
