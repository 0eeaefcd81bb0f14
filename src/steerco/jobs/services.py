"""Writes for background jobs: starting one, and the life cycle a task reports through.

The kinds of job are declared by the apps (``steerco.core.background``). The jobs task
runs a kind's work inside ``job_run``, which marks the job running, hands the work a
``ProgressReporter``, stores the file it returns and records failures in words the owner
can read (the traceback stays with django-tasks-db for operators).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steerco.core.background import JobOutput, job_kind_get
from steerco.core.exceptions import DomainError

from .models import MAX_RESULT_BYTES, Job

logger = logging.getLogger(__name__)

# Long enough to come back for a file after a holiday; a job is a delivery, not an archive.
JOB_RETENTION = timedelta(days=30)


def job_start(*, actor, kind: str, title: str = "", params: dict[str, Any] | None = None) -> Job:
    """Record a job for ``actor`` and queue the task that runs it.

    The job row and the queued task are written in one transaction, so a worker can never
    pick up a task whose job does not exist yet, and a failed enqueue leaves no orphan job.
    The actor's finished jobs older than ``JOB_RETENTION`` go at the same time, so stored
    result files do not pile up in the database.
    """
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise DomainError(_("Log in to start a background job."))
    # Imported here because the task module runs jobs through this one.
    from .tasks import job_task

    job_kind = job_kind_get(kind)
    params = dict(params or {})
    with transaction.atomic():
        job = Job.objects.create(
            owner=actor,
            kind=job_kind.name,
            title=(title or str(job_kind.title))[:200],
            params=params,
            progress_message=_("Waiting for a worker to pick this up."),
        )
        result = job_task.enqueue(job_id=job.pk, **params)
        job.task_result_id = str(result.id)
        job.save(update_fields=["task_result_id"])
        Job.objects.filter(owner=actor, finished_at__lt=timezone.now() - JOB_RETENTION).delete()
    return job


class ProgressReporter:
    """Passed to a job's work so it can say how far it has got (a ``core.background.Progress``).

    Writes only when the percentage or the message changes, so a loop over ten thousand
    rows costs at most a hundred small UPDATEs. Progress never goes backwards.
    """

    def __init__(self, job: Job):
        self.job = job
        self._last: tuple[int, str] = (job.progress, job.progress_message)

    def __call__(self, percent: float, message: str | None = None) -> None:
        value = max(self._last[0], min(100, int(percent)))
        text = self._last[1] if message is None else message[:200]
        if (value, text) == self._last:
            return
        Job.objects.filter(pk=self.job.pk).update(progress=value, progress_message=text)
        self.job.progress, self.job.progress_message = value, text
        self._last = (value, text)

    def step(self, done: int, total: int, *, start: float, end: float, message: str = "") -> None:
        """Report ``done`` of ``total`` items as a position between ``start`` and ``end``%."""
        fraction = done / total if total else 1.0
        percent = start + (end - start) * fraction
        # A per-item message changes every item; write it only when the bar moves too.
        if int(percent) <= self._last[0] and done < total:
            return
        self(percent, message or None)


def job_run(*, job_id: int, work: Callable[[Job, ProgressReporter], JobOutput]) -> dict:
    """Run ``work`` for the job, recording its progress, its file or its failure.

    Called by tasks in the worker. Exceptions are re-raised after being recorded, so the
    task result in django-tasks-db also shows the failure and its traceback.
    """
    job = Job.objects.select_related("owner").get(pk=job_id)
    if job.is_finished:
        # A retried task for a job that already ended must not run the work twice.
        return {"job_id": job.pk, "status": job.status}
    job.status = Job.Status.RUNNING
    job.started_at = timezone.now()
    job.progress_message = _("Started.")
    job.save(update_fields=["status", "started_at", "progress_message"])
    reporter = ProgressReporter(job)
    try:
        output = work(job, reporter)
        if len(output.data) > MAX_RESULT_BYTES:
            raise DomainError(
                _("The file is too large to keep (%(size)d MB; the limit is %(limit)d MB).")
                % {"size": len(output.data) // 2**20, "limit": MAX_RESULT_BYTES // 2**20}
            )
    except Exception as error:
        job_fail(job=job, message=_failure_message(error))
        raise
    job.status = Job.Status.SUCCEEDED
    job.progress = 100
    job.progress_message = _("Finished.")
    job.result_name = output.name[:200]
    job.result_content_type = output.content_type[:100]
    job.result_size = len(output.data)
    job.result_data = output.data
    job.finished_at = timezone.now()
    job.save()
    return {"job_id": job.pk, "status": job.status, "size": job.result_size}


def _failure_message(error: Exception) -> str:
    if isinstance(error, DomainError):
        return error.message
    logger.exception("Background job failed")
    return _(
        "The job stopped because of an unexpected error (%(kind)s). "
        "An administrator can find the details in the worker's log."
    ) % {"kind": type(error).__name__}


def job_fail(*, job: Job, message: str) -> Job:
    job.status = Job.Status.FAILED
    job.error_message = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error_message", "finished_at"])
    return job


def job_sync_with_task(*, job: Job) -> Job:
    """Mark an unfinished job failed if its task failed without running ``job_run``.

    That happens when the task could not even start (its code was removed, its arguments
    no longer fit): without this the job would say "Queued" for ever.
    """
    if job.is_finished or not job.task_result_id:
        return job
    from django_tasks import TaskResultStatus, default_task_backend
    from django_tasks.exceptions import TaskResultDoesNotExist

    try:
        result = default_task_backend.get_result(job.task_result_id)
    except TaskResultDoesNotExist:
        return job_fail(job=job, message=_("The queued task has disappeared; start the job again."))
    if result.status == TaskResultStatus.FAILED:
        job.refresh_from_db()
        if not job.is_finished:
            return job_fail(
                job=job, message=_("The worker could not run this job; start it again.")
            )
    return job
