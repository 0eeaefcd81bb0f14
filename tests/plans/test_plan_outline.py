"""Collapsing and expanding summary tasks on the plan page: a view setting of each user,
kept on the server, hiding the subtasks from the grid and the chart (issue 9).

ALPHA's plan here: Phase (rows 1) with Design and Build under it, then Launch.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from steerco.plans import services
from steerco.plans.models import OutlinePreference, Task
from steerco.plans.selectors import outline_collapsed

MONDAY = dt.datetime(2026, 1, 5, 8, 0)
DAY = 480
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def plan(org):
    project = org.alpha
    settings = services.plan_settings(project)
    services.plan_update(
        actor=org.mary, project=project, expected_version=settings.version, start=MONDAY
    )
    phase = services.task_create(actor=org.mary, project=project, name="Phase")
    design = services.task_create(
        actor=org.mary, project=project, name="Design", parent=phase, duration_minutes=2 * DAY
    )
    build = services.task_create(
        actor=org.mary, project=project, name="Build", parent=phase, duration_minutes=3 * DAY
    )
    launch = services.task_create(actor=org.mary, project=project, name="Launch")
    return project, phase, design, build, launch


def outline_url(project):
    return reverse("plans:outline", kwargs={"project_id": project.pk})


def plan_url(project):
    return reverse("plans:plan", kwargs={"project_id": project.pk})


def grid_names(body: str) -> list[str]:
    """The task names in the grid's rows, in order (inputs for editors, text for readers)."""
    names = re.findall(r'data-col="name"[^>]*>|<span class="cell-text cell--name">([^<]*)<', body)
    values = re.findall(r'<input id="t\d+-name"[^>]*value="([^"]*)"', body)
    return values or [name for name in names if name]


def chart_uids(body: str) -> list[str]:
    chart = body[body.index('class="gantt gantt-body"') :]
    return re.findall(r'<g class="task[^"]*" data-kind="\w+" data-uid="(\d+)"', chart)


def test_collapsing_a_summary_hides_its_subtasks_in_grid_and_chart(plan, client_for):
    project, phase, _design, _build, launch = plan
    client = client_for("mary")
    before = client.get(plan_url(project)).content.decode()
    assert grid_names(before) == ["Phase", "Design", "Build", "Launch"]
    assert len(chart_uids(before)) == 4

    response = client.post(outline_url(project), {"collapse": phase.pk}, **HTMX)

    assert response.status_code == 200
    body = response.content.decode()
    assert grid_names(body) == ["Phase", "Launch"]
    assert chart_uids(body) == [str(phase.uid), str(launch.uid)]
    assert f'id="toggle-{phase.pk}"' in body and 'aria-expanded="false"' in body
    assert "Subtasks of &#x27;Phase&#x27; hidden." in body
    # Kept on the server: the next visit shows the plan collapsed.
    assert grid_names(client.get(plan_url(project)).content.decode()) == ["Phase", "Launch"]


def test_expanding_shows_the_subtasks_again(plan, client_for, org):
    project, phase, *_ = plan
    client = client_for("mary")
    client.post(outline_url(project), {"collapse": phase.pk})

    response = client.post(outline_url(project), {"expand": phase.pk})

    assert response.status_code == 302  # without htmx: back to the plan
    assert response.headers["Location"].startswith(plan_url(project))
    body = client.get(plan_url(project)).content.decode()
    assert grid_names(body) == ["Phase", "Design", "Build", "Launch"]
    assert outline_collapsed(user=org.mary, project=project) == frozenset()


def test_collapsing_is_each_users_own_view(plan, client_for, org):
    project, phase, *_ = plan
    client_for("mary").post(outline_url(project), {"collapse": phase.pk})

    body = client_for("priya").get(plan_url(project)).content.decode()
    assert grid_names(body) == ["Phase", "Design", "Build", "Launch"]


def test_a_reader_may_collapse_the_plan_he_reads(plan, client_for, org):
    """tom (team member) and erin (executive) change nothing in the plan, but may arrange
    their own view of it."""
    project, phase, *_ = plan
    for username in ("tom", "erin"):
        response = client_for(username).post(outline_url(project), {"collapse": phase.pk}, **HTMX)
        assert response.status_code == 200
        assert grid_names(response.content.decode()) == ["Phase", "Launch"]
        assert outline_collapsed(user=org.users[username], project=project) == {phase.pk}
    assert Task.objects.get(pk=phase.pk).version == phase.version  # the plan is untouched


def test_an_outsider_gets_404_and_nothing_is_stored(plan, client_for, org):
    project, phase, *_ = plan

    response = client_for("olga").post(outline_url(project), {"collapse": phase.pk})

    assert response.status_code == 404
    assert not OutlinePreference.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(plan):
    project, phase, *_ = plan

    response = Client().post(outline_url(project), {"collapse": phase.pk})

    assert response.status_code == 302 and "login" in response.headers["Location"]
    assert not OutlinePreference.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(plan, org):
    project, phase, *_ = plan
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(org.mary)

    response = browser.post(outline_url(project), {"collapse": phase.pk})

    assert response.status_code == 403
    assert not OutlinePreference.objects.exists()


def test_get_is_not_allowed(plan, client_for):
    project, *_ = plan
    assert client_for("mary").get(outline_url(project)).status_code == 405


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"collapse": "x"},
        {"collapse": "0"},
        {"expand": "some"},
        {"collapse": "1", "expand": "1"},
    ],
    ids=["nothing", "not-a-number", "zero", "not-a-task", "both"],
)
def test_bad_input_is_a_400_and_stores_nothing(plan, client_for, data):
    project, *_ = plan

    response = client_for("mary").post(outline_url(project), data)

    assert response.status_code == 400
    assert not OutlinePreference.objects.exists()


def test_a_task_of_another_project_is_a_404(plan, client_for, org):
    project, *_ = plan
    other = services.task_create(actor=org.bob, project=org.beta, name="Elsewhere")

    response = client_for("mary").post(outline_url(project), {"collapse": other.pk})

    assert response.status_code == 404


def test_only_a_summary_can_be_collapsed(plan, client_for, org):
    project, _phase, design, *_ = plan

    response = client_for("mary").post(outline_url(project), {"collapse": design.pk})

    assert response.status_code == 400
    assert b"Only a summary task" in response.content
    assert outline_collapsed(user=org.mary, project=project) == frozenset()


def test_expand_all_and_deleted_tasks_are_forgotten(plan, client_for, org):
    project, phase, *_ = plan
    client = client_for("mary")
    client.post(outline_url(project), {"collapse": phase.pk})
    services.task_delete(actor=org.mary, task=phase, expected_version=phase.version)
    assert outline_collapsed(user=org.mary, project=project) == {phase.pk}  # not yet pruned

    client.post(outline_url(project), {"expand": "all"})

    assert OutlinePreference.objects.get(user=org.mary, project=project).collapsed == []


def test_a_nested_summary_keeps_its_own_state_under_its_parent(plan, client_for, org):
    """Design gets a subtask, so it is a summary too: collapsed inside a collapsed Phase,
    it stays collapsed when Phase is expanded again, as in Microsoft Project."""
    project, phase, design, *_ = plan
    services.task_create(actor=org.mary, project=project, name="Detail", parent=design)
    client = client_for("mary")
    client.post(outline_url(project), {"collapse": design.pk})
    client.post(outline_url(project), {"collapse": phase.pk})
    assert grid_names(client.get(plan_url(project)).content.decode()) == ["Phase", "Launch"]

    client.post(outline_url(project), {"expand": phase.pk})

    body = client.get(plan_url(project)).content.decode()
    assert grid_names(body) == ["Phase", "Design", "Build", "Launch"]


def test_adding_a_subtask_under_a_collapsed_summary_expands_it(plan, client_for, org):
    project, phase, *_ = plan
    client = client_for("mary")
    client.post(outline_url(project), {"collapse": phase.pk})

    response = client.post(
        reverse("plans:task_action", kwargs={"project_id": project.pk}),
        {"action": "add_child", "task": phase.pk, "new_name": "Test"},
        **HTMX,
    )

    assert "Test" in grid_names(response.content.decode())
    assert outline_collapsed(user=org.mary, project=project) == frozenset()


def test_the_grid_names_the_toggle_for_screen_readers(plan, client_for):
    project, phase, *_ = plan
    body = client_for("mary").get(plan_url(project)).content.decode()

    (toggle,) = re.findall(rf'<button[^>]*id="toggle-{phase.pk}"[^>]*>', body)
    assert 'aria-expanded="true"' in toggle
    assert 'aria-label="Hide the subtasks of Phase"' in toggle
    assert 'name="collapse"' in toggle and 'form="outline-form"' in toggle
