"""The background jobs of plans: importing a large plan file.

Declared for the jobs app through ``JOB_KINDS`` (see ``steerco.core.background``). A file of
``transfer.SYNC_IMPORT_MAX_TASKS`` tasks or more is imported here rather than in the request,
a few hundred rows per transaction, so other users' requests never wait for it.
"""

from __future__ import annotations

import json
from dataclasses import asdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steerco.core.background import JobKind, JobOutput, Progress, RunningJob
from steerco.core.exceptions import DomainError

from . import transfer
from .models import PlanImport

#: How far, in percent, an import gets between two updates of its own progress.
PLAN_IMPORT_PROGRESS_STEP = 10


def plan_import(
    job: RunningJob,
    report: Progress,
    plan_import_id: int,
    mode: str = transfer.REPLACE,
    delete_missing: bool = False,
) -> JobOutput:
    """Import the file kept with the ``PlanImport``; the job's file is the import's report.

    Resumable: run again after its worker stopped, it writes the file again from the start
    (``transfer.plan_import_run`` removes what the stopped attempt wrote), or, when that
    attempt had already switched to the new plan, finishes removing the old one.
    """
    run = PlanImport.objects.select_related("project").filter(pk=plan_import_id).first()
    if run is not None and run.state == PlanImport.State.SWITCHED:
        result = transfer.plan_import_finish_switched(run=run)
    elif run is None or run.state != PlanImport.State.STAGING:
        raise DomainError(_("This import has already ended; start it again from the file."))
    else:
        written = [0]

        def progress(percent: float, message: str | None = None) -> None:
            report(percent, message)
            # Also on the import itself, which the plan API reports to its clients, every
            # ten points (the job's progress, which the page shows, follows every batch).
            if int(percent) >= written[0] + PLAN_IMPORT_PROGRESS_STEP:
                written[0] = int(percent)
                PlanImport.objects.filter(pk=run.pk).update(progress=written[0])

        result = transfer.plan_import_run(
            actor=job.owner, run=run, report=progress, mode=mode, delete_missing=delete_missing
        )
    return JobOutput(
        name=f"{run.project.code.lower()}-plan-import.json",
        content_type="application/json",
        data=json.dumps(asdict(result), indent=2).encode(),
    )


def plan_import_abandoned(job: RunningJob, plan_import_id: int, **_how) -> None:
    """The job failed because its worker stopped: the import failed too, and the rows it
    wrote go, so the plan API stops reporting it as being written. (``_how`` are the job's
    other parameters, the import's mode, which do not matter here.)"""
    run = PlanImport.objects.filter(pk=plan_import_id).first()
    if run is not None:
        transfer.plan_import_abandon(
            run=run,
            message=_("The worker stopped while writing this import; import the file again."),
        )


JOB_KINDS = (
    JobKind(
        name="plan_import",
        title=gettext_lazy("Import of a plan"),
        work=plan_import,
        resumable=True,
        abandoned=plan_import_abandoned,
    ),
)
