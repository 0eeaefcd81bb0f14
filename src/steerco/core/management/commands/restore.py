"""``steerco restore FILE [--force]``: replace the database with a backup, after checking it."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from steerco.core.backup import VENDOR_NAMES, BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Replace the whole database with the backup in FILE. The file is checked first (a "
        "SteerCo backup, intact, of this database vendor, not from a newer SteerCo schema); "
        "a database that holds data is replaced only with --force. A backup from an older "
        "schema is migrated after it is restored."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="A file written by `steerco backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the database even though it holds data (back it up first).",
        )

    def handle(self, *args, file: str, force: bool, **options):
        try:
            result = backup_restore(file, force=force)
        except BackupError as error:
            raise CommandError(error.message) from None
        manifest = result.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {file}: the {VENDOR_NAMES[manifest.vendor]} database backed up by "
                f"SteerCo {manifest.steerco_version} at {manifest.created_at}, "
                f"{len(result.tables)} tables, {result.rows:,} rows."
            )
        )
        filled = {table: rows for table, rows in result.tables.items() if rows}
        width = max((len(table) for table in filled), default=0)
        for table, rows in filled.items():
            self.stdout.write(f"  {table:<{width}}  {rows:>9,}")
        empty = len(result.tables) - len(filled)
        if empty:
            self.stdout.write(f"  and {empty} empty tables.")
        if result.migrated:
            self.stdout.write(
                self.style.WARNING(
                    "The backup's schema was older than this SteerCo's, so the database was "
                    f"migrated after the restore: {', '.join(result.migrated)}."
                )
            )
