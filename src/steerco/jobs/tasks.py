"""The one django-tasks task behind every kind of job the apps declare.

A job's kind (``steerco.core.background.JobKind``) says what work to do; this task runs
that work inside ``job_run``. Tasks take only the job id and JSON-able options; everything
else (who asked, what they may see) is read from the database when the worker runs it.

The app's one periodic job looks for jobs whose worker stopped in the middle
(``services.jobs_recover_abandoned``); every long-running worker keeps it, and every
worker also runs it once as it starts.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from steerco.core.background import JobOutput, PeriodicJob, job_kind_get, job_kinds

from .models import Job
from .services import ProgressReporter, job_run, jobs_recover_abandoned, stale_after


@task()
def job_task(job_id: int, **params: Any) -> dict:
    """Run the work of the job's kind with the options it was started with."""

    def work(job: Job, report: ProgressReporter) -> JobOutput:
        # Looked up here, not at queueing time, so a kind whose app has since gone fails
        # the job with a message its owner can read.
        return job_kind_get(job.kind).work(job, report, **params)

    return job_run(job_id=job_id, work=work)


def recovery_when() -> str:
    """What a starting worker says about the check; ValueError when its setting is wrong."""
    minutes = int(stale_after().total_seconds() // 60)
    return _(
        "A job whose worker stopped is noticed after %(minutes)d minutes without news, and "
        "run again or marked failed."
    ) % {"minutes": minutes}


def recovery_tick() -> list[Job]:
    return jobs_recover_abandoned()


PERIODIC_JOBS = (
    PeriodicJob(
        name="job_recovery",
        title=gettext_lazy("The check for abandoned jobs"),
        when=recovery_when,
        tick=recovery_tick,
        every=60.0,
    ),
)


def __getattr__(name: str):
    # Jobs queued before the kinds moved to their apps stored "steerco.jobs.tasks.<kind>"
    # as their task; such a row still runs, through the task every kind now shares.
    if not name.startswith("_") and name in job_kinds():
        return job_task
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
