"""The plan pages: the editable grid with its Gantt chart, settings, baselines, milestones,
import and export, through the Django test client as each kind of user sees them.

Dates are hand-worked on the default calendar (Monday–Friday 08:00–12:00, 13:00–17:00) from
Monday 5 January 2026.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from steerco.engine.interop.mspdi import read_mspdi
from steerco.plans import services
from steerco.plans.models import Baseline, Task, TaskAssignment, TaskLink
from steerco.plans.selectors import plan_view
from steerco.resources.models import Person

MONDAY = dt.datetime(2026, 1, 5, 8, 0)
DAY = 480
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def alpha(org):
    """ALPHA with Design (2d) and Build (3d), not yet linked; tom is assigned to Build."""
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
    services.task_resources_set(
        actor=org.mary, task=build, text="Tom Turner", expected_version=build.version
    )
    return project, design, build


def plan_url(project, **query):
    url = reverse("plans:plan", kwargs={"project_id": project.pk})
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def save_url(project, task):
    return reverse("plans:task_save", kwargs={"project_id": project.pk, "task_id": task.pk})


def action_url(project):
    return reverse("plans:task_action", kwargs={"project_id": project.pk})


def row_post(task, **overrides):
    """What the grid sends for a row: every cell as shown, with ``overrides`` typed."""
    task.refresh_from_db()
    view = plan_view(project=task.project)
    row = next(r for r in view.rows if r.task.pk == task.pk)
    positions = {r.task.pk: r.task.position for r in view.rows}
    preds = ", ".join(str(positions[link.predecessor_id]) for link in row.predecessors)
    data = {
        "version": task.version,
        "name": task.name,
        "duration": f"{task.duration_minutes / DAY:g}d",
        "predecessors": preds,
        "constraint": "ASAP",
        "constraint_date": "",
        "percent_complete": f"{task.percent_complete:g}",
    }
    data.update(overrides)
    return data


def start_of(task):
    view = plan_view(project=task.project)
    return next(r.result.start for r in view.rows if r.task.pk == task.pk)


def text(response) -> str:
    return response.content.decode()


# --- who sees what ----------------------------------------------------------------------


@pytest.mark.parametrize("username", ["priya", "mary", "tom", "erin", "bob"])
def test_plan_page_shows_grid_and_chart_to_everyone_on_the_project(alpha, client_for, username):
    project, _design, _build = alpha
    response = client_for(username).get(plan_url(project))
    assert response.status_code == 200
    body = text(response)
    assert "Design" in body and "Build" in body
    # The split view: the chart's date scale and its rows, as two SVGs.
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="gantt gantt-head"' in body
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="gantt gantt-body"' in body
    # Finish is computed: Design takes Monday and Tuesday.
    assert "06 Jan 2026" in body


def test_outsider_gets_404_for_every_plan_page(alpha, client_for):
    project, design, _build = alpha
    client = client_for("olga")
    for name in ("plans:plan", "plans:baselines", "plans:milestones", "plans:export"):
        assert client.get(reverse(name, kwargs={"project_id": project.pk})).status_code == 404
    assert client.post(save_url(project, design), row_post(design)).status_code == 404


def test_executive_sees_a_read_only_grid_and_cannot_post(alpha, client_for):
    project, design, _build = alpha
    client = client_for("erin")
    body = text(client.get(plan_url(project)))
    assert 'name="duration"' not in body
    assert 'id="row-actions"' not in body
    assert "Add task" not in body
    assert reverse("plans:import", kwargs={"project_id": project.pk}) not in body
    response = client.post(save_url(project, design), row_post(design, name="Hacked"))
    assert response.status_code == 403
    response = client.post(action_url(project), {"action": "add", "new_name": "X"})
    assert response.status_code == 403
    assert not Task.objects.filter(name__in=["Hacked", "X"]).exists()


def test_editors_get_edit_controls(alpha, client_for):
    project, design, _build = alpha
    body = text(client_for("mary").get(plan_url(project)))
    assert f'id="t{design.pk}-duration"' in body
    assert 'id="row-actions"' in body
    assert reverse("plans:import", kwargs={"project_id": project.pk}) in body
    assert re.search(r'aria-label="Duration, row 1"', body)


# --- inline edits -----------------------------------------------------------------------


def test_inline_edit_renames_and_changes_duration(alpha, client_for):
    project, design, _build = alpha
    response = client_for("mary").post(
        save_url(project, design), row_post(design, name="Design v2", duration="3d"), **HTMX
    )
    assert response.status_code == 200
    body = text(response)
    # Only the pieces that changed, swapped in place of their elements (ADR 18).
    assert response["HX-Reswap"] == "none"
    assert 'id="plan-body"' not in body and "<html" not in body
    patch = re.search(
        r'<template id="plan-patch" hx-swap-oob="true"[^>]*>.*</template>', body, re.S
    )
    assert f'<form id="f{design.pk}" class="row-form"' in patch.group(0)
    assert "Design v2" in patch.group(0)
    design.refresh_from_db()
    assert (design.name, design.duration_minutes) == ("Design v2", 3 * DAY)


def test_duration_accepts_hours_and_weeks_and_shows_days(alpha, client_for):
    project, design, build = alpha
    client = client_for("mary")
    client.post(save_url(project, design), row_post(design, duration="4h"), **HTMX)
    design.refresh_from_db()
    assert design.duration_minutes == 240
    body = text(client.post(save_url(project, build), row_post(build, duration="1w"), **HTMX))
    build.refresh_from_db()
    assert build.duration_minutes == 5 * DAY
    assert 'value="0.5 d"' in body and 'value="5 d"' in body


def test_predecessor_by_row_number_moves_the_successor(alpha, client_for):
    project, design, build = alpha
    assert start_of(build) == MONDAY  # unlinked, both start at the project start
    response = client_for("mary").post(
        save_url(project, build), row_post(build, predecessors="1FS+1d"), **HTMX
    )
    assert response.status_code == 200
    link = TaskLink.objects.get(successor=build)
    assert (link.predecessor_id, link.type, link.lag_minutes) == (design.pk, 1, DAY)
    # Design ends Tuesday; one working day of lag (Wednesday) puts Build on Thursday.
    assert start_of(build) == dt.datetime(2026, 1, 8, 8, 0)
    assert 'value="1FS+1d"' in text(response)


def test_removing_a_predecessor_deletes_the_link(alpha, client_for):
    project, design, build = alpha
    services.link_create(
        actor=project.manager.user, project=project, predecessor=design, successor=build
    )
    client_for("mary").post(save_url(project, build), row_post(build, predecessors=""), **HTMX)
    assert not TaskLink.objects.filter(successor=build).exists()


def test_loop_is_refused_naming_the_tasks_and_nothing_is_saved(alpha, client_for):
    project, design, build = alpha
    services.link_create(
        actor=project.manager.user, project=project, predecessor=design, successor=build
    )
    design.refresh_from_db()
    version = design.version
    response = client_for("mary").post(
        save_url(project, design), row_post(design, name="Renamed", predecessors="2"), **HTMX
    )
    assert response.status_code == 200
    body = text(response)
    assert "Row 1 was not saved" in body
    assert re.search(r"depends on itself through &#x27;Build&#x27;", body)
    # The user's typing is kept in the row.
    assert 'value="Renamed"' in body and 'value="2"' in body
    design.refresh_from_db()
    assert (design.name, design.version) == ("Design", version)
    assert TaskLink.objects.count() == 1


def test_bad_duration_is_shown_in_the_row_with_the_typed_value(alpha, client_for):
    project, design, _build = alpha
    response = client_for("mary").post(
        save_url(project, design), row_post(design, duration="three days"), **HTMX
    )
    body = text(response)
    assert "is not a duration" in body
    assert 'value="three days"' in body
    assert 'data-saved="2 d"' in body  # what Escape puts back
    # The Duration cell is marked, not the Name cell, and both point at the message.
    duration = re.search(rf'<input id="t{design.pk}-duration"[^>]*>', body)[0]
    name = re.search(rf'<input id="t{design.pk}-name"[^>]*>', body)[0]
    assert 'aria-invalid="true"' in duration and "aria-invalid" not in name
    assert f'aria-describedby="err-{design.pk}"' in name
    assert f'id="err-{design.pk}"' in body
    design.refresh_from_db()
    assert design.duration_minutes == 2 * DAY


def test_unknown_row_in_predecessors_is_refused(alpha, client_for):
    project, _design, build = alpha
    body = text(
        client_for("mary").post(save_url(project, build), row_post(build, predecessors="9"), **HTMX)
    )
    assert "There is no row 9" in body
    assert not TaskLink.objects.exists()


def test_stale_version_names_who_changed_the_task(alpha, client_for, org):
    project, design, _build = alpha
    stale = row_post(design, duration="4d")
    services.task_update(
        actor=org.priya, task=design, expected_version=design.version, name="Design!"
    )
    response = client_for("mary").post(save_url(project, design), stale, **HTMX)
    body = text(response)
    assert "Priya Patel changed this task since you opened it" in body
    assert 'value="4d"' in body  # mary's input survives
    design.refresh_from_db()
    assert (design.name, design.duration_minutes) == ("Design!", 2 * DAY)


def test_constraint_with_date_pins_the_task(alpha, client_for):
    project, _design, build = alpha
    client_for("mary").post(
        save_url(project, build),
        row_post(build, constraint="snet", constraint_date="2026-01-14"),
        **HTMX,
    )
    build.refresh_from_db()
    assert build.constraint_type == Task.Constraint.SNET
    assert build.constraint_date == dt.datetime(2026, 1, 14, 8, 0)
    assert start_of(build) == dt.datetime(2026, 1, 14, 8, 0)


def test_constraint_without_date_is_refused(alpha, client_for):
    project, _design, build = alpha
    body = text(
        client_for("mary").post(save_url(project, build), row_post(build, constraint="MSO"), **HTMX)
    )
    assert "This constraint needs a date." in body
    build.refresh_from_db()
    assert build.constraint_type == Task.Constraint.ASAP


def test_save_without_htmx_redirects_back_to_the_plan(alpha, client_for):
    project, design, _build = alpha
    response = client_for("mary").post(save_url(project, design), row_post(design, name="Plain"))
    assert response.status_code == 302 and response.url.startswith(plan_url(project))


def test_team_member_updates_progress_of_own_task_only(alpha, client_for):
    project, design, build = alpha
    client = client_for("tom")
    body = text(client.get(plan_url(project)))
    assert f'id="t{build.pk}-percent"' in body
    assert f'id="t{design.pk}-percent"' not in body
    assert f'id="t{build.pk}-name"' not in body
    response = client.post(
        save_url(project, build),
        {"version": build.version, "percent_complete": "40", "name": "Renamed by tom"},
        **HTMX,
    )
    assert response.status_code == 200
    build.refresh_from_db()
    assert (build.percent_complete, build.name) == (40, "Build")
    response = client.post(
        save_url(project, design), {"version": design.version, "percent_complete": "50"}
    )
    assert response.status_code == 403


# --- the Resources column ----------------------------------------------------------------


def test_resources_column_shows_the_notation_and_offers_the_directory(alpha, client_for, org):
    project, _design, build = alpha
    Person.objects.create(name="Chloe Martin", team="Contractors")  # no login
    Person.objects.create(name="Gone Person", active=False)
    body = text(client_for("mary").get(plan_url(project)))
    assert 'role="columnheader">Resources<' in body
    cell = re.search(rf'<input id="t{build.pk}-resources"[^>]*>', body)[0]
    assert 'value="Tom Turner"' in cell and 'list="resource-names"' in cell
    assert 'aria-label="Resources, row 2"' in cell
    names = re.search(r'<datalist id="resource-names">(.*?)</datalist>', body)[1]
    assert '<option value="Chloe Martin">' in names and '<option value="Tom Turner">' in names
    assert "Gone Person" not in names


def test_viewers_see_resources_as_text_without_the_directory(alpha, client_for):
    project, _design, build = alpha
    body = text(client_for("erin").get(plan_url(project)))
    assert f'id="t{build.pk}-resources"' not in body
    assert '<div role="cell">Tom Turner</div>' in body
    assert 'id="resource-names"' not in body


def test_typing_resources_in_a_row_assigns_them(alpha, client_for):
    project, design, _build = alpha
    response = client_for("mary").post(
        save_url(project, design),
        row_post(design, resources="Priya Patel[50%], tom turner", duration="3d"),
        **HTMX,
    )
    assert response.status_code == 200
    assert 'value="Priya Patel[50%], Tom Turner"' in text(response)
    rows = TaskAssignment.objects.filter(task=design).order_by("resource_name")
    assert [(row.resource_name, row.units, row.work_minutes) for row in rows] == [
        ("Priya Patel", Decimal("0.5"), 3 * DAY // 2),
        ("Tom Turner", Decimal(1), 3 * DAY),
    ]


def test_unknown_resource_marks_the_resources_cell_and_saves_nothing(alpha, client_for):
    project, design, _build = alpha
    response = client_for("mary").post(
        save_url(project, design),
        row_post(design, name="Design v2", resources="Tom Turner, Zed Zulu"),
        **HTMX,
    )
    body = text(response)
    assert "was not saved" in body
    assert "No one called &#x27;Zed Zulu&#x27; in the directory" in body
    cell = re.search(rf'<input id="t{design.pk}-resources"[^>]*>', body)[0]
    assert 'aria-invalid="true"' in cell and 'value="Tom Turner, Zed Zulu"' in cell
    name = re.search(rf'<input id="t{design.pk}-name"[^>]*>', body)[0]
    assert "aria-invalid" not in name
    design.refresh_from_db()
    assert design.name == "Design"  # the whole row is refused
    assert not TaskAssignment.objects.filter(task=design).exists()


def test_bad_units_are_refused_naming_the_entry(alpha, client_for):
    project, design, _build = alpha
    body = text(
        client_for("mary").post(
            save_url(project, design), row_post(design, resources="Tom Turner[abc%]"), **HTMX
        )
    )
    assert "&#x27;Tom Turner[abc%]&#x27;" in body
    assert not TaskAssignment.objects.filter(task=design).exists()


def test_assigning_makes_the_task_editable_by_its_new_person(alpha, client_for):
    project, design, _build = alpha
    client_for("mary").post(
        save_url(project, design), row_post(design, resources="Tom Turner"), **HTMX
    )
    assert f'id="t{design.pk}-percent"' in text(client_for("tom").get(plan_url(project)))


def test_plan_page_queries_do_not_grow_with_assignments(alpha, client_for, org):
    project, _design, _build = alpha
    client = client_for("mary")
    with CaptureQueriesContext(connection) as few:
        client.get(plan_url(project))
    for index in range(20):
        task = services.task_create(actor=org.mary, project=project, name=f"Extra {index}")
        services.task_resources_set(
            actor=org.mary, task=task, text="Tom Turner, Priya Patel[50%]", expected_version=1
        )
    with CaptureQueriesContext(connection) as many:
        client.get(plan_url(project))
    assert len(many.captured_queries) == len(few.captured_queries)


# --- row actions ------------------------------------------------------------------------


def names_in_order(project):
    return list(
        Task.objects.filter(project=project)
        .order_by("position")
        .values_list("name", "outline_level")
    )


def test_add_task_below_the_selected_row_and_add_a_subtask(alpha, client_for):
    project, design, build = alpha
    client = client_for("mary")
    response = client.post(
        action_url(project),
        {"action": "add", "task": design.pk, "new_name": "Review"},
        **HTMX,
    )
    assert response.status_code == 200 and "Review" in text(response)
    assert names_in_order(project) == [("Design", 1), ("Review", 1), ("Build", 1)]
    client.post(
        action_url(project), {"action": "add_child", "task": build.pk, "new_name": "Code"}, **HTMX
    )
    assert names_in_order(project)[-1] == ("Code", 2)
    # A summary's duration is rolled up and not editable.
    body = text(client.get(plan_url(project)))
    assert f'id="t{build.pk}-duration"' not in body


def test_add_task_without_selection_appends_it(alpha, client_for):
    project, _design, _build = alpha
    client_for("mary").post(action_url(project), {"action": "add", "new_name": "Close"}, **HTMX)
    assert names_in_order(project)[-1] == ("Close", 1)


def test_indent_outdent_and_move(alpha, client_for):
    project, _design, build = alpha
    client = client_for("priya")
    client.post(action_url(project), {"action": "indent", "task": build.pk}, **HTMX)
    assert names_in_order(project) == [("Design", 1), ("Build", 2)]
    client.post(action_url(project), {"action": "outdent", "task": build.pk}, **HTMX)
    assert names_in_order(project) == [("Design", 1), ("Build", 1)]
    client.post(action_url(project), {"action": "up", "task": build.pk}, **HTMX)
    assert names_in_order(project) == [("Build", 1), ("Design", 1)]
    client.post(action_url(project), {"action": "down", "task": build.pk}, **HTMX)
    assert names_in_order(project) == [("Design", 1), ("Build", 1)]


def test_impossible_action_says_why(alpha, client_for):
    project, design, _build = alpha
    body = text(
        client_for("mary").post(
            action_url(project), {"action": "indent", "task": design.pk}, **HTMX
        )
    )
    assert "cannot be indented" in body
    body = text(client_for("mary").post(action_url(project), {"action": "indent"}, **HTMX))
    assert "Select a row first" in body


def test_delete_asks_for_confirmation_then_deletes(alpha, client_for):
    project, _design, build = alpha
    client = client_for("mary")
    response = client.post(action_url(project), {"action": "delete", "task": build.pk})
    assert response.status_code == 200
    assert "Delete row 2" in text(response)
    assert Task.objects.filter(pk=build.pk).exists()
    response = client.post(
        action_url(project), {"action": "delete", "task": build.pk, "confirmed": "on"}
    )
    assert response.status_code == 302
    assert not Task.objects.filter(pk=build.pk).exists()


# --- chart options ----------------------------------------------------------------------


def test_chart_zoom_critical_and_baseline_options(alpha, client_for, org):
    project, design, _build = alpha
    services.baseline_save(actor=org.mary, project=project, number=0)
    client = client_for("mary")
    body = text(client.get(plan_url(project, zoom="month")))
    assert 'data-zoom="month"' in body
    body = text(client.get(plan_url(project, baseline=0, critical="hide")))
    assert 'class="baseline' in body
    assert 'class="bar critical' not in body
    body = text(client.get(plan_url(project)))
    assert 'class="bar critical' in body and 'class="baseline' not in body
    assert "Status date" not in body or "status" in body
    # An htmx edit keeps the chart options of the page it came from.
    response = client.post(
        save_url(project, design),
        row_post(design),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver" + plan_url(project, zoom="month"),
    )
    # The bars it sends back are drawn at that zoom, exactly as the page draws them.
    month_page = text(client.get(plan_url(project, zoom="month")))
    sent = re.search(
        rf'<g (class="task[^"]*" [^>]*data-uid="{design.uid}".*?</g>)',
        text(response),
    )
    assert sent and f"<g {sent.group(1)}" in month_page
    # Without a choice, the zoom fits the plan: days for this one-week plan.
    assert 'data-zoom="day"' in body


def test_page_has_print_styles_and_no_external_assets(alpha, client_for):
    project, _design, _build = alpha
    body = text(client_for("mary").get(plan_url(project)))
    assert "plans/plan.css" in body
    assert not re.search(r'(src|href)="https?://', body)
    from django.contrib.staticfiles import finders

    with open(finders.find("plans/plan.css")) as css:
        assert "@media print" in css.read()


# --- settings ---------------------------------------------------------------------------


def test_settings_save_and_refuse_a_stale_version(alpha, client_for, org):
    project, design, _build = alpha
    url = reverse("plans:settings", kwargs={"project_id": project.pk})
    client = client_for("mary")
    settings = services.plan_settings(project)
    form = {
        "version": settings.version,
        "start": "2026-01-12",
        "status_date": "2026-01-09",
        "honor_constraints": "on",
        "minutes_per_day": "480",
    }
    assert client.post(url, form).status_code == 302
    settings.refresh_from_db()
    assert settings.start == dt.datetime(2026, 1, 12, 8, 0)
    assert settings.status_date == dt.datetime(2026, 1, 9, 17, 0)
    assert start_of(design) == dt.datetime(2026, 1, 12, 8, 0)
    response = client.post(url, {**form, "start": "2026-02-02"})  # the old version again
    assert response.status_code == 409  # refused: a 4xx, not 200
    assert "Someone else saved the plan settings" in text(response)
    settings.refresh_from_db()
    assert settings.start.date() == dt.date(2026, 1, 12)
    assert client_for("tom").get(url).status_code == 403


# --- baselines --------------------------------------------------------------------------


def test_save_baseline_then_compare_shows_the_slip(alpha, client_for, org):
    project, design, build = alpha
    services.link_create(actor=org.mary, project=project, predecessor=design, successor=build)
    client = client_for("mary")
    url = reverse("plans:baselines", kwargs={"project_id": project.pk})
    assert client.post(url, {"number": "0", "name": "Agreed"}).status_code == 302
    assert Baseline.objects.get(project=project, number=0).name == "Agreed"
    body = text(client.get(url))
    assert "Agreed" in body and "Mary Moss" in body

    # Design grows by two days: Build slips by two working days; a new task appears.
    design.refresh_from_db()
    services.task_update(
        actor=org.mary, task=design, expected_version=design.version, duration_minutes=4 * DAY
    )
    services.task_create(actor=org.mary, project=project, name="Handover")
    compare = reverse("plans:baseline_compare", kwargs={"project_id": project.pk, "number": 0})
    body = text(client_for("erin").get(compare))
    assert "late by 2 d" in body
    assert re.search(r"Added since the baseline.*Handover", body, re.S)
    assert "2 tasks finish later than in the baseline" in body


def test_overwriting_a_baseline_needs_confirmation(alpha, client_for, org):
    project, _design, _build = alpha
    services.baseline_save(actor=org.mary, project=project, number=1, name="First")
    url = reverse("plans:baselines", kwargs={"project_id": project.pk})
    client = client_for("mary")
    response = client.post(url, {"number": "1", "name": "Second"})
    assert response.status_code == 200
    assert "Baseline 1 is already saved" in text(response)
    assert Baseline.objects.get(project=project, number=1).name == "First"
    client.post(url, {"number": "1", "name": "Second", "overwrite": "on", "version_1": "1"})
    assert Baseline.objects.get(project=project, number=1).name == "Second"


def test_removed_tasks_are_listed_and_baselines_can_be_deleted(alpha, client_for, org):
    project, _design, build = alpha
    services.baseline_save(actor=org.mary, project=project, number=2)
    services.task_delete(actor=org.mary, task=build, expected_version=build.version)
    client = client_for("mary")
    compare = reverse("plans:baseline_compare", kwargs={"project_id": project.pk, "number": 2})
    assert re.search(r"Removed since the baseline.*Build", text(client.get(compare)), re.S)
    delete = reverse("plans:baseline_delete", kwargs={"project_id": project.pk, "number": 2})
    assert client_for("erin").post(delete).status_code == 403
    assert client.get(delete).status_code == 200
    assert client.post(delete).status_code == 302
    assert not Baseline.objects.filter(project=project).exists()


# --- milestones -------------------------------------------------------------------------


def test_milestone_after_its_deadline_is_at_risk(alpha, client_for, org):
    project, _design, build = alpha
    launch = services.task_create(
        actor=org.mary,
        project=project,
        name="Launch",
        milestone=True,
        deadline=dt.datetime(2026, 1, 6, 17, 0),
    )
    services.link_create(actor=org.mary, project=project, predecessor=build, successor=launch)
    services.task_create(actor=org.mary, project=project, name="Kick-off", milestone=True)
    body = text(
        client_for("tom").get(reverse("plans:milestones", kwargs={"project_id": project.pk}))
    )
    assert re.search(r"Launch.*At risk.*after its deadline of 06 Jan 2026", body, re.S)
    assert re.search(r"Kick-off.*On track", body, re.S)
    assert "Design" not in body.split("<table", 1)[1]


# --- import and export ------------------------------------------------------------------


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_import_refusal_shows_the_problems_per_row(alpha, client_for):
    project, _design, _build = alpha
    url = reverse("plans:import", kwargs={"project_id": project.pk})
    client = client_for("mary")
    page = text(client.get(url))
    assert "already has a plan" in page and "Update tasks by UID" in page and ".mpp" in page
    csv = b"ID,Name,Duration,Predecessors\n1,Spec,2d,\n2,Code,lots,1\n"
    response = client.post(url, {"file": upload("plan.csv", csv), "mode": "replace"})
    assert response.status_code == 422
    body = text(response)
    assert "nothing was imported" in body
    assert re.search(r"<td class=\"num\">3</td><td>Duration</td><td>[^<]*lots", body)
    assert names_in_order(project) == [("Design", 1), ("Build", 1)]


def test_import_needs_the_replace_confirmation(alpha, client_for):
    project, _design, _build = alpha
    url = reverse("plans:import", kwargs={"project_id": project.pk})
    csv = b"ID,Name,Duration\n1,Spec,2d\n"
    response = client_for("mary").post(url, {"file": upload("plan.csv", csv)})
    assert response.status_code == 422
    assert names_in_order(project) == [("Design", 1), ("Build", 1)]


def test_import_success_shows_a_summary(alpha, client_for):
    project, _design, _build = alpha
    url = reverse("plans:import", kwargs={"project_id": project.pk})
    csv = b"ID,Name,Duration,Predecessors\n1,Spec,2d,\n2,Code,3d,1\n3,Test,1d,2FS+1d\n"
    response = client_for("mary").post(url, {"file": upload("plan.csv", csv), "mode": "replace"})
    assert response.status_code == 200
    assert "3 tasks, 2 links, 0 baselines." in text(response)
    assert names_in_order(project) == [("Spec", 1), ("Code", 1), ("Test", 1)]


def test_mpp_upload_explains_what_to_do(alpha, client_for):
    project, _design, _build = alpha
    url = reverse("plans:import", kwargs={"project_id": project.pk})
    response = client_for("mary").post(
        url, {"file": upload("plan.mpp", b"\xd0\xcf\x11\xe0binary"), "mode": "replace"}
    )
    assert response.status_code == 422
    assert "XML" in text(response)


def test_import_is_refused_to_read_only_users(alpha, client_for):
    project, _design, _build = alpha
    url = reverse("plans:import", kwargs={"project_id": project.pk})
    assert client_for("erin").get(url).status_code == 403
    assert client_for("tom").post(url, {}).status_code == 403


def test_export_downloads_parse_back(alpha, client_for, org):
    project, design, build = alpha
    services.link_create(actor=org.mary, project=project, predecessor=design, successor=build)
    client = client_for("erin")
    url = reverse("plans:export", kwargs={"project_id": project.pk})
    response = client.get(url + "?format=mspdi")
    assert response.status_code == 200
    assert 'filename="alpha-plan.xml"' in response["Content-Disposition"]
    parsed = read_mspdi(response.content)
    assert [t.name for t in parsed.plan.tasks if t.name in ("Design", "Build")] == [
        "Design",
        "Build",
    ]
    assert len(parsed.plan.links) == 1
    for fmt, ext in (("csv", "csv"), ("xlsx", "xlsx"), ("json", "json")):
        response = client.get(f"{url}?format={fmt}")
        assert response.status_code == 200
        assert f"alpha-plan.{ext}" in response["Content-Disposition"]
    assert b"Build" in client.get(url + "?format=csv").content
    assert client.get(url + "?format=mpp").status_code == 400


# --- performance ------------------------------------------------------------------------


def make_tasks(project, count: int) -> None:
    Task.objects.bulk_create(
        [
            Task(
                project=project,
                uid=i,
                position=i,
                wbs=str(i),
                name=f"Task {i}",
                duration_minutes=DAY,
            )
            for i in range(1, count + 1)
        ]
    )
    tasks = list(Task.objects.filter(project=project).order_by("position"))
    TaskLink.objects.bulk_create(
        [
            TaskLink(project=project, predecessor=a, successor=b)
            for a, b in itertools.pairwise(tasks)
        ]
    )


def test_plan_page_query_count_does_not_grow_with_tasks(org, client_for):
    client = client_for("mary")

    def queries_for(project, count):
        make_tasks(project, count)
        client.get(plan_url(project))  # warm caches (sessions, content types)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(plan_url(project))
        assert response.status_code == 200
        assert f"Task {count}" in text(response)
        return len(captured)

    small = queries_for(org.alpha, 20)
    large = queries_for(org.beta, 200)
    assert small == large


def test_saving_a_task_deleted_meanwhile_finds_nothing(alpha, client_for, org):
    project, design, _build = alpha
    stale = row_post(design, name="Too late")
    url = save_url(project, design)
    services.task_delete(actor=org.priya, task=design, expected_version=design.version)
    response = client_for("mary").post(url, stale, **HTMX)
    assert response.status_code == 404  # the task is gone: nothing to save into


# --- how the grid writes values (issue 9) ----------------------------------------------


def test_grid_writes_durations_with_a_unit_and_percentages_in_whole_percent(alpha, client_for, org):
    """Durations "2 d" (not "2.0" or "2d"), a summary's rolled-up % complete "58%" (not
    "57.86"), float "0 d"."""
    project, design, build = alpha
    phase = services.task_create(actor=org.mary, project=project, name="Phase")
    services.task_update(
        actor=org.mary, task=design, expected_version=design.version, percent_complete=100
    )
    client = client_for("mary")
    action = action_url(project)
    # Phase above Design and Build: move it up twice, then indent both under it.
    client.post(action, {"action": "up", "task": phase.pk})
    client.post(action, {"action": "up", "task": phase.pk})
    client.post(action, {"action": "indent", "task": design.pk})
    client.post(action, {"action": "indent", "task": build.pk})
    build.refresh_from_db()
    assert build.parent_id == phase.pk

    body = text(client.get(plan_url(project)))

    assert f'id="t{design.pk}-duration" class="cell cell--num" name="duration"' in body
    assert 'name="duration" value="2 d"' in body and 'name="duration" value="3 d"' in body
    row = re.search(rf'<div id="row-{phase.pk}".*?</form>', body, re.DOTALL)[0]
    # Design is 2 days of 5, done: 40% of the phase's work; the phase spans 3 days.
    assert '<span class="cell-text">40%</span>' in row and '"cell-text">3 d<' in row
    assert "0 d" in row
    assert "40.0" not in row and "5.0" not in row


def test_summary_percent_is_rounded_to_whole_percent(alpha, client_for, org):
    project, design, build = alpha
    client = client_for("mary")
    client.post(action_url(project), {"action": "add", "new_name": "Phase"})
    phase = Task.objects.get(project=project, name="Phase")
    client.post(action_url(project), {"action": "up", "task": phase.pk})
    client.post(action_url(project), {"action": "up", "task": phase.pk})
    client.post(action_url(project), {"action": "indent", "task": design.pk})
    client.post(action_url(project), {"action": "indent", "task": build.pk})
    design.refresh_from_db()
    services.task_update(
        actor=org.mary, task=design, expected_version=design.version, percent_complete=33
    )
    # Rolled up by duration: 33% of 2 days of 5 is 13.2%.
    row = re.search(
        rf'<div id="row-{phase.pk}".*?</form>', text(client.get(plan_url(project))), re.DOTALL
    )[0]
    assert "13%" in row and "13.2" not in row


def test_a_row_saved_unchanged_keeps_a_percentage_the_grid_rounds(alpha, client_for, org):
    """12.5% is shown "13%"; saving the row after changing its name must not round it."""
    project, design, _build = alpha
    services.task_update(
        actor=org.mary, task=design, expected_version=design.version, percent_complete=12.5
    )
    client = client_for("mary")
    body = text(client.get(plan_url(project)))
    assert f'id="t{design.pk}-percent"' in body and 'value="13%"' in body

    response = client.post(
        save_url(project, design),
        row_post(design, name="Design v2", percent_complete="13%"),
        **HTMX,
    )

    assert response.status_code == 200
    design.refresh_from_db()
    assert design.name == "Design v2" and float(design.percent_complete) == 12.5


def test_percent_typed_with_a_percent_sign_is_saved(alpha, client_for):
    project, design, _build = alpha

    client_for("mary").post(save_url(project, design), row_post(design, percent_complete="40%"))

    design.refresh_from_db()
    assert float(design.percent_complete) == 40


def test_editable_grid_indents_names_by_outline_level_with_classes(alpha, client_for):
    """The indent survives in the editable grid (it used to be overridden) and is a class,
    not a style attribute, which the Content-Security-Policy refuses."""
    project, design, build = alpha
    client = client_for("mary")
    client.post(action_url(project), {"action": "indent", "task": build.pk})

    body = text(client.get(plan_url(project)))

    assert re.search(rf'<div class="name-cell lvl-1">[^\n]*id="t{design.pk}-name"', body)
    assert re.search(rf'<div class="name-cell lvl-2">[^\n]*id="t{build.pk}-name"', body)
    assert "style=" not in body


def test_indent_classes_stop_at_the_deepest_level_the_stylesheet_draws():
    from django.contrib.staticfiles import finders

    from steerco.plans.grid import DEEPEST_INDENT, GridRow

    row = GridRow(**{name: None for name in GridRow.__dataclass_fields__} | {"level": 14})
    assert row.indent == f"lvl-{DEEPEST_INDENT}"
    with open(finders.find("plans/plan.css")) as css:
        rules = css.read()
    for level in range(2, DEEPEST_INDENT + 1):
        assert f".name-cell.lvl-{level} " in rules


def test_not_saved_is_said_in_the_error_colour(alpha, client_for):
    project, design, _build = alpha

    body = text(
        client_for("mary").post(
            save_url(project, design), row_post(design, duration="three days"), **HTMX
        )
    )

    assert re.search(
        r'<p id="plan-status-line" class="plan-status-line plan-status-line--error"[^>]*>'
        r"Task &#x27;Design&#x27; was not",
        body,
    )
    saved = text(client_for("mary").post(save_url(project, design), row_post(design), **HTMX))
    assert re.search(
        r'<p id="plan-status-line" class="plan-status-line"[^>]*>Task &#x27;Design&#x27; saved',
        saved,
    )


def test_row_height_and_header_height_match_the_stylesheet():
    """The grid's rows and the chart's rows must be the same height to line up."""
    from django.contrib.staticfiles import finders

    from steerco.plans.views.plan import ROW_HEIGHT, TIER_HEIGHT

    with open(finders.find("plans/plan.css")) as css:
        rules = css.read()
    assert f"--plan-row-h: {ROW_HEIGHT}px;" in rules
    assert f"--plan-head-h: {2 * TIER_HEIGHT}px;" in rules


def test_changing_chart_options_redraws_the_chart_alone(alpha, client_for):
    project, _design, _build = alpha

    response = client_for("mary").get(
        plan_url(project, zoom="month"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="plan-chart"
    )

    body = text(response)
    assert body.lstrip().startswith('<div class="split-pane split-chart" id="plan-chart"')
    assert 'data-zoom="month"' in body and "plan-grid" not in body
    assert "HX-Target" in response.headers["Vary"]


def test_each_rows_inputs_sit_inside_the_rows_form(alpha, client_for):
    """Not tied to it by a form attribute: Chromium resolves thousands of those slowly (a
    2,000-task page loaded three times slower), see grid.RowWriter.row."""
    project, design, _build = alpha

    body = text(client_for("mary").get(plan_url(project)))

    row = re.search(rf'<form id="f{design.pk}" .*?</form>', body, re.DOTALL)[0]
    assert f'id="t{design.pk}-duration"' in row and f'id="t{design.pk}-name"' in row
    assert 'form="f' not in body


def test_row_radios_belong_to_no_form_and_the_toolbar_names_the_picked_row(alpha, client_for):
    """ADR 18: 5,000 radios tied to the toolbar by ``form="row-actions"`` made Chromium
    walk the page for every row a save replaced; the toolbar carries the row itself."""
    project, design, _build = alpha
    client = client_for("mary")
    body = text(client.get(plan_url(project)))
    assert 'form="row-actions"' not in body
    assert 'class="row-pick"' in body
    body = text(client.post(save_url(project, design), row_post(design, duration="3d"), **HTMX))
    assert f'id="row-actions-task" value="{design.pk}"' in body
