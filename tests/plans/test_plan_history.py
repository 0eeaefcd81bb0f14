"""Every write to a plan leaves history naming who made it, bulk writes included, and the
project's history (page and API) shows the plan's changes, an import as one entry."""

from __future__ import annotations

import pytest
from django.urls import reverse

from steerco.plans import services
from steerco.plans.models import ProjectPlan, Task, TaskLink
from steerco.plans.transfer import plan_import
from steerco.projects.selectors import project_history

PLAN_CSV = b"ID,Name,Duration,Predecessors\n1,Survey site,2d,\n2,Order furniture,3d,1FS\n"


def _task_rows(project, **filters):
    return Task.history.filter(project_id=project.pk, **filters)


@pytest.fixture
def three_tasks(org):
    """Design, Build and Test at the top level, in that order."""
    return [
        services.task_create(actor=org.mary, project=org.alpha, name=name)
        for name in ("Design", "Build", "Test")
    ]


def test_an_import_records_a_created_row_per_task_and_link_naming_the_file(org):
    plan_import(actor=org.mary, project=org.alpha, data=PLAN_CSV, filename="plan.csv")

    created = _task_rows(org.alpha, history_type="+")
    assert created.count() == 2
    links = TaskLink.history.filter(project_id=org.alpha.pk, history_type="+")
    assert links.count() == 1
    for row in [*created, *links]:
        assert row.history_user == org.mary
        assert row.history_change_reason == "Imported from plan.csv"


def test_a_first_import_names_the_importer_as_creator_of_the_plan_settings(org):
    plan_import(actor=org.mary, project=org.alpha, data=PLAN_CSV, filename="plan.csv")

    rows = ProjectPlan.history.filter(project_id=org.alpha.pk)
    assert {row.history_user for row in rows} == {org.mary}
    assert all(
        entry.who != "system" for entry in project_history(project_id=org.alpha.pk) if entry.reason
    )


def test_replacing_a_plan_records_the_deletions_with_the_importer(org, three_tasks):
    plan_import(actor=org.priya, project=org.alpha, data=PLAN_CSV, filename="plan.csv")

    deleted = _task_rows(org.alpha, history_type="-")
    assert deleted.count() == 3
    assert {row.history_user for row in deleted} == {org.priya}
    assert {row.history_change_reason for row in deleted} == {"Imported from plan.csv"}


def test_an_imported_task_is_numbered_when_created_not_changed_after(org):
    plan_import(actor=org.mary, project=org.alpha, data=PLAN_CSV, filename="plan.csv")

    assert not _task_rows(org.alpha, history_type="~").exists()
    assert sorted(_task_rows(org.alpha).values_list("wbs", flat=True)) == ["1", "2"]


def test_indent_records_the_new_parent_and_the_renumbered_rows(org, three_tasks):
    design, build, test = three_tasks

    services.task_indent(actor=org.priya, task=build)

    changed = _task_rows(org.alpha, history_type="~", history_user=org.priya)
    latest = changed.filter(id=build.pk).latest("history_id")
    assert (latest.parent_id, latest.outline_level, latest.wbs) == (design.pk, 2, "1.1")
    # Test moves from 3 to 2 in the WBS: renumbering is recorded too.
    assert changed.filter(id=test.pk).latest("history_id").wbs == "2"
    assert set(changed.values_list("history_change_reason", flat=True)) == {"Indented task 'Build'"}


def test_outdent_records_the_task_and_the_siblings_it_adopts(org, three_tasks):
    _design, build, test = three_tasks
    services.task_indent(actor=org.mary, task=build)
    services.task_indent(actor=org.mary, task=test)

    services.task_outdent(actor=org.priya, task=build)

    changed = _task_rows(org.alpha, history_type="~", history_user=org.priya)
    assert {row.id: row.parent_id for row in changed} == {build.pk: None, test.pk: build.pk}
    assert set(changed.values_list("history_change_reason", flat=True)) == {
        "Outdented task 'Build'"
    }


def test_move_records_each_row_whose_position_changed(org, three_tasks):
    _design, build, test = three_tasks

    services.task_move(actor=org.priya, task=test, direction="up")

    changed = _task_rows(org.alpha, history_type="~", history_user=org.priya)
    assert {row.id: row.position for row in changed} == {test.pk: 2, build.pk: 3}
    assert {row.history_change_reason for row in changed} == {"Moved task 'Test' up"}


def test_adding_and_deleting_record_the_renumbering_of_the_rows_below(org, three_tasks):
    design, _build, test = three_tasks

    services.task_create(actor=org.priya, project=org.alpha, name="Plan", after=design)
    design.refresh_from_db()
    services.task_delete(actor=org.priya, task=design, expected_version=design.version)

    renumbered = _task_rows(org.alpha, id=test.pk, history_type="~").order_by("history_id")
    assert [row.wbs for row in renumbered] == ["4", "3"]
    assert [row.history_change_reason for row in renumbered] == [
        "Added task 'Plan'",
        "Deleted task 'Design'",
    ]
    assert {row.history_user for row in renumbered} == {org.priya}


def test_project_history_shows_an_import_as_one_entry_with_its_count(org):
    plan_import(actor=org.mary, project=org.alpha, data=PLAN_CSV, filename="plan.csv")

    entries = project_history(project_id=org.alpha.pk)

    imports = [entry for entry in entries if entry.reason == "Imported from plan.csv"]
    assert len(imports) == 1
    entry = imports[0]
    assert entry.who == "Mary Moss"
    assert "2 tasks created" in entry.subject
    assert "1 dependency created" in entry.subject
    assert len(entry.details) >= 3  # the rows, for whoever expands the entry


def test_project_history_shows_plan_settings_and_baselines(org, three_tasks):
    plan = ProjectPlan.objects.get(project=org.alpha)
    services.plan_update(
        actor=org.priya, project=org.alpha, expected_version=plan.version, minutes_per_day=420
    )
    services.baseline_save(actor=org.priya, project=org.alpha, number=1)

    entries = project_history(project_id=org.alpha.pk)

    subjects = {(entry.subject, entry.who) for entry in entries}
    assert ("Plan settings", "Priya Patel") in subjects
    assert ("Baseline 1", "Priya Patel") in subjects
    assert ("Task 3 Test", "Mary Moss") in subjects  # a change set of one row stays as it is


def test_history_page_shows_the_import_with_its_rows_on_request(org, client_for):
    plan_import(actor=org.mary, project=org.alpha, data=PLAN_CSV, filename="plan.csv")

    response = client_for("tom").get(reverse("projects:history", kwargs={"pk": org.alpha.pk}))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Imported from plan.csv" in html
    assert "<details>" in html
    assert "2 tasks created" in html
    assert "Task 2 Order furniture created" in html


def test_history_api_shows_the_import_and_the_outline_change(org, client_for, three_tasks):
    services.task_indent(actor=org.priya, task=three_tasks[1])
    plan_import(actor=org.mary, project=org.alpha, data=PLAN_CSV, filename="plan.csv")

    response = client_for("tom").get(f"/api/v1/projects/{org.alpha.pk}/history")

    assert response.status_code == 200
    items = response.json()["items"]
    assert items[0]["who"] == "mary"
    assert items[0]["subject"].startswith("Imported from plan.csv: ")
    assert any(item["subject"].startswith("Indented task 'Build'") for item in items)


MSPDI_WITH_EVERY_KIND_OF_VALUE = b"""<Project xmlns="http://schemas.microsoft.com/project">
<StartDate>2027-01-04T08:00:00</StartDate>
<Calendars><Calendar><UID>1</UID><Name>Standard</Name><WeekDays>
<WeekDay><DayType>2</DayType><DayWorking>1</DayWorking><WorkingTimes><WorkingTime>
<FromTime>08:00:00</FromTime><ToTime>16:00:00</ToTime></WorkingTime></WorkingTimes></WeekDay>
</WeekDays></Calendar>
<Calendar><UID>2</UID><Name>Night</Name><BaseCalendarUID>1</BaseCalendarUID></Calendar></Calendars>
<Tasks>
<Task><UID>1</UID><Name>Phase</Name><OutlineLevel>1</OutlineLevel><Summary>1</Summary></Task>
<Task><UID>2</UID><Name>Design</Name><OutlineLevel>2</OutlineLevel><Duration>PT16H0M0S</Duration>
<PercentComplete>37.5</PercentComplete><ActualStart>2027-01-04T08:00:00</ActualStart>
<ConstraintType>4</ConstraintType><ConstraintDate>2027-01-04T08:00:00</ConstraintDate>
<Deadline>2027-02-01T17:00:00</Deadline><CalendarUID>2</CalendarUID></Task>
<Task><UID>3</UID><Name>Build</Name><OutlineLevel>2</OutlineLevel><Duration>PT8H0M0S</Duration>
<PredecessorLink><PredecessorUID>2</PredecessorUID><Type>1</Type><LinkLag>500</LinkLag>
<LagFormat>19</LagFormat></PredecessorLink></Task>
</Tasks></Project>"""


@pytest.mark.parametrize("batches", [False, True], ids=["one batch", "two rows a batch"])
def test_each_created_history_row_holds_the_values_its_row_was_written_with(
    org, batches, monkeypatch
):
    # The rows and their history are written by SQL rather than by model saves (issue 9):
    # every tracked value, dates, decimals and keys included, must reach the history.
    from steerco.plans import transfer

    if batches:
        monkeypatch.setattr(transfer, "BATCH_ROWS", 2)
        monkeypatch.setattr(transfer, "SQLITE_PAUSE_SECONDS", 0)
    plan_import(
        actor=org.mary, project=org.alpha, data=MSPDI_WITH_EVERY_KIND_OF_VALUE, filename="p.xml"
    )

    for model, expected in ((Task, 3), (TaskLink, 1)):
        rows = {row.pk: row for row in model.objects.filter(project=org.alpha)}
        created = model.history.filter(project_id=org.alpha.pk, history_type="+")
        assert len(rows) == created.count() == expected
        fields = [f.attname for f in model._meta.concrete_fields if f.name != "staged_import"]
        for history in created:
            row = rows[history.id]
            assert {name: getattr(history, name) for name in fields} == {
                name: getattr(row, name) for name in fields
            }
            assert history.history_user == org.mary
            assert history.history_change_reason == "Imported from p.xml"
    design = Task.objects.get(project=org.alpha, uid=2)
    assert design.parent.name == "Phase" and design.calendar.name == "Night"
    assert str(design.percent_complete) == "37.50" and design.deadline is not None
    assert str(TaskLink.objects.get(project=org.alpha).lag_percent) == "50.00"
    moments = Task.history.filter(project_id=org.alpha.pk).values_list("history_date", flat=True)
    assert len(set(moments)) == 1  # one change set, one moment


def test_created_rows_recorded_without_an_actor_name_nobody(org):
    # change_set(actor=None) is how work no person started (a system job) is recorded.
    from steerco.core.history import change_set

    task = Task.objects.create(project=org.alpha, uid=1, position=1, name="Survey")
    with change_set(actor=None, reason="Loaded by the system") as changes:
        changes.record_rows(Task.objects.filter(pk=task.pk), history_type="+")

    (row,) = Task.history.filter(id=task.pk, history_change_reason="Loaded by the system")
    assert row.history_type == "+" and row.history_user is None and row.name == "Survey"
    assert row.history_date == changes.when
