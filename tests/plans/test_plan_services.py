"""Plan services: tasks, dependencies, outline and baselines, checked against hand-worked
schedules on the default calendar (Monday–Friday 08:00–12:00, 13:00–17:00)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from steerco.core.exceptions import DomainError, VersionConflict
from steerco.plans import services
from steerco.plans.models import Task, TaskLink
from steerco.plans.selectors import plan_view

MONDAY = dt.datetime(2026, 1, 5, 8, 0)
DAY = 480


@pytest.fixture
def alpha_plan(org):
    """A (2d) → B (3d) finish-to-start, and C (1d) start-to-start A with a 1-day lag."""
    project = org.alpha
    settings = services.plan_settings(project)
    services.plan_update(
        actor=org.mary, project=project, expected_version=settings.version, start=MONDAY
    )
    a = services.task_create(
        actor=org.mary, project=project, name="Design", duration_minutes=2 * DAY
    )
    b = services.task_create(
        actor=org.mary, project=project, name="Build", duration_minutes=3 * DAY
    )
    c = services.task_create(actor=org.mary, project=project, name="Brief", duration_minutes=DAY)
    services.link_create(actor=org.mary, project=project, predecessor=a, successor=b)
    services.link_create(
        actor=org.mary,
        project=project,
        predecessor=a,
        successor=c,
        type=TaskLink.Type.SS,
        lag_minutes=DAY,
    )
    return project, a, b, c


def result_of(view, task):
    return next(row.result for row in view.rows if row.task.pk == task.pk)


def test_hand_worked_schedule(alpha_plan):
    project, a, b, c = alpha_plan
    view = plan_view(project=project)
    assert view.error is None
    ra, rb, rc = (result_of(view, t) for t in (a, b, c))
    assert (ra.start, ra.finish) == (MONDAY, dt.datetime(2026, 1, 6, 17, 0))
    assert (rb.start, rb.finish) == (dt.datetime(2026, 1, 7, 8, 0), dt.datetime(2026, 1, 9, 17, 0))
    # SS + 1 working day: Tuesday 08:00, one day long.
    assert (rc.start, rc.finish) == (dt.datetime(2026, 1, 6, 8, 0), dt.datetime(2026, 1, 6, 17, 0))
    # C may slip from Tuesday evening to Friday evening: three working days.
    assert rc.total_slack_minutes == 3 * DAY
    assert (ra.critical, rb.critical, rc.critical) == (True, True, False)
    assert view.finish == dt.datetime(2026, 1, 9, 17, 0)


def test_a_loop_is_refused_naming_the_tasks_and_nothing_is_saved(alpha_plan, org):
    project, a, b, _c = alpha_plan
    with pytest.raises(DomainError) as error:
        services.link_create(actor=org.mary, project=project, predecessor=b, successor=a)
    assert "Design" in error.value.message and "Build" in error.value.message
    assert not TaskLink.objects.filter(predecessor=b, successor=a).exists()


def test_self_dependency_is_refused(alpha_plan, org):
    project, a, _b, _c = alpha_plan
    with pytest.raises(DomainError, match="cannot depend on itself"):
        services.link_create(actor=org.mary, project=project, predecessor=a, successor=a)


def test_indent_makes_a_summary_and_wbs_follows(alpha_plan, org):
    project, _a, _b, _c = alpha_plan
    phase = services.task_create(actor=org.mary, project=project, name="Phase 2")
    extra = services.task_create(actor=org.mary, project=project, name="Test")
    services.task_indent(actor=org.mary, task=extra)
    rows = {t.name: (t.wbs, t.outline_level) for t in Task.objects.filter(project=project)}
    assert rows["Phase 2"] == ("4", 1)
    assert rows["Test"] == ("4.1", 2)
    view = plan_view(project=project)
    assert next(r.summary for r in view.rows if r.task.pk == phase.pk)
    services.task_outdent(actor=org.mary, task=Task.objects.get(pk=extra.pk))
    assert Task.objects.get(pk=extra.pk).wbs == "5"


def test_move_up_swaps_rows(alpha_plan, org):
    project, a, _b, c = alpha_plan
    services.task_move(actor=org.mary, task=c, direction="up")
    assert list(Task.objects.filter(project=project).values_list("name", flat=True)) == [
        "Design",
        "Brief",
        "Build",
    ]
    with pytest.raises(DomainError):
        services.task_move(actor=org.mary, task=Task.objects.get(pk=a.pk), direction="up")


def test_stale_task_edit_is_refused(alpha_plan, org):
    _project, a, _b, _c = alpha_plan
    services.task_update(actor=org.mary, task=a, expected_version=a.version, name="Design v2")
    stale = Task.objects.get(pk=a.pk)
    with pytest.raises(VersionConflict):
        services.task_update(
            actor=org.priya, task=stale, expected_version=stale.version - 1, name="x"
        )
    assert Task.objects.get(pk=a.pk).name == "Design v2"


def test_team_member_updates_progress_of_own_task_only(alpha_plan, org):
    _project, a, b, _c = alpha_plan
    services.task_resources_set(
        actor=org.mary, task=a, text="Tom Turner", expected_version=a.version
    )
    a.refresh_from_db()
    services.task_update(actor=org.tom, task=a, expected_version=a.version, percent_complete=50)
    a.refresh_from_db()
    assert a.percent_complete == 50
    with pytest.raises(PermissionDenied):
        services.task_update(actor=org.tom, task=a, expected_version=a.version, name="Renamed")
    with pytest.raises(PermissionDenied):
        services.task_update(actor=org.tom, task=b, expected_version=b.version, percent_complete=10)


def test_outsider_and_executive_cannot_plan(alpha_plan, org):
    project, *_ = alpha_plan
    with pytest.raises(Http404):
        services.task_create(actor=org.olga, project=project, name="x")
    with pytest.raises(PermissionDenied):
        services.task_create(actor=org.erin, project=project, name="x")


def test_baseline_variance_after_a_slip(alpha_plan, org):
    """Baseline, then lengthen Design by a day: Build finishes one working day later."""
    project, a, b, _c = alpha_plan
    services.baseline_save(actor=org.mary, project=project, number=0)
    services.task_update(
        actor=org.mary, task=a, expected_version=a.version, duration_minutes=3 * DAY
    )
    from steerco.plans.selectors import baseline_engine

    view = plan_view(project=project)
    variances = baseline_engine(project=project, inputs=view.inputs).variances(view.schedule, 0)
    assert variances[b.uid].finish_minutes == DAY
    assert variances[b.uid].duration_minutes == 0
    assert variances[a.uid].duration_minutes == DAY


def test_baseline_number_out_of_range(alpha_plan, org):
    project, *_ = alpha_plan
    with pytest.raises(DomainError):
        services.baseline_save(actor=org.mary, project=project, number=11)


def test_plan_view_queries_do_not_grow_with_tasks(alpha_plan, org):
    project, *_ = alpha_plan
    with CaptureQueriesContext(connection) as small:
        plan_view(project=project)
    for index in range(30):
        services.task_create(actor=org.mary, project=project, name=f"Extra {index}")
    with CaptureQueriesContext(connection) as large:
        plan_view(project=project)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_my_work_lists_my_unfinished_tasks_with_their_dates(alpha_plan, org, client_for):
    """Tom is given Build (Wed 7 – Fri 9 Jan 2026) and the finished Design; only Build shows."""
    _project, a, b, _c = alpha_plan
    services.task_update(actor=org.mary, task=a, expected_version=a.version, percent_complete=100)
    services.task_resources_set(
        actor=org.mary, task=a, text="Tom Turner", expected_version=a.version
    )
    services.task_resources_set(
        actor=org.mary, task=b, text="Tom Turner", expected_version=b.version
    )
    body = client_for("tom").get("/").content.decode()
    assert "My tasks" in body
    assert "Build" in body and "07 Jan 2026" in body and "09 Jan 2026" in body
    assert "Design" not in body
    # Nobody else sees Tom's tasks on their own My work page.
    assert "My tasks" not in client_for("priya").get("/").content.decode()
