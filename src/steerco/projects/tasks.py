"""The background jobs of projects: the export of the projects a user can see, and the
daily purge of projects that have spent their 30 days in the trash.

Declared for the jobs app through ``JOB_KINDS`` and ``PERIODIC_JOBS`` (see
``steerco.core.background``). Every long-running worker purges as it starts and then once a
day, unless ``STEERCO_TRASH_PURGE`` is false; ``steerco purge_trash`` does the same when
run (from cron, where no worker runs).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steerco.core.background import JobKind, JobOutput, PeriodicJob, Progress, RunningJob
from steerco.core.exceptions import DomainError
from steerco.core.project_pages import schedule_outlooks

from .exports import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    project_rows,
    projects_csv,
    projects_xlsx,
)
from .models import TRASH_DAYS
from .selectors import project_list
from .services import purge_expired

EXPORT_FORMATS = ("xlsx", "csv")


def project_export(job: RunningJob, report: Progress, file_format: str = "xlsx") -> JobOutput:
    """Export the projects the job's owner can see, as they are when the worker runs."""
    if file_format not in EXPORT_FORMATS:
        raise DomainError(_("Unknown export format '%s'.") % file_format)
    report(5, _("Reading the projects you can see…"))
    projects = list(project_list(user=job.owner))
    rows = project_rows(projects, schedule_outlooks(projects=projects))
    report(20, _("Writing %(count)d projects…") % {"count": len(rows)})

    def on_row(done: int, total: int) -> None:
        report.step(
            done,
            total,
            start=20,
            end=95,
            message=_("Writing project %(done)d of %(total)d…") % {"done": done, "total": total},
        )

    now = timezone.now()
    stamp = timezone.localtime(now).strftime("%Y-%m-%d-%H%M")
    if file_format == "csv":
        data = projects_csv(rows, on_row=on_row)
        return JobOutput(name=f"projects-{stamp}.csv", content_type=CSV_CONTENT_TYPE, data=data)
    data = projects_xlsx(rows, on_row=on_row, title=job.title, generated_at=now)
    return JobOutput(name=f"projects-{stamp}.xlsx", content_type=XLSX_CONTENT_TYPE, data=data)


JOB_KINDS = (
    # An export writes nothing but its file: run again after its worker stopped, it simply
    # starts over.
    JobKind(
        name="project_export",
        title=gettext_lazy("Export of projects"),
        work=project_export,
        resumable=True,
    ),
)

PURGE_EVERY_SECONDS = 24 * 3600.0


def trash_purge_when() -> str | None:
    """What a starting worker says about the purge; None (no scheduler) when it is off."""
    if not getattr(settings, "STEERCO_TRASH_PURGE", True):
        return None
    message = _("Projects in the trash for %(days)d days are purged for good, now and once a day.")
    return message % {"days": TRASH_DAYS}


def trash_purge_tick() -> list[str]:
    """Purge what has waited its time in the trash. As with ``steerco purge_trash``, no
    person is named: each purged row's history says it was purged automatically after
    ``TRASH_DAYS`` days. Several workers purging at once skip what another purged."""
    return purge_expired()


PERIODIC_JOBS = (
    PeriodicJob(
        name="trash_purge",
        title=gettext_lazy("The purge of the trash"),
        when=trash_purge_when,
        tick=trash_purge_tick,
        every=PURGE_EVERY_SECONDS,
    ),
)
