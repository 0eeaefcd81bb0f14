"""The caller's own account (/me) and the people directory (/people)."""

import pytest

from steerco.resources.models import Person


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


def test_me_describes_the_caller(org, client_for):
    body = client_for("bob").get("/api/v1/me").json()

    assert body["username"] == "bob"
    assert body["person"] == {"id": org.people["bob"].pk, "name": "Bob Baker"}
    assert body["organisation_roles"] == ["pmo"]
    assert "project.create" in body["permissions"]
    assert "portfolio.manage" in body["permissions"]
    assert "organisation.manage" not in body["permissions"]


def test_me_for_a_user_without_roles(org, client_for):
    body = client_for("olga").get("/api/v1/me").json()

    assert body["organisation_roles"] == []
    assert body["permissions"] == []


def test_people_list_for_organisation_readers_shows_everyone(org, client_for):
    body = client_for("erin").get("/api/v1/people").json()

    assert body["count"] == 8
    assert [p["name"] for p in body["items"]][:3] == ["Ada Admin", "Bob Baker", "Erin Ellis"]
    assert set(body["items"][0]) >= {"id", "version", "name", "team", "job_title", "active"}


def test_project_members_see_the_people_on_their_projects(org, client_for):
    assert names(client_for("tom").get("/api/v1/people")) == [
        "Mary Moss",
        "Priya Patel",
        "Tom Turner",
    ]


def test_people_search(org, client_for):
    assert names(client_for("bob").get("/api/v1/people?q=engineering")) == ["Tom Turner"]


def test_inactive_people_are_listed_only_on_request(org, client_for):
    Person.objects.filter(pk=org.people["rita"].pk).update(active=False)
    bob = client_for("bob")

    assert "Rita Reyes" not in names(bob.get("/api/v1/people"))
    assert "Rita Reyes" in names(bob.get("/api/v1/people?include_inactive=true"))


def test_people_list_is_refused_to_a_user_without_any_role(org, client_for):
    response = client_for("olga").get("/api/v1/people")

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/people"])
def test_account_endpoints_need_credentials(org, client, path):
    response = client.get(path)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
