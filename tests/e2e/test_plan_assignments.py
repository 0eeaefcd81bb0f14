"""Assigning people in the plan grid's Resources column, then finding the work on the
person's My work page (issue 9: "assign Tom to a task and see it on his My work")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from .browsing import log_in

pytestmark = pytest.mark.e2e

DAY = 480


@pytest.fixture
def plan(org):
    """ALPHA this week: Design (2d), then Build (3d), then Test (2d); nobody assigned."""
    from steerco.plans import services

    project = org.alpha
    monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
    settings = services.plan_settings(project)
    services.plan_update(
        actor=org.mary,
        project=project,
        expected_version=settings.version,
        start=dt.datetime.combine(monday, dt.time(8, 0)),
    )
    for name, days in (("Design", 2), ("Build", 3), ("Test", 2)):
        services.task_create(
            actor=org.mary, project=project, name=name, duration_minutes=days * DAY
        )
    return project


def test_mary_assigns_tom_in_the_grid_and_tom_sees_it_on_his_my_work(page, live_server, org, plan):
    """Given mary (project support) on ALPHA's plan, when she types Priya at 50 % and Tom
    into Build's Resources cell, helped by the directory's names, and presses Enter,
    then the row shows the notation, and Tom, logged in, finds Build on his My work."""
    from playwright.sync_api import expect

    log_in(page, live_server, "mary", org.password)
    page.goto(live_server.url + reverse("plans:plan", kwargs={"project_id": plan.pk}))
    page.wait_for_selector("#plan-page[data-ready]")

    cell = page.get_by_label("Resources, row 2", exact=True)
    cell.click()
    cell.type("Priya Patel[50%], To")
    # The picker offers the directory's names as the last name of the list.
    offered = page.locator("#resource-names option").evaluate_all(
        "options => options.map(option => option.value)"
    )
    assert "Priya Patel[50%], Tom Turner" in offered
    assert not any(value.endswith("Priya Patel") for value in offered)
    cell.fill("Priya Patel[50%], Tom Turner")
    cell.press("Enter")
    expect(page.locator(".plan-status-line")).to_contain_text("saved")
    expect(page.get_by_label("Resources, row 2", exact=True)).to_have_value(
        "Priya Patel[50%], Tom Turner"
    )

    page.context.clear_cookies()
    log_in(page, live_server, "tom", org.password)
    page.goto(live_server.url + reverse("home:home"))
    my_tasks = page.locator("section[aria-labelledby=my-tasks]")
    expect(my_tasks).to_contain_text("Build")
    expect(my_tasks).not_to_contain_text("Design")


def test_a_name_not_in_the_directory_marks_the_resources_cell(page, live_server, org, plan):
    from playwright.sync_api import expect

    log_in(page, live_server, "mary", org.password)
    page.goto(live_server.url + reverse("plans:plan", kwargs={"project_id": plan.pk}))
    page.wait_for_selector("#plan-page[data-ready]")
    cell = page.get_by_label("Resources, row 1", exact=True)
    cell.fill("Zed Zulu")
    cell.press("Enter")

    expect(page.get_by_label("Resources, row 1", exact=True)).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.get_by_role("alert")).to_contain_text("No one called 'Zed Zulu' in the directory")
