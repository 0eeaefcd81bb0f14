"""The django-tasks tasks behind each kind of job (see jobs.kinds).

Tasks take only the job id and JSON-able options; everything else (who asked, what they
may see) is read from the database when the worker runs the task.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from steerco.core.exceptions import DomainError
from steerco.projects.exports import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    project_rows,
    projects_csv,
    projects_xlsx,
)
from steerco.projects.selectors import project_list

from .services import JobOutput, ProgressReporter, job_run

EXPORT_FORMATS = ("xlsx", "csv")


@task()
def project_export(job_id: int, file_format: str = "xlsx") -> dict:
    """Export the projects the job's owner can see, as they are when the worker runs."""

    def work(job, report: ProgressReporter) -> JobOutput:
        if file_format not in EXPORT_FORMATS:
            raise DomainError(_("Unknown export format '%s'.") % file_format)
        report(5, _("Reading the projects you can see…"))
        rows = project_rows(project_list(user=job.owner))
        report(20, _("Writing %(count)d projects…") % {"count": len(rows)})

        def on_row(done: int, total: int) -> None:
            report.step(
                done,
                total,
                start=20,
                end=95,
                message=_("Writing project %(done)d of %(total)d…")
                % {"done": done, "total": total},
            )

        now = timezone.now()
        stamp = timezone.localtime(now).strftime("%Y-%m-%d-%H%M")
        if file_format == "csv":
            data = projects_csv(rows, on_row=on_row)
            return JobOutput(name=f"projects-{stamp}.csv", content_type=CSV_CONTENT_TYPE, data=data)
        data = projects_xlsx(rows, on_row=on_row, title=job.title, generated_at=now)
        return JobOutput(name=f"projects-{stamp}.xlsx", content_type=XLSX_CONTENT_TYPE, data=data)

    return job_run(job_id=job_id, work=work)
