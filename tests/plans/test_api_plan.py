"""The plan API: settings, tasks, dependencies, baselines, the computed schedule and plan
files, per role, with version conflicts and bad input.

Hand-worked dates use the default calendar (Monday–Friday 08:00–12:00, 13:00–17:00);
reference dates of imported files are those Microsoft Project saved in them (see
shared/data/mspdi/README).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.test import Client
from openapi_spec_validator import validate

from steerco.engine.interop.schedule_json import schedule_as_json
from steerco.plans import services
from steerco.plans.adapters import plan_inputs
from steerco.plans.models import Baseline, Task, TaskLink
from steerco.plans.selectors import plan_settings_get

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mspdi"
JSON = "application/json"
MONDAY = dt.datetime(2026, 1, 5, 8, 0)
DAY = 480


def url(project, suffix: str = "") -> str:
    return f"/api/v1/projects/{project.pk}{suffix}"


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(JSON)
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["fields"], dict)
    if code:
        assert body["code"] == code
    return body


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content
    return response.json()


def post(client, path: str, body: dict | None = None):
    return client.post(path, body or {}, content_type=JSON)


def patch(client, path: str, body: dict):
    return client.patch(path, body, content_type=JSON)


def upload(client, project, data: bytes, name: str):
    handle = io.BytesIO(data)
    handle.name = name
    return client.post(url(project, "/plan/import"), {"file": handle})


@pytest.fixture
def alpha_plan(org):
    """ALPHA from Monday 2026-01-05 08:00: Design (2d) → Build (3d) finish-to-start."""
    project = org.alpha
    settings = services.plan_settings(project)
    services.plan_update(
        actor=org.mary, project=project, expected_version=settings.version, start=MONDAY
    )
    design = services.task_create(
        actor=org.mary, project=project, name="Design", duration_minutes=2 * DAY
    )
    build = services.task_create(
        actor=org.mary, project=project, name="Build", duration_minutes=3 * DAY
    )
    link = services.link_create(
        actor=org.mary, project=project, predecessor=design, successor=build
    )
    return project, design, build, link


# --- plan settings ------------------------------------------------------------------


def test_plan_settings_default_to_the_projects_planned_start(org, client_for):
    body = ok(client_for("tom").get(url(org.alpha, "/plan")))

    assert body == {
        "project": org.alpha.pk,
        "version": 1,
        "start": "2026-01-05T08:00:00",
        "status_date": None,
        "calendar": None,
        "minutes_per_day": 480,
        "minutes_per_week": 2400,
        "honor_constraints": True,
    }


def test_plan_settings_change_and_a_stale_version_is_409(org, client_for):
    priya = client_for("priya")

    changed = ok(
        patch(priya, url(org.alpha, "/plan"), {"version": 1, "status_date": "2026-02-02T17:00"})
    )
    stale = patch(priya, url(org.alpha, "/plan"), {"version": 1, "minutes_per_day": 420})

    assert changed["status_date"] == "2026-02-02T17:00:00" and changed["version"] == 2
    body = assert_error(stale, 409, "version_conflict")
    assert body["current"]["version"] == 2
    assert body["current"]["minutes_per_day"] == 480


@pytest.mark.parametrize("value", ["2026-02-02T17:00:00+01:00", "2026-02-02T17:00:00Z", 1767225600])
def test_plan_dates_with_an_offset_are_malformed(org, client_for, value):
    response = patch(client_for("priya"), url(org.alpha, "/plan"), {"version": 1, "start": value})

    body = assert_error(response, 400, "malformed")
    assert "local times without offset" in body["fields"]["start"][0]


def test_plan_calendar_of_another_project_is_422_naming_the_field(org, client_for):
    from steerco.plans.models import WorkCalendar

    theirs = WorkCalendar.objects.create(name="Beta shifts", project=org.beta)

    response = patch(
        client_for("priya"), url(org.alpha, "/plan"), {"version": 1, "calendar": theirs.pk}
    )

    assert "calendar" in assert_error(response, 422, "unknown_reference")["fields"]


# --- tasks --------------------------------------------------------------------------


def test_task_create_returns_the_task_in_the_documented_shape(org, client_for):
    body = ok(
        post(
            client_for("mary"),
            url(org.alpha, "/tasks"),
            {"name": "Design", "duration_minutes": 2 * DAY, "notes": "Workshops first."},
        ),
        201,
    )

    assert body["id"] == Task.objects.get(project=org.alpha, name="Design").pk
    assert {k: body[k] for k in ("version", "uid", "wbs", "outline_level", "position")} == {
        "version": 1,
        "uid": 1,
        "wbs": "1",
        "outline_level": 1,
        "position": 1,
    }
    assert body["parent"] is None and body["summary"] is False
    assert body["constraint_type"] == "ASAP" and body["constraint_date"] is None
    assert body["duration_minutes"] == 960 and body["percent_complete"] == 0
    assert body["predecessors"] == "" and body["notes"] == "Workshops first."
    for field in (
        "elapsed",
        "milestone",
        "manual",
        "manual_start",
        "manual_finish",
        "deadline",
        "actual_start",
        "actual_finish",
        "remaining_duration_minutes",
        "resources",
        "assignments",
        "calendar",
    ):
        assert field in body


def test_tasks_go_under_a_parent_or_after_a_task_and_list_in_outline_order(org, client_for):
    mary = client_for("mary")
    phase = ok(post(mary, url(org.alpha, "/tasks"), {"name": "Phase 1"}), 201)
    close = ok(post(mary, url(org.alpha, "/tasks"), {"name": "Close"}), 201)
    ok(post(mary, url(org.alpha, "/tasks"), {"name": "Analyse", "parent": phase["id"]}), 201)
    ok(post(mary, url(org.alpha, "/tasks"), {"name": "Review", "after": phase["id"]}), 201)

    listing = ok(mary.get(url(org.alpha, "/tasks")))

    rows = [(t["name"], t["wbs"], t["outline_level"], t["summary"]) for t in listing["items"]]
    assert rows == [
        ("Phase 1", "1", 1, True),
        ("Analyse", "1.1", 2, False),
        ("Review", "2", 1, False),
        ("Close", "3", 1, False),
    ]
    assert listing["count"] == 4
    assert listing["items"][1]["parent"] == phase["id"]
    assert ok(mary.get(url(org.alpha, f"/tasks/{close['id']}")))["position"] == 4


def test_task_list_is_paginated(org, client_for):
    for number in range(3):
        services.task_create(actor=org.mary, project=org.alpha, name=f"Task {number}")

    body = ok(client_for("tom").get(url(org.alpha, "/tasks?page=2&page_size=2")))

    assert body["count"] == 3
    assert [t["name"] for t in body["items"]] == ["Task 2"]


def test_task_list_queries_do_not_grow_with_the_plan(org, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tom = client_for("tom")
    previous = None
    for size in (3, 30):
        while Task.objects.filter(project=org.alpha).count() < size:
            task = services.task_create(actor=org.mary, project=org.alpha, name="Work")
            first = Task.objects.filter(project=org.alpha).order_by("position").first()
            if task.pk != first.pk:
                services.link_create(
                    actor=org.mary, project=org.alpha, predecessor=first, successor=task
                )
        with CaptureQueriesContext(connection) as queries:
            body = ok(tom.get(url(org.alpha, "/tasks?page_size=500")))
        assert body["count"] == size and body["items"][-1]["predecessors"] == "1"
        if previous is not None:
            assert len(queries) == previous
        previous = len(queries)


def test_a_milestone_has_no_duration_by_default(org, client_for):
    body = ok(
        post(client_for("mary"), url(org.alpha, "/tasks"), {"name": "Go live", "milestone": True}),
        201,
    )

    assert body["milestone"] is True and body["duration_minutes"] == 0


def test_a_milestone_keeps_a_duration_given_with_it(org, client_for):
    body = ok(
        post(
            client_for("mary"),
            url(org.alpha, "/tasks"),
            {"name": "Sign-off", "milestone": True, "duration_minutes": DAY},
        ),
        201,
    )

    assert body["milestone"] is True and body["duration_minutes"] == DAY


@pytest.mark.parametrize(
    "fields",
    [
        {"duration_minutes": 10**9},
        {"constraint_type": "MSO", "constraint_date": "9999-12-31T08:00:00"},
        {"actual_start": "0001-01-01T00:00:00", "percent_complete": 50},
    ],
)
def test_a_task_that_cannot_be_scheduled_is_422_and_not_saved(alpha_plan, client_for, fields):
    project, design, _build, _link = alpha_plan
    mary = client_for("mary")

    created = post(mary, url(project, "/tasks"), {"name": "Forever", **fields})
    changed = patch(mary, url(project, f"/tasks/{design.pk}"), {"version": 1, **fields})

    assert_error(created, 422)
    assert_error(changed, 422)
    assert names_in_order(project) == ["Design", "Build"]
    assert Task.objects.get(pk=design.pk).version == 1
    assert ok(mary.get(url(project, "/schedule")))["project"]["finish"] == "2026-01-09T17:00:00"


def test_after_and_parent_together_are_refused(alpha_plan, client_for):
    _project, design, build, _link = alpha_plan

    response = post(
        client_for("mary"),
        url(_project, "/tasks"),
        {"name": "Both", "after": design.pk, "parent": build.pk},
    )

    assert set(assert_error(response, 422)["fields"]) == {"after", "parent"}


def test_task_change_uses_constraint_names_and_a_stale_version_is_409(alpha_plan, client_for):
    project, _design, build, _link = alpha_plan
    mary = client_for("mary")

    body = ok(
        patch(
            mary,
            url(project, f"/tasks/{build.pk}"),
            {"version": 1, "constraint_type": "SNET", "constraint_date": "2026-01-12T08:00:00"},
        )
    )
    stale = patch(mary, url(project, f"/tasks/{build.pk}"), {"version": 1, "name": "Old"})

    assert body["constraint_type"] == "SNET" and body["version"] == 2
    build.refresh_from_db()
    assert build.constraint_type == Task.Constraint.SNET
    conflict = assert_error(stale, 409, "version_conflict")
    assert conflict["current"]["name"] == "Build"
    assert conflict["current"]["constraint_type"] == "SNET"
    assert conflict["current"]["predecessors"] == str(_design.uid)
    assert Task.objects.get(pk=build.pk).name == "Build"


def test_a_dated_constraint_without_a_date_is_422_naming_the_field(alpha_plan, client_for):
    project, design, _build, _link = alpha_plan

    response = patch(
        client_for("mary"),
        url(project, f"/tasks/{design.pk}"),
        {"version": 1, "constraint_type": "MSO"},
    )

    assert "constraint_date" in assert_error(response, 422, "invalid")["fields"]
    assert Task.objects.get(pk=design.pk).version == 1


def test_unknown_task_fields_and_constraint_names_are_malformed(alpha_plan, client_for):
    project, design, _build, _link = alpha_plan
    mary = client_for("mary")

    misspelt = patch(mary, url(project, f"/tasks/{design.pk}"), {"version": 1, "nmae": "x"})
    unknown = patch(mary, url(project, f"/tasks/{design.pk}"), {"version": 1, "constraint_type": 4})

    assert "nmae" in assert_error(misspelt, 400, "malformed")["fields"]
    assert "constraint_type" in assert_error(unknown, 400, "malformed")["fields"]


def test_task_delete_needs_the_current_version(alpha_plan, client_for):
    project, design, _build, _link = alpha_plan
    mary = client_for("mary")

    stale = mary.delete(url(project, f"/tasks/{design.pk}?version=7"))
    assert_error(stale, 409, "version_conflict")
    assert Task.objects.filter(pk=design.pk).exists()

    deleted = mary.delete(url(project, f"/tasks/{design.pk}?version=1"))

    assert deleted.status_code == 204
    assert not Task.objects.filter(pk=design.pk).exists()
    assert not TaskLink.objects.filter(project=project).exists()
    assert_error(mary.get(url(project, f"/tasks/{design.pk}")), 404, "not_found")


def test_indent_outdent_and_move_reshape_the_outline(alpha_plan, org, client_for):
    project, design, build, _link = alpha_plan
    mary = client_for("mary")
    test = services.task_create(actor=org.mary, project=project, name="Test")

    ok(post(mary, url(project, f"/tasks/{test.pk}/move"), {"direction": "up"}))
    assert names_in_order(project) == ["Design", "Test", "Build"]

    indented = ok(post(mary, url(project, f"/tasks/{test.pk}/indent"), {"version": test.version}))
    assert (indented["parent"], indented["wbs"], indented["outline_level"]) == (design.pk, "1.1", 2)
    assert ok(mary.get(url(project, f"/tasks/{design.pk}")))["summary"] is True

    # The body is optional: a bare POST, as `curl -X POST` sends it, is enough.
    outdented = ok(mary.generic("POST", url(project, f"/tasks/{test.pk}/outdent")))
    assert (outdented["parent"], outdented["wbs"]) == (None, "2")

    assert_error(post(mary, url(project, f"/tasks/{design.pk}/indent")), 422)
    assert_error(post(mary, url(project, f"/tasks/{build.pk}/move"), {"direction": "down"}), 422)
    assert_error(
        post(mary, url(project, f"/tasks/{build.pk}/move"), {"direction": "sideways"}), 400
    )
    assert_error(post(mary, url(project, f"/tasks/{build.pk}/indent"), {"version": 99}), 409)


def names_in_order(project) -> list[str]:
    return list(
        Task.objects.filter(project=project).order_by("position").values_list("name", flat=True)
    )


# --- roles --------------------------------------------------------------------------


def test_team_member_updates_progress_of_his_own_task_only(alpha_plan, org, client_for):
    project, design, build, _link = alpha_plan
    services.task_resources_set(
        actor=org.mary, task=design, text="Tom Turner", expected_version=design.version
    )
    tom = client_for("tom")

    progress = patch(
        tom,
        url(project, f"/tasks/{design.pk}"),
        {"version": 2, "percent_complete": 50, "actual_start": "2026-01-05T08:00:00"},
    )
    renamed = patch(tom, url(project, f"/tasks/{design.pk}"), {"version": 3, "name": "Mine"})
    not_his = patch(tom, url(project, f"/tasks/{build.pk}"), {"version": 1, "percent_complete": 10})

    assert ok(progress)["percent_complete"] == 50.0
    assert_error(renamed, 403, "forbidden")
    assert_error(not_his, 403, "forbidden")
    assert Task.objects.get(pk=design.pk).name == "Design"
    assert Task.objects.get(pk=build.pk).percent_complete == 0


def test_team_member_reads_the_plan_but_cannot_restructure_it(alpha_plan, client_for):
    project, design, build, link = alpha_plan
    tom = client_for("tom")

    for path in ("/plan", "/tasks", "/task-links", "/baselines", "/schedule", "/plan/export"):
        assert tom.get(url(project, path)).status_code == 200, path
    assert_error(post(tom, url(project, "/tasks"), {"name": "Mine"}), 403, "forbidden")
    assert_error(post(tom, url(project, f"/tasks/{build.pk}/indent")), 403, "forbidden")
    assert_error(tom.delete(url(project, f"/tasks/{build.pk}?version=1")), 403, "forbidden")
    assert_error(
        post(tom, url(project, "/task-links"), {"predecessor": build.pk, "successor": design.pk}),
        403,
    )
    assert_error(tom.delete(url(project, f"/task-links/{link.pk}?version=1")), 403)
    assert Task.objects.filter(project=project).count() == 2


def test_executive_reads_but_every_write_is_403(alpha_plan, org, client_for):
    project, design, build, link = alpha_plan
    services.baseline_save(actor=org.mary, project=project, number=0)
    erin = client_for("erin")
    writes = [
        patch(erin, url(project, "/plan"), {"version": 2}),
        post(erin, url(project, "/tasks"), {"name": "Audit"}),
        patch(erin, url(project, f"/tasks/{design.pk}"), {"version": 1, "percent_complete": 5}),
        erin.delete(url(project, f"/tasks/{design.pk}?version=1")),
        post(erin, url(project, f"/tasks/{build.pk}/indent")),
        post(erin, url(project, f"/tasks/{build.pk}/move"), {"direction": "up"}),
        post(erin, url(project, "/task-links"), {"predecessor": build.pk, "successor": design.pk}),
        patch(erin, url(project, f"/task-links/{link.pk}"), {"version": 1, "lag_minutes": 60}),
        erin.delete(url(project, f"/task-links/{link.pk}?version=1")),
        post(erin, url(project, "/baselines"), {"number": 1}),
        erin.delete(url(project, "/baselines/0")),
        upload(erin, project, b"Name\nX\n", "plan.csv"),
    ]

    for response in writes:
        assert_error(response, 403, "forbidden")
    assert ok(erin.get(url(project, "/schedule")))["tasks"]
    assert Task.objects.filter(project=project).count() == 2
    assert Baseline.objects.filter(project=project).count() == 1


def test_outsider_gets_404_everywhere(alpha_plan, org, client_for):
    project, design, _build, link = alpha_plan
    services.baseline_save(actor=org.mary, project=project, number=0)
    olga = client_for("olga")
    reads = [
        "/plan",
        "/tasks",
        f"/tasks/{design.pk}",
        "/task-links",
        f"/task-links/{link.pk}",
        "/baselines",
        "/baselines/0",
        "/schedule",
        "/plan/export",
    ]

    for path in reads:
        assert_error(olga.get(url(project, path)), 404, "not_found")
    assert_error(post(olga, url(project, "/tasks"), {"name": "Probe"}), 404)
    assert_error(patch(olga, url(project, f"/tasks/{design.pk}"), {"version": 1}), 404)
    assert_error(olga.delete(url(project, "/baselines/0")), 404)
    assert_error(upload(olga, project, b"Name\nX\n", "plan.csv"), 404)


def test_a_task_of_another_project_is_404_by_its_path(alpha_plan, org, client_for):
    _project, design, _build, _link = alpha_plan

    assert_error(client_for("priya").get(url(org.beta, f"/tasks/{design.pk}")), 404)


# --- dependencies -------------------------------------------------------------------


def test_link_create_read_change_and_delete(alpha_plan, org, client_for):
    project, _design, build, _link = alpha_plan
    mary = client_for("mary")
    review = services.task_create(actor=org.mary, project=project, name="Review")

    created = ok(
        post(
            mary,
            url(project, "/task-links"),
            {
                "predecessor": build.pk,
                "successor": review.pk,
                "type": "SS",
                "lag_minutes": 2 * DAY,
            },
        ),
        201,
    )
    assert {k: created[k] for k in ("predecessor", "successor", "type", "lag_minutes")} == {
        "predecessor": build.pk,
        "successor": review.pk,
        "type": "SS",
        "lag_minutes": 960,
    }
    assert created["lag_percent"] is None and created["lag_elapsed"] is False
    assert ok(mary.get(url(project, f"/tasks/{review.pk}")))["predecessors"] == (
        f"{build.uid}SS+2d"
    )
    assert ok(mary.get(url(project, f"/task-links/{created['id']}")))["id"] == created["id"]
    assert ok(mary.get(url(project, "/task-links")))["count"] == 2

    changed = ok(
        patch(
            mary,
            url(project, f"/task-links/{created['id']}"),
            {"version": 1, "type": "FF", "lag_minutes": -DAY},
        )
    )
    assert (changed["type"], changed["lag_minutes"], changed["version"]) == ("FF", -480, 2)
    assert TaskLink.objects.get(pk=created["id"]).type == TaskLink.Type.FF
    stale = mary.delete(url(project, f"/task-links/{created['id']}?version=1"))
    assert assert_error(stale, 409)["current"]["type"] == "FF"

    assert mary.delete(url(project, f"/task-links/{created['id']}?version=2")).status_code == 204
    assert not TaskLink.objects.filter(pk=created["id"]).exists()


def test_predecessors_list_lags_in_days_and_percent(alpha_plan, org, client_for):
    project, design, build, link = alpha_plan
    services.link_update(
        actor=org.mary, link=link, expected_version=link.version, lag_minutes=2 * DAY
    )
    test = services.task_create(actor=org.mary, project=project, name="Test")
    services.link_create(
        actor=org.mary,
        project=project,
        predecessor=build,
        successor=test,
        type=TaskLink.Type.SS,
        lag_percent=50,
    )
    services.link_create(actor=org.mary, project=project, predecessor=design, successor=test)

    rows = {
        t["name"]: t["predecessors"]
        for t in ok(client_for("tom").get(url(project, "/tasks")))["items"]
    }

    assert rows == {"Design": "", "Build": "1FS+2d", "Test": "1, 2SS+50%"}


def test_a_link_to_a_task_of_another_project_is_422_naming_the_field(alpha_plan, org, client_for):
    project, design, _build, _link = alpha_plan
    elsewhere = services.task_create(actor=org.mary, project=org.beta, name="Beta task")

    response = post(
        client_for("mary"),
        url(project, "/task-links"),
        {"predecessor": design.pk, "successor": elsewhere.pk},
    )

    body = assert_error(response, 422, "unknown_reference")
    assert list(body["fields"]) == ["successor"]
    assert not TaskLink.objects.filter(successor=elsewhere).exists()


def test_a_dependency_loop_is_422_naming_the_tasks_and_nothing_is_saved(alpha_plan, client_for):
    project, design, build, _link = alpha_plan

    response = post(
        client_for("mary"),
        url(project, "/task-links"),
        {"predecessor": build.pk, "successor": design.pk},
    )

    body = assert_error(response, 422)
    assert "Design" in body["detail"] and "Build" in body["detail"]
    assert TaskLink.objects.filter(project=project).count() == 1


def test_a_duplicate_dependency_is_422(alpha_plan, client_for):
    project, design, build, _link = alpha_plan

    response = post(
        client_for("mary"),
        url(project, "/task-links"),
        {"predecessor": design.pk, "successor": build.pk},
    )

    assert "already depends" in assert_error(response, 422)["detail"]


# --- the computed schedule ----------------------------------------------------------


def test_schedule_matches_the_hand_worked_case(alpha_plan, client_for):
    """A (2d) from Monday 08:00 finishes Tuesday 17:00; B (3d, FS) runs Wednesday 08:00 to
    Friday 17:00; both are critical with no slack."""
    project, _design, _build, _link = alpha_plan

    body = ok(client_for("tom").get(url(project, "/schedule")))

    assert body["project"] == {"start": "2026-01-05T08:00:00", "finish": "2026-01-09T17:00:00"}
    design, build = body["tasks"]
    assert (design["uid"], design["name"], design["wbs"]) == (1, "Design", "1")
    assert (design["start"], design["finish"]) == ("2026-01-05T08:00:00", "2026-01-06T17:00:00")
    assert build == {
        "uid": 2,
        "name": "Build",
        "wbs": "2",
        "summary": False,
        "milestone": False,
        "start": "2026-01-07T08:00:00",
        "finish": "2026-01-09T17:00:00",
        "early_start": "2026-01-07T08:00:00",
        "early_finish": "2026-01-09T17:00:00",
        "late_start": "2026-01-07T08:00:00",
        "late_finish": "2026-01-09T17:00:00",
        "total_slack_minutes": 0,
        "free_slack_minutes": 0,
        "critical": True,
    }


def test_schedule_has_exactly_the_shape_of_the_schedule_command(alpha_plan, client_for):
    from steerco.engine.scheduling import schedule_plan

    project, _design, _build, _link = alpha_plan
    plan = plan_inputs(project, plan_settings_get(project=project)).plan

    body = ok(client_for("priya").get(url(project, "/schedule")))

    assert body == schedule_as_json(plan, schedule_plan(plan))


def test_status_date_override_moves_unstarted_work_after_it(alpha_plan, client_for):
    """Status date Wednesday 2026-01-07 (a date alone = the end of that working day): the
    unstarted Design moves to Thursday–Friday, Build to Monday 12th–Wednesday 14th."""
    project, _design, _build, _link = alpha_plan
    priya = client_for("priya")

    body = ok(priya.get(url(project, "/schedule?status_date=2026-01-07")))

    assert [(t["start"], t["finish"]) for t in body["tasks"]] == [
        ("2026-01-08T08:00:00", "2026-01-09T17:00:00"),
        ("2026-01-12T08:00:00", "2026-01-14T17:00:00"),
    ]
    # The override is for this answer only.
    assert plan_settings_get(project=project).status_date is None


@pytest.mark.parametrize(
    "value", ["next tuesday", "2026-13-01", "2026-01-07T17:00:00+01:00", "9999-12-31"]
)
def test_a_bad_status_date_is_400(alpha_plan, client_for, value):
    project, _design, _build, _link = alpha_plan

    response = client_for("priya").get(url(project, "/schedule"), {"status_date": value})

    assert_error(response, 400, "malformed")


def test_an_unschedulable_plan_is_422_with_the_engines_message(alpha_plan, client_for):
    project, design, build, _link = alpha_plan
    # A loop the services would refuse, as a database restored from elsewhere might hold.
    TaskLink.objects.bulk_create([TaskLink(project=project, predecessor=build, successor=design)])

    body = assert_error(client_for("priya").get(url(project, "/schedule")), 422, "unschedulable")

    assert "Design" in body["detail"] and "Build" in body["detail"]


def test_an_empty_plan_schedules_to_its_start(org, client_for):
    body = ok(client_for("priya").get(url(org.alpha, "/schedule")))

    assert body == {
        "project": {"start": "2026-01-05T08:00:00", "finish": "2026-01-05T08:00:00"},
        "tasks": [],
    }


# --- baselines ----------------------------------------------------------------------


def test_baseline_save_list_variances_and_delete(alpha_plan, org, client_for):
    project, design, _build, _link = alpha_plan
    mary = client_for("mary")

    saved = ok(post(mary, url(project, "/baselines"), {"number": 1, "name": "Approved"}), 201)
    assert {k: saved[k] for k in ("number", "name", "saved_by")} == {
        "number": 1,
        "name": "Approved",
        "saved_by": "mary",
    }
    assert (saved["project_start"], saved["project_finish"]) == (
        "2026-01-05T08:00:00",
        "2026-01-09T17:00:00",
    )
    assert [b["number"] for b in ok(mary.get(url(project, "/baselines")))["items"]] == [1]

    # Design grows by a day: it finishes a day later and pushes Build a day later.
    services.task_update(
        actor=org.mary, task=design, expected_version=design.version, duration_minutes=3 * DAY
    )
    detail = ok(client_for("tom").get(url(project, "/baselines/1")))

    assert detail["name"] == "Approved" and detail["schedule_error"] is None
    variances = {
        t["name"]: (
            t["start_variance_minutes"],
            t["finish_variance_minutes"],
            t["duration_variance_minutes"],
        )
        for t in detail["tasks"]
    }
    assert variances == {"Design": (0, DAY, DAY), "Build": (DAY, DAY, 0)}
    build = detail["tasks"][1]
    assert (build["baseline_start"], build["start"]) == (
        "2026-01-07T08:00:00",
        "2026-01-08T08:00:00",
    )
    assert build["baseline_duration_minutes"] == 3 * DAY

    assert mary.delete(url(project, "/baselines/1")).status_code == 204
    assert_error(mary.get(url(project, "/baselines/1")), 404, "not_found")


def test_saving_a_baseline_again_replaces_it(alpha_plan, client_for):
    project, _design, _build, _link = alpha_plan
    priya = client_for("priya")

    first = ok(post(priya, url(project, "/baselines"), {"name": "First"}), 201)
    body = {"number": 0, "name": "Second", "version": first["version"], "reason": "Re-plan"}
    ok(post(priya, url(project, "/baselines"), body), 201)

    assert [(b.number, b.name) for b in Baseline.objects.filter(project=project)] == [(0, "Second")]


@pytest.mark.parametrize("number", [11, -1])
def test_baseline_numbers_outside_0_to_10_are_malformed(alpha_plan, client_for, number):
    project, _design, _build, _link = alpha_plan
    priya = client_for("priya")

    assert_error(post(priya, url(project, "/baselines"), {"number": number}), 400, "malformed")
    assert_error(priya.get(url(project, f"/baselines/{number}")), 400, "malformed")
    assert not Baseline.objects.filter(project=project).exists()


# --- plan files ---------------------------------------------------------------------


def test_mspdi_import_schedules_as_microsoft_project_did(org, client_for):
    """task-links-project2010-mspdi.xml: Microsoft Project saved <StartDate>2014-10-17T08:00:00
    and <FinishDate>2014-11-03T17:00:00 for this plan."""
    data = (SHARED / "task-links-project2010-mspdi.xml").read_bytes()
    mary = client_for("mary")

    report = ok(upload(mary, org.alpha, data, "task-links-project2010-mspdi.xml"))
    schedule = ok(mary.get(url(org.alpha, "/schedule")))

    assert report["format"] == "mspdi" and report["tasks"] > 0
    assert report["tasks"] == len(re.findall(rb"<Task>", data))
    assert report["tasks"] == ok(mary.get(url(org.alpha, "/tasks")))["count"]
    assert report["links"] == ok(mary.get(url(org.alpha, "/task-links")))["count"]
    assert schedule["project"] == {"start": "2014-10-17T08:00:00", "finish": "2014-11-03T17:00:00"}


def test_export_then_import_round_trips_through_the_api(org, client_for):
    data = (SHARED / "task-links-project2010-mspdi.xml").read_bytes()
    mary = client_for("mary")
    ok(upload(mary, org.alpha, data, "plan.xml"))

    exported = mary.get(url(org.alpha, "/plan/export?format=mspdi"))
    assert exported.status_code == 200
    assert exported["Content-Type"] == "application/xml"
    assert exported["Content-Disposition"] == 'attachment; filename="alpha-plan.xml"'
    ok(upload(mary, org.beta, exported.content, "alpha-plan.xml"))

    alpha = ok(mary.get(url(org.alpha, "/schedule")))
    beta = ok(mary.get(url(org.beta, "/schedule")))
    assert beta == alpha


@pytest.mark.parametrize(
    ("file_format", "content_type", "extension"),
    [
        ("json", "application/json", "json"),
        ("csv", "text/csv", "csv"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    ],
)
def test_export_formats_download_and_import_back(
    alpha_plan, org, client_for, file_format, content_type, extension
):
    project, _design, _build, _link = alpha_plan
    priya = client_for("priya")

    response = client_for("tom").get(url(project, "/plan/export"), {"format": file_format})

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"] == f'attachment; filename="alpha-plan.{extension}"'
    ok(upload(priya, org.beta, response.content, f"alpha-plan.{extension}"))
    names = [
        (t["name"], t["predecessors"]) for t in ok(priya.get(url(org.beta, "/tasks")))["items"]
    ]
    assert names == [("Design", ""), ("Build", "1")]


def test_an_unknown_export_format_is_malformed(org, client_for):
    assert_error(client_for("priya").get(url(org.alpha, "/plan/export?format=mpp")), 400)


def test_a_json_plan_can_be_sent_as_the_body(org, client_for):
    plan = (
        b'{"format": "steerco-plan", "version": 1, "name": "Small", '
        b'"start": "2027-01-04T08:00:00", '
        b'"tasks": [{"uid": 1, "name": "Design", "duration_minutes": 480}, '
        b'{"uid": 2, "name": "Build", "duration_minutes": 960}], '
        b'"links": [{"predecessor": 1, "successor": 2}]}'
    )

    report = ok(client_for("mary").post(url(org.alpha, "/plan/import"), plan, content_type=JSON))
    schedule = ok(client_for("mary").get(url(org.alpha, "/schedule")))

    assert (report["format"], report["tasks"], report["links"]) == ("json", 2, 1)
    assert schedule["project"] == {"start": "2027-01-04T08:00:00", "finish": "2027-01-06T17:00:00"}


def test_a_task_list_with_bad_rows_is_refused_row_by_row_and_nothing_changes(
    alpha_plan, client_for
):
    project, _design, _build, _link = alpha_plan
    data = b"Name,Duration,Predecessors\nA,2d,\nB,abc,1\nC,1d,9\n"

    body = assert_error(
        upload(client_for("mary"), project, data, "plan.csv"), 422, "import_refused"
    )

    assert [(p["row"], p["column"]) for p in body["problems"]] == [
        (3, "Duration"),
        (4, "Predecessors"),
    ]
    assert all(p["message"] for p in body["problems"])
    assert names_in_order(project) == ["Design", "Build"]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<Project><Tasks>", "broken.xml"),
        (b"\x00\x01\x02 binary junk \xff\xfe", "junk.xml"),
        (b"PK\x03\x04 not really a zip", "fake.xlsx"),
        (b'{"format": "steerco-plan", "start": "soon", "tasks": [{"uid": 1}]}', "plan.json"),
        (b'{"format": "steerco-plan", "start": "2027-01-04", "tasks": []}', "plan.json"),
        (b'{"format": "steerco-plan", "start": "2027-01-04", "tasks": "oops"}', "plan.json"),
        (b"\xff\xfe\x00N\x00a\x00m\x00e", "plan.csv"),
        (b"just some words", "plan.mpp"),
    ],
)
def test_malformed_files_are_422_with_the_file_named_never_500(alpha_plan, client_for, data, name):
    project, _design, _build, _link = alpha_plan

    body = assert_error(upload(client_for("mary"), project, data, name), 422, "import_refused")

    assert body["fields"]["file"] or body["problems"]
    assert names_in_order(project) == ["Design", "Build"]


def test_a_hostile_xml_file_is_refused(org, client_for):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b"<Project>&lol2;</Project>"
    )

    assert_error(upload(client_for("mary"), org.alpha, bomb, "bomb.xml"), 422)


def test_an_empty_or_missing_file_is_400(org, client_for):
    mary = client_for("mary")

    assert_error(upload(mary, org.alpha, b"  \n", "empty.csv"), 400, "malformed")
    assert_error(mary.post(url(org.alpha, "/plan/import"), {"upload": "x"}), 400, "malformed")
    assert_error(mary.post(url(org.alpha, "/plan/import"), b"", content_type="text/plain"), 400)


def test_a_file_over_the_limit_is_413(org, client_for, settings):
    settings.STEERCO_PLAN_UPLOAD_MAX_BYTES = 100

    response = upload(client_for("mary"), org.alpha, b"Name\n" + b"Task\n" * 40, "big.csv")

    assert_error(response, 413, "too_large")


def test_a_broken_multipart_body_is_a_4xx_json_error(org, client_for):
    response = client_for("mary").post(
        url(org.alpha, "/plan/import"),
        b"--nope\r\nContent-Disposition: form-data; name=file\r\n\r\nabc",
        content_type="multipart/form-data; boundary=",
    )

    assert 400 <= response.status_code < 500
    assert response.json()["detail"]


# --- the API description ------------------------------------------------------------

PLAN_OPERATIONS = {
    ("get", "/plan"),
    ("patch", "/plan"),
    ("get", "/tasks"),
    ("post", "/tasks"),
    ("get", "/tasks/{task_id}"),
    ("patch", "/tasks/{task_id}"),
    ("delete", "/tasks/{task_id}"),
    ("post", "/tasks/{task_id}/indent"),
    ("post", "/tasks/{task_id}/outdent"),
    ("post", "/tasks/{task_id}/move"),
    ("get", "/task-links"),
    ("post", "/task-links"),
    ("get", "/task-links/{link_id}"),
    ("patch", "/task-links/{link_id}"),
    ("delete", "/task-links/{link_id}"),
    ("get", "/baselines"),
    ("post", "/baselines"),
    ("get", "/baselines/{baseline_number}"),
    ("delete", "/baselines/{baseline_number}"),
    ("get", "/schedule"),
    ("post", "/plan/import"),
    ("get", "/plan/export"),
}


def test_openapi_lists_the_plan_operations_beside_the_project_ones(org, client_for):
    document = ok(client_for("priya").get("/api/openapi.json"))
    validate(document)
    listed = {(method, path) for path, methods in document["paths"].items() for method in methods}

    prefix = "/api/v1/projects/{project_id}"
    assert {(method, prefix + path) for method, path in PLAN_OPERATIONS} <= listed
    assert {("get", prefix), ("patch", prefix), ("get", "/api/v1/projects")} <= listed


def test_anonymous_requests_are_401(org):
    response = Client().get(url(org.alpha, "/tasks"))

    assert_error(response, 401, "not_authenticated")
