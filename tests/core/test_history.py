"""core.history: one reader for every history, naming people and saying times in words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from steerco.core.history import (
    HistoryEntry,
    history_entries,
    latest_author,
    name_of,
    time_in_words,
)
from steerco.projects.models import Project
from steerco.projects.services import project_update

NOW = dt.datetime(2026, 3, 12, 15, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def utc(settings):
    settings.TIME_ZONE = "UTC"


@pytest.mark.parametrize(
    ("moment", "words"),
    [
        (NOW - dt.timedelta(seconds=20), "just now"),
        (NOW - dt.timedelta(minutes=1), "1 minute ago"),
        (NOW - dt.timedelta(minutes=42), "42 minutes ago"),
        (NOW - dt.timedelta(hours=3), "3 hours ago"),
        (dt.datetime(2026, 3, 11, 14, 5, tzinfo=dt.UTC), "yesterday at 14:05"),
        (dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC), "02 Mar 2026 at 09:30"),
        (dt.datetime(2025, 12, 24, 23, 59, tzinfo=dt.UTC), "24 Dec 2025 at 23:59"),
    ],
)
def test_times_are_said_in_words(moment, words):
    assert time_in_words(moment, now=NOW) == words


def test_an_entry_says_its_time_in_words():
    entry = HistoryEntry(when=timezone.now() - dt.timedelta(hours=2), who="Ann", action="changed")
    assert entry.when_words == "2 hours ago"


def test_people_are_named_by_their_person_record_not_their_login(org, django_user_model):
    assert name_of(org.users["priya"]) == "Priya Patel"
    loner = django_user_model.objects.create(username="loner", first_name="Lou", last_name="Ner")
    assert name_of(loner) == "Lou Ner"  # no person record: the full name
    bare = django_user_model.objects.create(username="bare")
    assert name_of(bare) == "bare"  # nothing else exists
    assert name_of(None) is None


def test_entries_name_the_person_and_list_field_diffs_in_words(org):
    alpha = Project.objects.get(pk=org.alpha.pk)
    project_update(actor=org.mary, project=alpha, expected_version=alpha.version, status="on_hold")
    project_update(
        actor=org.priya,
        project=alpha,
        expected_version=alpha.version,
        sponsor=org.people["bob"],
        planned_finish=dt.date(2027, 1, 29),
    )

    entries = history_entries(Project.history.filter(id=alpha.pk))

    newest, status_change, created = entries
    assert (newest.who, newest.login, newest.action) == ("Priya Patel", "priya", "changed")
    diffs = {c.field: (c.old, c.new) for c in newest.changes}
    assert diffs["sponsor"] == ("Erin Ellis", "Bob Baker")
    assert diffs["planned finish"] == ("18 Dec 2026", "29 Jan 2027")
    assert "version" not in diffs
    assert status_change.who == "Mary Moss"
    assert [(c.field, c.old, c.new) for c in status_change.changes] == [
        ("status", "Active", "On hold")
    ]
    assert created.action == "created" and created.changes == []


def test_a_save_that_changed_only_bookkeeping_is_left_out(org):
    alpha = Project.objects.get(pk=org.alpha.pk)
    before = len(history_entries(Project.history.filter(id=alpha.pk)))
    project_update(actor=org.mary, project=alpha, expected_version=alpha.version)  # no change
    assert len(history_entries(Project.history.filter(id=alpha.pk))) == before


def test_the_latest_author_is_named(org):
    alpha = Project.objects.get(pk=org.alpha.pk)
    project_update(actor=org.mary, project=alpha, expected_version=alpha.version, name="A")
    assert latest_author(alpha) == "Mary Moss"


def test_a_change_naming_a_login_shows_the_person_not_the_login(org):
    """Who moved a project to the trash is a user; history shows them as a person."""
    from steerco.core.history import display_value

    assert display_value(Project, "deleted_by", org.users["bob"].pk) == "Bob Baker"
