"""A log import writes its rows hidden, a batch at a time, and shows them all in one short
switch (issue 14, item 1): others never see half an import, a refused row leaves nothing
behind, an item saved by someone else meanwhile is not overwritten, and the history names
the importer and the file."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from steerco.logs import selectors, services
from steerco.logs.kinds import kind_for
from steerco.logs.models import Issue, LogImport, Risk
from steerco.logs.transfer import imports, staging
from steerco.logs.transfer.sheets import SheetRow
from steerco.projects.selectors import project_history

ROWS = 3 * staging.BATCH_ROWS + 7  # several batches, the last one short


def _risk(org, title: str, **fields) -> Risk:
    values = {"probability": 2, "impact": 3, **fields}
    return services.item_create(
        actor=org.priya, project=org.alpha, kind="risks", title=title, **values
    )


def _new_rows(count: int, *, first_number: int = 2, bad: int | None = None) -> list[SheetRow]:
    """``count`` new risks; the one at index ``bad`` has a probability no scale has."""
    return [
        SheetRow(
            number=first_number + index,
            values={
                "title": f"Imported {index}",
                "probability": 9 if index == bad else 1 + index % 5,
                "impact": 2,
            },
        )
        for index in range(count)
    ]


def _update_row(number: int, risk: Risk, **values) -> SheetRow:
    return SheetRow(number=number, values={"ref": risk.ref, "version": risk.version, **values})


def _import(org, rows, **kwargs):
    return imports.log_import(
        actor=org.priya, project=org.alpha, kind="risks", rows=rows, filename="risks.csv", **kwargs
    )


def _history_rows() -> int:
    return Risk.history.count()


def test_rows_being_imported_are_invisible_to_every_read_of_the_log(org, client_for):
    kept = _risk(org, "Supplier late")
    changed = _risk(org, "Key tester leaves")
    rows = [_update_row(2, changed, title="Key tester has left"), *_new_rows(ROWS, first_number=3)]
    client = client_for("mary")
    seen: list[dict] = []

    def look(done: int, total: int) -> None:
        if done != 2 * staging.BATCH_ROWS:
            return
        # Two batches are written (the update's hidden copy among them): what others see.
        assert Risk.all_rows.filter(project=org.alpha).count() > 2
        listed = selectors.item_list(user=org.mary, project=org.alpha, kind=kind_for("risks"))
        page = client.get(reverse("logs:list", args=[org.alpha.pk, "risks"]))
        api = client.get(f"/api/v1/projects/{org.alpha.pk}/risks")
        seen.append(
            {
                "listed": sorted(item.title for item in listed),
                "page": page.status_code,
                "page_has_import": "Imported 1" in page.content.decode(),
                "api": sorted(item["title"] for item in api.json()["items"]),
                "count": Risk.objects.filter(project=org.alpha).count(),
                "open": selectors.open_counts(user=org.mary, project=org.alpha)["risks"],
                "heat_map": sum(
                    cell.count
                    for row in selectors.risk_heat_map(user=org.mary, project=org.alpha).rows
                    for cell in row
                ),
                "by_ref": client.get(
                    f"/api/v1/projects/{org.alpha.pk}/risks/{Risk.all_rows.latest('pk').pk}"
                ).status_code,
                "history": len(selectors.item_history(changed)),
            }
        )

    result = _import(org, rows, on_row=look)

    [during] = seen
    assert during["listed"] == during["api"] == ["Key tester leaves", "Supplier late"]
    assert (during["page"], during["page_has_import"]) == (200, False)
    assert (during["count"], during["open"], during["heat_map"]) == (2, 2, 2)
    assert during["by_ref"] == 404
    assert during["history"] == 1  # created only
    # After the switch, everyone sees the whole file at once.
    assert (len(result.created), len(result.updated), len(result.unchanged)) == (ROWS, 1, 0)
    assert Risk.objects.filter(project=org.alpha).count() == ROWS + 2
    assert Risk.all_rows.filter(project=org.alpha).count() == ROWS + 2
    changed.refresh_from_db()
    kept.refresh_from_db()
    assert (changed.title, changed.version) == ("Key tester has left", 2)
    assert (kept.title, kept.version) == ("Supplier late", 1)
    assert LogImport.objects.get().state == LogImport.State.SWITCHED


def test_a_refused_row_leaves_no_rows_no_history_and_no_change(org):
    risk = _risk(org, "Supplier late")
    history_before = _history_rows()
    # The bad row comes after two batches have been written and committed.
    rows = [
        _update_row(2, risk, title="Supplier very late", impact=5),
        *_new_rows(ROWS, first_number=3, bad=2 * staging.BATCH_ROWS + 3),
    ]

    with pytest.raises(imports.ImportRejected) as caught:
        _import(org, rows)

    [row] = caught.value.report
    assert row.number == 3 + 2 * staging.BATCH_ROWS + 3
    assert row.problems[0].column == "Probability"
    assert Risk.all_rows.count() == 1
    assert _history_rows() == history_before
    risk.refresh_from_db()
    assert (risk.title, risk.impact, risk.version) == ("Supplier late", 3, 1)
    run = LogImport.objects.get()
    assert run.state == LogImport.State.FAILED and run.finished_at is not None
    # The numbers the discarded rows drew are not handed out again.
    assert _risk(org, "Next").number > 2 * staging.BATCH_ROWS


def test_every_problem_of_every_refused_row_is_still_reported(org):
    risk = _risk(org, "Supplier late")
    rows = [
        *_new_rows(staging.BATCH_ROWS + 5, bad=1),
        _update_row(60, risk, probability=7, impact=0),
        *_new_rows(3, first_number=61, bad=2),
    ]
    with pytest.raises(imports.ImportRejected) as caught:
        _import(org, rows)
    report = {row.number: sorted(p.column for p in row.problems) for row in caught.value.report}
    assert report == {3: ["Probability"], 60: ["Impact", "Probability"], 63: ["Probability"]}
    assert Risk.all_rows.count() == 1


def test_an_item_saved_by_someone_else_during_the_import_refuses_the_whole_file(org):
    risk = _risk(org, "Supplier late")
    other = _risk(org, "Budget cut")
    rows = [
        _update_row(2, risk, title="Supplier very late"),
        _update_row(3, other, title="Budget cut by half"),
        *_new_rows(ROWS, first_number=4),
    ]

    def meanwhile(done: int, total: int) -> None:
        if done == total:  # every row written; the switch comes next
            services.item_update(
                actor=org.mary, item=Risk.objects.get(pk=risk.pk), expected_version=1, impact=5
            )

    with pytest.raises(imports.ImportRejected) as caught:
        _import(org, rows, on_row=meanwhile)

    [row] = caught.value.report
    assert (row.number, row.ref, row.title) == (2, "R-001", "Supplier very late")
    assert row.problems[0].column == "Version"
    assert "version 1" in row.problems[0].message and "now at version 2" in row.problems[0].message
    risk.refresh_from_db()
    other.refresh_from_db()
    assert (risk.title, risk.impact, risk.version) == ("Supplier late", 5, 2)  # Mary's save
    assert (other.title, other.version) == ("Budget cut", 1)
    assert Risk.all_rows.count() == 2
    assert LogImport.objects.get().state == LogImport.State.FAILED


def test_an_item_deleted_during_the_import_refuses_its_row(org):
    risk = _risk(org, "Supplier late")
    rows = [_update_row(2, risk, title="Supplier very late"), *_new_rows(3, first_number=3)]

    def meanwhile(done: int, total: int) -> None:
        if done == total:
            services.item_delete(actor=org.priya, item=risk, expected_version=1)

    with pytest.raises(imports.ImportRejected) as caught:
        _import(org, rows, on_row=meanwhile)

    [row] = caught.value.report
    assert row.number == 2 and "R-001 was deleted after the export" in row.problems[0].message
    assert not Risk.all_rows.exists()


def test_history_names_the_importer_the_file_and_each_change(org):
    risk = _risk(org, "Supplier late", owner=org.people["mary"])
    rows = [
        _update_row(2, risk, title="Supplier very late", impact=5),
        *_new_rows(2, first_number=3),
    ]

    result = _import(org, rows)

    risk.refresh_from_db()
    assert risk.version == 2
    [changed, created] = selectors.item_history(risk)
    assert (changed.who, changed.action, changed.reason) == (
        "Priya Patel",
        "changed",
        "Imported from risks.csv",
    )
    assert {(c.field, c.old, c.new) for c in changed.changes} == {
        ("title", "Supplier late", "Supplier very late"),
        ("impact", "3", "5"),
    }
    assert created.action == "created" and created.reason == ""
    new = result.created[0]
    [entry] = selectors.item_history(new)
    assert (entry.who, entry.action, entry.reason) == (
        "Priya Patel",
        "created",
        "Imported from risks.csv",
    )
    # The history row holds the item as it was written.
    record = Risk.history.get(id=risk.pk, history_type="~")
    assert (record.title, record.impact, record.version, record.owner_id) == (
        "Supplier very late",
        5,
        2,
        org.people["mary"].pk,
    )
    # The project's history shows the import as one change.
    imported = [e for e in project_history(project_id=org.alpha.pk) if e.reason]
    assert [(e.reason, e.counts) for e in imported] == [
        ("Imported from risks.csv", "2 risks created, 1 risk changed")
    ]


def test_rows_equal_to_the_items_change_nothing(org):
    risk = _risk(org, "Supplier late")
    history_before = _history_rows()
    result = _import(org, [_update_row(2, risk, title="Supplier late", impact=3)])
    assert [item.pk for item in result.unchanged] == [risk.pk]
    risk.refresh_from_db()
    assert risk.version == 1
    assert _history_rows() == history_before


def test_an_issue_raised_from_a_risk_keeps_its_risk_when_imported(org):
    risk = _risk(org, "Supplier late")
    issue = services.risk_raise_issue(actor=org.priya, risk=risk, expected_version=1)
    row = SheetRow(
        number=2, values={"ref": issue.ref, "version": issue.version, "title": "Supplier late!"}
    )
    imports.log_import(actor=org.priya, project=org.alpha, kind="issues", rows=[row])
    issue.refresh_from_db()
    assert (issue.title, issue.from_risk_id, issue.version) == ("Supplier late!", risk.pk, 2)
    assert Issue.history.filter(id=issue.pk).latest("history_id").from_risk_id == risk.pk


def test_the_next_import_removes_what_an_abandoned_one_left(org):
    kind = kind_for("risks")
    abandoned = LogImport.objects.create(project=org.alpha, kind="risks", started_by=org.priya)
    recent = LogImport.objects.create(project=org.alpha, kind="risks", started_by=org.priya)
    services.item_create(
        actor=org.priya,
        project=org.alpha,
        kind=kind,
        staged=abandoned,
        title="A",
        probability=1,
        impact=1,
    )
    services.item_create(
        actor=org.priya,
        project=org.alpha,
        kind=kind,
        staged=recent,
        title="B",
        probability=1,
        impact=1,
    )
    long_ago = timezone.now() - staging.ABANDONED_AFTER - dt.timedelta(minutes=1)
    LogImport.objects.filter(pk=abandoned.pk).update(created_at=long_ago)
    assert not Risk.objects.exists()

    _import(org, _new_rows(1))

    abandoned.refresh_from_db()
    recent.refresh_from_db()
    assert abandoned.state == LogImport.State.FAILED
    assert not Risk.all_rows.filter(staged_import=abandoned).exists()
    # An import started lately may still be running: it is left alone.
    assert recent.state == LogImport.State.STAGING
    assert Risk.all_rows.filter(staged_import=recent).count() == 1
    assert list(Risk.objects.values_list("title", flat=True)) == ["Imported 0"]


@pytest.mark.parametrize("state", [LogImport.State.FAILED, LogImport.State.SWITCHED])
def test_hidden_rows_an_ended_import_left_are_removed_by_the_next(org, state):
    """The worker stopped while deleting a failed import's rows, or a switched import's
    copies: they stay hidden, and the next import of the log deletes them."""
    failed = LogImport.objects.create(
        project=org.alpha, kind="risks", started_by=org.priya, state=state
    )
    services.item_create(
        actor=org.priya,
        project=org.alpha,
        kind="risks",
        staged=failed,
        title="A",
        probability=1,
        impact=1,
    )
    _import(org, _new_rows(1))
    assert not Risk.all_rows.filter(staged_import=failed).exists()


def test_an_import_stopped_as_abandoned_does_not_switch(org):
    def stopped_meanwhile(done: int, total: int) -> None:
        staging.import_discard(LogImport.objects.get(), "Abandoned")

    with pytest.raises(imports.DomainError, match="stopped before it could finish"):
        _import(org, _new_rows(3), on_row=stopped_meanwhile)
    assert not Risk.all_rows.exists()


def test_what_a_status_change_implies_is_switched_in_with_it(org):
    """An action marked done gets its completion date, as a save on the page gives it."""
    action = services.item_create(actor=org.priya, project=org.alpha, kind="actions", title="Do")
    row = SheetRow(number=2, values={"ref": action.ref, "version": 1, "status": "Done"})
    imports.log_import(actor=org.priya, project=org.alpha, kind="actions", rows=[row])
    action.refresh_from_db()
    assert (action.status, action.completed_on, action.version) == (
        "done",
        timezone.localdate(),
        2,
    )
