"""The allocations, skills, capacity and people API."""

from __future__ import annotations

import json

import pytest

from steerco.staffing.models import Allocation

pytestmark = pytest.mark.django_db

ALLOCATIONS = "/api/v1/allocations"
JSON = "application/json"


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type=JSON)


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type=JSON)


def _body(org, staff, **overrides):
    body = {
        "project": org.alpha.pk,
        "person": staff.tom.pk,
        "amount": "16",
        "unit": "hours_per_week",
        "start": "2026-03-02",
        "finish": "2026-03-27",
    }
    body.update(overrides)
    return body


def test_project_manager_requests_and_resource_manager_approves(org, staff, client_for):
    created = post(client_for("priya"), ALLOCATIONS, _body(org, staff))
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "requested" and body["role"] == "Developer"
    approve = post(client_for("rita"), f"{ALLOCATIONS}/{body['id']}/approve", {"version": 1})
    assert approve.status_code == 200 and approve.json()["state"] == "approved"
    refused = post(client_for("priya"), f"{ALLOCATIONS}/{body['id']}/reject", {"version": 2})
    assert refused.status_code == 403


def test_stale_version_is_409_with_the_current_allocation(org, staff, client_for):
    pk = post(client_for("rita"), ALLOCATIONS, _body(org, staff)).json()["id"]
    assert (
        patch(client_for("rita"), f"{ALLOCATIONS}/{pk}", {"version": 1, "amount": "8"}).status_code
        == 200
    )
    stale = patch(client_for("rita"), f"{ALLOCATIONS}/{pk}", {"version": 1, "amount": "4"})
    assert stale.status_code == 409
    assert stale.json()["current"]["amount"] in ("8.00", 8, "8")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"start": "2026-04-01", "finish": "2026-03-01"}, "finish"),
        ({"start": "2025-06-01"}, "start"),  # before tom is employed
        ({"status": "soft", "probability": "0.5", "finish": "2027-12-31"}, "finish"),
    ],
)
def test_rule_breaks_are_422_naming_the_field(org, staff, client_for, overrides, field):
    response = post(client_for("rita"), ALLOCATIONS, _body(org, staff, **overrides))
    assert response.status_code == 422, response.content
    assert field in response.json()["fields"]
    assert not Allocation.all_objects.exists()


@pytest.mark.parametrize("overrides", [{"amount": "-1"}, {"probability": "1.5"}])
def test_out_of_range_numbers_are_refused(org, staff, client_for, overrides):
    response = post(client_for("rita"), ALLOCATIONS, _body(org, staff, **overrides))
    assert response.status_code in (400, 422)
    assert not Allocation.all_objects.exists()


def test_delete_then_restore(org, staff, client_for):
    rita = client_for("rita")
    pk = post(rita, ALLOCATIONS, _body(org, staff)).json()["id"]
    assert rita.delete(f"{ALLOCATIONS}/{pk}?version=1").status_code == 204
    assert rita.get(f"{ALLOCATIONS}/{pk}").status_code == 404
    restored = post(rita, f"{ALLOCATIONS}/{pk}/restore", {"version": 2})
    assert restored.status_code == 200 and restored.json()["deleted"] is False


def test_outsider_cannot_see_allocations(org, staff, client_for):
    pk = post(client_for("rita"), ALLOCATIONS, _body(org, staff)).json()["id"]
    assert client_for("olga").get(f"{ALLOCATIONS}/{pk}").status_code == 404
    assert client_for("olga").get(ALLOCATIONS).status_code == 403


def test_fill_an_open_request(org, staff, client_for):
    pk = post(
        client_for("priya"), ALLOCATIONS, _body(org, staff, person=None, role="Developer")
    ).json()["id"]
    listed = client_for("rita").get(f"{ALLOCATIONS}?open_requests=true").json()
    assert [item["id"] for item in listed["items"]] == [pk]
    filled = post(
        client_for("rita"), f"{ALLOCATIONS}/{pk}/fill", {"version": 1, "person": staff.tom.pk}
    )
    assert filled.status_code == 200 and filled.json()["person"] == staff.tom.pk


def test_capacity_by_role_per_week(org, staff, client_for):
    post(client_for("rita"), ALLOCATIONS, _body(org, staff, amount="40"))
    response = client_for("bob").get(
        "/api/v1/capacity?group_by=role&from=2026-03-02&to=2026-03-08&interval=week"
    )
    assert response.status_code == 200, response.content
    rows = {row["key"]: row for row in response.json()["rows"]}
    cell = rows["Developer"]["cells"][0]
    assert cell["period"] == "2026-W10"
    assert (cell["capacity"], cell["demand"], cell["band"]) == (32.0, 40.0, "over 100%")


def test_capacity_refuses_a_backwards_range(client_for, staff):
    response = client_for("bob").get("/api/v1/capacity?from=2026-03-08&to=2026-03-02")
    assert response.status_code == 422


def test_capacity_is_not_for_team_members(client_for, staff):
    assert (
        client_for("tom").get("/api/v1/capacity?from=2026-03-02&to=2026-03-08").status_code == 403
    )


def test_people_carry_roles_and_skills(client_for, staff):
    items = client_for("rita").get("/api/v1/people?q=Tom").json()["items"]
    tom = next(item for item in items if item["id"] == staff.tom.pk)
    assert tom["primary_role"] == "Developer" and tom["roles"] == ["Developer"]
    assert tom["skills"] == [{"skill": "Python", "level": 4, "assessed_on": None}]
    assert tom["availability_percent"] == 80


def test_skills_list(client_for, staff):
    body = client_for("rita").get("/api/v1/skills").json()
    assert [item["name"] for item in body["items"]] == ["Python"]


def test_refusals_do_not_depend_on_the_body(org, staff, client_for):
    """An executive is refused (403) even when the person named does not exist: the
    permission is checked before the body is read."""
    pk = post(
        client_for("priya"), ALLOCATIONS, _body(org, staff, person=None, role="Developer")
    ).json()["id"]
    erin = client_for("erin")
    assert (
        post(erin, f"{ALLOCATIONS}/{pk}/fill", {"version": 1, "person": 987654}).status_code == 403
    )
    assert post(erin, ALLOCATIONS, _body(org, staff, person=987654)).status_code == 403
    assert patch(erin, f"{ALLOCATIONS}/{pk}", {"version": 1, "person": 987654}).status_code == 403
