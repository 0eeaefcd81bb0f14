"""Hostile and wrong plan files through the API and the import page: refused with the
task, link or columns named, never a server error (issue 14, items 6 to 8; issue 9, item 7)."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse

from steerco.plans.models import Task

JSON = "application/json"
DEEP = (
    b'{"format": "steerco-plan", "start": "2027-01-04T08:00:00", "x": '
    + b"[" * 200_000
    + b"]" * 200_000
    + b"}"
)
NAME_IS_A_NUMBER = json.dumps(
    {
        "format": "steerco-plan",
        "start": "2027-01-04T08:00:00",
        "tasks": [{"uid": 1, "name": "Design"}, {"uid": 2, "name": 5}],
    }
).encode()
NEGATIVE_DURATION = (
    b'<Project xmlns="http://schemas.microsoft.com/project">'
    b"<StartDate>2027-01-04T08:00:00</StartDate><Tasks>"
    b"<Task><UID>1</UID><Name>Design</Name><Duration>-PT8H0M0S</Duration></Task>"
    b"</Tasks></Project>"
)
LINK_TO_A_MISSING_TASK = (
    b'<Project xmlns="http://schemas.microsoft.com/project">'
    b"<StartDate>2027-01-04T08:00:00</StartDate><Tasks>"
    b"<Task><UID>1</UID><Name>Design</Name><Duration>PT8H0M0S</Duration></Task>"
    b"<Task><UID>2</UID><Name>Build</Name><Duration>PT8H0M0S</Duration>"
    b"<PredecessorLink><PredecessorUID>7</PredecessorUID><Type>1</Type></PredecessorLink>"
    b"</Task></Tasks></Project>"
)
RISK_LOG = (
    b"Ref,Title,Description,Owner,Probability,Impact,Status\n"
    b"R-001,Supplier late,,Ann,4,3,Open\nR-002,Key person leaves,,Ann,2,4,Open\n"
    b"R-003,Grant approved,,Bob,3,3,Open\n"
)
CASES = [
    (DEEP, "plan.json", "more than 32 levels deep"),
    (NAME_IS_A_NUMBER, "plan.json", "Task 2 (uid 2): 'name' should be text, not 5."),
    (NEGATIVE_DURATION, "plan.xml", "Task 1 'Design' has a negative Duration (-PT8H0M0S)"),
    (RISK_LOG, "risks.csv", "so this is not a task list"),
    # Issue 9: the link was dropped and Build imported as if it had no predecessor.
    (
        LINK_TO_A_MISSING_TASK,
        "plan.xml",
        "Task 2 'Build' has a predecessor link to task 7, which is not in the file",
    ),
]


def _file(data: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


@pytest.mark.parametrize(("data", "name", "message"), CASES)
def test_the_api_refuses_the_file_with_422_naming_the_problem(org, client_for, data, name, message):
    response = client_for("mary").post(
        f"/api/v1/projects/{org.alpha.pk}/plan/import", {"file": _file(data, name)}
    )
    assert response.status_code == 422, response.content
    assert message in response.json()["detail"]
    assert not Task.objects.filter(project=org.alpha).exists()


@pytest.mark.parametrize("data", [DEEP, NAME_IS_A_NUMBER])
def test_the_api_refuses_a_malformed_json_body_with_422(org, client_for, data):
    response = client_for("mary").post(
        f"/api/v1/projects/{org.alpha.pk}/plan/import", data, content_type=JSON
    )
    assert response.status_code == 422, response.content


@pytest.mark.parametrize(("data", "name", "message"), CASES)
def test_the_import_page_shows_the_refusal(org, client_for, data, name, message):
    url = reverse("plans:import", kwargs={"project_id": org.alpha.pk})
    response = client_for("mary").post(url, {"file": _file(data, name), "mode": "replace"})
    assert response.status_code == 422
    assert message in " ".join(response.context["form"].non_field_errors())
    assert not Task.objects.filter(project=org.alpha).exists()
