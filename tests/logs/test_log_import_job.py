"""Large log imports run as a background job: the whole file or nothing, with progress on
the import page and then the same per-row report as a small import (issue 8: the
1,000-row cap goes)."""

from __future__ import annotations

import csv
import io
import threading
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from steerco.jobs.models import Job
from steerco.jobs.services import ProgressReporter
from steerco.logs.models import Risk
from steerco.logs.views.transfer import SYNC_ROWS

ROWS = 2_500  # more than the 1,000 rows a log import used to be capped at


def _risks_csv(rows: int, *, bad_row: int | None = None) -> bytes:
    """``rows`` risks; the data row at ``bad_row`` (0-based) has a probability no scale has."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Title", "Probability", "Impact"])
    for index in range(rows):
        writer.writerow([f"Risk {index + 1}", "lots" if index == bad_row else 1 + index % 5, 3])
    return buffer.getvalue().encode("utf-8")


def _import_url(org, kind="risks") -> str:
    return reverse("logs:import", args=[org.alpha.pk, kind])


def _start(client, org, content: bytes) -> Job:
    response = client.post(_import_url(org), {"file": SimpleUploadedFile("risks.csv", content)})
    assert response.status_code == 302, response.context and response.context["form"].errors
    job = Job.objects.latest("pk")
    assert response.url == f"{_import_url(org)}?job={job.pk}"
    return job


def _run_worker() -> list[int]:
    """Run the queued jobs in-process, inside the test's transaction; returns every
    progress percentage the job wrote, in order."""
    written: list[int] = []
    record = ProgressReporter.__call__

    def recording(reporter, percent, message=None):
        record(reporter, percent, message)
        written.append(reporter.job.progress)

    with (
        mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"),
        mock.patch.object(ProgressReporter, "__call__", recording),
    ):
        call_command("worker", "--batch", verbosity=0)
    return written


def test_a_file_over_the_old_cap_imports_whole_through_a_job_with_progress(org, client_for):
    client = client_for("priya")
    job = _start(client, org, _risks_csv(ROWS))
    assert (job.kind, job.status, job.owner) == ("log_import", Job.Status.QUEUED, org.priya)
    assert not Risk.objects.exists()
    page = client.get(f"{_import_url(org)}?job={job.pk}")
    assert page.status_code == 200
    fragment = client.get(f"{_import_url(org)}?job={job.pk}", headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert f'hx-get="{_import_url(org)}?job={job.pk}"' in html
    assert 'hx-trigger="every 1s"' in html and "<html" not in html

    progress = _run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error_message
    assert Risk.objects.filter(project=org.alpha).count() == ROWS
    assert progress == sorted(progress) and len(set(progress)) > 50, progress
    fragment = client.get(f"{_import_url(org)}?job={job.pk}", headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "hx-trigger" not in html
    assert "The file was imported." in html and f"{ROWS} items created" in html


def test_one_bad_row_in_a_large_file_imports_nothing_and_reports_that_row(org, client_for):
    client = client_for("priya")
    job = _start(client, org, _risks_csv(1_800, bad_row=1_698))

    _run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error_message
    assert not Risk.objects.exists()
    page = client.get(f"{_import_url(org)}?job={job.pk}")
    rejected = page.context["rejected"]
    assert [row["number"] for row in rejected["report"]] == [1_700]  # the heading is row 1
    assert rejected["report"][0]["title"] == "Risk 1699"
    assert rejected["report"][0]["problems"][0]["column"] == "Probability"
    html = page.content.decode()
    assert "Nothing was imported." in html and "1 row has a problem" in html


def test_a_file_up_to_the_page_limit_is_still_imported_while_the_page_waits(org, client_for):
    response = client_for("priya").post(
        _import_url(org), {"file": SimpleUploadedFile("r.csv", _risks_csv(SYNC_ROWS))}
    )
    assert response.status_code == 200
    assert Risk.objects.count() == SYNC_ROWS
    assert not Job.objects.exists()


def test_a_large_file_that_cannot_be_read_is_refused_at_once(org, client_for):
    content = _risks_csv(ROWS).replace(b"Probability", b"Likelihood", 1)
    response = client_for("priya").post(
        _import_url(org), {"file": SimpleUploadedFile("r.csv", content)}
    )
    assert response.status_code == 422
    assert "Unknown columns: 'Likelihood'" in " ".join(response.context["form"].errors["file"])
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("who", "kind"), [("mary", "risks"), ("priya", "issues")], ids=["other user", "other log"]
)
def test_an_import_job_shows_only_on_its_owners_page_of_its_log(org, client_for, who, kind):
    job = _start(client_for("priya"), org, _risks_csv(SYNC_ROWS + 1))
    response = client_for(who).get(f"{_import_url(org, kind)}?job={job.pk}")
    assert response.status_code == 404


def test_the_help_text_states_what_the_reader_accepts(org, client_for):
    form = client_for("priya").get(_import_url(org)).context["form"]
    help_text = form.fields["file"].help_text
    for words in ("UTF-8, UTF-16 or Windows-1252", "commas, semicolons or tabs", "10 MB"):
        assert words in help_text
    assert "100,000 rows" in help_text


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_page_sees_progress_while_the_rows_are_still_being_saved(org):
    """The rows are written a batch per transaction, hidden until the import switches
    them in, so another connection (the page's) sees the progress move while none of the
    rows shows yet."""
    from steerco.logs.kinds import kind_for
    from steerco.logs.tasks import log_import_start
    from steerco.logs.transfer import imports

    job = log_import_start(
        actor=org.priya,
        project=org.alpha,
        kind=kind_for("risks"),
        file_name="risks.csv",
        data=_risks_csv(SYNC_ROWS + 100),
    )
    seen: list[tuple[int, bool]] = []
    import_rows = imports.log_import

    def as_the_page_sees_it() -> None:
        try:
            seen.append(
                (
                    Job.objects.get(pk=job.pk).progress,
                    Risk.objects.filter(project=org.alpha).exists(),
                )
            )
        finally:
            connection.close()

    def importing(**kwargs):
        on_row = kwargs.pop("on_row")

        def watched(done: int, total: int) -> None:
            on_row(done, total)
            if done == total // 2:
                reader = threading.Thread(target=as_the_page_sees_it)
                reader.start()
                reader.join(timeout=30)

        return import_rows(**kwargs, on_row=watched)

    with mock.patch.object(imports, "log_import", importing):
        call_command("worker", "--batch", verbosity=0)

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error_message
    [(progress, risks_visible)] = seen
    assert 40 <= progress <= 60 and not risks_visible
    assert Risk.objects.filter(project=org.alpha).count() == SYNC_ROWS + 100
