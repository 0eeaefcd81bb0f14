"""Task assignments become the one record of who works on a task (ADR 17): they get a
history, each task's single assignee becomes an assignment at 100 % with the task's
duration as its work (Project's Work = Duration × Units), and the assignee field goes."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def assignees_to_assignments(apps, schema_editor):
    Task = apps.get_model("plans", "Task")
    TaskAssignment = apps.get_model("plans", "TaskAssignment")
    assigned = set(
        TaskAssignment.objects.filter(person__isnull=False).values_list("task_id", "person_id")
    )
    new = [
        TaskAssignment(
            task_id=task.pk,
            resource_name=task.assignee.name[:200],
            person_id=task.assignee_id,
            units=1,
            work_minutes=max(0, task.duration_minutes),
            staged_import_id=task.staged_import_id,
        )
        for task in Task._base_manager.filter(assignee__isnull=False).select_related("assignee")
        if (task.pk, task.assignee_id) not in assigned
    ]
    TaskAssignment._base_manager.bulk_create(new, batch_size=1000)


def assignments_to_assignees(apps, schema_editor):
    """Back to one assignee per task: the first person assigned (by name), if any."""
    Task = apps.get_model("plans", "Task")
    TaskAssignment = apps.get_model("plans", "TaskAssignment")
    first = {}
    for task_id, person_id in (
        TaskAssignment._base_manager.filter(person__isnull=False)
        .order_by("task_id", "resource_name")
        .values_list("task_id", "person_id")
    ):
        first.setdefault(task_id, person_id)
    for task_id, person_id in first.items():
        Task._base_manager.filter(pk=task_id).update(assignee_id=person_id)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0007_outline_preference"),
        ("resources", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="taskassignment",
            options={
                "ordering": ["task_id", "resource_name"],
                "verbose_name": "assignment",
                "verbose_name_plural": "assignments",
            },
        ),
        migrations.CreateModel(
            name="HistoricalTaskAssignment",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("resource_name", models.CharField(max_length=200)),
                (
                    "units",
                    models.DecimalField(
                        decimal_places=3,
                        default=1,
                        max_digits=6,
                        validators=[django.core.validators.MinValueValidator(0)],
                    ),
                ),
                ("work_minutes", models.PositiveIntegerField(default=0)),
                ("contoured", models.BooleanField(default=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "calendar",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="plans.workcalendar",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="resources.person",
                    ),
                ),
                (
                    "staged_import",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        help_text="Set while a large import writes this row or removes it.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="plans.planimport",
                    ),
                ),
                (
                    "task",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="plans.task",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical assignment",
                "verbose_name_plural": "historical assignments",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(assignees_to_assignments, assignments_to_assignees),
        migrations.RemoveField(
            model_name="historicaltask",
            name="assignee",
        ),
        migrations.RemoveField(
            model_name="task",
            name="assignee",
        ),
    ]
