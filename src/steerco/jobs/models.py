"""What a user sees of a background job: its progress and, at the end, a file or an error.

The queue itself (arguments, attempts, tracebacks) belongs to django-tasks-db; a ``Job``
is the user-facing record linked to it by ``task_result_id``.

Result files are kept in the database (``result_data``) rather than under MEDIA_ROOT.
Scaling out means more web processes and more workers sharing one PostgreSQL, possibly on
different machines: a file written on a worker's disk would not be reachable from the web
process that serves the download, whereas a row is. Job outputs are exports and reports
(kilobytes to a few megabytes), capped by ``MAX_RESULT_BYTES``, and are deleted with the
job, so the database neither grows without bound nor needs a shared volume or a second
backup.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_RESULT_BYTES = 50 * 1024 * 1024


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
    )
    # Not a choices field: the apps declare kinds in their tasks.py as features add them
    # (see core.background), and a migration per new kind would buy nothing.
    kind = models.CharField(max_length=50)
    title = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    progress_message = models.CharField(max_length=200, blank=True)
    error_message = models.TextField(blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_content_type = models.CharField(max_length=100, blank=True)
    result_size = models.PositiveIntegerField(default=0)
    result_data = models.BinaryField(null=True, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # When the running job last told the database it is alive (its start, then its
    # progress reports): a running job without news for a while has lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # How many times the job was queued again because its worker stopped; each attempt
    # writes only while this still holds its own number (see ProgressReporter).
    restarts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="job_owner_recent"),
            models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="job_progress_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def has_result(self) -> bool:
        return self.status == self.Status.SUCCEEDED and bool(self.result_name)
