"""Background jobs: a project export started on the web, run by the worker, downloaded."""

from __future__ import annotations

import csv
import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from steerco.accounts.rules import visible_projects
from steerco.jobs.models import Job
from steerco.jobs.services import JobOutput, ProgressReporter, job_run, job_start
from steerco.projects.exports import ProjectRow, projects_csv, projects_xlsx


def run_worker() -> None:
    """Run `steerco worker --batch` in-process, inside the test's transaction.

    The worker drops database connections between jobs, as a long-running process
    should; here that would close the connection holding the test's transaction (on
    PostgreSQL), so that one call is switched off.
    """
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", "--batch", verbosity=0)


def start_export(client, file_format="xlsx") -> Job:
    response = client.post(reverse("jobs:project_export"), {"file_format": file_format})
    assert response.status_code == 302
    job = Job.objects.latest("pk")
    assert response.url == reverse("jobs:detail", kwargs={"job_id": job.pk})
    return job


def test_export_started_on_the_web_is_queued_for_its_owner(org, client_for):
    job = start_export(client_for("priya"))

    assert job.owner == org.priya
    assert job.status == Job.Status.QUEUED
    assert job.kind == "project_export"
    assert job.task_result_id


def test_worker_runs_export_and_workbook_holds_exactly_priyas_projects(org, client_for):
    client = client_for("priya")
    job = start_export(client)

    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error_message
    assert job.progress == 100
    assert job.finished_at is not None
    assert job.result_name.endswith(".xlsx")
    response = client.get(reverse("jobs:download", kwargs={"job_id": job.pk}))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Projects"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:2] == ("Code", "Name")
    visible = set(visible_projects(org.priya).values_list("code", flat=True))
    assert sorted(row[0] for row in rows) == sorted(visible) == ["ALPHA", "BETA"]
    alpha = next(row for row in rows if row[0] == "ALPHA")
    assert alpha[1] == "Alpha CRM replacement"
    assert alpha[header.index("Planned start")].date().isoformat() == "2026-01-05"


def test_csv_export_lists_what_a_pmo_sees(org, client_for):
    client = client_for("bob")
    job = start_export(client, "csv")

    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    response = client.get(reverse("jobs:download", kwargs={"job_id": job.pk}))
    text = response.content.decode("utf-8-sig")
    codes = [row[0] for row in csv.reader(io.StringIO(text))][1:]
    assert codes == ["ALPHA", "BETA", "GAMMA"]


def test_outsider_export_is_empty_not_an_error(org, client_for):
    client = client_for("olga")
    job = start_export(client)

    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    workbook = load_workbook(io.BytesIO(bytes(Job.objects.get(pk=job.pk).result_data)))
    assert workbook["Projects"].max_row == 1  # the header only


@pytest.mark.parametrize("name", ["jobs:detail", "jobs:download"])
def test_another_user_gets_not_found_for_priyas_job(org, client_for, name):
    job = start_export(client_for("priya"))
    run_worker()

    for username in ("tom", "bob", "admin"):
        response = client_for(username).get(reverse(name, kwargs={"job_id": job.pk}))
        assert response.status_code == 404


def test_job_list_shows_only_own_jobs(org, client_for):
    priya_job = start_export(client_for("priya"))
    tom_job = start_export(client_for("tom"))

    response = client_for("priya").get(reverse("jobs:list"))

    assert response.status_code == 200
    assert response.context["jobs"].__len__() == 1
    assert list(response.context["jobs"]) == [priya_job]
    assert reverse("jobs:detail", kwargs={"job_id": tom_job.pk}) not in response.content.decode()


def test_detail_polls_while_running_and_stops_when_finished(org, client_for):
    client = client_for("priya")
    job = start_export(client)
    url = reverse("jobs:detail", kwargs={"job_id": job.pk})

    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment
    assert "<html" not in fragment

    run_worker()

    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment
    assert "100%" in fragment
    assert reverse("jobs:download", kwargs={"job_id": job.pk}) in fragment


def test_download_before_the_job_finished_is_not_found(org, client_for):
    client = client_for("priya")
    job = start_export(client)

    response = client.get(reverse("jobs:download", kwargs={"job_id": job.pk}))

    assert response.status_code == 404


def test_export_needs_post_and_a_known_format(org, client_for):
    client = client_for("priya")

    assert client.get(reverse("jobs:project_export")).status_code == 405
    response = client.post(reverse("jobs:project_export"), {"file_format": "pdf"})
    assert response.status_code == 400
    assert "file_format" in response.context["export_form"].errors
    assert not Job.objects.exists()


def test_anonymous_visitor_is_sent_to_login(org, client):
    response = client.post(reverse("jobs:project_export"), {"file_format": "xlsx"})

    assert response.status_code == 302
    assert reverse("accounts:login") in response.url
    assert not Job.objects.exists()


def test_failing_work_marks_the_job_failed_with_a_readable_message(org):
    job = job_start(actor=org.priya, kind="project_export")

    def broken(job, report):
        report(40, "Half way")
        raise ZeroDivisionError("boom")

    with pytest.raises(ZeroDivisionError):
        job_run(job_id=job.pk, work=broken)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.progress == 40
    assert "unexpected error (ZeroDivisionError)" in job.error_message
    assert "boom" not in job.error_message  # internals stay in the worker's log


def test_job_marked_failed_when_its_task_failed_before_running(org, client_for):
    from django_tasks_db.models import DBTaskResult

    client = client_for("priya")
    job = start_export(client)
    DBTaskResult.objects.filter(pk=job.task_result_id).update(status="FAILED")

    page = client.get(reverse("jobs:detail", kwargs={"job_id": job.pk})).content.decode()

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "hx-trigger" not in page


def test_progress_reporter_never_goes_backwards_and_clamps_to_100(org):
    job = job_start(actor=org.priya, kind="project_export")
    report = ProgressReporter(job)

    report(60, "a")
    report(30, "b")
    report(250)

    job.refresh_from_db()
    assert (job.progress, job.progress_message) == (100, "b")


def test_progress_steps_write_once_per_percent(org, django_assert_max_num_queries):
    job = job_start(actor=org.priya, kind="project_export")
    report = ProgressReporter(job)

    with django_assert_max_num_queries(101):
        for done in range(1, 5001):
            report.step(done, 5000, start=0, end=100, message=f"row {done}")

    job.refresh_from_db()
    assert (job.progress, job.progress_message) == (100, "row 5000")


def test_unknown_kind_is_refused(org):
    from steerco.core.exceptions import DomainError

    with pytest.raises(DomainError):
        job_start(actor=org.priya, kind="launch_rockets")


def test_job_output_too_large_fails_cleanly(org, monkeypatch):
    from steerco.core.exceptions import DomainError

    monkeypatch.setattr("steerco.jobs.services.MAX_RESULT_BYTES", 10)
    job = job_start(actor=org.priya, kind="project_export")

    with pytest.raises(DomainError):
        job_run(job_id=job.pk, work=lambda job, report: JobOutput("x.txt", "text/plain", b"x" * 11))

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "too large" in job.error_message


ROW = ProjectRow(
    code="EVIL",
    name='=HYPERLINK("http://attacker.example","click")',
    status="Active",
    health="Red",
    portfolio="",
    manager="",
    sponsor="",
    planned_start=None,
    planned_finish=None,
    forecast_finish=None,
    days_late_baseline=None,
    days_late_planned=None,
    schedule_rag="",
    schedule_reason="",
    closed_on=None,
    description="pasted\x07text",
)


def test_xlsx_keeps_formula_like_names_as_text():
    workbook = load_workbook(io.BytesIO(projects_xlsx([ROW])))
    cell = workbook["Projects"]["B2"]

    assert cell.data_type == "s"
    assert cell.value == ROW.name
    assert workbook["Projects"]["P2"].value == "pastedtext"


def test_csv_neutralises_formula_like_cells():
    rows = list(csv.reader(io.StringIO(projects_csv([ROW]).decode("utf-8-sig"))))

    assert rows[1][1] == "'" + ROW.name


def test_builders_report_each_row():
    seen = []

    projects_xlsx([ROW, ROW], on_row=lambda done, total: seen.append((done, total)))

    assert seen == [(1, 2), (2, 2)]


def test_starting_a_job_clears_the_owners_month_old_finished_jobs(org):
    from datetime import timedelta

    from django.utils import timezone

    old = job_start(actor=org.priya, kind="project_export")
    recent = job_start(actor=org.priya, kind="project_export")
    someone_elses = job_start(actor=org.bob, kind="project_export")
    long_ago = timezone.now() - timedelta(days=31)
    Job.objects.filter(pk__in=[old.pk, someone_elses.pk]).update(
        status=Job.Status.SUCCEEDED, finished_at=long_ago
    )

    job_start(actor=org.priya, kind="project_export")

    remaining = set(Job.objects.values_list("pk", flat=True))
    assert old.pk not in remaining
    assert {recent.pk, someone_elses.pk} <= remaining


def test_the_worker_carries_on_after_database_errors(org, monkeypatch, caplog):
    from django.db import OperationalError
    from django_tasks_db.models import DBTaskResultQuerySet

    from steerco.jobs.management.commands import worker

    monkeypatch.setattr(worker, "RETRY_SECONDS", 0.01)
    job = job_start(actor=org.priya, kind="project_export")
    real_get_locked = DBTaskResultQuerySet.get_locked
    failures = []

    def flaky_get_locked(queryset):
        if len(failures) < 2:
            failures.append(1)
            raise OperationalError("disk I/O error")
        return real_get_locked(queryset)

    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", flaky_get_locked)

    with caplog.at_level("WARNING", logger="steerco.jobs.worker"):
        run_worker()

    assert Job.objects.get(pk=job.pk).status == Job.Status.SUCCEEDED
    warnings = [r.getMessage() for r in caplog.records if r.name == "steerco.jobs.worker"]
    assert len(warnings) == 2
    assert "disk I/O error" in warnings[0] and "tries again in 0.01 s" in warnings[0]
    assert "tries again in 0.02 s" in warnings[1]
