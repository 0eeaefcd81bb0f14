"""Writes for background jobs: starting one, and the life cycle a task reports through.

The kinds of job are declared by the apps (``steerco.core.background``). The jobs task
runs a kind's work inside ``job_run``, which marks the job running, hands the work a
``ProgressReporter``, stores the file it returns and records failures in words the owner
can read (the traceback stays with django-tasks-db for operators).

A worker killed in the middle of a job (out of memory, the machine restarted) runs no
clean-up: its job would say "Running" for ever. So a running job keeps a heartbeat, and
``jobs_recover_abandoned`` (a periodic job of this app, also run when a worker starts)
queues a job whose heartbeat has stopped once more when its kind is resumable, or marks
it failed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from steerco.core.background import JobOutput, job_kind_get, job_kinds
from steerco.core.exceptions import DomainError

from .models import MAX_RESULT_BYTES, Job

logger = logging.getLogger(__name__)

# Long enough to come back for a file after a holiday; a job is a delivery, not an archive.
JOB_RETENTION = timedelta(days=30)
#: The longest a running job's reporter goes without telling the database it is alive,
#: as long as the work reports at all; far below the stale limit (``stale_after``), so a
#: live job is never taken for abandoned while it reports.
HEARTBEAT_SECONDS = 30.0
#: How many times a resumable job is queued again after its worker stopped.
MAX_RESTARTS = 1

_FINISHED = (Job.Status.SUCCEEDED, Job.Status.FAILED)


class WorkerStopped(Exception):
    """Recorded on the task result of an attempt whose worker stopped without an outcome."""


class JobTakenOver(Exception):
    """This attempt no longer owns its job: the job was queued again because its worker
    was taken for dead, or it was marked failed or deleted. The attempt stops writing."""


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

    Writes only when the percentage or the message changes, or when the heartbeat is due
    (every ``HEARTBEAT_SECONDS``), so a loop over ten thousand rows costs at most a hundred
    small UPDATEs and a live job never looks abandoned. Progress never goes backwards.

    Every write is fenced by the attempt it belongs to: once the job has been queued again
    (or has ended, or is gone) the write matches no row and ``JobTakenOver`` stops the work,
    so a worker wrongly taken for dead cannot go on beside the new attempt.
    """

    def __init__(self, job: Job):
        self.job = job
        self.attempt = job.restarts
        self._last: tuple[int, str] = (job.progress, job.progress_message)
        self._beat = time.monotonic()

    def __call__(self, percent: float, message: str | None = None) -> None:
        value = max(self._last[0], min(100, int(percent)))
        text = self._last[1] if message is None else message[:200]
        if (value, text) == self._last and not self._heartbeat_due():
            return
        self._write(progress=value, progress_message=text)
        self.job.progress, self.job.progress_message = value, text
        self._last = (value, text)

    def step(self, done: int, total: int, *, start: float, end: float, message: str = "") -> None:
        """Report ``done`` of ``total`` items as a position between ``start`` and ``end``%."""
        fraction = done / total if total else 1.0
        percent = start + (end - start) * fraction
        # A per-item message changes every item; write it only when the bar moves too.
        if int(percent) <= self._last[0] and done < total and not self._heartbeat_due():
            return
        self(percent, message or None)

    def _heartbeat_due(self) -> bool:
        return time.monotonic() - self._beat >= HEARTBEAT_SECONDS

    def _write(self, **fields: Any) -> None:
        now = timezone.now()
        written = (
            Job.objects.filter(pk=self.job.pk, restarts=self.attempt)
            .exclude(status__in=_FINISHED)
            .update(heartbeat_at=now, **fields)
        )
        self._beat = time.monotonic()
        if not written:
            raise JobTakenOver(f"Job {self.job.pk} is no longer run by this attempt.")
        self.job.heartbeat_at = now


def job_run(*, job_id: int, work: Callable[[Job, ProgressReporter], JobOutput]) -> dict:
    """Run ``work`` for the job, recording its progress, its file or its failure.

    Called by tasks in the worker. Exceptions are re-raised after being recorded, so the
    task result in django-tasks-db also shows the failure and its traceback. An attempt
    that lost its job (``JobTakenOver``) records nothing: the job belongs to another.
    """
    job = Job.objects.select_related("owner").get(pk=job_id)
    if job.is_finished:
        # A retried task for a job that already ended must not run the work twice.
        return {"job_id": job.pk, "status": job.status}
    job.status = Job.Status.RUNNING
    job.started_at = job.heartbeat_at = timezone.now()
    job.progress_message = _("Started.")
    job.save(update_fields=["status", "started_at", "heartbeat_at", "progress_message"])
    reporter = ProgressReporter(job)
    try:
        output = work(job, reporter)
        if len(output.data) > MAX_RESULT_BYTES:
            raise DomainError(
                _("The file is too large to keep (%(size)d MB; the limit is %(limit)d MB).")
                % {"size": len(output.data) // 2**20, "limit": MAX_RESULT_BYTES // 2**20}
            )
    except JobTakenOver:
        raise
    except Exception as error:
        job_fail(job=job, message=_failure_message(error), attempt=reporter.attempt)
        raise
    finished = {
        "status": Job.Status.SUCCEEDED,
        "progress": 100,
        "progress_message": _("Finished."),
        "result_name": output.name[:200],
        "result_content_type": output.content_type[:100],
        "result_size": len(output.data),
        "result_data": output.data,
        "finished_at": timezone.now(),
    }
    owned = Job.objects.filter(pk=job.pk, restarts=reporter.attempt, status=Job.Status.RUNNING)
    if not owned.update(**finished):
        raise JobTakenOver(f"Job {job.pk} is no longer run by this attempt.")
    for name, value in finished.items():
        setattr(job, name, value)
    return {"job_id": job.pk, "status": job.status, "size": job.result_size}


def _failure_message(error: Exception) -> str:
    if isinstance(error, DomainError):
        return error.message
    if isinstance(error, PermissionDenied) and error.args:
        # The owner lost a right the work needs since starting it: the message says which.
        return str(error)
    logger.exception("Background job failed")
    return _(
        "The job stopped because of an unexpected error (%(kind)s). "
        "An administrator can find the details in the worker's log."
    ) % {"kind": type(error).__name__}


def job_fail(*, job: Job, message: str, attempt: int | None = None) -> Job:
    """Mark the job failed with ``message`` (only while ``attempt`` still runs it, if given)."""
    rows = Job.objects.filter(pk=job.pk)
    if attempt is not None:
        rows = rows.filter(restarts=attempt)
    now = timezone.now()
    if rows.update(status=Job.Status.FAILED, error_message=message, finished_at=now):
        job.status, job.error_message, job.finished_at = Job.Status.FAILED, message, now
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


def stale_after() -> timedelta:
    """How long a running job may go without news before it is taken for abandoned
    (``STEERCO_JOB_STALE_MINUTES``); ValueError, naming the setting, when it is too short."""
    minutes = getattr(settings, "STEERCO_JOB_STALE_MINUTES", 10)
    if not isinstance(minutes, int) or minutes * 60 < 4 * HEARTBEAT_SECONDS:
        raise ValueError(
            f"STEERCO_JOB_STALE_MINUTES must be a whole number of minutes, at least "
            f"{int(4 * HEARTBEAT_SECONDS // 60)} (a running job says it is alive every "
            f"{HEARTBEAT_SECONDS:g} s)."
        )
    return timedelta(minutes=minutes)


def _silent_since(cutoff: datetime) -> Q:
    """Running jobs with no news since ``cutoff`` (jobs started before heartbeats were
    kept count from their start)."""
    return (
        Q(heartbeat_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
        | Q(heartbeat_at__isnull=True, started_at__isnull=True, created_at__lt=cutoff)
    )


def jobs_recover_abandoned(*, now: datetime | None = None) -> list[Job]:
    """Queue once more, or mark failed, the running jobs whose worker has stopped.

    A job is taken for abandoned when it has been running without news for
    ``stale_after()``. A job of a resumable kind (``JobKind.resumable``) that has not
    been queued again yet is queued again, as a new task; any other is marked failed,
    saying so to its owner. The dead attempt's task result, which its worker left
    "running", is marked failed, so operators see what happened to it.

    Each job is taken over in its own transaction by an UPDATE that still requires it to
    be running without news at the same attempt, so workers checking at the same moment
    act on it once. Returns the jobs acted on, as they now stand.
    """
    from .tasks import job_task  # the task module runs jobs through this one

    now = now or timezone.now()
    silent = _silent_since(now - stale_after())
    kinds = job_kinds()
    acted_on = []
    for job in Job.objects.filter(silent, status=Job.Status.RUNNING).order_by("pk"):
        kind = kinds.get(job.kind)
        last_news = job.heartbeat_at or job.started_at or job.created_at
        resume = kind is not None and kind.resumable and job.restarts < MAX_RESTARTS
        dead_task = job.task_result_id
        with transaction.atomic():
            abandoned = Job.objects.filter(
                silent, pk=job.pk, status=Job.Status.RUNNING, restarts=job.restarts
            )
            if resume:
                taken = abandoned.update(
                    status=Job.Status.QUEUED,
                    restarts=F("restarts") + 1,
                    progress=0,
                    progress_message=_(
                        "The worker stopped while running this job; it waits to be run again."
                    ),
                    started_at=None,
                    heartbeat_at=None,
                )
                if taken:
                    result = job_task.enqueue(job_id=job.pk, **job.params)
                    Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))
            else:
                taken = abandoned.update(
                    status=Job.Status.FAILED,
                    error_message=worker_stopped_message(),
                    finished_at=now,
                )
            if not taken:
                continue  # another worker's check, or the job itself, got there first
            _task_result_abandon(dead_task, now=now, requeued=resume)
        job.refresh_from_db()
        if not resume and kind is not None and kind.abandoned is not None:
            try:
                kind.abandoned(job, **job.params)
            except Exception:
                # The job is failed all the same; its kind's clean-up can be done later.
                logger.exception("Could not tidy what job %s left when its worker stopped.", job.pk)
        logger.warning(
            "Job %s (%s) had no news since %s; its worker has stopped. %s",
            job.pk,
            job.kind,
            last_news.isoformat(),
            "Queued again." if resume else "Marked failed.",
        )
        acted_on.append(job)
    return acted_on


def worker_stopped_message() -> str:
    return _("The worker stopped while running this job; start it again.")


def _task_result_abandon(task_result_id: str, *, now: datetime, requeued: bool) -> None:
    """Mark the dead attempt's task result failed; django-tasks-db would keep it "running".

    Only a result still running is changed, so a worker that was not dead after all and
    finishes later records its own outcome on its own result, never on the new attempt's.
    """
    from django_tasks import TaskResultStatus
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    from .tasks import job_task

    if not task_result_id or not isinstance(job_task.get_backend(), DatabaseBackend):
        return
    outcome = "queued again as a new task" if requeued else "marked failed"
    error_path = f"{WorkerStopped.__module__}.{WorkerStopped.__qualname__}"
    try:
        DBTaskResult.objects.filter(pk=task_result_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=error_path,
            traceback=(
                f"{error_path}: the worker running this task stopped without "
                f"recording an outcome (no news from its job for {stale_after()}); "
                f"the job was {outcome}.\n"
            ),
        )
    except ValidationError:
        return  # not an id of this backend's
