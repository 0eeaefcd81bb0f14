"""``steerco purge_trash``: purge the projects that have spent their 30 days in the trash.

A running worker does this by itself as it starts and then daily
(``projects.tasks.PERIODIC_JOBS``, on unless ``STEERCO_TRASH_PURGE`` is false); run this
daily from cron or a systemd timer where no worker runs.
"""

from django.core.management.base import BaseCommand

from steerco.projects.models import TRASH_DAYS
from steerco.projects.services import purge_expired


class Command(BaseCommand):
    help = f"Purge for good the projects that have been in the trash for {TRASH_DAYS} days."

    def handle(self, *args, **options) -> None:
        purged = purge_expired()
        if purged:
            self.stdout.write(f"Purged {len(purged)} project(s): {', '.join(purged)}.")
        else:
            self.stdout.write("Nothing in the trash is due to be purged.")
