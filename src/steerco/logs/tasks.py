"""Background tasks of the logs: the daily digest e-mails.

The digest is declared a periodic job (``PERIODIC_JOBS``, see ``steerco.core.background``):
each running worker ticks it, the first tick due on a day claims that day and queues
``send_digests`` for it (``digest_schedule``), and any worker may then run it.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from steerco.core.background import PeriodicJob

from .digest import digests_send
from .digest_schedule import CHECK_EVERY_SECONDS, digest_tick, digest_when
from .models import DigestRun


@task()
def send_digests(
    run_id: int | None = None, day: str | None = None, horizon_days: int | None = None
) -> dict:
    """E-mail everyone their digest for the claimed run's day (or ``day``, or today).

    Returns who was sent what and who was skipped, which django-tasks-db keeps with the
    task's result for operators.
    """
    run = DigestRun.objects.get(pk=run_id) if run_id is not None else None
    if run is not None:
        today = run.date
    elif day:
        today = date.fromisoformat(day)
    else:
        today = timezone.localdate()
    outcome = digests_send(today=today, horizon_days=horizon_days)
    if run is not None:
        DigestRun.objects.filter(pk=run.pk).update(
            sent=len(outcome.sent), finished_at=timezone.now()
        )
    return outcome.as_dict()


PERIODIC_JOBS = (
    PeriodicJob(
        name="digest",
        title=_("The daily digest"),
        when=digest_when,
        tick=digest_tick,
        every=CHECK_EVERY_SECONDS,
    ),
)
