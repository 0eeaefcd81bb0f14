"""Migration plans 0009: the file of an import under way moves to a row of its own, so a
worker that picks the import up after the upgrade still finds it; the reverse puts it back."""

from __future__ import annotations

import pytest

from .migration_steps import back_to_latest, migrated_to

BEFORE = [("plans", "0008_task_assignments")]
AFTER = [("plans", "0009_plan_import_file")]


@pytest.mark.django_db(transaction=True)
def test_the_file_of_an_import_under_way_moves_with_it_and_back():
    try:
        apps = migrated_to(BEFORE)
        Project = apps.get_model("projects", "Project")
        PlanImport = apps.get_model("plans", "PlanImport")
        project = Project._base_manager.create(code="MIG", name="Migration")
        under_way = PlanImport.objects.create(project=project, data=b"<Project/>")
        ended = PlanImport.objects.create(project=project, state="switched")

        apps = migrated_to(AFTER)
        PlanImportFile = apps.get_model("plans", "PlanImportFile")
        kept = PlanImportFile.objects.values_list("plan_import_id", "data")
        assert [(pk, bytes(data)) for pk, data in kept] == [(under_way.pk, b"<Project/>")]

        apps = migrated_to(BEFORE)
        PlanImport = apps.get_model("plans", "PlanImport")
        assert bytes(PlanImport.objects.get(pk=under_way.pk).data) == b"<Project/>"
        assert bytes(PlanImport.objects.get(pk=ended.pk).data) == b""
    finally:
        back_to_latest()
