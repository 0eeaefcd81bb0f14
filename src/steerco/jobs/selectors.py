"""Reads for background jobs. A job belongs to the user who started it and to nobody else."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .models import Job


def job_list(*, user) -> QuerySet[Job]:
    """The user's own jobs, newest first, without the (possibly large) result files."""
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    return Job.objects.filter(owner=user).defer("result_data").order_by("-created_at", "-pk")


def job_for(*, user, job_id, with_result: bool = False) -> Job:
    """The user's job ``job_id``; Http404 for anyone else's, so ids reveal nothing."""
    jobs = Job.objects.all() if with_result else Job.objects.defer("result_data")
    try:
        return jobs.get(pk=job_id, owner_id=getattr(user, "pk", None))
    except (Job.DoesNotExist, ValueError, TypeError):
        raise Http404("No such job.") from None
