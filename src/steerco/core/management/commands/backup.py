"""``steerco backup FILE``: the whole database into one file, safe while SteerCo runs."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from steerco.core.backup import VENDOR_NAMES, BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the whole database to FILE (a zip holding a manifest and the dump). Safe "
        "while the server and worker run; restore it with `steerco restore FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="Where to write the backup.")

    def handle(self, *args, file: str, **options):
        started = time.monotonic()
        try:
            manifest = backup_create(file)
        except BackupError as error:
            raise CommandError(error.message) from None
        seconds = time.monotonic() - started
        size = Path(file).stat().st_size / 1_000_000
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {VENDOR_NAMES[manifest.vendor]} database to {file} "
                f"({size:.1f} MB in {seconds:.1f} s): {len(manifest.tables)} tables, "
                f"{manifest.rows:,} rows."
            )
        )
