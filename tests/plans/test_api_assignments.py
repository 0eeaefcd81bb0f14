"""The plan API reads and writes a task's assignments, as the Resource Names notation
(``resources``) or as a list of objects (``assignments``), through the same service as the
grid (ADR 17): 422 for bad notation or an unknown name, 409 for a stale version."""

from __future__ import annotations

import datetime as dt

import pytest

from steerco.plans import services
from steerco.plans.models import TaskAssignment

JSON = "application/json"
DAY = 480


@pytest.fixture
def design(org):
    settings = services.plan_settings(org.alpha)
    services.plan_update(
        actor=org.mary,
        project=org.alpha,
        expected_version=settings.version,
        start=dt.datetime(2026, 1, 5, 8, 0),
    )
    return services.task_create(
        actor=org.mary, project=org.alpha, name="Design", duration_minutes=2 * DAY
    )


def task_url(task) -> str:
    return f"/api/v1/projects/{task.project_id}/tasks/{task.pk}"


def patch(client, task, body):
    return client.patch(task_url(task), body, content_type=JSON)


def test_notation_sets_the_assignments_and_both_shapes_read_back(org, design, client_for):
    response = patch(
        client_for("mary"), design, {"version": 1, "resources": "Priya Patel[50%], Tom Turner"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["resources"] == "Priya Patel[50%], Tom Turner"
    assert body["assignments"] == [
        {
            "name": "Priya Patel",
            "person": org.people["priya"].pk,
            "units": 0.5,
            "work_minutes": 480,
        },
        {"name": "Tom Turner", "person": org.people["tom"].pk, "units": 1.0, "work_minutes": 960},
    ]
    assert body["version"] == 2
    listed = client_for("erin").get(f"/api/v1/projects/{org.alpha.pk}/tasks").json()
    assert listed["items"][0]["resources"] == "Priya Patel[50%], Tom Turner"


def test_a_list_of_objects_sets_the_assignments(org, design, client_for):
    response = patch(
        client_for("mary"),
        design,
        {"version": 1, "assignments": [{"name": "tom turner", "units": "0.25"}]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["resources"] == "Tom Turner[25%]"


def test_a_new_task_may_come_with_its_resources(org, client_for, design):
    response = client_for("mary").post(
        f"/api/v1/projects/{org.alpha.pk}/tasks",
        {"name": "Build", "duration_minutes": 960, "resources": "Tom Turner"},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    assert response.json()["resources"] == "Tom Turner"


@pytest.mark.parametrize(
    ("resources", "said"),
    [
        ("Tom Turner[abc%]", "'Tom Turner[abc%]'"),
        ("Zed Zulu", "No one called 'Zed Zulu' in the directory"),
        ("Tom Turner, tom turner", "in the list twice"),
    ],
)
def test_bad_resources_are_422_naming_the_problem_and_change_nothing(
    design, client_for, resources, said
):
    response = patch(
        client_for("mary"), design, {"version": 1, "name": "Renamed", "resources": resources}
    )
    assert response.status_code == 422, response.content
    body = response.json()
    assert said in body["detail"]
    assert said in body["fields"]["resources"][0]
    design.refresh_from_db()
    assert (design.name, design.version) == ("Design", 1)
    assert not TaskAssignment.objects.exists()


def test_both_shapes_at_once_are_refused(design, client_for):
    response = patch(
        client_for("mary"),
        design,
        {"version": 1, "resources": "Tom Turner", "assignments": [{"name": "Tom Turner"}]},
    )
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"resources", "assignments"}


def test_a_stale_version_is_409(design, client_for, org):
    services.task_resources_set(actor=org.mary, task=design, text="Tom Turner", expected_version=1)
    response = patch(client_for("priya"), design, {"version": 1, "resources": "Priya Patel"})
    assert response.status_code == 409, response.content
    assert response.json()["current"]["resources"] == "Tom Turner"


@pytest.mark.parametrize("username", ["erin", "tom"])
def test_viewers_and_team_members_cannot_assign(design, client_for, username):
    response = patch(client_for(username), design, {"version": 1, "resources": "Tom Turner"})
    assert response.status_code == 403
    assert not TaskAssignment.objects.exists()
