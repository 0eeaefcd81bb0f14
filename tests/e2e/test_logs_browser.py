"""A support officer keeps ALPHA's logs in the browser: the risk log, the heat map and the
action board, through the same buttons and in-place edits a person uses."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .browsing import log_in

pytestmark = pytest.mark.e2e


def logs_url(live_server, name: str, project, **kwargs) -> str:
    return live_server.url + reverse(f"logs:{name}", kwargs={"project_id": project.pk, **kwargs})


def test_support_officer_records_a_risk_and_closes_it_in_place(page, live_server, org, artifacts):
    """Given mary on ALPHA's risk log, when she adds a risk with "New risk" and later sets
    its status to Closed in the table itself, then the change is saved: it is still there
    after the page is loaded again, and in the database."""
    from playwright.sync_api import expect

    from steerco.logs.models import Risk

    log_in(
        page,
        live_server,
        "mary",
        org.password,
        logs_url(live_server, "list", org.alpha, kind="risks"),
    )
    expect(page.get_by_role("heading", name="Risks", exact=True)).to_be_visible()

    page.get_by_role("link", name="New risk").click()
    page.get_by_label("Title").fill("Key supplier goes out of business")
    page.get_by_label("Probability", exact=True).select_option(label="3 – Medium")
    page.get_by_label("Impact", exact=True).select_option(label="4 – High")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Risk R-001 added.")).to_be_visible()
    risk = Risk.objects.get(project=org.alpha, title="Key supplier goes out of business")
    assert (risk.ref, risk.probability, risk.impact, risk.status) == ("R-001", 3, 4, "open")

    # Closed risks leave the default list, so show them all first, as a person would.
    page.goto(logs_url(live_server, "list", org.alpha, kind="risks") + "?state=all")
    row = page.locator("tr", has=page.get_by_role("link", name="R-001"))
    row.get_by_role("link", name="edit status").click()
    status = row.get_by_label("Status")
    expect(status).to_be_visible()
    status.select_option(label="Closed")
    row.get_by_role("button", name="Save").click()
    # The open editor's options already contain "Closed": wait for the saved row to replace
    # it, or the reload below can overtake the save.
    expect(row.get_by_label("Status")).to_have_count(0)
    expect(row.locator("td[data-field=status]")).to_contain_text("Closed")

    page.reload()
    row = page.locator("tr", has=page.get_by_role("link", name="R-001"))
    expect(row.locator("td[data-field=status]")).to_contain_text("Closed")
    risk.refresh_from_db()
    assert (risk.status, risk.version) == ("closed", 2)
    # The risk table is wider than a laptop screen: it must scroll inside its frame, not
    # push the whole page sideways past the header bar.
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.screenshot(path=artifacts / "logs-risk-list.png", full_page=True)


def test_the_heat_map_lists_the_risks_of_a_chosen_cell(page, live_server, org, artifacts):
    """Given two open risks in different cells, when mary opens the heat map and chooses the
    cell of probability 4 and impact 5, then only the risk in that cell is listed."""
    from playwright.sync_api import expect

    from steerco.logs import services

    for title, probability, impact in (("Data migration overruns", 4, 5), ("Tester leaves", 1, 2)):
        services.item_create(
            actor=org.priya,
            project=org.alpha,
            kind="risks",
            title=title,
            probability=probability,
            impact=impact,
        )
    log_in(page, live_server, "mary", org.password, logs_url(live_server, "heat_map", org.alpha))
    expect(page.get_by_role("heading", name="Risk heat map")).to_be_visible()

    cells = page.locator("table.heat-map a")
    expect(cells).to_have_count(2)  # only cells with risks in them are links
    heat_map = page.locator("table.heat-map")
    probability_row = heat_map.locator("tbody tr").nth(1)  # rows run from 5 down to 1
    probability_row.locator("td").nth(4).get_by_role("link").click()  # impact 5

    listed = page.locator("#cell-risks")
    expect(listed.get_by_role("heading")).to_contain_text("Probability")
    expect(listed.get_by_role("cell", name="Data migration overruns")).to_be_visible()
    expect(listed.get_by_text("Tester leaves")).to_have_count(0)
    page.screenshot(path=artifacts / "logs-heat-map.png", full_page=True)


def test_moving_an_action_to_done_on_the_board(page, live_server, org, artifacts):
    """Given an open action on ALPHA, when mary moves it to Done on the action board, then
    its card sits in the Done column and the action is done, with today's completion date."""
    from django.utils import timezone
    from playwright.sync_api import expect

    from steerco.logs import services

    action = services.item_create(
        actor=org.priya, project=org.alpha, kind="actions", title="Book the steering room"
    )
    log_in(
        page, live_server, "mary", org.password, logs_url(live_server, "action_board", org.alpha)
    )
    expect(page.get_by_role("heading", name="Action board")).to_be_visible()
    card = page.locator(f"#card-{action.pk}")
    expect(card.locator("xpath=ancestor::section[1]")).to_have_attribute("data-status", "open")

    card.get_by_label("Move ACT-001 to").select_option(label="Done")
    card.get_by_role("button", name="Move").click()

    done = page.locator("section[data-status=done]")
    expect(done.locator(f"#card-{action.pk}")).to_have_count(1)
    action.refresh_from_db()
    assert (action.status, action.completed_on) == ("done", timezone.localdate())
    page.reload()
    expect(page.locator(f"section[data-status=done] #card-{action.pk}")).to_have_count(1)
    page.screenshot(path=artifacts / "logs-action-board.png", full_page=True)
