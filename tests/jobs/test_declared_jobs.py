"""Apps declare their job kinds and periodic jobs; the jobs app and the worker find them.

``sample_app`` stands for a feature added later: installing it is all it takes for its
job to be startable and run by the worker, and for its periodic job to be kept.
"""

from __future__ import annotations

import threading
from importlib import import_module
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from steerco.core.background import job_kinds, periodic_jobs
from steerco.core.exceptions import DomainError
from steerco.jobs.apps import check_declared_jobs
from steerco.jobs.models import Job
from steerco.jobs.services import job_start

SAMPLE_APP = f"{__package__}.sample_app"
CLASHING_APP = f"{__package__}.clashing_app"


@pytest.fixture
def with_app(settings):
    def install(name: str) -> None:
        settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, name]

    return install


def run_worker_batch() -> None:
    # Keep the test's transaction's connection open (see tests/django/test_jobs.py).
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", "--batch", verbosity=0)


def test_the_apps_own_declarations_are_found():
    assert {"project_export"} <= set(job_kinds())
    assert "digest" in {job.name for job in periodic_jobs()}


def test_a_new_apps_job_kind_is_started_and_run_by_the_worker(org, with_app):
    with pytest.raises(DomainError):
        job_start(actor=org.priya, kind="sample_echo")
    with_app(SAMPLE_APP)

    job = job_start(actor=org.priya, kind="sample_echo", params={"text": "hello"})
    run_worker_batch()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error_message
    assert (job.title, job.progress) == ("Echo", 100)
    assert (job.result_name, bytes(job.result_data)) == ("echo.txt", b"Echo: hello")


def test_a_new_apps_periodic_job_is_kept_by_a_long_running_worker(with_app, settings):
    # The sample's thread needs no database; the apps' own periodic jobs do, and this test
    # has none: the digest and the purge are switched off, the check for abandoned jobs
    # (which also runs as the worker starts) finds nothing.
    settings.STEERCO_DIGEST_TIME = "off"
    settings.STEERCO_TRASH_PURGE = False
    with_app(SAMPLE_APP)
    ticked = import_module(f"{SAMPLE_APP}.tasks").ticked
    ticked.clear()
    out = StringIO()

    # The job loop waits for the sample's first tick, as a real worker would keep running.
    with (
        mock.patch(
            "steerco.jobs.management.commands.worker.call_command",
            side_effect=lambda *args, **kwargs: ticked.wait(5),
        ),
        mock.patch(
            "steerco.jobs.management.commands.worker.jobs_recover_abandoned", return_value=[]
        ),
        mock.patch("steerco.jobs.tasks.jobs_recover_abandoned", return_value=[]),
    ):
        call_command("worker", stdout=out)

    assert ticked.is_set()
    assert "The sample job runs every moment." in out.getvalue()
    assert "digest" not in out.getvalue()
    running = {thread.name for thread in threading.enumerate()}
    assert "steerco-sample-scheduler" not in running  # stopped with the worker


def test_a_job_queued_under_its_old_task_path_still_runs(org):
    job = job_start(actor=org.priya, kind="project_export", params={"file_format": "csv"})
    # Before the kinds moved to their apps, each had a task of its own in jobs.tasks.
    DBTaskResult.objects.filter(pk=job.task_result_id).update(
        task_path="steerco.jobs.tasks.project_export"
    )

    run_worker_batch()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error_message
    assert job.result_name.endswith(".csv")


def test_two_apps_declaring_one_kind_fail_the_system_check(with_app):
    assert check_declared_jobs() == []
    with_app(CLASHING_APP)

    [error] = check_declared_jobs()

    assert error.id == "jobs.E001"
    assert "project_export" in error.msg
