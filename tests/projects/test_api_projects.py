"""The projects API: visibility per role, filters, pagination, create, update, close, delete,
version conflicts and history."""

from datetime import date

import pytest

from steerco.projects.models import Membership, Project

PROJECTS = "/api/v1/projects"
JSON = "application/json"


def url(project, suffix: str = "") -> str:
    return f"{PROJECTS}/{project.pk}{suffix}"


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"detail", "code", "fields"}
    assert body["detail"]
    if code:
        assert body["code"] == code
    return body


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


# --- reading ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "visible"),
    [
        ("bob", ["ALPHA", "BETA", "GAMMA"]),
        ("erin", ["ALPHA", "BETA", "GAMMA"]),
        ("priya", ["ALPHA", "BETA"]),
        ("mary", ["ALPHA", "BETA"]),
        ("tom", ["ALPHA"]),
        ("olga", []),
    ],
)
def test_project_list_shows_only_what_each_role_may_see(client_for, username, visible):
    response = client_for(username).get(PROJECTS)

    assert codes(response) == visible
    assert response.json()["count"] == len(visible)


def test_project_detail_has_the_documented_fields(org, client_for):
    body = client_for("tom").get(url(org.alpha)).json()

    assert body["id"] == org.alpha.pk
    assert body["version"] == 1
    assert body["code"] == "ALPHA"
    assert body["status"] == "active"
    assert body["portfolio"] == org.portfolio.pk
    assert body["manager"] == org.people["priya"].pk
    assert body["sponsor"] == org.people["erin"].pk
    assert body["planned_start"] == "2026-01-05"
    assert body["planned_finish"] == "2026-12-18"
    assert body["closed_on"] is None
    for field in ("name", "description", "health", "created_at", "updated_at"):
        assert field in body


def test_outsider_gets_404_for_a_project_that_exists(org, client_for):
    assert_error(client_for("olga").get(url(org.alpha)), 404, "not_found")


def test_unknown_project_is_404(org, client_for):
    assert_error(client_for("bob").get(f"{PROJECTS}/987654"), 404, "not_found")


def test_team_member_cannot_see_other_projects(org, client_for):
    assert_error(client_for("tom").get(url(org.beta)), 404, "not_found")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=proposed", ["GAMMA"]),
        ("status=active", ["ALPHA", "BETA"]),
        ("q=office", ["GAMMA"]),
        ("q=crm", ["ALPHA"]),
        ("status=active&q=data", ["BETA"]),
    ],
)
def test_project_list_filters(client_for, query, expected):
    assert codes(client_for("bob").get(f"{PROJECTS}?{query}")) == expected


def test_project_list_filters_by_portfolio_and_manager(org, client_for):
    bob = client_for("bob")

    assert codes(bob.get(f"{PROJECTS}?portfolio={org.portfolio.pk}")) == ["ALPHA", "BETA"]
    assert codes(bob.get(f"{PROJECTS}?manager={org.people['bob'].pk}")) == ["GAMMA"]


def test_filters_never_widen_visibility(org, client_for):
    assert codes(client_for("tom").get(f"{PROJECTS}?portfolio={org.portfolio.pk}")) == ["ALPHA"]


def test_unknown_status_filter_is_malformed(client_for):
    body = assert_error(client_for("bob").get(f"{PROJECTS}?status=finished"), 400, "malformed")
    assert "status" in body["fields"]


# --- pagination ---------------------------------------------------------------------


def test_pagination_counts_everything_and_slices_pages(client_for):
    bob = client_for("bob")

    first = bob.get(f"{PROJECTS}?page_size=2").json()
    second = bob.get(f"{PROJECTS}?page_size=2&page=2").json()

    assert first["count"] == second["count"] == 3
    assert [p["code"] for p in first["items"]] == ["ALPHA", "BETA"]
    assert [p["code"] for p in second["items"]] == ["GAMMA"]


def test_page_beyond_the_end_is_empty(client_for):
    body = client_for("bob").get(f"{PROJECTS}?page=40").json()

    assert body == {"items": [], "count": 3}


def test_page_size_up_to_500_is_accepted_and_above_is_malformed(client_for):
    bob = client_for("bob")

    assert bob.get(f"{PROJECTS}?page_size=500").status_code == 200
    body = assert_error(bob.get(f"{PROJECTS}?page_size=501"), 400, "malformed")
    assert "page_size" in body["fields"]
    assert_error(bob.get(f"{PROJECTS}?page=0"), 400, "malformed")


def test_default_page_size_is_50(org, client_for):
    for number in range(55):
        Project.objects.create(code=f"P{number:03d}", name=f"Project {number}")

    body = client_for("bob").get(PROJECTS).json()

    assert body["count"] == 58
    assert len(body["items"]) == 50


# --- creating -----------------------------------------------------------------------


def test_project_manager_creates_a_project_and_manages_it(org, client_for):
    response = client_for("priya").post(
        PROJECTS,
        {
            "code": "delta",
            "name": "Delta intranet",
            "portfolio": org.portfolio.pk,
            "sponsor": org.people["erin"].pk,
            "planned_start": "2027-01-04",
            "planned_finish": "2027-06-30",
        },
        JSON,
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "DELTA"
    assert body["version"] == 1
    assert body["manager"] == org.people["priya"].pk
    project = Project.objects.get(pk=body["id"])
    assert project.portfolio == org.portfolio
    assert project.planned_finish == date(2027, 6, 30)
    assert project.memberships.get(person=org.people["priya"]).role == "project_manager"


@pytest.mark.parametrize("username", ["tom", "erin", "mary", "olga"])
def test_users_without_create_permission_get_403(org, client_for, username):
    response = client_for(username).post(PROJECTS, {"code": "NEW", "name": "New"}, JSON)

    assert_error(response, 403, "forbidden")
    assert not Project.objects.filter(code="NEW").exists()


def test_duplicate_code_breaks_a_rule(org, client_for):
    body = assert_error(
        client_for("bob").post(PROJECTS, {"code": "ALPHA", "name": "Again"}, JSON), 422, "invalid"
    )

    assert "code" in body["fields"]
    assert Project.objects.filter(code="ALPHA").count() == 1


def test_finish_before_start_breaks_a_rule(org, client_for):
    body = assert_error(
        client_for("bob").post(
            PROJECTS,
            {
                "code": "BACK",
                "name": "Backwards",
                "planned_start": "2027-02-01",
                "planned_finish": "2027-01-01",
            },
            JSON,
        ),
        422,
    )

    assert "planned_finish" in body["fields"]


def test_unknown_references_are_422_naming_each_field(org, client_for):
    body = assert_error(
        client_for("bob").post(
            PROJECTS,
            {"code": "REFS", "name": "Refs", "manager": 999999, "portfolio": 999999},
            JSON,
        ),
        422,
        "unknown_reference",
    )

    assert set(body["fields"]) == {"manager", "portfolio"}
    assert not Project.objects.filter(code="REFS").exists()


def test_wrong_types_are_malformed_and_name_the_fields(org, client_for):
    body = assert_error(
        client_for("bob").post(
            PROJECTS,
            {"code": 12, "name": "Typed", "planned_start": "next tuesday", "manager": "priya"},
            JSON,
        ),
        400,
        "malformed",
    )

    assert {"code", "planned_start", "manager"} <= set(body["fields"])


# --- changing -----------------------------------------------------------------------


def test_project_manager_patches_only_the_fields_sent(org, client_for):
    response = client_for("priya").patch(
        url(org.alpha), {"version": 1, "name": "Alpha CRM (phase 1)", "health": "amber"}, JSON
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2
    assert body["name"] == "Alpha CRM (phase 1)"
    org.alpha.refresh_from_db()
    assert org.alpha.health == "amber"
    assert org.alpha.planned_start == date(2026, 1, 5)
    assert org.alpha.sponsor == org.people["erin"]


def test_patch_sets_and_clears_references_by_id(org, client_for):
    response = client_for("bob").patch(
        url(org.gamma),
        {"version": 1, "portfolio": org.portfolio.pk, "sponsor": org.people["erin"].pk},
        JSON,
    )
    assert response.status_code == 200, response.content
    assert response.json()["portfolio"] == org.portfolio.pk

    cleared = client_for("bob").patch(url(org.gamma), {"version": 2, "portfolio": None}, JSON)

    assert cleared.json()["portfolio"] is None
    org.gamma.refresh_from_db()
    assert org.gamma.portfolio is None
    assert org.gamma.sponsor == org.people["erin"]


def test_new_manager_named_by_patch_becomes_a_project_manager_member(org, client_for):
    response = client_for("bob").patch(
        url(org.alpha), {"version": 1, "manager": org.people["rita"].pk}, JSON
    )

    assert response.status_code == 200, response.content
    membership = Membership.objects.get(project=org.alpha, person=org.people["rita"])
    assert membership.role == "project_manager"


def test_patch_with_unknown_manager_names_the_field_and_saves_nothing(org, client_for):
    body = assert_error(
        client_for("priya").patch(
            url(org.alpha), {"version": 1, "manager": 999999, "name": "Renamed"}, JSON
        ),
        422,
        "unknown_reference",
    )

    assert list(body["fields"]) == ["manager"]
    org.alpha.refresh_from_db()
    assert (org.alpha.name, org.alpha.version) == ("Alpha CRM replacement", 1)


def test_patch_without_version_is_malformed(org, client_for):
    body = assert_error(client_for("priya").patch(url(org.alpha), {"name": "X"}, JSON), 400)

    assert "version" in body["fields"]


def test_patch_refuses_null_for_fields_that_cannot_be_empty(org, client_for):
    body = assert_error(
        client_for("priya").patch(url(org.alpha), {"version": 1, "name": None}, JSON), 400
    )

    assert "name" in body["fields"]


def test_patch_refuses_fields_that_are_not_editable(org, client_for):
    body = assert_error(
        client_for("priya").patch(
            url(org.alpha), {"version": 1, "closed_on": "2026-01-01", "id": 5}, JSON
        ),
        400,
    )

    assert {"closed_on", "id"} <= set(body["fields"])


def test_executive_may_read_but_gets_403_on_patch(org, client_for):
    assert client_for("erin").get(url(org.alpha)).status_code == 200
    assert_error(
        client_for("erin").patch(url(org.alpha), {"version": 1, "name": "X"}, JSON),
        403,
        "forbidden",
    )


def test_team_member_gets_403_on_patch(org, client_for):
    assert_error(
        client_for("tom").patch(url(org.alpha), {"version": 1, "name": "X"}, JSON), 403, "forbidden"
    )
    org.alpha.refresh_from_db()
    assert org.alpha.name == "Alpha CRM replacement"


def test_outsider_gets_404_on_patch(org, client_for):
    assert_error(client_for("olga").patch(url(org.alpha), {"version": 1, "name": "X"}, JSON), 404)


def test_stale_version_is_409_with_the_current_object_and_overwrites_nothing(org, client_for):
    """Given priya and mary both read version 1, when priya saves first and mary second,
    then mary gets 409 with priya's saved project and priya's change stays."""
    priya, mary = client_for("priya"), client_for("mary")
    assert (
        priya.patch(url(org.alpha), {"version": 1, "name": "Priya's name"}, JSON).status_code == 200
    )

    response = mary.patch(url(org.alpha), {"version": 1, "name": "Mary's name"}, JSON)

    body = assert_error(response, 409, "version_conflict")
    assert body["current"]["version"] == 2
    assert body["current"]["name"] == "Priya's name"
    assert body["current"]["id"] == org.alpha.pk
    org.alpha.refresh_from_db()
    assert (org.alpha.name, org.alpha.version) == ("Priya's name", 2)


def test_rule_violation_on_patch_is_422_and_keeps_the_version(org, client_for):
    body = assert_error(
        client_for("priya").patch(url(org.alpha), {"version": 1, "code": "BETA"}, JSON), 422
    )

    assert "code" in body["fields"]
    org.alpha.refresh_from_db()
    assert (org.alpha.code, org.alpha.version) == ("ALPHA", 1)


# --- closing and deleting -----------------------------------------------------------


def test_project_manager_closes_a_project(org, client_for):
    response = client_for("priya").post(url(org.alpha, "/close"), {"version": 1}, JSON)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "closed"
    assert body["closed_on"] is not None
    assert body["version"] == 2


def test_project_can_be_cancelled_instead(org, client_for):
    response = client_for("bob").post(
        url(org.gamma, "/close"), {"version": 1, "status": "cancelled"}, JSON
    )

    assert response.json()["status"] == "cancelled"


@pytest.mark.parametrize("username", ["mary", "tom", "erin"])
def test_closing_needs_the_close_permission(org, client_for, username):
    assert_error(client_for(username).post(url(org.alpha, "/close"), {"version": 1}, JSON), 403)
    org.alpha.refresh_from_db()
    assert org.alpha.status == "active"


def test_close_with_stale_version_is_409(org, client_for):
    body = assert_error(
        client_for("priya").post(url(org.alpha, "/close"), {"version": 7}, JSON), 409
    )

    assert body["current"]["status"] == "active"


def test_pmo_deletes_a_project(org, client_for):
    response = client_for("bob").delete(url(org.alpha, "?version=1"))

    assert response.status_code == 204
    assert response.content == b""
    assert not Project.objects.filter(pk=org.alpha.pk).exists()
    assert_error(client_for("bob").get(url(org.alpha)), 404)


@pytest.mark.parametrize("username", ["priya", "mary", "erin"])
def test_only_pmo_and_admins_delete_projects(org, client_for, username):
    assert_error(client_for(username).delete(url(org.alpha, "?version=1")), 403, "forbidden")
    assert Project.objects.filter(pk=org.alpha.pk).exists()


def test_delete_with_stale_version_is_409_and_keeps_the_project(org, client_for):
    body = assert_error(client_for("bob").delete(url(org.alpha, "?version=3")), 409)

    assert body["current"]["code"] == "ALPHA"
    assert Project.objects.filter(pk=org.alpha.pk).exists()


def test_delete_without_version_is_malformed(org, client_for):
    body = assert_error(client_for("bob").delete(url(org.alpha)), 400, "malformed")

    assert "version" in body["fields"]
    assert Project.objects.filter(pk=org.alpha.pk).exists()


# --- history ------------------------------------------------------------------------


def test_history_records_who_changed_what(org, client_for):
    client_for("priya").patch(url(org.alpha), {"version": 1, "name": "Alpha CRM v2"}, JSON)

    response = client_for("tom").get(url(org.alpha, "/history"))

    assert response.status_code == 200
    body = response.json()
    latest = body["items"][0]
    assert latest["who"] == "priya"
    assert latest["action"] == "changed"
    assert latest["subject"] == "Project"
    assert {"field": "name", "old": "Alpha CRM replacement", "new": "Alpha CRM v2"} in latest[
        "changes"
    ]
    assert body["count"] == len(body["items"])
    assert any(item["action"] == "created" for item in body["items"])


def test_history_is_paginated(org, client_for):
    bob = client_for("bob")
    for version in range(1, 4):
        bob.patch(url(org.gamma), {"version": version, "name": f"Gamma {version}"}, JSON)

    page = bob.get(url(org.gamma, "/history?page_size=2")).json()

    assert len(page["items"]) == 2
    assert page["count"] >= 4
    assert page["items"][0]["changes"][0]["new"] == "Gamma 3"


def test_history_of_an_invisible_project_is_404(org, client_for):
    assert_error(client_for("olga").get(url(org.alpha, "/history")), 404)
