"""Dependencies across projects tell each reader only what they may see (issue 14,
item 9), and a log item's deletion shows in the project's history (item 3)."""

from __future__ import annotations

import io
import re

from django.urls import reverse
from openpyxl import load_workbook

from steerco.logs import services
from steerco.logs.models import ProjectDependency
from steerco.plans.models import Task
from steerco.plans.services import task_create, task_delete
from steerco.projects.selectors import project_history

SECRET = "Secret warehouse migration"
HIDDEN = "a project you do not have access to"


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _mirrored(org):
    """BETA (which tom cannot open) records that it needs something from ALPHA."""
    return services.item_create(
        actor=org.priya,
        project=org.beta,
        kind="dependencies",
        title=SECRET,
        description="Cut-over plan for the Beta data platform",
        direction=ProjectDependency.Direction.INBOUND,
        other_project=org.alpha,
        owner=org.people["priya"],
    )


def _own_on_beta(org):
    return services.item_create(
        actor=org.priya,
        project=org.alpha,
        kind="dependencies",
        title="Feed from the warehouse",
        other_project=org.beta,
    )


def _leaks(text: str) -> list[str]:
    return [word for word in ("BETA", "Beta data platform", SECRET, "Cut-over") if word in text]


def test_a_team_member_sees_only_that_a_dependency_exists_in_the_list(org, client_for):
    _mirrored(org)
    _own_on_beta(org)
    tom = client_for("tom")
    assert tom.get(f"/api/v1/projects/{org.beta.pk}").status_code == 404
    text = _text(tom.get(reverse("logs:list", args=[org.alpha.pk, "dependencies"])))
    assert HIDDEN in text
    assert "Feed from the warehouse" in text  # ALPHA's own item, named by ALPHA
    assert _leaks(text) == []
    overview = _text(tom.get(reverse("logs:overview", args=[org.alpha.pk])))
    assert _leaks(overview) == []
    # Those who may see BETA still read everything.
    text = _text(client_for("priya").get(reverse("logs:list", args=[org.alpha.pk, "dependencies"])))
    assert SECRET in text and "recorded by BETA" in text


def test_the_item_page_of_a_hidden_dependency_says_no_more(org, client_for):
    item = _mirrored(org)
    page = client_for("tom").get(reverse("logs:item", args=[org.alpha.pk, "dependencies", item.pk]))
    text = _text(page)
    assert page.status_code == 200
    assert HIDDEN in text
    assert _leaks(text) == []
    assert "Priya Patel" not in text  # its owner and its history are BETA's
    # Fetched as BETA's, it does not exist for him.
    url = reverse("logs:item", args=[org.beta.pk, "dependencies", item.pk])
    assert client_for("tom").get(url).status_code == 404


def test_the_api_list_hides_the_recording_project(org, client_for):
    item = _mirrored(org)
    body = client_for("tom").get(f"/api/v1/projects/{org.alpha.pk}/dependencies").json()
    (row,) = [row for row in body["items"] if row["id"] == item.pk]
    assert row["project"] is None and row["project_code"] is None
    assert _leaks(str(row)) == []
    assert row["owner"] is None
    full = client_for("priya").get(f"/api/v1/projects/{org.alpha.pk}/dependencies").json()
    assert any(row["title"] == SECRET for row in full["items"])


def test_the_export_names_only_projects_the_reader_may_see(org, client_for):
    _own_on_beta(org)
    url = reverse("logs:export", args=[org.alpha.pk, "dependencies", "xlsx"])
    sheet = load_workbook(io.BytesIO(client_for("tom").get(url).content)).active
    cells = " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
    assert "BETA" not in cells
    assert HIDDEN in cells
    sheet = load_workbook(io.BytesIO(client_for("priya").get(url).content)).active
    cells = " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
    assert "BETA" in cells


def test_deleting_a_log_item_shows_in_the_project_history_with_who(org):
    risk = services.item_create(
        actor=org.priya,
        project=org.alpha,
        kind="risks",
        title="Vendor late",
        probability=2,
        impact=3,
    )
    services.item_delete(actor=org.mary, item=risk, expected_version=risk.version)
    entries = [(e.subject, e.action, e.who) for e in project_history(project_id=org.alpha.pk)]
    assert ("R-001 Vendor late", "deleted", "Mary Moss") in entries
    assert ("R-001 Vendor late", "created", "Priya Patel") in entries


def test_deleting_a_task_shows_in_the_project_history_with_who(org):
    task = task_create(actor=org.priya, project=org.alpha, name="Migrate contacts")
    task = Task.objects.get(pk=task.pk)
    task_delete(actor=org.mary, task=task, expected_version=task.version)
    entries = [
        (e.action, e.who)
        for e in project_history(project_id=org.alpha.pk)
        if "Migrate contacts" in e.subject
    ]
    assert ("deleted", "Mary Moss") in entries
