"""Seed the organisation's default 1–5 probability and impact scales."""

from django.db import migrations

PROBABILITY = [
    (1, "Very low", "Less than 10% likely"),
    (2, "Low", "10–30% likely"),
    (3, "Medium", "30–50% likely"),
    (4, "High", "50–70% likely"),
    (5, "Very high", "More than 70% likely"),
]
IMPACT = [
    (1, "Very low", "Negligible effect on time, cost, scope or quality"),
    (2, "Low", "Absorbed within tolerance"),
    (3, "Medium", "Uses most of the tolerance; the sponsor is told"),
    (4, "High", "Exceeds tolerance; escalated to the board"),
    (5, "Very high", "Threatens the business case"),
]


def seed(apps, schema_editor):
    ScaleLevel = apps.get_model("logs", "ScaleLevel")
    for dimension, levels in (("probability", PROBABILITY), ("impact", IMPACT)):
        for value, label, description in levels:
            ScaleLevel.objects.get_or_create(
                dimension=dimension,
                value=value,
                defaults={"label": label, "description": description},
            )


class Migration(migrations.Migration):
    dependencies = [("logs", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
