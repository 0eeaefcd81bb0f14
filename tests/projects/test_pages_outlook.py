"""A figure flows up, with its reason: the schedule's figures on the project's overview,
in the project list, on the portfolio page, on "My work" and in the export.

ALPHA's plan, hand-worked on the default calendar (Monday–Friday, no holidays): Build
(5 days) → Launch (a milestone) from Monday 5 January 2026; baseline 0 saved with Launch
on Friday 9 January. Build then grows to 15 days: Launch on Friday 23 January, 10
working days late. ALPHA's planned finish is typed in as Friday 16 January: 5 days late.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from steerco.logs import services as log_services
from steerco.plans import services
from steerco.plans.models import Task
from steerco.projects.services import project_update

MONDAY = dt.datetime(2026, 1, 5, 8, 0)
DAY = 480
AMBER = "Amber: forecast finish 10 working days after baseline 0 (tolerance 5)"


@pytest.fixture
def late_alpha(org):
    project = org.alpha
    settings = services.plan_settings(project)
    services.plan_update(
        actor=org.mary, project=project, expected_version=settings.version, start=MONDAY
    )
    build = services.task_create(
        actor=org.mary, project=project, name="Build", duration_minutes=5 * DAY
    )
    launch = services.task_create(actor=org.mary, project=project, name="Launch", milestone=True)
    services.link_create(actor=org.mary, project=project, predecessor=build, successor=launch)
    services.baseline_save(actor=org.mary, project=project, number=0)
    build = Task.objects.get(pk=build.pk)
    services.task_update(
        actor=org.mary, task=build, expected_version=build.version, duration_minutes=15 * DAY
    )
    project = project_update(
        actor=org.bob,
        project=project,
        expected_version=project.version,
        planned_finish=dt.date(2026, 1, 16),
    )
    return project


def text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_overview_shows_the_schedule_with_its_reasons(late_alpha, client_for):
    body = text(client_for("tom").get(reverse("projects:detail", kwargs={"pk": late_alpha.pk})))

    assert "Schedule" in body and AMBER in body
    assert "0%" in body  # complete
    assert "23 Jan 2026" in body  # forecast finish
    assert "09 Jan 2026" in body and "10 working days late against baseline 0" in body
    assert "16 Jan 2026" in body and "5 working days late against the planned finish" in body
    assert re.search(
        r"Next milestones.*23 Jan 2026.*Launch.*Late.*Late against baseline 0 by 10 working days",
        body,
    )


def test_a_hand_set_rag_shows_only_as_the_managers_own_beside_the_computed_one(
    late_alpha, org, client_for
):
    project_update(
        actor=org.bob, project=late_alpha, expected_version=late_alpha.version, health="green"
    )

    body = text(client_for("tom").get(reverse("projects:detail", kwargs={"pk": late_alpha.pk})))

    assert re.search(r"Manager's RAG</span> <span class=\"badge badge--rag badge--green\"", body)
    assert "the manager's own judgement, set by hand" in body
    assert re.search(
        r'id="schedule-heading">Schedule</h2> <span class="badge badge--rag badge--amber', body
    )


def test_the_overview_shows_top_risks_open_issues_and_overdue_actions(org, client_for):
    project = org.alpha
    risk = log_services.item_create(
        actor=org.mary,
        project=project,
        kind="risks",
        title="Supplier goes bust",
        probability=4,
        impact=5,
    )
    log_services.item_create(
        actor=org.mary, project=project, kind="issues", title="Test server down"
    )
    log_services.item_create(
        actor=org.mary,
        project=project,
        kind="actions",
        title="Chase the supplier",
        due_date=dt.date(2020, 1, 6),
    )

    body = text(client_for("tom").get(reverse("projects:detail", kwargs={"pk": project.pk})))

    assert re.search(r"Top risks.*1 open.*R-001.*Supplier goes bust.*20.*High", body)
    assert re.search(r"Open issues.*1 open.*I-001.*Test server down", body)
    assert re.search(r"Overdue actions.*1 overdue.*ACT-001.*Chase the supplier.*06 Jan 2020", body)
    url = reverse("logs:item", args=[project.pk, "risks", risk.pk])
    assert f'href="{url}"' in body


def test_a_project_without_a_plan_says_so_on_its_overview(org, client_for):
    body = text(client_for("bob").get(reverse("projects:detail", kwargs={"pk": org.gamma.pk})))

    assert "Not assessed: the project has no plan yet." in body
    assert "Build or import its plan" in body


def test_outsiders_still_get_404_from_the_overview(late_alpha, client_for):
    response = client_for("olga").get(reverse("projects:detail", kwargs={"pk": late_alpha.pk}))
    assert response.status_code == 404
    assert "Build" not in response.content.decode()


def test_the_project_list_shows_forecast_and_slip_with_the_reason(late_alpha, client_for):
    body = text(client_for("tom").get(reverse("projects:list")))

    row = re.search(r"<tr>\s*<td[^>]*><a [^>]*>ALPHA</a>.*?</tr>", body).group(0)
    assert "16 Jan 2026" in row  # planned finish
    assert "23 Jan 2026" in row  # forecast finish
    assert "10 d late" in row
    assert f'title="{AMBER}"' in row
    assert f"Schedule: {AMBER}" in row  # spoken by screen readers
    assert "badge--amber" in row


def test_the_project_list_reads_stored_outlooks_in_one_query(late_alpha, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("bob")
    client.get(reverse("projects:list"))  # fills any outlook not stored yet
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("projects:list"))

    outlook_queries = [q for q in queries if "plans_planoutlook" in q["sql"]]
    assert len(outlook_queries) == 1
    assert not [q for q in queries if "plans_task" in q["sql"]]


def test_the_portfolio_page_shows_forecast_and_slip(late_alpha, org, client_for):
    body = text(
        client_for("bob").get(reverse("portfolios:detail", kwargs={"pk": org.portfolio.pk}))
    )

    row = re.search(r"<tr>\s*<td[^>]*><a [^>]*>ALPHA</a>.*?</tr>", body).group(0)
    assert "23 Jan 2026" in row and "10 d late" in row and f'title="{AMBER}"' in row


def test_my_work_shows_my_projects_forecast(late_alpha, client_for):
    body = text(client_for("tom").get(reverse("home:home")))

    assert re.search(r"My projects.*ALPHA.*23 Jan 2026.*10 d late", body)


def test_the_export_carries_the_forecast_and_the_slips(late_alpha, org):
    from steerco.core.project_pages import schedule_outlooks
    from steerco.projects.exports import column_titles, project_rows, projects_xlsx
    from steerco.projects.selectors import project_list

    projects = list(project_list(user=org.priya))
    workbook = load_workbook(
        io.BytesIO(projects_xlsx(project_rows(projects, schedule_outlooks(projects=projects))))
    )
    header, *rows = list(workbook["Projects"].iter_rows(values_only=True))
    assert list(header) == column_titles()
    alpha = dict(zip(header, next(row for row in rows if row[0] == "ALPHA"), strict=True))

    assert alpha["Forecast finish"].date() == dt.date(2026, 1, 23)
    assert alpha["Working days late against baseline 0"] == 10
    assert alpha["Working days late against the planned finish"] == 5
    assert alpha["Schedule RAG"] == "Amber"
    assert alpha["Schedule RAG reason"] == AMBER
