"""Assigning people to tasks with MS Project's Resource Names notation (``Priya[50%],
Tom``): names resolved against the directory, work as Project's fixed-units tasks compute
it (Work = Duration × Units), the task's version and the history kept (ADR 17)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from steerco.core.exceptions import DomainError, VersionConflict
from steerco.core.history import read_history
from steerco.plans import services
from steerco.plans.models import Task, TaskAssignment, WorkCalendar
from steerco.plans.selectors import plan_history_sources, plan_view, tasks_assigned_to
from steerco.resources.models import Person

MONDAY = dt.datetime(2026, 1, 5, 8, 0)
DAY = 480
WORKDAY = [[480, 720], [780, 1020]]


@pytest.fixture
def build(org):
    """ALPHA's Build, five days from Monday 5 January 2026."""
    settings = services.plan_settings(org.alpha)
    services.plan_update(
        actor=org.mary, project=org.alpha, expected_version=settings.version, start=MONDAY
    )
    return services.task_create(
        actor=org.mary, project=org.alpha, name="Build", duration_minutes=5 * DAY
    )


def assigned(task) -> list[tuple[str, Decimal, int]]:
    return list(
        TaskAssignment.objects.filter(task=task)
        .order_by("resource_name")
        .values_list("resource_name", "units", "work_minutes")
    )


def test_notation_assigns_people_with_units_and_work_of_duration_times_units(org, build):
    services.task_resources_set(
        actor=org.mary, task=build, text="Priya Patel[50%], Tom Turner", expected_version=1
    )
    assert assigned(build) == [
        ("Priya Patel", Decimal("0.5"), 5 * DAY // 2),
        ("Tom Turner", Decimal(1), 5 * DAY),
    ]
    people = set(TaskAssignment.objects.filter(task=build).values_list("person_id", flat=True))
    assert people == {org.people["priya"].pk, org.people["tom"].pk}


def test_names_match_the_directory_whatever_the_case_and_keep_its_spelling(org, build):
    services.task_resources_set(
        actor=org.mary, task=build, text="tom turner", expected_version=build.version
    )
    assert assigned(build) == [("Tom Turner", Decimal(1), 5 * DAY)]


def test_a_contractor_without_a_login_can_be_assigned(org, build):
    contractor = Person.objects.create(name="Chloe Martin", team="Contractors")
    services.task_resources_set(
        actor=org.mary, task=build, text="Chloe Martin[20%]", expected_version=build.version
    )
    row = TaskAssignment.objects.get(task=build)
    assert (row.person_id, row.units, row.work_minutes) == (contractor.pk, Decimal("0.2"), 480)


def test_a_name_no_one_has_is_refused_and_nothing_is_written(org, build):
    with pytest.raises(DomainError) as refused:
        services.task_resources_set(
            actor=org.mary, task=build, text="Tom Turner, Zed Zulu", expected_version=1
        )
    assert "No one called 'Zed Zulu' in the directory" in refused.value.message
    assert refused.value.fields["resources"]
    assert assigned(build) == []
    assert Task.objects.get(pk=build.pk).version == 1


def test_someone_who_left_is_not_in_the_directory(org, build):
    Person.objects.create(name="Old Timer", active=False)
    with pytest.raises(DomainError, match="No one called 'Old Timer'"):
        services.task_resources_set(
            actor=org.mary, task=build, text="Old Timer", expected_version=1
        )


def test_a_name_several_people_share_is_refused_listing_them(org, build):
    Person.objects.create(name="Sam Lee", team="Finance")
    Person.objects.create(name="Sam Lee", email="sam.lee@example.org")
    with pytest.raises(DomainError) as refused:
        services.task_resources_set(actor=org.mary, task=build, text="Sam Lee", expected_version=1)
    message = refused.value.message
    assert "2 people are called 'Sam Lee'" in message
    assert "Sam Lee, Finance" in message and "Sam Lee, sam.lee@example.org" in message


def test_bad_notation_is_refused_naming_the_entry(org, build):
    with pytest.raises(DomainError) as refused:
        services.task_resources_set(
            actor=org.mary, task=build, text="Priya Patel[abc%]", expected_version=1
        )
    assert "'Priya Patel[abc%]'" in refused.value.fields["resources"][0]


def test_a_change_moves_the_task_version_and_a_stale_one_is_refused(org, build):
    services.task_resources_set(actor=org.mary, task=build, text="Tom Turner", expected_version=1)
    assert Task.objects.get(pk=build.pk).version == 2
    stale = Task.objects.get(pk=build.pk)
    with pytest.raises(VersionConflict):
        services.task_resources_set(
            actor=org.priya, task=stale, text="Priya Patel", expected_version=1
        )
    assert assigned(build) == [("Tom Turner", Decimal(1), 5 * DAY)]


def test_the_same_list_again_changes_nothing(org, build):
    services.task_resources_set(
        actor=org.mary, task=build, text="Tom Turner[50%]", expected_version=1
    )
    services.task_resources_set(
        actor=org.mary, task=build, text="TOM TURNER[50%]", expected_version=2
    )
    assert Task.objects.get(pk=build.pk).version == 2
    assert TaskAssignment.history.filter(task_id=build.pk).count() == 1


def test_new_units_and_removals_replace_the_assignments(org, build):
    services.task_resources_set(
        actor=org.mary, task=build, text="Tom Turner, Priya Patel", expected_version=1
    )
    services.task_resources_set(
        actor=org.mary, task=build, text="Tom Turner[25%]", expected_version=2
    )
    assert assigned(build) == [("Tom Turner", Decimal("0.25"), 600)]
    services.task_resources_set(actor=org.mary, task=build, text="", expected_version=3)
    assert assigned(build) == []


def test_changing_the_duration_changes_the_work(org, build):
    services.task_resources_set(
        actor=org.mary, task=build, text="Tom Turner[50%]", expected_version=1
    )
    services.task_update(actor=org.mary, task=build, expected_version=2, duration_minutes=2 * DAY)
    assert assigned(build) == [("Tom Turner", Decimal("0.5"), DAY)]


def test_the_history_says_who_assigned_whom(org, build):
    services.task_resources_set(
        actor=org.mary, task=build, text="Tom Turner, Priya Patel[50%]", expected_version=1
    )
    services.task_resources_set(actor=org.priya, task=build, text="Tom Turner", expected_version=2)
    records = TaskAssignment.history.filter(task_id=build.pk).order_by("history_id")
    assert [(r.history_type, r.resource_name, r.history_user) for r in records] == [
        ("+", "Tom Turner", org.mary),
        ("+", "Priya Patel", org.mary),
        ("-", "Priya Patel", org.priya),
    ]
    entries = read_history(plan_history_sources(project_id=org.alpha.pk))
    subjects = [entry.subject for entry in entries]
    assert "Assignment of Priya Patel to Build" in subjects
    assert any("Set the resources of task 'Build'" in subject for subject in subjects)


def test_a_viewer_and_a_team_member_cannot_assign(org, build):
    with pytest.raises(PermissionDenied):
        services.task_resources_set(
            actor=org.erin, task=build, text="Tom Turner", expected_version=1
        )
    with pytest.raises(PermissionDenied):
        services.task_resources_set(
            actor=org.tom, task=build, text="Tom Turner", expected_version=1
        )
    assert assigned(build) == []


def test_a_summary_task_is_refused(org, build):
    child = services.task_create(actor=org.mary, project=org.alpha, name="Code", parent=build)
    assert child.parent_id == build.pk
    summary = Task.objects.get(pk=build.pk)
    with pytest.raises(DomainError, match="summary task"):
        services.task_resources_set(
            actor=org.mary, task=summary, text="Tom Turner", expected_version=summary.version
        )


def test_a_resource_known_by_name_only_stays_when_listed_again(org, build):
    TaskAssignment.objects.create(task=build, resource_name="Night crew", work_minutes=5 * DAY)
    services.task_resources_set(
        actor=org.mary, task=build, text="Night crew, Tom Turner", expected_version=1
    )
    rows = TaskAssignment.objects.filter(task=build).order_by("resource_name")
    assert [(row.resource_name, row.person_id) for row in rows] == [
        ("Night crew", None),
        ("Tom Turner", org.people["tom"].pk),
    ]


def test_a_person_works_on_the_calendar_they_follow_in_the_plan(org, build):
    """Tom works Mondays and Tuesdays only (his calendar on another task, as an imported
    file sets it). Assigned full time to the five-day Build from the grid, he does his
    five days of work on his own calendar, as Project schedules a resource's calendar:
    Mon 5, Tue 6, Mon 12, Tue 13, Mon 19 January."""
    part_time = WorkCalendar.objects.create(
        project=org.alpha,
        name="Tom part time",
        week={"0": WORKDAY, "1": WORKDAY, "2": [], "3": [], "4": [], "5": [], "6": []},
    )
    other = services.task_create(actor=org.mary, project=org.alpha, name="Other")
    TaskAssignment.objects.create(
        task=other, resource_name="Tom Turner", person=org.people["tom"], calendar=part_time
    )
    before = {row.task.pk: row.result.finish for row in plan_view(project=org.alpha).rows}
    assert before[build.pk] == dt.datetime(2026, 1, 9, 17, 0)

    services.task_resources_set(actor=org.mary, task=build, text="Tom Turner", expected_version=1)

    assert TaskAssignment.objects.get(task=build).calendar_id == part_time.pk
    after = {row.task.pk: row.result.finish for row in plan_view(project=org.alpha).rows}
    assert after[build.pk] == dt.datetime(2026, 1, 19, 17, 0)


def test_my_work_shows_the_tasks_a_person_is_assigned_to(org, build):
    services.task_resources_set(
        actor=org.mary, task=build, text="Priya Patel[50%], Tom Turner", expected_version=1
    )
    mine = tasks_assigned_to(user=org.tom, person=org.people["tom"])
    assert [item.task.name for item in mine] == ["Build"]
    assert [
        item.task.name for item in tasks_assigned_to(user=org.tom, person=org.people["mary"])
    ] == []
