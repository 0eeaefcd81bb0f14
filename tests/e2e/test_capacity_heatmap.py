"""The resource heatmap in a browser: rita (resource manager) opens it and clicks an
over-booked cell to see the allocation behind it, without leaving the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from .browsing import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def overbooked(org):
    """tom, a developer at 32 h a week, booked 40 h this week on ALPHA."""
    from steerco.resources.models import Role
    from steerco.staffing.services import allocation_create

    tom = org.people["tom"]
    tom.primary_role = Role.objects.create(name="Developer")
    tom.save()
    monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
    return allocation_create(
        actor=org.rita,
        project=org.alpha,
        person=tom,
        amount=40,
        start=monday,
        finish=monday + dt.timedelta(days=4),
    )


def test_rita_clicks_an_overbooked_cell_and_sees_the_allocation(page, live_server, org, overbooked):
    """Given tom booked 40 h this week, when rita opens the heatmap from her home page and
    clicks his first cell, then the cell reads 125 % in the over band and the panel below
    names ALPHA and the 40 hours, on the same page."""
    from playwright.sync_api import expect

    log_in(page, live_server, "rita", org.password, then=live_server.url + reverse("home:home"))
    page.get_by_role("link", name="Resource heatmap").first.click()
    page.wait_for_selector("[data-testid=heatmap]")
    heatmap_url = page.url

    row = page.get_by_role("row").filter(has_text=org.people["tom"].name)
    cell = row.locator("td.load--over").first
    expect(cell).to_have_text("125%")
    cell.get_by_role("link").click()

    detail = page.get_by_test_id("cell-detail")
    expect(detail).to_contain_text("ALPHA")
    expect(detail).to_contain_text("40.0")
    assert page.url == heatmap_url  # the panel came in place, by htmx
