"""A plan the engine cannot schedule: the plan page, its grid and the API give one reason.

The reason is the engine's ScheduleError, mapped once to the ``unschedulable`` error; here a
task whose duration runs the plan past the calendar's horizon, about a century out.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from steerco.engine.scheduling import ScheduleHorizonError, schedule_plan
from steerco.plans import services
from steerco.plans.adapters import plan_inputs
from steerco.plans.models import Task
from steerco.plans.selectors import plan_settings_get

MONDAY = dt.datetime(2026, 1, 5, 8, 0)
DAY = 480
#: 150 years of working days: past the horizon wherever the plan starts.
FOREVER_DAYS = 150 * 260
HTMX = {"HTTP_HX_REQUEST": "true"}
JSON = "application/json"


@pytest.fixture
def alpha(org):
    """ALPHA from Monday 2026-01-05: Design (2d) → Build (3d)."""
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
    services.link_create(actor=org.mary, project=project, predecessor=design, successor=build)
    return project, design, build


def engine_reason(project) -> str:
    """What the engine itself says about the project's plan as stored."""
    plan = plan_inputs(project, plan_settings_get(project=project)).plan
    with pytest.raises(ScheduleHorizonError) as caught:
        schedule_plan(plan)
    return str(caught.value)


def test_the_page_and_the_api_give_the_same_reason_for_a_plan_past_the_horizon(alpha, client_for):
    project, _design, build = alpha
    # Stored as an older release or a restored database might hold it: services refuse it.
    Task.objects.filter(pk=build.pk).update(duration_minutes=FOREVER_DAYS * DAY)
    reason = engine_reason(project)
    assert reason.startswith("The plan runs past ") and "task 'Build'" in reason
    assert "no working time" not in reason

    page = client_for("priya").get(reverse("plans:plan", kwargs={"project_id": project.pk}))
    answer = client_for("priya").get(f"/api/v1/projects/{project.pk}/schedule")

    assert page.status_code == 200
    assert escape(f"The plan cannot be scheduled: {reason}") in page.content.decode()
    assert answer.status_code == 422
    assert answer.json()["code"] == "unschedulable"
    assert answer.json()["detail"] == reason


def test_an_edit_past_the_horizon_is_refused_with_the_same_reason_on_the_page_and_the_api(
    alpha, client_for
):
    project, _design, build = alpha
    mary = client_for("mary")
    save = reverse("plans:task_save", kwargs={"project_id": project.pk, "task_id": build.pk})
    row = {
        "version": build.version,
        "name": "Build",
        "duration": f"{FOREVER_DAYS}d",
        "predecessors": "1",
        "constraint": "ASAP",
        "constraint_date": "",
        "percent_complete": "0",
    }

    page = mary.post(save, row, **HTMX)
    answer = mary.patch(
        f"/api/v1/projects/{project.pk}/tasks/{build.pk}",
        {"version": build.version, "duration_minutes": FOREVER_DAYS * DAY},
        content_type=JSON,
    )

    # Nothing was saved; store the edit behind the services' back to ask the engine why.
    build.refresh_from_db()
    assert (build.duration_minutes, build.version) == (3 * DAY, 1)
    Task.objects.filter(pk=build.pk).update(duration_minutes=FOREVER_DAYS * DAY)
    reason = engine_reason(project)
    assert answer.status_code == 422
    assert (answer.json()["code"], answer.json()["detail"]) == ("unschedulable", reason)
    assert page.status_code == 200
    assert escape(reason) in page.content.decode()
