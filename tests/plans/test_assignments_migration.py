"""Migration plans 0008 (ADR 17): each task's single assignee becomes an assignment, so
nobody's work disappears from My work when the field goes, and the reverse gives it back."""

from __future__ import annotations

import pytest

from .migration_steps import back_to_latest, migrated_to

BEFORE = [("plans", "0007_outline_preference")]
AFTER = [("plans", "0008_task_assignments")]


@pytest.mark.django_db(transaction=True)
def test_assignees_become_assignments_and_come_back():
    try:
        apps = migrated_to(BEFORE)
        Person = apps.get_model("resources", "Person")
        Project = apps.get_model("projects", "Project")
        Task = apps.get_model("plans", "Task")
        TaskAssignment = apps.get_model("plans", "TaskAssignment")
        tom = Person.objects.create(name="Tom Turner")
        priya = Person.objects.create(name="Priya Patel")
        project = Project._base_manager.create(code="MIG", name="Migration")
        Task.objects.create(
            project=project, uid=1, position=1, name="Build", duration_minutes=960, assignee=tom
        )
        test = Task.objects.create(
            project=project, uid=2, position=2, name="Test", duration_minutes=480, assignee=priya
        )
        Task.objects.create(project=project, uid=3, position=3, name="Nobody's")
        # Already assigned by an imported file: not assigned twice.
        TaskAssignment.objects.create(
            task=test, resource_name="Priya Patel", person=priya, units=0.5, work_minutes=240
        )

        apps = migrated_to(AFTER)
        TaskAssignment = apps.get_model("plans", "TaskAssignment")
        rows = TaskAssignment.objects.order_by("task__uid").values_list(
            "task__name", "person__name", "units", "work_minutes"
        )
        assert [(task, person, float(units), work) for task, person, units, work in rows] == [
            ("Build", "Tom Turner", 1.0, 960),
            ("Test", "Priya Patel", 0.5, 240),
        ]

        apps = migrated_to(BEFORE)
        Task = apps.get_model("plans", "Task")
        assert dict(Task.objects.values_list("name", "assignee__name")) == {
            "Build": "Tom Turner",
            "Test": "Priya Patel",
            "Nobody's": None,
        }
    finally:
        back_to_latest()
