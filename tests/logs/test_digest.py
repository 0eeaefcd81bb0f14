"""The digest: e-mails of overdue and soon-due actions and reviews, the `steerco digest`
command, the daily schedule kept by the worker, and the digest page."""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta
from io import StringIO
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from steerco.jobs.periodic import PeriodicScheduler
from steerco.logs import services
from steerco.logs.digest.schedule import (
    digest_claim,
    digest_due,
    digest_tick,
    digest_time,
)
from steerco.logs.digest.sending import digests_send
from steerco.logs.models import DigestRun
from steerco.resources.models import Person

DAY = date(2026, 11, 25)  # a Wednesday


@pytest.fixture
def due(org):
    """Given tom and priya own items overdue, due soon, due later and already done, on DAY."""

    def item(kind, project, **fields):
        return services.item_create(actor=org.priya, project=project, kind=kind, **fields)

    def build(today: date):
        tom, priya = org.people["tom"], org.people["priya"]
        made = SimpleNamespace(
            tom_overdue=item(
                "actions",
                org.alpha,
                title="Send minutes",
                owner=tom,
                due_date=today - timedelta(days=3),
            ),
            tom_soon=item(
                "actions",
                org.alpha,
                title="Book the test lab",
                owner=tom,
                due_date=today + timedelta(days=2),
            ),
            tom_later=item(
                "actions",
                org.alpha,
                title="Plan the party",
                owner=tom,
                due_date=today + timedelta(days=20),
            ),
            tom_done=item(
                "actions",
                org.alpha,
                title="Already finished",
                owner=tom,
                due_date=today - timedelta(days=10),
                status="done",
            ),
            priya_risk=item(
                "risks",
                org.beta,
                title="Supplier goes bust",
                owner=priya,
                probability=3,
                impact=4,
                review_date=today - timedelta(days=1),
            ),
            priya_assumption=item(
                "assumptions",
                org.alpha,
                title="Licences arrive in time",
                owner=priya,
                validation_due=today + timedelta(days=5),
            ),
        )
        return made

    return build


def _by_recipient(outbox):
    return {message.to[0]: message for message in outbox}


# ---------------------------------------------------------------- e-mails


def test_each_owner_gets_one_email_with_overdue_and_soon_due_items(org, due, mailoutbox, settings):
    settings.STEERCO_BASE_URL = "https://steerco.example.org"
    items = due(DAY)

    outcome = digests_send(today=DAY, horizon_days=7)

    mails = _by_recipient(mailoutbox)
    assert set(mails) == {"tom@example.org", "priya@example.org"}
    assert [person.name for person, _d, _m in outcome.sent] == ["Priya Patel", "Tom Turner"]
    tom = mails["tom@example.org"].body
    overdue_part, soon_part = tom.split("Actions due in the next 7 days")
    assert "Overdue actions" in overdue_part
    assert "ALPHA ACT-001 Send minutes" in overdue_part
    assert "3 days overdue" in overdue_part
    assert "ALPHA ACT-002 Book the test lab" in soon_part
    assert "in 2 days" in soon_part
    assert "Plan the party" not in tom  # beyond the horizon
    assert "Already finished" not in tom  # done
    assert "Supplier goes bust" not in tom  # someone else's
    url = reverse(
        "logs:item",
        kwargs={"project_id": org.alpha.pk, "kind": "actions", "item_id": items.tom_overdue.pk},
    )
    assert f"https://steerco.example.org{url}" in tom
    assert mails["tom@example.org"].subject.endswith("1 overdue, 1 due soon")


def test_reviews_split_into_overdue_and_due(org, due, mailoutbox):
    due(DAY)
    digests_send(today=DAY, horizon_days=7)
    priya = _by_recipient(mailoutbox)["priya@example.org"].body
    overdue_part, soon_part = priya.split("Reviews due in the next 7 days")
    assert "Overdue reviews" in overdue_part
    assert "BETA R-001 Supplier goes bust" in overdue_part
    assert "risk review due 24 Nov 2026 — 1 day overdue" in overdue_part
    assert "ALPHA AS-001 Licences arrive in time" in soon_part
    assert "assumption validation due 30 Nov 2026" in soon_part
    assert "Overdue actions" not in priya  # empty sections are left out of e-mails


def test_html_alternative_links_every_item(org, due, mailoutbox):
    items = due(DAY)
    digests_send(today=DAY, horizon_days=7)
    html, content_type = _by_recipient(mailoutbox)["tom@example.org"].alternatives[0]
    assert content_type == "text/html"
    for action in (items.tom_overdue, items.tom_soon):
        url = reverse(
            "logs:item",
            kwargs={"project_id": org.alpha.pk, "kind": "actions", "item_id": action.pk},
        )
        assert f'href="http://127.0.0.1:8000{url}"' in html
    assert "<h2" in html and "Overdue actions" in html


def test_a_longer_horizon_brings_later_items_in(org, due, mailoutbox):
    due(DAY)
    digests_send(today=DAY, horizon_days=30)
    assert "Plan the party" in _by_recipient(mailoutbox)["tom@example.org"].body


def test_people_with_nothing_due_get_no_email(org, due, mailoutbox):
    due(DAY)
    # mary owns an action, but only one due long after the horizon
    services.item_create(
        actor=org.priya,
        project=org.alpha,
        kind="actions",
        title="Far away",
        owner=org.people["mary"],
        due_date=DAY + timedelta(days=60),
    )
    outcome = digests_send(today=DAY, horizon_days=7)
    assert "mary@example.org" not in _by_recipient(mailoutbox)
    assert org.people["mary"] in outcome.nothing_due


def test_nothing_is_sent_when_nothing_is_due(org, mailoutbox):
    outcome = digests_send(today=DAY, horizon_days=7)
    assert mailoutbox == []
    assert outcome.sent == []


# ---------------------------------------------------------------- the command


def _command(*args) -> str:
    out = StringIO()
    call_command("digest", *args, stdout=out)
    return out.getvalue()


def test_command_sends_and_prints_who_got_what(org, due, mailoutbox):
    due(DAY)
    output = _command("--date", "2026-11-25")
    assert len(mailoutbox) == 2
    assert "sent to Tom Turner <tom@example.org>: 1 overdue, 1 due soon" in output
    assert "sent to Priya Patel <priya@example.org>: 1 overdue, 1 due soon" in output
    assert "2 sent, 0 skipped" in output


def test_command_reports_people_without_an_address_as_skipped(org, due, mailoutbox):
    due(DAY)
    carl = Person.objects.create(name="Carl Contractor", email="")
    services.item_create(
        actor=org.priya,
        project=org.alpha,
        kind="actions",
        title="Return the badge",
        owner=carl,
        due_date=DAY - timedelta(days=1),
    )
    output = _command("--date", "2026-11-25")
    assert "skipped Carl Contractor: no e-mail address (1 overdue, 0 due soon)" in output
    assert "2 sent, 1 skipped" in output
    assert {m.to[0] for m in mailoutbox} == {"tom@example.org", "priya@example.org"}


def test_dry_run_prints_the_emails_and_sends_nothing(org, due, mailoutbox):
    due(DAY)
    output = _command("--date", "2026-11-25", "--dry-run")
    assert mailoutbox == []
    assert "----- To: Tom Turner <tom@example.org>" in output
    assert "ALPHA ACT-001 Send minutes" in output
    assert "would send to Tom Turner" in output
    assert "dry run: nothing was sent" in output


def test_person_option_sends_only_to_that_person(org, due, mailoutbox):
    due(DAY)
    output = _command("--date", "2026-11-25", "--person", "TOM@example.org", "--horizon", "30")
    assert [m.to for m in mailoutbox] == [["tom@example.org"]]
    assert "Plan the party" in mailoutbox[0].body
    assert "1 sent" in output


def test_person_with_nothing_due_is_told_so(org, due, mailoutbox):
    due(DAY)
    output = _command("--date", "2026-11-25", "--person", "Olga Olsen")
    assert mailoutbox == []
    assert "Olga Olsen has nothing due" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--date", "25/11/2026"), "not a date; write it as YYYY-MM-DD"),
        (("--date", "2026-02-30"), "not a date"),
        (("--horizon", "0"), "from 1 to 30"),
        (("--horizon", "week"), "from 1 to 30"),
        (("--person", "Nobody Here"), "Nobody active is called"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(org, mailoutbox, args, message):
    with pytest.raises(CommandError, match=message):
        _command(*args)
    assert mailoutbox == []


def test_ambiguous_person_names_the_candidates(org):
    Person.objects.create(name="Tom Turner", email="tom.t@example.org")
    with pytest.raises(CommandError, match="matches several people"):
        _command("--person", "Tom Turner")


def test_a_refused_message_is_reported_and_fails_the_command(org, due, mailoutbox):
    due(DAY)

    def refuse_tom(self, fail_silently=False):
        if self.to == ["tom@example.org"]:
            raise OSError("mail server said no")
        return original(self, fail_silently=fail_silently)

    from django.core.mail import EmailMessage

    original = EmailMessage.send
    out = StringIO()
    with (
        mock.patch.object(EmailMessage, "send", refuse_tom),
        pytest.raises(CommandError, match="1 digest"),
    ):
        call_command("digest", "--date", "2026-11-25", stdout=out)
    assert "failed for Tom Turner <tom@example.org>: mail server said no" in out.getvalue()
    assert [m.to for m in mailoutbox] == [["priya@example.org"]]


def test_help_text_reads_well(capsys):
    from steerco.logs.management.commands.digest import Command

    Command().create_parser("steerco", "digest").print_help()
    text = capsys.readouterr().out
    for phrase in (
        "--date YYYY-MM-DD",
        "--horizon DAYS",
        "--person NAME_OR_EMAIL",
        "--dry-run",
        "steerco digest --dry-run",
        "STEERCO_DIGEST_TIME",
    ):
        assert phrase in text


# ---------------------------------------------------------------- the schedule


def _local(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.mark.parametrize(
    ("now", "send_at", "last_sent", "expected"),
    [
        (datetime(2026, 11, 25, 6, 59), time(7, 0), None, None),  # not yet
        (datetime(2026, 11, 25, 7, 0), time(7, 0), None, DAY),  # on the minute
        (datetime(2026, 11, 25, 7, 1), time(7, 0), DAY - timedelta(days=1), DAY),
        (datetime(2026, 11, 25, 7, 30), time(7, 0), DAY, None),  # already sent today
        (datetime(2026, 11, 25, 15, 0), time(7, 0), DAY - timedelta(days=4), DAY),  # catch up
        (datetime(2026, 11, 25, 6, 0), time(7, 0), DAY - timedelta(days=4), None),  # wait
        (datetime(2026, 11, 25, 23, 59), None, None, None),  # off
    ],
)
def test_digest_is_due_once_a_day_from_the_set_time(now, send_at, last_sent, expected):
    assert digest_due(now=now, send_at=send_at, last_sent=last_sent) == expected


def test_digest_time_reads_the_setting(settings):
    assert digest_time("07:30") == time(7, 30)
    assert digest_time("off") is None
    assert digest_time("OFF ") is None
    assert digest_time("") is None
    settings.STEERCO_DIGEST_TIME = "18:05"
    assert digest_time() == time(18, 5)
    for bad in ("7am", "25:00", "07:00:00"):
        with pytest.raises(ValueError, match="STEERCO_DIGEST_TIME"):
            digest_time(bad)


def _queued_digests():
    return DBTaskResult.objects.filter(task_path="steerco.logs.tasks.send_digests")


def test_the_day_is_claimed_once_however_often_workers_look(org, settings):
    settings.STEERCO_DIGEST_TIME = "07:00"
    assert digest_tick(now=_local(6, 30)) is None
    first = digest_tick(now=_local(7, 1))
    again = digest_tick(now=_local(7, 2))
    assert first is not None and first.date == DAY
    assert again is None
    assert DigestRun.objects.count() == 1
    assert _queued_digests().count() == 1
    tomorrow = digest_tick(now=_local(7, 0, day=DAY + timedelta(days=1)))
    assert tomorrow.date == DAY + timedelta(days=1)


def test_a_second_claim_of_the_same_day_loses_and_queues_nothing(org):
    assert digest_claim(DAY) is not None
    # As a worker that read "not sent yet" just before another inserted the row would.
    assert digest_claim(DAY) is None
    assert DigestRun.objects.filter(date=DAY).count() == 1
    assert _queued_digests().count() == 1


def test_no_digest_is_claimed_when_the_schedule_is_off(org, settings):
    settings.STEERCO_DIGEST_TIME = "off"
    assert digest_tick(now=_local(12)) is None
    assert not DigestRun.objects.exists()


def _run_worker_batch():
    # Keep the test's transaction's connection open, as tests/jobs/test_jobs.py does.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", "--batch", verbosity=0)


def test_the_queued_digest_is_sent_by_a_worker_and_recorded(org, due, mailoutbox, settings):
    settings.STEERCO_DIGEST_TIME = "07:00"
    due(DAY)
    run = digest_tick(now=_local(9, 15))  # the worker was down at 07:00: catch up once
    assert mailoutbox == []
    _run_worker_batch()
    assert {m.to[0] for m in mailoutbox} == {"tom@example.org", "priya@example.org"}
    run.refresh_from_db()
    assert run.sent == 2 and run.finished_at is not None
    result = _queued_digests().get()
    assert result.status == "SUCCESSFUL"
    assert sorted(result.return_value["sent"]) == ["priya@example.org", "tom@example.org"]


def test_scheduler_thread_keeps_looking_after_an_error_and_stops_when_asked():
    calls = []
    looked_twice = threading.Event()

    def tick():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        looked_twice.set()

    scheduler = PeriodicScheduler(interval=0.01, tick=tick)
    scheduler.start()
    assert looked_twice.wait(5)
    scheduler.stop()
    assert not scheduler.is_alive()


def _names(calls) -> list[str]:
    """The periodic jobs whose schedulers the calls (``autospec``: ``self`` first) were on."""
    return [call.args[0].job_name for call in calls.call_args_list]


@pytest.mark.django_db
def test_long_running_worker_keeps_the_schedule_and_batch_runs_do_not(settings):
    # Other apps keep periodic jobs of their own; only the digest's scheduler is counted.
    settings.STEERCO_DIGEST_TIME = "07:00"
    target = "steerco.jobs.management.commands.worker"
    with (
        mock.patch(f"{target}.call_command") as db_worker,
        mock.patch.object(PeriodicScheduler, "start", autospec=True) as start,
        mock.patch.object(PeriodicScheduler, "stop", autospec=True) as stop,
    ):
        call_command("worker", verbosity=0)
        assert _names(start).count("digest") == 1 and _names(stop).count("digest") == 1
        call_command("worker", "--batch", verbosity=0)
        assert _names(start).count("digest") == 1
        settings.STEERCO_DIGEST_TIME = "off"
        call_command("worker", verbosity=0)
        assert _names(start).count("digest") == 1
        assert db_worker.call_count == 3


@pytest.mark.django_db
def test_worker_says_when_the_digest_goes_out(settings):
    settings.STEERCO_DIGEST_TIME = "06:45"
    out = StringIO()
    target = "steerco.jobs.management.commands.worker"
    with (
        mock.patch(f"{target}.call_command"),
        mock.patch(f"{target}.PeriodicScheduler.start"),
        mock.patch(f"{target}.PeriodicScheduler.stop"),
    ):
        call_command("worker", stdout=out)
    assert f"The daily digest goes out at 06:45 ({settings.TIME_ZONE})." in out.getvalue()


@pytest.mark.django_db
def test_worker_warns_about_a_bad_digest_time_and_still_runs(settings):
    settings.STEERCO_DIGEST_TIME = "seven"
    err = StringIO()
    target = "steerco.jobs.management.commands.worker"
    with (
        mock.patch(f"{target}.call_command") as db_worker,
        mock.patch.object(PeriodicScheduler, "start", autospec=True) as start,
        mock.patch.object(PeriodicScheduler, "stop", autospec=True),
    ):
        call_command("worker", verbosity=0, stderr=err)
    assert "STEERCO_DIGEST_TIME must be a time of day" in err.getvalue()
    assert "digest" not in _names(start) and db_worker.call_count == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_the_same_moment_send_one_digest(org):
    """Real concurrent inserts on PostgreSQL: the unique date lets exactly one through."""
    start = threading.Barrier(2)
    outcomes: list[bool] = []

    def claim() -> None:
        try:
            start.wait(timeout=10)
            outcomes.append(digest_claim(DAY) is not None)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == [False, True]
    assert _queued_digests().count() == 1


# ---------------------------------------------------------------- the page


@pytest.fixture
def today_items(due):
    return lambda: due(timezone.localdate())


def _page(client, **params):
    return client.get(reverse("orglogs:digest"), params)


def test_tom_sees_his_own_digest_with_links(org, client_for, today_items):
    items = today_items()
    response = _page(client_for("tom"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "My digest" in page
    for action in (items.tom_overdue, items.tom_soon):
        url = reverse(
            "logs:item",
            kwargs={"project_id": org.alpha.pk, "kind": "actions", "item_id": action.pk},
        )
        assert f'href="{url}"' in page
    assert "Plan the party" not in page
    assert "Supplier goes bust" not in page
    assert "3 days" in page


def test_the_horizon_is_chosen_on_the_page(org, client_for, today_items):
    today_items()
    page = _page(client_for("tom"), horizon=30).content.decode()
    assert "Plan the party" in page
    assert "Actions due in the next 30 days" in page


def test_a_horizon_out_of_range_is_an_inline_error_not_a_failure(org, client_for, today_items):
    today_items()
    response = _page(client_for("tom"), horizon=45)
    assert response.status_code == 200
    page = response.content.decode()
    assert "field--error" in page
    assert "Send minutes" in page  # the default horizon still shows the digest


def test_priya_sees_her_reviews(org, client_for, today_items):
    today_items()
    page = _page(client_for("priya")).content.decode()
    assert "Supplier goes bust" in page and "Licences arrive in time" in page
    assert "Send minutes" not in page


@pytest.mark.parametrize("username", ["bob", "admin"])
def test_pmo_and_admin_may_view_another_persons_digest(org, client_for, today_items, username):
    today_items()
    response = _page(client_for(username), person=org.people["tom"].pk)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Digest for Tom Turner" in page
    assert "Send minutes" in page


def test_pmo_picks_the_person_from_a_labelled_list_others_get_none(org, client_for):
    pmo_page = _page(client_for("bob")).content.decode()
    assert '<label for="id_person">Person' in pmo_page
    assert f'<option value="{org.people["tom"].pk}">Tom Turner</option>' in pmo_page
    assert 'id="id_person"' not in _page(client_for("priya")).content.decode()


def test_pmo_sees_when_someone_else_has_nothing_due(org, client_for):
    page = _page(client_for("bob"), person=org.people["erin"].pk).content.decode()
    assert "Nothing is overdue or due soon for Erin Ellis." in page
    assert "assumptions Erin Ellis owns" in page


def test_pmo_asking_for_an_unknown_person_gets_404(org, client_for):
    assert _page(client_for("bob"), person=999999).status_code == 404
    assert _page(client_for("bob"), person="abc").status_code == 404


@pytest.mark.parametrize("username", ["priya", "tom", "erin", "rita", "olga"])
def test_others_may_not_view_someone_elses_digest(org, client_for, today_items, username):
    today_items()
    other = "mary" if username != "mary" else "tom"
    response = _page(client_for(username), person=org.people[other].pk)
    assert response.status_code == 403


def test_asking_for_ones_own_digest_by_id_is_fine(org, client_for, today_items):
    today_items()
    response = _page(client_for("tom"), person=org.people["tom"].pk)
    assert response.status_code == 200


def test_olga_with_nothing_due_sees_an_empty_state(org, client_for, today_items):
    today_items()
    response = _page(client_for("olga"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing is overdue or due soon for you." in page
    assert "<table" not in page


def test_a_login_without_a_person_sees_a_friendly_empty_state(org, client_for, django_user_model):
    loner = django_user_model.objects.create_user("loner", password="x-very-long-1")
    client = client_for("olga")
    client.force_login(loner)
    response = _page(client)
    assert response.status_code == 200
    assert "not linked to a person" in response.content.decode()


def test_the_page_needs_a_login(client):
    response = client.get(reverse("orglogs:digest"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
