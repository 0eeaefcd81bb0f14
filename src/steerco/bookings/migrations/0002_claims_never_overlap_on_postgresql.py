"""On PostgreSQL, the database itself refuses two overlapping claims of one unit.

The services already refuse a clash under a lock of the unit rows (bookings/services.py);
this exclusion constraint is the second line, which also holds for a write that does not
go through the services. It needs the ``btree_gist`` extension (to compare the unit id
with ``=`` inside a GiST index). ``btree_gist`` is a trusted extension since PostgreSQL
13, so a database owner with CREATE on the database may install it; otherwise a superuser
runs ``CREATE EXTENSION btree_gist;`` in the database once before migrating. SQLite has
no such constraint and relies on the lock, which its single writer makes sufficient.
"""

from django.db import migrations

CONSTRAINT = "bookings_claim_no_overlap"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE bookings_claim ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(unit_id WITH =, tstzrange(start, \"end\", '[)') WITH &&)"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE bookings_claim DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("bookings", "0001_initial")]

    operations = [migrations.RunPython(add_constraint, drop_constraint)]
