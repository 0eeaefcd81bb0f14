"""The background jobs of projects: the export of the projects a user can see, and the
hourly purge of projects that have spent their 30 days in the trash.

Declared for the jobs app through ``JOB_KINDS`` and ``PERIODIC_JOBS`` (see
``steerco.core.background``). The purge runs in a worker only where
``STEERCO_TRASH_PURGE`` is true; elsewhere ``steerco purge_trash`` does it when run (daily,
from cron).
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
    JobKind(name="project_export", title=gettext_lazy("Export of projects"), work=project_export),
)


def trash_purge_when() -> str | None:
    """What a starting worker says about the purge; None (no scheduler) unless it is on."""
    if not getattr(settings, "STEERCO_TRASH_PURGE", False):
        return None
    message = _("Projects in the trash for %(days)d days are purged for good, every hour.")
    return message % {"days": TRASH_DAYS}


def trash_purge_tick() -> list[str]:
    """Purge what has waited its time in the trash; each purged row's history says it
    was purged automatically (no person did it)."""
    return purge_expired()


PERIODIC_JOBS = (
    PeriodicJob(
        name="trash_purge",
        title=gettext_lazy("The purge of the trash"),
        when=trash_purge_when,
        tick=trash_purge_tick,
        every=3600.0,
    ),
)
