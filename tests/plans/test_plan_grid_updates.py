"""The plan grid's partial answers to a cell save and its filters and views (issue 9,
ADR 18), through the Django test client.

The plan: two phases from Monday 5 January 2026 on the default calendar. Phase A: A1 (2d)
then A2 (1d), three days; phase B: B1 (5d) then B2 (3d), eight days and critical. So an
edit in phase A moves phase A's rows and nothing of phase B's.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from steerco.plans import services
from steerco.plans.models import TaskAssignment, TaskLink

MONDAY = dt.datetime(2026, 1, 5, 8, 0)
DAY = 480
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def phases(org):
    project = org.alpha
    settings = services.plan_settings(project)
    services.plan_update(
        actor=org.mary, project=project, expected_version=settings.version, start=MONDAY
    )
    made = {}
    for phase, durations in (("A", (2, 1)), ("B", (5, 3))):
        summary = services.task_create(actor=org.mary, project=project, name=f"Phase {phase}")
        made[f"Phase {phase}"] = summary
        previous = None
        for number, days in enumerate(durations, start=1):
            task = services.task_create(
                actor=org.mary,
                project=project,
                name=f"{phase}{number}",
                duration_minutes=days * DAY,
                parent=summary,
            )
            made[f"{phase}{number}"] = task
            if previous is not None:
                TaskLink.objects.create(project=project, predecessor=previous, successor=task)
            previous = task
    for task in made.values():
        task.refresh_from_db()
    return project, made


def plan_url(project, **query):
    url = reverse("plans:plan", kwargs={"project_id": project.pk})
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def save_url(project, task):
    return reverse("plans:task_save", kwargs={"project_id": project.pk, "task_id": task.pk})


def row_post(task, **overrides):
    """What the grid sends for a leaf row, with ``overrides`` typed."""
    task.refresh_from_db()
    preds = ", ".join(
        str(link.predecessor.position) for link in TaskLink.objects.filter(successor=task)
    )
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


def sent_patch(body: str) -> str:
    """What an answer's ``<template id="plan-patch">`` carries: the rows and shapes that
    plan.js puts in place of the page's."""
    found = re.search(
        r'<template id="plan-patch" hx-swap-oob="true"[^>]*>(.*?)</template>', body, re.S
    )
    return found.group(1) if found else ""


def sent_rows(body: str) -> set[int]:
    """The task ids of the grid rows an answer swaps in."""
    return {int(pk) for pk in re.findall(r'<form id="f(\d+)"', sent_patch(body))}


def sent_bars(body: str) -> set[int]:
    return {
        int(uid)
        for uid in re.findall(r'<g class="task[^"]*" [^>]*data-uid="(\d+)"', sent_patch(body))
    }


def shown_rows(body: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<div id="row-(\d+)"', body)]


def pks(made, *names) -> set[int]:
    return {made[name].pk for name in names}


# --- the partial answer to a save ----------------------------------------------------------


def test_a_duration_edit_sends_back_only_the_rows_it_changed(phases, client_for):
    project, made = phases
    response = client_for("mary").post(
        save_url(project, made["A1"]), row_post(made["A1"], duration="3d"), **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200 and response["HX-Reswap"] == "none"
    # A1 itself, A2 after it and their summary moved; phase B did not.
    assert sent_rows(body) == pks(made, "Phase A", "A1", "A2")
    assert sent_bars(body) == {made[name].uid for name in ("Phase A", "A1", "A2")}
    assert 'id="plan-body"' not in body
    # The saved row comes back with its new version, and the arrow touching it is redrawn
    # (the old one deleted first, so it is not drawn twice).
    made["A1"].refresh_from_db()
    assert f'name="version" value="{made["A1"].version}"' in body
    assert f'data-links-gone="{made["A1"].uid}:{made["A2"].uid}"' in body
    assert f'data-from="{made["A1"].uid}" data-to="{made["A2"].uid}"' in body
    # The plan's dates and the status come too.
    assert 'id="plan-summary" hx-swap-oob="true"' in body and "saved." in body
    assert made["A1"].duration_minutes == 3 * DAY


def test_a_save_also_sends_the_rows_others_changed_since_the_page_was_drawn(
    phases, client_for, org
):
    """The page sends its token back (hx-headers): the save compares with that page."""
    project, made = phases
    client = client_for("mary")
    page = client.get(plan_url(project)).content.decode()
    token = re.search(r'"X-Plan-Page": "(\w+)"', page).group(1)
    services.task_update(
        actor=org.priya, task=made["B2"], expected_version=made["B2"].version, name="B2 theirs"
    )
    body = client.post(
        save_url(project, made["B1"]),
        row_post(made["B1"], name="B1 mine"),
        HTTP_X_PLAN_PAGE=token,
        **HTMX,
    ).content.decode()
    assert sent_rows(body) == pks(made, "B1", "B2") and "B2 theirs" in body
    # The page now shows both: the next save from it sends its own row alone.
    body = client.post(
        save_url(project, made["B1"]),
        row_post(made["B1"], name="B1 again"),
        HTTP_X_PLAN_PAGE=token,
        **HTMX,
    ).content.decode()
    assert sent_rows(body) == pks(made, "B1")


def view_figures(view) -> tuple:
    """What a plan view shows: each row's values and dates, the plan's dates and error."""
    rows = [
        (
            row.task.pk,
            row.task.name,
            row.task.version,
            row.task.duration_minutes,
            row.summary,
            row.percent_complete,
            [link.predecessor_id for link in row.predecessors],
            (row.result.start, row.result.finish, row.result.critical) if row.result else None,
        )
        for row in view.rows
    ]
    assignments = {
        task_id: sorted((item.resource_name, float(item.units)) for item in items)
        for task_id, items in view.inputs.assignments.items()
    }
    return rows, assignments, view.start, view.finish, view.error, view.settings.version


@pytest.mark.parametrize("edit", ["duration", "predecessors", "unlink", "resources"])
def test_the_plan_a_save_scheduled_draws_as_a_fresh_one(phases, org, edit):
    """The page after a save reuses the plan its services scheduled (the last they told):
    it must show exactly what loading and scheduling the plan afresh shows."""
    from steerco.engine.interop.tasklist import parse_predecessors
    from steerco.engine.scheduling.assignment_notation import parse_resources
    from steerco.plans.selectors import plan_view

    project, made = phases
    told = []
    task = made["A2"] if edit == "unlink" else made["A1"]
    services.task_update(
        actor=org.mary,
        task=task,
        expected_version=task.version,
        on_scheduled=told.append,
        **({"duration_minutes": 4 * DAY} if edit == "duration" else {}),
    )
    if edit == "predecessors":  # A1 after B2: phase A moves past phase B
        entry = parse_predecessors("1FS+1d")[0]
        services.task_predecessors_set(
            actor=org.mary, task=task, predecessors=[(made["B2"], entry)], on_scheduled=told.append
        )
    elif edit == "unlink":  # a removal alone reschedules through outlook_refresh
        services.task_predecessors_set(
            actor=org.mary, task=task, predecessors=[], on_scheduled=told.append
        )
    elif edit == "resources":
        tom = org.people["tom"]
        services.task_assignments_set(
            actor=org.mary,
            task=task,
            entries=parse_resources(f"{tom.name}[50%]"),
            expected_version=task.version,
            on_scheduled=told.append,
        )
    assert len(told) == (1 if edit == "duration" else 2)
    reused, fresh = plan_view(project=project, computed=told[-1]), plan_view(project=project)
    assert view_figures(reused) == view_figures(fresh)
    if len(told) > 1:  # the plan told before the last write is not the plan after it
        assert view_figures(plan_view(project=project, computed=told[0])) != view_figures(fresh)


def test_a_cell_save_schedules_the_plan_once(phases, client_for, monkeypatch):
    """The service schedules the saved plan to check it; the answer draws that schedule
    rather than loading and scheduling the plan a second time."""
    from steerco.plans import selectors

    project, made = phases
    client = client_for("mary")
    page = client.get(plan_url(project)).content.decode()
    token = re.search(r'"X-Plan-Page": "(\w+)"', page).group(1)
    calls = []

    def counted(schedule):
        def schedule_plan(plan):
            calls.append(plan)
            return schedule(plan)

        return schedule_plan

    monkeypatch.setattr(services, "schedule_plan", counted(services.schedule_plan))
    monkeypatch.setattr(selectors, "schedule_plan", counted(selectors.schedule_plan))
    body = client.post(
        save_url(project, made["A1"]),
        row_post(made["A1"], duration="3d"),
        HTTP_X_PLAN_PAGE=token,
        **HTMX,
    ).content.decode()
    assert sent_rows(body) == pks(made, "Phase A", "A1", "A2")
    assert len(calls) == 1


def test_a_save_that_changes_nothing_else_sends_back_the_saved_row_alone(phases, client_for):
    project, made = phases
    body = (
        client_for("mary")
        .post(save_url(project, made["B1"]), row_post(made["B1"], name="B1 renamed"), **HTMX)
        .content.decode()
    )
    assert sent_rows(body) == pks(made, "B1")
    assert sent_bars(body) == {made["B1"].uid}  # its hover text names it
    assert "B1 renamed" in body


def test_a_save_that_widens_the_chart_redraws_the_chart_and_the_changed_rows(phases, client_for):
    project, made = phases
    body = (
        client_for("mary")
        .post(save_url(project, made["B2"]), row_post(made["B2"], duration="10d"), **HTMX)
        .content.decode()
    )
    # The plan now ends a week later: the chart is drawn again on its new time scale, and
    # of the grid B2 and phase B, which end later, and phase A, which has more float now.
    assert 'id="plan-body"' not in body
    assert re.search(r'<div [^>]*id="plan-chart"[^>]* hx-swap-oob="true"', body)
    assert sent_rows(body) == pks(made, "Phase A", "A1", "A2", "Phase B", "B2")


def test_a_structural_change_redraws_the_whole_plan(phases, client_for):
    project, made = phases
    response = client_for("mary").post(
        reverse("plans:task_action", kwargs={"project_id": project.pk}),
        {"action": "add", "task": made["A2"].pk, "new_name": "A3"},
        **HTMX,
    )
    assert 'id="plan-body"' in response.content.decode()


def test_a_bad_duration_marks_the_duration_cell_and_changes_nothing_else(phases, client_for):
    project, made = phases
    response = client_for("mary").post(
        save_url(project, made["A1"]), row_post(made["A1"], duration="three days"), **HTMX
    )
    body = response.content.decode()
    assert response["HX-Reswap"] == "none"
    assert sent_rows(body) == pks(made, "A1") and sent_bars(body) == set()
    pk = made["A1"].pk
    duration = re.search(rf'<input id="t{pk}-duration"[^>]*>', body).group(0)
    assert 'aria-invalid="true"' in duration and 'value="three days"' in duration
    name = re.search(rf'<input id="t{pk}-name"[^>]*>', body).group(0)
    assert "aria-invalid" not in name.replace('aria-describedby="err', "")
    assert 'class="plan-status-line plan-status-line--error"' in body
    assert f'<div id="err-{pk}"' in body and "is not a duration" in body
    made["A1"].refresh_from_db()
    assert made["A1"].duration_minutes == 2 * DAY


def test_a_stale_version_is_refused_clearly_and_keeps_the_typing(phases, client_for, org):
    project, made = phases
    stale = row_post(made["A1"], duration="4d")
    services.task_update(
        actor=org.mary, task=made["A1"], expected_version=made["A1"].version, name="A1 (theirs)"
    )
    body = client_for("mary").post(save_url(project, made["A1"]), stale, **HTMX).content.decode()
    assert "changed this task since you opened it" in body
    assert "was not saved" in body and sent_rows(body) == pks(made, "A1")
    assert 'value="4d"' in body  # what was typed stays in the row
    made["A1"].refresh_from_db()
    assert (made["A1"].name, made["A1"].duration_minutes) == ("A1 (theirs)", 2 * DAY)


def test_a_save_under_a_filter_whose_rows_change_redraws_the_plan(phases, client_for):
    """Shown only critical tasks, A1 made longest: phase A becomes critical, B leaves."""
    project, made = phases
    body = (
        client_for("mary")
        .post(
            save_url(project, made["A1"]),
            row_post(made["A1"], duration="20d"),
            HTTP_HX_REQUEST="true",
            HTTP_HX_CURRENT_URL="http://testserver" + plan_url(project, show="critical"),
        )
        .content.decode()
    )
    assert 'id="plan-body"' in body
    assert set(shown_rows(body)) == pks(made, "Phase A", "A1", "A2")


# --- filters rendered by the server ---------------------------------------------------------


def get(client, project, **query) -> str:
    response = client.get(plan_url(project, **query))
    assert response.status_code == 200
    return response.content.decode()


def test_critical_filter_keeps_the_summary_of_matching_tasks(phases, client_for):
    project, made = phases
    body = get(client_for("mary"), project, show="critical")
    assert shown_rows(body) == [made[n].pk for n in ("Phase B", "B1", "B2")]
    # The chart draws the same rows, in the same order.
    bars = re.findall(r'<g class="task[^"]*" data-kind="\w+" data-uid="(\d+)"', body)
    assert [int(uid) for uid in bars] == [made[n].uid for n in ("Phase B", "B1", "B2")]
    assert "The filter hides 3 tasks." in body
    assert '<option value="critical" selected>' in body


def test_text_search_matches_names_and_wbs(phases, client_for):
    project, made = phases
    client = client_for("mary")
    assert shown_rows(get(client, project, q="a2")) == [made["Phase A"].pk, made["A2"].pk]
    wbs = made["B2"].wbs
    assert made["B2"].pk in shown_rows(get(client, project, q=wbs))


def test_progress_filters(phases, client_for, org):
    project, made = phases
    services.task_update(
        actor=org.mary, task=made["A1"], expected_version=made["A1"].version, percent_complete=50
    )
    services.task_update(
        actor=org.mary, task=made["B1"], expected_version=made["B1"].version, percent_complete=100
    )
    client = client_for("mary")
    # The summaries roll up to part done: in progress too; B1 is done, so not.
    assert shown_rows(get(client, project, show="in_progress")) == [
        made[n].pk for n in ("Phase A", "A1", "Phase B")
    ]
    assert set(shown_rows(get(client, project, show="not_started"))) == pks(
        made, "Phase A", "A2", "Phase B", "B2"
    )


def test_milestone_filter(phases, client_for, org):
    project, made = phases
    gate = services.task_create(
        actor=org.mary, project=project, name="Gate", parent=made["Phase B"], milestone=True
    )
    assert shown_rows(get(client_for("mary"), project, show="milestones")) == [
        made["Phase B"].pk,
        gate.pk,
    ]


def test_baseline_filters_and_the_slipped_columns(phases, client_for, org):
    project, made = phases
    services.baseline_save(actor=org.mary, project=project, number=0)
    made["A1"].refresh_from_db()
    services.task_update(
        actor=org.mary,
        task=made["A1"],
        expected_version=made["A1"].version,
        duration_minutes=4 * DAY,
    )
    added = services.task_create(actor=org.mary, project=project, name="Added later")
    client = client_for("mary")
    # A1 lasts 2 days longer: it, A2 after it and phase A finish 2 days late.
    assert shown_rows(get(client, project, show="late")) == [
        made[n].pk for n in ("Phase A", "A1", "A2")
    ]
    # Changed: those, and a task the baseline does not know.
    assert shown_rows(get(client, project, show="changed")) == [
        *(made[n].pk for n in ("Phase A", "A1", "A2")),
        added.pk,
    ]
    body = get(client, project, columns="slipped")
    assert "Baseline finish" in body and "Finish var." in body
    assert "plan-grid--slipped" in body
    row = re.search(rf'<div id="row-{made["A2"].pk}".*?</form>', body, re.S).group(0)
    # A2: baseline Wed 7 Jan to Thu 8 Jan; now starts and finishes two days later.
    assert "Wed 7 Jan" in row or "7 Jan" in row
    assert '<div class="num" role="cell">2 d</div>' in row
    assert '<div class="num is-late" role="cell">2 d</div>' in row
    assert shown_rows(body) == shown_rows(get(client, project))  # a view, not a filter


def test_baseline_filters_without_a_baseline_show_only_new_tasks(phases, client_for):
    project, _made = phases
    client = client_for("mary")
    assert shown_rows(get(client, project, show="late")) == []
    body = get(client, project, show="late")
    assert "No task matches this filter." in body
    assert "Baseline 0 has not been saved" in body
    assert "Baseline 0 has not been saved" not in get(client, project, show="critical")
    # Without an approved baseline every task is new since it.
    assert len(shown_rows(get(client, project, show="changed"))) == 6


def test_assigned_filters_use_the_assignments(phases, client_for, org):
    project, made = phases
    tom = org.people["tom"]
    services.task_resources_set(
        actor=org.mary, task=made["B2"], text="Mary Moss[50%]", expected_version=made["B2"].version
    )
    TaskAssignment.objects.create(task=made["A2"], resource_name=tom.name, person=tom)
    client = client_for("mary")
    assert shown_rows(get(client, project, show="mine")) == [made["Phase B"].pk, made["B2"].pk]
    body = get(client, project, person=tom.pk)
    assert shown_rows(body) == [made["Phase A"].pk, made["A2"].pk]
    assert f'<option value="{tom.pk}" selected>{tom.name}</option>' in body
    # Filters combine: tom's critical tasks are none.
    assert shown_rows(get(client, project, person=tom.pk, show="critical")) == []


def test_unknown_filter_values_are_ignored(phases, client_for):
    project, _made = phases
    client = client_for("mary")
    body = get(client, project, show="everything", person="nobody", columns="wide")
    assert len(shown_rows(body)) == 6


def test_the_filter_is_kept_by_the_outline_form_and_the_chart_options(phases, client_for):
    project, _made = phases
    body = get(client_for("mary"), project, show="critical", zoom="week")
    assert 'name="page_query" value="show=critical&amp;zoom=week"' in body
    assert 'hx-include="#plan-filter"' in body and 'hx-include="#chart-options"' in body


def test_an_htmx_filter_change_redraws_the_plan_body(phases, client_for):
    project, made = phases
    response = client_for("mary").get(plan_url(project, show="critical"), **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="plan-body"') and "<html" not in body
    assert shown_rows(body) == [made[n].pk for n in ("Phase B", "B1", "B2")]


@pytest.mark.parametrize("username", ["tom", "bob"])
def test_every_reader_may_filter(phases, client_for, username):
    project, _made = phases
    assert get(client_for(username), project, show="critical", columns="slipped")
