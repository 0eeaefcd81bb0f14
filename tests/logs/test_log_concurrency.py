"""Two people editing the same log item: the second save is refused and nothing is lost.

The service tests run in both the SQLite and the PostgreSQL suites. The threaded ones are
PostgreSQL-only: SQLite serialises every write behind one database lock, so only a real
server with row locks can show that two simultaneous saves, or simultaneous creations
drawing reference numbers, cannot both go through.
"""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse

from steerco.core.exceptions import VersionConflict
from steerco.logs import selectors, services
from steerco.logs.kinds import KINDS
from steerco.logs.models import Action, ChangeRequest, Issue, LogCounter, Risk

# Beyond a title, what each log needs before it saves an item.
REQUIRED = {
    "risks": {"probability": 3, "impact": 4},
    "dependencies": {"external_party": "Acme Ltd"},
    "decisions": {"decided_on": date(2026, 3, 2)},
}


def _item(org, kind: str, title: str = "Original title", project=None):
    return services.item_create(
        actor=org.priya,
        project=project or org.alpha,
        kind=kind,
        title=title,
        **REQUIRED.get(kind, {}),
    )


def _changes(item) -> int:
    """How many saves after the creation the audit trail recorded."""
    return item.history.filter(history_type="~").count()


# --- refused stale saves, in every log ------------------------------------------------


def test_a_stale_save_is_refused_naming_both_versions_and_the_first_save_stands(org):
    risk = _item(org, "risks")
    marys_copy = Risk.objects.get(pk=risk.pk)  # mary opens the risk at version 1

    services.item_update(
        actor=org.priya, item=risk, expected_version=1, title="Priya's title", probability=5
    )
    with pytest.raises(VersionConflict) as caught:
        services.item_update(
            actor=org.mary, item=marys_copy, expected_version=1, title="Mary's title", impact=1
        )

    conflict = caught.value
    assert conflict.sent_version == 1
    assert "version 1" in conflict.message and "version 2" in conflict.message
    # What the refused person needs to see what changed: the row as it is now.
    assert (conflict.current.version, conflict.current.title) == (2, "Priya's title")
    stored = Risk.objects.get(pk=risk.pk)
    assert (stored.title, stored.probability, stored.impact, stored.version) == (
        "Priya's title",
        5,
        4,
        2,
    )
    # Mary's object is put back as she read it, not left holding her refused values.
    assert (marys_copy.title, marys_copy.impact, marys_copy.version) == ("Original title", 4, 1)
    assert _changes(stored) == 1


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_log_refuses_a_stale_save(org, kind):
    """Each log is its own table, so each is checked rather than assumed."""
    item = _item(org, kind)
    model = type(item)
    stale = model.objects.get(pk=item.pk)
    services.item_update(actor=org.priya, item=item, expected_version=1, title="First")
    with pytest.raises(VersionConflict):
        services.item_update(actor=org.mary, item=stale, expected_version=1, title="Second")
    stored = model.objects.get(pk=item.pk)
    assert (stored.title, stored.version) == ("First", 2)
    assert _changes(stored) == 1


def test_a_save_naming_a_version_from_the_future_is_refused_too(org):
    action = _item(org, "actions")
    with pytest.raises(VersionConflict):
        services.item_update(actor=org.tom, item=action, expected_version=7, status="done")
    stored = Action.objects.get(pk=action.pk)
    assert (stored.status, stored.completed_on, stored.version) == ("open", None, 1)


def test_deleting_an_item_someone_has_since_changed_is_refused(org):
    issue = _item(org, "issues")
    high = Issue.Level.HIGH
    services.item_update(actor=org.tom, item=issue, expected_version=1, priority=high)
    with pytest.raises(VersionConflict):
        services.item_delete(actor=org.mary, item=issue, expected_version=1)
    assert Issue.objects.get(pk=issue.pk).priority == high


def test_raising_an_issue_from_a_risk_someone_changed_creates_nothing(org):
    risk = _item(org, "risks")
    stale_version = risk.version
    services.item_update(actor=org.priya, item=risk, expected_version=1, title="Reworded")
    with pytest.raises(VersionConflict):
        services.risk_raise_issue(
            actor=org.mary, risk=Risk.objects.get(pk=risk.pk), expected_version=stale_version
        )
    assert not Issue.objects.filter(project=org.alpha).exists()
    assert Risk.objects.get(pk=risk.pk).status == Risk.Status.OPEN
    # The refused attempt used no reference number: the next issue is still I-001.
    assert _item(org, "issues").ref == "I-001"


def test_moving_a_change_request_someone_else_moved_is_refused(org):
    change = _item(org, "changes")
    stale = ChangeRequest.objects.get(pk=change.pk)
    services.change_transition(actor=org.priya, change=change, to="submitted", expected_version=1)
    with pytest.raises(VersionConflict):
        services.change_transition(actor=org.mary, change=stale, to="submitted", expected_version=1)
    stored = ChangeRequest.objects.get(pk=change.pk)
    assert (stored.status, stored.version) == ("submitted", 2)


# --- the edit page, end to end ---------------------------------------------------------


def _form_data(response) -> dict[str, str]:
    """The edit form's fields as the page filled them in, ready to post back."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else str(value)
    return data


def test_the_second_person_saving_an_action_sees_what_changed_and_keeps_their_typing(
    org, client_for
):
    action = _item(org, "actions", title="Book the steering room")
    url = reverse(
        "logs:edit", kwargs={"project_id": org.alpha.pk, "kind": "actions", "item_id": action.pk}
    )
    priya, mary = client_for("priya"), client_for("mary")
    priyas_form = _form_data(priya.get(url))
    marys_form = _form_data(mary.get(url))
    assert priyas_form["version"] == marys_form["version"] == "1"

    response = priya.post(url, {**priyas_form, "title": "Book the board room"})
    assert response.status_code == 302
    response = mary.post(url, {**marys_form, "title": "Book the Thames room"})

    assert response.status_code == 409  # refused: a 4xx, not 200
    page = response.content.decode()
    assert "Your changes were not saved" in page
    assert "Priya Patel saved this" in page
    # The field that moved, its value now, and what mary typed, side by side.
    conflict = response.context["conflict"]
    assert conflict.other_fields == ["Title"]
    [row] = conflict.rows
    assert (row.label, row.current, row.yours, row.changed_by_other) == (
        "Title",
        "Book the board room",
        "Book the Thames room",
        True,
    )
    assert "Book the Thames room" in page and "Book the board room" in page
    # The form now holds the saved version, so her next save is judged against it.
    assert response.context["form"]["version"].value() == 2
    stored = Action.objects.get(pk=action.pk)
    assert (stored.title, stored.version) == ("Book the board room", 2)
    assert _changes(stored) == 1


# --- real concurrency on PostgreSQL ----------------------------------------------------


def _run_together(workers: list, timeout: float = 30) -> None:
    threads = [threading.Thread(target=worker) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a worker hung"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_people_saving_one_risk_at_the_same_moment_one_wins(org):
    """Both read version 1, wait for each other, then save: the row lock decides."""
    from django.contrib.auth import get_user_model

    risk = _item(org, "risks")
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(username: str, title: str):
        def work():
            try:
                user = get_user_model().objects.get(username=username)
                copy = Risk.objects.get(pk=risk.pk)
                start.wait(timeout=10)
                services.item_update(
                    actor=user, item=copy, expected_version=copy.version, title=title
                )
                outcomes[username] = "saved"
            except VersionConflict as conflict:
                outcomes[username] = f"conflict at version {conflict.current.version}"
            except Exception as error:  # reported by the assertion below, not swallowed
                outcomes[username] = f"error: {error!r}"
            finally:
                connection.close()

        return work

    _run_together([save("priya", "Title by Priya"), save("mary", "Title by Mary")])

    assert sorted(outcomes.values()) == ["conflict at version 2", "saved"], outcomes
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    stored = Risk.objects.get(pk=risk.pk)
    assert stored.version == 2
    assert stored.title == {"priya": "Title by Priya", "mary": "Title by Mary"}[winner]
    assert _changes(stored) == 1
    [change] = [entry for entry in selectors.item_history(stored) if entry.action == "changed"]
    assert [(c.old, c.new) for c in change.changes] == [("Original title", stored.title)]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("already_numbered", [False, True], ids=["first-risks", "more-risks"])
def test_risks_created_at_the_same_moment_get_distinct_consecutive_references(
    org, already_numbered
):
    """Six people add a risk to one project at once. Without an existing counter they also
    race to create it (the unique-constraint path); with one, they queue on its row lock."""
    from django.contrib.auth import get_user_model

    project = org.beta if already_numbered else org.alpha
    if already_numbered:
        _item(org, "risks", title="Existing", project=project)
    first = 2 if already_numbered else 1
    creators = ["priya", "mary", "bob", "admin", "priya", "mary"]
    start = threading.Barrier(len(creators))
    refs: list[str] = []
    errors: list[str] = []

    def create(index: int, username: str):
        def work():
            try:
                user = get_user_model().objects.get(username=username)
                start.wait(timeout=10)
                refs.append(
                    services.item_create(
                        actor=user,
                        project=project,
                        kind="risks",
                        title=f"Risk {index}",
                        probability=2,
                        impact=2,
                    ).ref
                )
            except Exception as error:  # an IntegrityError leaking out is the bug looked for
                errors.append(repr(error))
            finally:
                connection.close()

        return work

    _run_together([create(i, name) for i, name in enumerate(creators)])

    assert errors == []
    expected = [f"R-{n:03d}" for n in range(first, first + len(creators))]
    assert sorted(refs) == expected
    stored = sorted(Risk.objects.filter(project=project).values_list("number", flat=True))
    assert stored == list(range(1, first + len(creators)))
    counter = LogCounter.objects.get(project=project, kind="risks")
    assert counter.last_number == first + len(creators) - 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_change_saved_while_the_item_is_being_deleted_is_not_silently_lost(org, monkeypatch):
    """mary deletes an action she read at version 1 while priya saves a change to it.

    The delete checks the version and then removes the row; priya's save lands in between.
    Either the delete must wait for the save and be refused, or the save must wait for
    the delete and find nothing: never both "done", which loses priya's change unseen.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    action = _item(org, "actions")
    checked, saving = threading.Event(), threading.Event()
    outcomes: dict[str, str] = {}
    real_get_for_model = ContentType.objects.get_for_model

    def pausing_get_for_model(model, *args, **kwargs):
        # item_delete asks for the content type right after its version check: hold the
        # deleting thread there until priya's save has had time to go through.
        if threading.current_thread().name == "deleter" and not checked.is_set():
            checked.set()
            saving.wait(timeout=10)
            time.sleep(1)
        return real_get_for_model(model, *args, **kwargs)

    monkeypatch.setattr(ContentType.objects, "get_for_model", pausing_get_for_model)

    def delete():
        try:
            user = get_user_model().objects.get(username="mary")
            services.item_delete(
                actor=user, item=Action.objects.get(pk=action.pk), expected_version=1
            )
            outcomes["mary"] = "deleted"
        except VersionConflict:
            outcomes["mary"] = "conflict"
        except Exception as error:
            outcomes["mary"] = f"error: {error!r}"
        finally:
            connection.close()

    def save():
        try:
            user = get_user_model().objects.get(username="priya")
            copy = Action.objects.get(pk=action.pk)
            checked.wait(timeout=10)
            saving.set()
            services.item_update(actor=user, item=copy, expected_version=1, title="Reworded")
            outcomes["priya"] = "saved"
        except VersionConflict:
            outcomes["priya"] = "conflict"
        except Exception as error:
            outcomes["priya"] = f"error: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=delete, name="deleter"), threading.Thread(target=save)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) in (["conflict", "deleted"], ["conflict", "saved"]), outcomes
    stored = Action.objects.filter(pk=action.pk).first()
    if outcomes["priya"] == "saved":
        assert stored is not None and stored.title == "Reworded"
    else:
        assert stored is None
