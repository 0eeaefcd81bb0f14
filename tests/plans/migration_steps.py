"""Step the database to a migration and back, for the tests of data migrations."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrated_to(targets):
    """Migrate to ``targets`` and return the models as the database now holds them.

    Migrating one app back leaves the other apps' later migrations applied (a column
    another app added since stays, NOT NULL), so the models are those of every migration
    applied, not only of ``targets`` and what they depend on.
    """
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    applied = set(executor.loader.applied_migrations)
    graph = executor.loader.graph
    leaves = [node for node in applied if not graph.node_map[node].children & applied]
    return executor.loader.project_state(leaves).apps


def back_to_latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
