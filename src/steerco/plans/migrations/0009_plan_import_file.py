"""A large import's file moves from a column of its PlanImport to a row of its own
(PlanImportFile): SQLite rewrote the whole import row, file included, at every progress
update. Files of imports still under way move with them."""

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


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0008_task_assignments"),
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
        migrations.RunPython(files_to_their_rows, files_back_to_their_imports),
        migrations.RemoveField(
            model_name="planimport",
            name="data",
        ),
    ]
