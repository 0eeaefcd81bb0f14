"""The ``steerco`` command: Django's management commands plus SteerCo's own.

``steerco schedule`` runs the scheduling engine alone, without Django or a database, so
it is dispatched before Django is set up.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "schedule":
        # Deferred on purpose: `steerco schedule` must start without Django or a database.
        from steerco.schedule_command import main as schedule_main

        return schedule_main(argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steerco.config.settings")
    from django.core.management import execute_from_command_line

    argv[0] = "steerco"
    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
