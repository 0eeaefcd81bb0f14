"""A job whose worker was killed does not stay "running" for ever (issue 14).

A running job keeps a heartbeat; the check for abandoned jobs (a periodic job of the jobs
app, also run when a worker starts) queues a job whose heartbeat stopped once more when its
kind is resumable, or marks it failed. The plan import is resumable: run again, it removes
what the killed attempt staged and imports the file from the start.

A killed worker runs no clean-up at all; ``WorkerKilled`` stands for that here. It is not
an ``Exception``, so ``job_run`` records nothing, and the import's own clean-up
(``transfer._discard``) is switched off for the attempt that "dies".
"""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from steerco.core.background import JobOutput, periodic_jobs
from steerco.jobs import services
from steerco.jobs.models import Job
from steerco.jobs.services import (
    JobTakenOver,
    ProgressReporter,
    job_run,
    job_start,
    jobs_recover_abandoned,
)
from steerco.jobs.tasks import job_task
from steerco.plans import transfer
from steerco.plans.models import PlanImport, PlanImportFile, Task, TaskLink

STOPPED = "The worker stopped while running this job; start it again."
CSV_PLAN = b"Name,Duration\nDesign,2d\nBuild,3d\n"
LARGE_CSV = b"Name,Duration,Predecessors\nDesign,2d,\nBuild,3d,1\nTest,1d,2\nShip,0d,3\n"
SAMPLE_APP = f"{__package__}.sample_app"


class WorkerKilled(BaseException):
    """The worker's process ended here (SIGKILL, out of memory, the machine restarted)."""


def run_worker() -> None:
    # Keep the test's transaction's connection open (see tests/jobs/test_jobs.run_worker).
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", "--batch", verbosity=0)


def silent_for(job: Job, minutes: int) -> None:
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=minutes))


def start_running(job: Job) -> None:
    """What a worker does as it takes the job's task: claim the task result, start the job."""
    DBTaskResult.objects.get(pk=job.task_result_id).claim("worker-that-dies")
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now()
    )


@pytest.fixture
def large(monkeypatch):
    """Files of 3 tasks or more go to a job, written 2 rows per batch."""
    monkeypatch.setattr(transfer, "SYNC_IMPORT_MAX_TASKS", 3)
    monkeypatch.setattr(transfer, "BATCH_ROWS", 2)
    monkeypatch.setattr(transfer, "SQLITE_PAUSE_SECONDS", 0)


def import_killed_half_way(org, monkeypatch) -> tuple[Job, PlanImport]:
    """A large import of ALPHA whose worker died after staging every row, before the switch."""
    transfer.plan_import(actor=org.mary, project=org.alpha, data=CSV_PLAN, filename="old.csv")
    run = transfer.plan_import_submit(
        actor=org.mary, project=org.alpha, data=LARGE_CSV, filename="big.csv"
    )
    job = Job.objects.get(pk=run.job_id)
    DBTaskResult.objects.get(pk=job.task_result_id).claim("worker-that-dies")

    def killed(**kwargs):
        raise WorkerKilled

    with monkeypatch.context() as dying:
        dying.setattr(transfer, "_switch", killed)
        dying.setattr(transfer, "_discard", lambda *args, **kwargs: None)
        with pytest.raises(WorkerKilled):
            job_task.call(job_id=job.pk, **job.params)
    job.refresh_from_db()
    run.refresh_from_db()
    return job, run


def names(project) -> list[str]:
    return list(Task.objects.filter(project=project).values_list("name", flat=True))


# --- the plan import, resumed -------------------------------------------------------------


def test_a_half_staged_import_whose_worker_died_is_queued_again_and_finishes_whole(
    org, large, monkeypatch
):
    from steerco.projects.selectors import project_history

    job, run = import_killed_half_way(org, monkeypatch)
    # Given: what a killed worker leaves behind.
    assert job.status == Job.Status.RUNNING
    assert run.state == PlanImport.State.STAGING and run.file.data
    assert Task.all_rows.filter(staged_import=run).count() == 4
    assert Task.history.filter(staged_import_id=run.pk).count() == 4
    dead_task = job.task_result_id
    assert DBTaskResult.objects.get(pk=dead_task).status == "RUNNING"
    assert names(org.alpha) == ["Design", "Build"]  # the old plan still
    silent_for(job, minutes=11)

    # When: the check runs.
    (recovered,) = jobs_recover_abandoned()

    # Then: the job waits for a worker again, as a new task; the dead one says what happened.
    assert recovered.pk == job.pk
    job.refresh_from_db()
    assert (job.status, job.restarts, job.progress) == (Job.Status.QUEUED, 1, 0)
    assert job.task_result_id != dead_task
    assert DBTaskResult.objects.get(pk=job.task_result_id).status == "READY"
    dead = DBTaskResult.objects.get(pk=dead_task).task_result
    assert dead.status == "FAILED"
    (error,) = dead.errors
    assert error.exception_class is services.WorkerStopped
    assert "queued again" in error.traceback

    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error_message
    run.refresh_from_db()
    assert run.state == PlanImport.State.SWITCHED
    assert names(org.alpha) == ["Design", "Build", "Test", "Ship"]
    # No row, and no history row, twice: the dead attempt's were removed first.
    assert Task.all_rows.filter(project=org.alpha).count() == 4
    assert TaskLink.all_rows.filter(project=org.alpha).count() == 3
    assert Task.history.filter(staged_import_id=run.pk, history_type="+").count() == 4
    entry = project_history(project_id=org.alpha.pk)[0]
    assert entry.reason == "Imported from big.csv"
    assert "4 tasks created" in entry.counts and "2 tasks deleted" in entry.counts


def test_an_import_whose_worker_died_after_the_switch_finishes_the_removal(org, large, monkeypatch):
    transfer.plan_import(actor=org.mary, project=org.alpha, data=CSV_PLAN, filename="old.csv")
    run = transfer.plan_import_submit(
        actor=org.mary, project=org.alpha, data=LARGE_CSV, filename="big.csv"
    )
    job = Job.objects.get(pk=run.job_id)
    DBTaskResult.objects.get(pk=job.task_result_id).claim("worker-that-dies")

    remove = transfer._remove_retired

    def killed(retired, changes):
        if retired.state == PlanImport.State.RETIRED:  # the replaced plan's rows
            raise WorkerKilled
        remove(retired, changes)

    with monkeypatch.context() as dying:
        dying.setattr(transfer, "_remove_retired", killed)
        dying.setattr(transfer, "_discard", lambda *args, **kwargs: None)
        with pytest.raises(WorkerKilled):
            job_task.call(job_id=job.pk, **job.params)
    assert PlanImport.objects.get(pk=run.pk).state == PlanImport.State.SWITCHED
    assert Task.all_rows.filter(project=org.alpha).count() == 6  # old rows not yet removed
    silent_for(job, minutes=11)

    run_worker()  # a worker starting looks for abandoned jobs first

    job.refresh_from_db()
    assert (job.status, job.restarts) == (Job.Status.SUCCEEDED, 1)
    assert names(org.alpha) == ["Design", "Build", "Test", "Ship"]
    assert Task.all_rows.filter(project=org.alpha).count() == 4
    assert Task.history.filter(project_id=org.alpha.pk, history_type="-").count() == 2


def test_an_import_whose_worker_dies_again_fails_and_leaves_the_plan_as_it_was(
    org, large, monkeypatch
):
    job, run = import_killed_half_way(org, monkeypatch)
    Job.objects.filter(pk=job.pk).update(restarts=1)  # it was queued again once already
    silent_for(job, minutes=30)

    jobs_recover_abandoned()

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.error_message == STOPPED
    run.refresh_from_db()
    assert run.state == PlanImport.State.FAILED
    assert not PlanImportFile.objects.filter(plan_import=run).exists()
    assert "worker stopped" in run.message
    assert not Task.all_rows.filter(staged_import=run).exists()
    assert not Task.history.filter(staged_import_id=run.pk).exists()
    assert names(org.alpha) == ["Design", "Build"]
    assert DBTaskResult.objects.get(pk=job.task_result_id).status == "FAILED"


# --- other kinds, and jobs that are alive ---------------------------------------------------


def test_a_job_of_a_kind_that_cannot_resume_is_marked_failed_with_a_message(org, settings):
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, SAMPLE_APP]
    job = job_start(actor=org.priya, kind="sample_echo", params={"text": "hi"})
    start_running(job)
    silent_for(job, minutes=11)

    (failed,) = jobs_recover_abandoned()

    assert failed.status == Job.Status.FAILED
    assert failed.error_message == STOPPED
    assert failed.finished_at is not None
    assert DBTaskResult.objects.get(pk=job.task_result_id).status == "FAILED"
    run_worker()  # nothing is left to run it
    assert Job.objects.get(pk=job.pk).status == Job.Status.FAILED


def test_a_job_with_recent_news_is_left_alone(org):
    running = job_start(actor=org.priya, kind="project_export")
    start_running(running)
    silent_for(running, minutes=9)
    queued = job_start(actor=org.priya, kind="project_export")
    Job.objects.filter(pk=queued.pk).update(created_at=timezone.now() - timedelta(hours=2))

    assert jobs_recover_abandoned() == []

    assert Job.objects.get(pk=running.pk).status == Job.Status.RUNNING
    assert Job.objects.get(pk=queued.pk).status == Job.Status.QUEUED
    assert DBTaskResult.objects.get(pk=running.task_result_id).status == "RUNNING"


def test_the_stale_limit_is_a_setting(org, settings):
    job = job_start(actor=org.priya, kind="project_export")
    start_running(job)
    silent_for(job, minutes=4)
    settings.STEERCO_JOB_STALE_MINUTES = 3

    assert [found.pk for found in jobs_recover_abandoned()] == [job.pk]


def test_a_job_running_since_before_heartbeats_counts_from_its_start(org):
    job = job_start(actor=org.priya, kind="project_export")
    start_running(job)
    Job.objects.filter(pk=job.pk).update(
        heartbeat_at=None, started_at=timezone.now() - timedelta(hours=1)
    )

    assert [found.pk for found in jobs_recover_abandoned()] == [job.pk]


def test_a_worker_starting_runs_an_export_its_predecessor_left_running(org):
    job = job_start(actor=org.priya, kind="project_export")
    start_running(job)
    silent_for(job, minutes=11)

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.restarts) == (Job.Status.SUCCEEDED, 1), job.error_message
    assert job.result_name.endswith(".xlsx")


def test_the_check_is_a_periodic_job_of_the_jobs_app(settings):
    (check,) = [job for job in periodic_jobs() if job.name == "job_recovery"]
    assert "10 minutes" in check.when()
    settings.STEERCO_JOB_STALE_MINUTES = 1
    with pytest.raises(ValueError, match="STEERCO_JOB_STALE_MINUTES"):
        check.when()


# --- the heartbeat, and an attempt that lost its job ------------------------------------------


def test_the_reporter_beats_even_when_the_bar_does_not_move(org, monkeypatch):
    job = job_start(actor=org.priya, kind="project_export")
    report = ProgressReporter(job)
    report(40, "Reading")
    silent_for(job, minutes=5)

    report(40, "Reading")  # no heartbeat due yet: nothing written
    assert Job.objects.get(pk=job.pk).heartbeat_at < timezone.now() - timedelta(minutes=4)
    monkeypatch.setattr(services, "HEARTBEAT_SECONDS", 0)
    report.step(1, 1000, start=40, end=41)

    assert Job.objects.get(pk=job.pk).heartbeat_at > timezone.now() - timedelta(minutes=1)


def test_job_run_records_a_heartbeat_as_it_starts(org):
    job = job_start(actor=org.priya, kind="project_export")
    seen = {}

    def work(job, report):
        seen["heartbeat_at"] = Job.objects.get(pk=job.pk).heartbeat_at
        return JobOutput("x.txt", "text/plain", b"x")

    job_run(job_id=job.pk, work=work)

    assert seen["heartbeat_at"] is not None


def test_an_attempt_taken_for_dead_stops_and_overwrites_nothing(org):
    """A worker that was only slow must not go on beside the new attempt, nor record an
    outcome over it."""
    job = job_start(actor=org.priya, kind="project_export")

    def slow(job, report):
        report(10, "Working")
        silent_for(job, minutes=11)
        jobs_recover_abandoned()  # meanwhile another worker's check gives the job up
        report(20, "Still working")
        return JobOutput("x.txt", "text/plain", b"x")

    with pytest.raises(JobTakenOver):
        job_run(job_id=job.pk, work=slow)

    job.refresh_from_db()
    assert (job.status, job.restarts, job.progress) == (Job.Status.QUEUED, 1, 0)
    assert job.error_message == ""


def test_an_attempt_that_finishes_after_losing_its_job_records_no_result(org):
    job = job_start(actor=org.priya, kind="project_export")

    def quiet(job, report):
        silent_for(job, minutes=11)
        jobs_recover_abandoned()
        return JobOutput("x.txt", "text/plain", b"x")

    with pytest.raises(JobTakenOver):
        job_run(job_id=job.pk, work=quiet)

    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and not job.result_name
