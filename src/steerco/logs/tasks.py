"""Background work of the logs: the daily digest e-mails and large spreadsheet imports.

The digest is declared a periodic job (``PERIODIC_JOBS``, see ``steerco.core.background``):
each running worker ticks it, the first tick due on a day claims that day and queues
``send_digests`` for it (``digest.schedule``), and any worker may then run it.

A log import of more rows than a page should wait for is a job a user starts
(``JOB_KINDS``): ``log_import_start`` keeps the uploaded file in the job's parameters, so
it is in the database, not on one machine's disk, until a worker (any worker, after any
restart) has imported it, and the job's result is the import's report. The job imports
the file as a page does (``imports.log_import``): a batch of rows per short transaction,
hidden until one short switch shows them all, so other users never wait for it; each
batch commits, so the page sees the job's progress move as the rows are written.
"""

from __future__ import annotations

import base64
import json
import zlib
from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from steerco.core.background import (
    JobKind,
    JobOutput,
    PeriodicJob,
    Progress,
    RunningJob,
    job_desk,
)
from steerco.core.exceptions import DomainError
from steerco.projects.models import Project

from .digest.schedule import CHECK_EVERY_SECONDS, digest_tick, digest_when
from .digest.sending import digests_send
from .kinds import LogKind, kind_for
from .models import DigestRun
from .transfer import imports, sheets

LOG_IMPORT = "log_import"
REPORT_CONTENT_TYPE = "application/json"


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


# --------------------------------------------------------------------------- log imports


def log_import_start(*, actor, project, kind: LogKind, file_name: str, data: bytes):
    """Queue the import of an uploaded file into ``project``'s ``kind`` log; returns the job.

    The file travels in the job's parameters, compressed (a CSV shrinks about tenfold),
    so it is kept with the job in the database and any worker can read it.
    """
    return job_desk().start(
        actor=actor,
        kind=LOG_IMPORT,
        title=_("Import of %(plural)s into %(code)s")
        % {"plural": kind.plural, "code": project.code},
        params={
            "project_id": project.pk,
            "kind": kind.slug,
            "file_name": file_name[:200],
            "file": base64.b64encode(zlib.compress(data)).decode("ascii"),
        },
    )


def log_import_report(job) -> dict | None:
    """The report a finished import job kept (see ``imports.import_report``), else None."""
    if job.kind != LOG_IMPORT or not job.has_result or job.result_data is None:
        return None
    return json.loads(bytes(job.result_data))


def log_import_work(
    job: RunningJob, report: Progress, *, project_id: int, kind: str, file_name: str, file: str
) -> JobOutput:
    """Import the job's file as its owner, through the same services and with the same
    all-or-nothing report as an import on the page; the report is the job's result."""
    log = kind_for(kind)
    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        raise DomainError(_("The project of this import has been deleted."))
    report(1, _("Reading %(name)s…") % {"name": file_name})
    table = sheets.read_table(log, zlib.decompress(base64.b64decode(file)), file_name)
    total = len(table.rows)
    report(5, _("Importing %(total)s rows…") % {"total": f"{total:,}"})

    def on_row(done: int, total: int) -> None:
        report.step(
            done,
            total,
            start=5,
            end=99,
            message=_("Row %(done)s of %(total)s…") % {"done": f"{done:,}", "total": f"{total:,}"},
        )

    try:
        result = imports.log_import(
            actor=job.owner,
            project=project,
            kind=log,
            rows=table.rows,
            on_row=on_row,
            filename=file_name,
            job_id=job.pk,
        )
        outcome = imports.import_report(result=result)
    except imports.ImportRejected as rejected:
        outcome = imports.import_report(rejected=rejected)
    except (PermissionDenied, Http404):
        raise DomainError(
            _("You may no longer change the %(plural)s of %(code)s.")
            % {"plural": log.plural, "code": project.code}
        ) from None
    stem = f"{project.code.lower()}-{log.slug}-import-report"
    return JobOutput(
        name=f"{stem}.json",
        content_type=REPORT_CONTENT_TYPE,
        data=json.dumps(outcome, ensure_ascii=False).encode("utf-8"),
    )


JOB_KINDS = (
    JobKind(name=LOG_IMPORT, title=gettext_lazy("Import into a log"), work=log_import_work),
)

PERIODIC_JOBS = (
    PeriodicJob(
        name="digest",
        title=gettext_lazy("The daily digest"),
        when=digest_when,
        tick=digest_tick,
        every=CHECK_EVERY_SECONDS,
    ),
)
