"""A large import's file moves from a column of its PlanImport to a row of its own
(PlanImportFile): SQLite rewrote the whole import row, file included, at every progress
update. Files of imports still under way move with them. PostgreSQL keeps the files
uncompressed: compressing 40 MB of XML took longer than storing it, and the file is deleted
when its import ends."""

import django.db.models.deletion
from django.db import migrations, models


def files_to_their_rows(apps, schema_editor):
    PlanImport = apps.get_model("plans", "PlanImport")
    PlanImportFile = apps.get_model("plans", "PlanImportFile")
    for pk in PlanImport.objects.exclude(data=b"").values_list("pk", flat=True):
        data = PlanImport.objects.filter(pk=pk).values_list("data", flat=True).get()
        PlanImportFile.objects.create(plan_import_id=pk, data=data)


def files_back_to_their_imports(apps, schema_editor):
    PlanImport = apps.get_model("plans", "PlanImport")
    PlanImportFile = apps.get_model("plans", "PlanImportFile")
    for kept in PlanImportFile.objects.all():
        PlanImport.objects.filter(pk=kept.plan_import_id).update(data=kept.data)


#: (name, table, column): served by (project_id, position), (staged_import_id, uid) and
#: one_link_per_pair (predecessor_id, successor_id).
REDUNDANT_INDEXES = [
    ("plans_task_project_id_ed808a4c", "plans_task", "project_id"),
    ("plans_task_staged_import_id_8a4e3f73", "plans_task", "staged_import_id"),
    ("plans_tasklink_predecessor_id_9c5ac62e", "plans_tasklink", "predecessor_id"),
]


def store_files_uncompressed(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE plans_planimportfile ALTER COLUMN data SET STORAGE EXTERNAL"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0008_task_assignments"),
        ("projects", "0002_project_trash"),
    ]

    operations = [
        migrations.CreateModel(
            name="PlanImportFile",
            fields=[
                (
                    "plan_import",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="file",
                        serialize=False,
                        to="plans.planimport",
                    ),
                ),
                ("data", models.BinaryField()),
            ],
        ),
        migrations.RunPython(store_files_uncompressed, migrations.RunPython.noop),
        migrations.RunPython(files_to_their_rows, files_back_to_their_imports),
        migrations.RemoveField(
            model_name="planimport",
            name="data",
        ),
        # Indexes another index already serves, which every imported row paid for. Dropped
        # by name (SQLite would otherwise copy both tables to alter them).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="task",
                    name="project",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tasks",
                        to="projects.project",
                    ),
                ),
                migrations.AlterField(
                    model_name="task",
                    name="staged_import",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        editable=False,
                        help_text="Set while a large import writes this row or removes it.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="plans.planimport",
                    ),
                ),
                migrations.AlterField(
                    model_name="tasklink",
                    name="predecessor",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="successor_links",
                        to="plans.task",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX {name}", f"CREATE INDEX {name} ON {table} ({column})"
                )
                for name, table, column in REDUNDANT_INDEXES
            ],
        ),
    ]
