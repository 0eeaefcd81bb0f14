"""A support officer builds the start of ALPHA's plan in the browser, with the keyboard."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .browsing import log_in

pytestmark = pytest.mark.e2e


def test_support_officer_links_two_tasks_and_the_chart_follows(page, live_server, org, artifacts):
    """Given mary (project support on ALPHA, whose plan starts Monday 5 January 2026),
    when she adds two tasks, gives the first a duration of 3 days and makes it the second's
    predecessor, typing and pressing Enter,
    then the second task starts on Thursday 8 January and the Gantt chart shows two bars
    joined by a dependency arrow."""
    from playwright.sync_api import expect

    from steerco.plans.models import Task, TaskLink

    log_in(page, live_server, "mary", org.password)
    page.goto(live_server.url + reverse("projects:detail", kwargs={"pk": org.alpha.pk}))
    page.get_by_role("navigation", name="Project pages").get_by_role("link", name="Plan").click()
    expect(page.get_by_label("New task name")).to_be_visible()

    rows = page.locator("#plan-grid .grid-body .grid-row")
    name_box = page.get_by_label("New task name")
    name_box.fill("Design the data model")
    name_box.press("Enter")  # the toolbar's first button: Add task
    expect(rows).to_have_count(1)
    page.get_by_label("New task name").fill("Migrate the customer records")
    page.get_by_role("button", name="Add task").click()
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("05 Jan 2026")  # no link yet: both start at once

    duration = page.get_by_label("Duration, row 1", exact=True)
    duration.click()
    duration.press("Control+a")
    duration.type("3d")
    duration.press("Enter")
    expect(rows.nth(0)).to_contain_text("07 Jan 2026")  # three days: Monday to Wednesday

    predecessors = page.get_by_label("Predecessors, row 2", exact=True)
    predecessors.click()
    predecessors.type("1")
    predecessors.press("Enter")
    expect(rows.nth(1)).to_contain_text("08 Jan 2026")
    expect(page.get_by_label("Predecessors, row 2", exact=True)).to_have_value("1")

    expect(page.get_by_role("heading", name="Gantt chart")).to_be_attached()
    chart = page.locator("#plan-chart svg.gantt-body")
    expect(chart.locator("rect.bar")).to_have_count(2)
    expect(chart.locator("polyline.link")).to_have_count(1)
    second = Task.objects.get(project=org.alpha, name="Migrate the customer records")
    assert TaskLink.objects.filter(successor=second).count() == 1

    # Escape puts back the saved value of a cell typed in but not saved.
    predecessors = page.get_by_label("Predecessors, row 2", exact=True)
    predecessors.click()
    predecessors.press("Control+a")
    predecessors.type("7")
    predecessors.press("Escape")
    expect(predecessors).to_have_value("1")

    page.screenshot(path=artifacts / "plan-page.png", full_page=True)
