"""Pages work under the Content-Security-Policy: the API's interactive docs render, and the
in-place cell editor still answers Enter and Escape now that its keys are handled by our own
script instead of htmx trigger filters (which htmx evaluates and the policy forbids)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .browsing import log_in

pytestmark = pytest.mark.e2e


def test_the_api_docs_render_under_the_policy(page, live_server, org):
    from playwright.sync_api import expect

    log_in(page, live_server, "priya", org.password, live_server.url + "/api/docs")

    expect(page.get_by_role("heading", name="SteerCo API")).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() > 20


def test_the_cell_editor_saves_a_select_on_enter_and_cancels_on_escape(page, live_server, org):
    from playwright.sync_api import expect

    from steerco.logs.models import Risk
    from steerco.logs.services import item_create

    risk = item_create(
        actor=org.mary,
        project=org.alpha,
        kind="risks",
        title="Vendor slips",
        probability=2,
        impact=2,
    )
    url = live_server.url + reverse(
        "logs:list", kwargs={"project_id": org.alpha.pk, "kind": "risks"}
    )
    log_in(page, live_server, "mary", org.password, url)
    row = page.locator("tr", has=page.get_by_role("link", name=risk.ref))

    # Escape puts the row back without saving.
    row.get_by_role("link", name="edit probability").click()
    probability = row.get_by_label("Probability")
    expect(probability).to_be_visible()
    probability.press("Escape")
    expect(row.get_by_label("Probability")).to_have_count(0)

    # Keys other than Enter do not send the form (a filter htmx cannot compile fires on
    # every key); Enter on a select does.
    row.get_by_role("link", name="edit probability").click()
    row.get_by_label("Probability").press("ArrowDown")
    expect(row.get_by_label("Probability")).to_be_visible()
    row.get_by_label("Probability").select_option(label="4 – High")
    row.get_by_label("Probability").press("Enter")
    expect(row.locator("td[data-field=probability]")).to_contain_text("4")
    # The server may still be finishing the request (its session write) when the row shows.
    page.wait_for_load_state("networkidle")

    risk = Risk.objects.get(pk=risk.pk)
    assert risk.probability == 4
