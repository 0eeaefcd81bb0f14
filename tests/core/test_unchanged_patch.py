"""A PATCH that changes nothing writes nothing: the version stays and no history row says
"changed" about nothing (``core.versioning.versioned_update``), through one API per app.

A bumped version would turn every other client's next save into a needless 409, and a
fuzzer or a form re-sending what it read would fill the history with empty changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

JSON = "application/json"


@dataclass(frozen=True)
class Case:
    app: str
    make: object  # (org) -> the object, made through its service
    path: str  # the object's API path; {project} and {pk} filled in
    same: dict  # a field sent with the value it already has


def _task(org):
    from steerco.plans.services import task_create

    return task_create(actor=org.priya, project=org.alpha, name="Design", duration_minutes=480)


def _risk(org):
    from steerco.logs.services import item_create

    return item_create(
        actor=org.priya,
        project=org.alpha,
        kind="risks",
        title="Supplier late",
        probability=3,
        impact=4,
    )


CASES = [
    Case("plans", _task, "/api/v1/projects/{project}/tasks/{pk}", {"name": "Design"}),
    Case("projects", lambda org: org.alpha, "/api/v1/projects/{pk}", {"code": "ALPHA"}),
    Case("logs", _risk, "/api/v1/projects/{project}/risks/{pk}", {"title": "Supplier late"}),
]


def _url(case: Case, obj, org) -> str:
    return case.path.format(project=org.alpha.pk, pk=obj.pk)


def _changed_rows(obj) -> int:
    return type(obj).history.filter(id=obj.pk, history_type="~").count()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.app)
@pytest.mark.parametrize("body", ["same values", "version only"])
def test_a_patch_that_changes_nothing_keeps_the_version_and_writes_no_history(
    case, body, org, client_for
):
    obj = case.make(org)
    obj.refresh_from_db()
    version, changes_before = obj.version, _changed_rows(obj)
    sent = {"version": version, **(case.same if body == "same values" else {})}

    response = client_for("priya").patch(_url(case, obj, org), sent, content_type=JSON)

    assert response.status_code == 200, response.content
    assert response.json()["version"] == version
    obj.refresh_from_db()
    assert obj.version == version
    assert _changed_rows(obj) == changes_before


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.app)
def test_a_stale_patch_that_changes_nothing_is_still_a_conflict(case, org, client_for):
    """The client's copy is out of date whatever it sends: it must see the current one."""
    obj = case.make(org)
    obj.refresh_from_db()
    sent = {"version": obj.version + 1, **case.same}

    response = client_for("priya").patch(_url(case, obj, org), sent, content_type=JSON)

    assert response.status_code == 409, response.content
    assert response.json()["current"]["version"] == obj.version


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.app)
def test_a_patch_that_changes_something_still_bumps_the_version(case, org, client_for):
    obj = case.make(org)
    obj.refresh_from_db()
    field = next(iter(case.same))
    sent = {"version": obj.version, field: f"{case.same[field]}2"}

    response = client_for("priya").patch(_url(case, obj, org), sent, content_type=JSON)

    assert response.status_code == 200, response.content
    assert response.json()["version"] == obj.version + 1
