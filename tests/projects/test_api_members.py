"""Project memberships over the API: who may list, add, change and remove them."""

import pytest

from steerco.projects.models import Membership

JSON = "application/json"


def members_url(project, membership=None) -> str:
    base = f"/api/v1/projects/{project.pk}/members"
    return base if membership is None else f"{base}/{membership.pk}"


def membership(org, project, username) -> Membership:
    return Membership.objects.get(project=project, person=org.people[username])


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"detail", "code", "fields"}
    if code:
        assert body["code"] == code
    return body


def test_members_list_shows_people_and_roles(org, client_for):
    response = client_for("tom").get(members_url(org.alpha))

    assert response.status_code == 200
    body = response.json()
    roles = {item["person_name"]: item["role"] for item in body["items"]}
    assert roles == {
        "Priya Patel": "project_manager",
        "Mary Moss": "project_support",
        "Tom Turner": "team_member",
    }
    assert body["count"] == 3
    first = body["items"][0]
    assert set(first) >= {"id", "version", "project", "person", "role", "added_at"}
    assert first["project"] == org.alpha.pk


def test_members_of_an_invisible_project_are_404(org, client_for):
    assert_error(client_for("olga").get(members_url(org.alpha)), 404)
    assert_error(client_for("tom").get(members_url(org.beta)), 404)


def test_project_manager_adds_a_member_who_then_sees_the_project(org, client_for):
    response = client_for("priya").post(
        members_url(org.alpha), {"person": org.people["olga"].pk, "role": "viewer"}, JSON
    )

    assert response.status_code == 201, response.content
    assert response.json()["role"] == "viewer"
    assert response.json()["person"] == org.people["olga"].pk
    assert client_for("olga").get(f"/api/v1/projects/{org.alpha.pk}").status_code == 200


@pytest.mark.parametrize("username", ["mary", "tom", "erin"])
def test_adding_members_needs_the_members_permission(org, client_for, username):
    response = client_for(username).post(
        members_url(org.alpha), {"person": org.people["olga"].pk, "role": "viewer"}, JSON
    )

    assert_error(response, 403, "forbidden")
    assert not Membership.objects.filter(person=org.people["olga"]).exists()


def test_outsider_adding_members_gets_404(org, client_for):
    response = client_for("olga").post(
        members_url(org.alpha), {"person": org.people["olga"].pk, "role": "project_manager"}, JSON
    )

    assert_error(response, 404)
    assert not Membership.objects.filter(person=org.people["olga"]).exists()


def test_adding_an_existing_member_breaks_a_rule(org, client_for):
    body = assert_error(
        client_for("priya").post(
            members_url(org.alpha), {"person": org.people["tom"].pk, "role": "viewer"}, JSON
        ),
        422,
    )

    assert "person" in body["fields"]
    assert membership(org, org.alpha, "tom").role == "team_member"


def test_adding_an_unknown_person_names_the_field(org, client_for):
    body = assert_error(
        client_for("priya").post(
            members_url(org.alpha), {"person": 999999, "role": "viewer"}, JSON
        ),
        422,
        "unknown_reference",
    )

    assert list(body["fields"]) == ["person"]


def test_unknown_role_is_malformed(org, client_for):
    body = assert_error(
        client_for("priya").post(
            members_url(org.alpha), {"person": org.people["olga"].pk, "role": "boss"}, JSON
        ),
        400,
        "malformed",
    )

    assert "role" in body["fields"]


def test_project_manager_changes_a_role_with_the_version_read(org, client_for):
    tom = membership(org, org.alpha, "tom")

    response = client_for("priya").patch(
        members_url(org.alpha, tom), {"version": tom.version, "role": "project_support"}, JSON
    )

    assert response.status_code == 200, response.content
    assert response.json()["version"] == tom.version + 1
    tom.refresh_from_db()
    assert tom.role == "project_support"


def test_stale_membership_version_is_409_with_the_current_membership(org, client_for):
    tom = membership(org, org.alpha, "tom")
    priya = client_for("priya")
    priya.patch(members_url(org.alpha, tom), {"version": 1, "role": "viewer"}, JSON)

    body = assert_error(
        priya.patch(members_url(org.alpha, tom), {"version": 1, "role": "project_support"}, JSON),
        409,
        "version_conflict",
    )

    assert body["current"]["role"] == "viewer"
    assert body["current"]["id"] == tom.pk
    tom.refresh_from_db()
    assert tom.role == "viewer"


def test_membership_patch_needs_a_version(org, client_for):
    tom = membership(org, org.alpha, "tom")

    body = assert_error(
        client_for("priya").patch(members_url(org.alpha, tom), {"role": "viewer"}, JSON), 400
    )

    assert "version" in body["fields"]


def test_the_named_manager_keeps_the_manager_role(org, client_for):
    priya_membership = membership(org, org.alpha, "priya")

    body = assert_error(
        client_for("bob").patch(
            members_url(org.alpha, priya_membership),
            {"version": priya_membership.version, "role": "viewer"},
            JSON,
        ),
        422,
    )

    assert "role" in body["fields"]


def test_support_cannot_change_roles(org, client_for):
    tom = membership(org, org.alpha, "tom")

    assert_error(
        client_for("mary").patch(
            members_url(org.alpha, tom), {"version": 1, "role": "viewer"}, JSON
        ),
        403,
    )


def test_membership_of_another_project_is_404(org, client_for):
    mary_on_beta = membership(org, org.beta, "mary")
    wrong_url = members_url(org.alpha, mary_on_beta)
    priya = client_for("priya")

    assert_error(priya.patch(wrong_url, {"version": 1, "role": "viewer"}, JSON), 404)
    assert_error(priya.delete(wrong_url), 404)
    assert Membership.objects.filter(pk=mary_on_beta.pk, role="project_support").exists()


def test_project_manager_removes_a_member(org, client_for):
    tom = membership(org, org.alpha, "tom")

    response = client_for("priya").delete(members_url(org.alpha, tom))

    assert response.status_code == 204
    assert not Membership.objects.filter(pk=tom.pk).exists()
    assert_error(client_for("tom").get(f"/api/v1/projects/{org.alpha.pk}"), 404)


def test_the_named_manager_cannot_be_removed(org, client_for):
    priya_membership = membership(org, org.alpha, "priya")

    assert_error(client_for("bob").delete(members_url(org.alpha, priya_membership)), 422)
    assert Membership.objects.filter(pk=priya_membership.pk).exists()


def test_team_member_cannot_remove_members(org, client_for):
    mary = membership(org, org.alpha, "mary")

    assert_error(client_for("tom").delete(members_url(org.alpha, mary)), 403)
    assert Membership.objects.filter(pk=mary.pk).exists()


def test_membership_changes_appear_in_the_project_history(org, client_for):
    client_for("priya").post(
        members_url(org.alpha), {"person": org.people["rita"].pk, "role": "viewer"}, JSON
    )

    latest = client_for("priya").get(f"/api/v1/projects/{org.alpha.pk}/history").json()["items"][0]

    assert latest["who"] == "priya"
    assert latest["action"] == "created"
    assert latest["subject"] == "Membership of Rita Reyes"
