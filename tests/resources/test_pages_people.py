"""The people directory: who can see whom, and who may add or edit people."""

import pytest

from steerco.resources.models import Person


def test_pmo_sees_everyone(client_for, org):
    response = client_for("bob").get("/people/")
    assert response.status_code == 200
    for name in ("Olga Olsen", "Tom Turner", "Priya Patel"):
        assert name in response.content.decode()


def test_team_member_sees_only_people_on_their_projects(client_for, org):
    body = client_for("tom").get("/people/").content.decode()
    assert "Priya Patel" in body
    assert "Olga Olsen" not in body
    assert client_for("tom").get(f"/people/{org.people['olga'].pk}/").status_code == 404


def test_outsider_sees_only_themself(client_for, org):
    body = client_for("olga").get("/people/").content.decode()
    assert "Olga Olsen" in body
    assert "Priya Patel" not in body


def test_search_filters_and_htmx_returns_the_results_only(client_for, org):
    client = client_for("bob")
    response = client.get("/people/", {"q": "engineering"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Tom Turner" in body
    assert "Priya Patel" not in body
    assert "<html" not in body


def test_resource_manager_adds_a_contractor_without_login(client_for, org):
    response = client_for("rita").post(
        "/people/new/",
        {
            "name": "Carl Contractor",
            "email": "carl@vendor.example",
            "team": "Vendor",
            "job_title": "Consultant",
            "active": "on",
        },
    )
    person = Person.objects.get(name="Carl Contractor")
    assert response.status_code == 302
    assert person.user is None
    assert person.history.first().history_user == org.rita


@pytest.mark.parametrize("username", ["priya", "mary", "erin", "olga"])
def test_only_people_managers_may_add(client_for, org, username):
    response = client_for(username).post("/people/new/", {"name": "X"})
    assert response.status_code == 403
    assert not Person.objects.filter(name="X").exists()


def test_invalid_email_is_shown_inline(client_for, org):
    response = client_for("bob").post("/people/new/", {"name": "Y", "email": "not-an-email"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()


def test_stale_edit_is_refused_with_a_message(client_for, org):
    person = org.people["tom"]
    client = client_for("bob")
    data = {
        "version": person.version,
        "name": "Tom T. Turner",
        "email": person.email,
        "team": person.team,
        "active": "on",
    }
    assert client.post(f"/people/{person.pk}/edit/", data).status_code == 302
    data["name"] = "Thomas Turner"
    response = client.post(f"/people/{person.pk}/edit/", data)
    assert response.status_code == 409  # refused: a 4xx, not 200
    assert "changed by someone else" in response.content.decode()
    assert Person.objects.get(pk=person.pk).name == "Tom T. Turner"
