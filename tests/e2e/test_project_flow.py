"""A project manager creates a project in the browser; an outsider never sees it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from .browsing import log_in

pytestmark = pytest.mark.e2e


def log_out(page, username: str) -> None:
    button = page.get_by_role("button", name="Log out")
    if not button.is_visible():
        # The button may sit in a user menu that opens on one's name, as a person would.
        page.get_by_text(username, exact=True).first.click()
    button.click()
    page.wait_for_load_state()


# The labels may carry a colon or a "required" star after the word the contract names.
CODE = re.compile(r"^\s*Code\b")
NAME = re.compile(r"^\s*Name\b")


def test_manager_creates_project_and_outsider_cannot_see_it(page, live_server, org, artifacts):
    """Given priya (a project manager) and olga (no role anywhere),
    when priya creates DELTA through the project form,
    then it is listed and opens for her, and olga's list does not show it."""
    from playwright.sync_api import expect

    from steerco.projects.models import Project

    log_in(page, live_server, "priya", org.password)
    projects_url = live_server.url + reverse("projects:list")
    page.goto(projects_url)
    page.get_by_role("link", name="New project").click()
    page.get_by_label(CODE).fill("DELTA")
    page.get_by_label(NAME).fill("Delta warehouse automation")
    page.get_by_role("button", name="Create project").click()
    page.wait_for_load_state()

    delta = Project.objects.get(code="DELTA")
    page.goto(projects_url)
    row = page.get_by_role("row").filter(has_text="DELTA")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Delta warehouse automation")
    # Projects priya already manages are listed beside the new one.
    expect(page.get_by_role("row").filter(has_text="ALPHA")).to_have_count(1)
    page.screenshot(path=artifacts / "project-list-priya.png", full_page=True)

    row.get_by_role("link").first.click()
    detail_url = live_server.url + reverse("projects:detail", kwargs={"pk": delta.pk})
    expect(page).to_have_url(re.compile(re.escape(detail_url) + r"$"))
    expect(page.get_by_text("Delta warehouse automation").first).to_be_visible()

    log_out(page, "priya")
    expect(page.get_by_label("Username")).to_be_visible()

    log_in(page, live_server, "olga", org.password)
    page.goto(projects_url)
    expect(page.get_by_label("Username")).to_have_count(0)
    expect(page.get_by_text("DELTA")).to_have_count(0)
    expect(page.get_by_text("Delta warehouse automation")).to_have_count(0)
    response = page.goto(detail_url)
    assert response is not None and response.status == 404
