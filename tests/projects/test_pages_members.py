"""The members page: who is on a project, and adding, re-roling and removing people."""

from __future__ import annotations

import pytest
from django.urls import reverse

from steerco.projects.models import Membership
from steerco.projects.services import membership_change_role
from steerco.resources.models import Person


def members_url(project) -> str:
    return reverse("projects:members", kwargs={"pk": project.pk})


def membership_of(org, username, project) -> Membership:
    return Membership.objects.get(project=project, person=org.people[username])


def test_members_page_lists_people_and_roles(org, client_for):
    response = client_for("tom").get(members_url(org.alpha))
    html = response.content.decode()
    assert response.status_code == 200
    assert [(m.person.name, m.role) for m in response.context["members"]] == [
        ("Priya Patel", "project_manager"),
        ("Mary Moss", "project_support"),
        ("Tom Turner", "team_member"),
    ]
    assert "Named manager" in html
    # Tom may look but not manage: no add form and no remove buttons.
    assert response.context["form"] is None
    assert ">Remove</button>" not in html


def test_manager_adds_a_person_with_a_role(org, client_for):
    response = client_for("priya").post(
        members_url(org.beta), {"person": org.people["tom"].pk, "role": "viewer"}
    )
    assert response.status_code == 302
    assert membership_of(org, "tom", org.beta).role == "viewer"


def test_add_form_offers_only_active_people_not_yet_members(org, client_for):
    Person.objects.create(name="Former Contractor", active=False)
    form = client_for("priya").get(members_url(org.alpha)).context["form"]
    names = {person.name for person in form.fields["person"].queryset}
    assert "Former Contractor" not in names
    assert "Tom Turner" not in names
    assert "Bob Baker" in names


def test_adding_an_existing_member_is_an_inline_error(org, client_for):
    # A page opened before Tom was added would still offer him; the post is refused.
    response = client_for("bob").post(
        members_url(org.alpha), {"person": org.people["tom"].pk, "role": "viewer"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["person"]
    assert membership_of(org, "tom", org.alpha).role == "team_member"


@pytest.mark.parametrize(("username", "status"), [("mary", 403), ("tom", 403), ("olga", 404)])
def test_only_those_who_manage_members_may_add(org, client_for, username, status):
    response = client_for(username).post(
        members_url(org.alpha), {"person": org.people["erin"].pk, "role": "viewer"}
    )
    assert response.status_code == status
    assert not Membership.objects.filter(project=org.alpha, person=org.people["erin"]).exists()


def test_changing_a_role(org, client_for):
    membership = membership_of(org, "tom", org.alpha)
    url = reverse(
        "projects:member_edit", kwargs={"pk": org.alpha.pk, "membership_pk": membership.pk}
    )
    client = client_for("priya")
    assert client.get(url).status_code == 200

    response = client.post(url, {"version": membership.version, "role": "project_support"})

    assert response.status_code == 302
    assert membership_of(org, "tom", org.alpha).role == "project_support"


def test_the_named_manager_keeps_the_manager_role(org, client_for):
    membership = membership_of(org, "priya", org.alpha)
    url = reverse(
        "projects:member_edit", kwargs={"pk": org.alpha.pk, "membership_pk": membership.pk}
    )
    response = client_for("bob").post(url, {"version": membership.version, "role": "viewer"})
    assert response.status_code == 422  # refused: a 4xx, not 200
    assert "keeps the Project manager role" in " ".join(response.context["form"].errors["role"])
    assert membership_of(org, "priya", org.alpha).role == "project_manager"


def test_stale_role_change_is_refused_with_the_current_version(org, client_for):
    membership = membership_of(org, "tom", org.alpha)
    membership_change_role(actor=org.bob, membership=membership, role="viewer", expected_version=1)
    url = reverse(
        "projects:member_edit", kwargs={"pk": org.alpha.pk, "membership_pk": membership.pk}
    )
    response = client_for("priya").post(url, {"version": 1, "role": "project_support"})
    assert response.status_code == 409  # refused: a 4xx, not 200
    html = response.content.decode()
    assert "changed by someone else" in html
    assert '<input type="hidden" name="version" value="2"' in html
    assert membership_of(org, "tom", org.alpha).role == "viewer"


def test_support_cannot_open_the_role_form(org, client_for):
    membership = membership_of(org, "tom", org.alpha)
    url = reverse(
        "projects:member_edit", kwargs={"pk": org.alpha.pk, "membership_pk": membership.pk}
    )
    assert client_for("mary").get(url).status_code == 403


def test_membership_of_another_project_is_not_found(org, client_for):
    other = membership_of(org, "mary", org.beta)
    url = reverse("projects:member_edit", kwargs={"pk": org.alpha.pk, "membership_pk": other.pk})
    assert client_for("priya").get(url).status_code == 404


def test_removing_a_member(org, client_for):
    membership = membership_of(org, "tom", org.alpha)
    url = reverse(
        "projects:member_remove", kwargs={"pk": org.alpha.pk, "membership_pk": membership.pk}
    )
    client = client_for("priya")
    assert client.get(url).status_code == 405

    response = client.post(url, follow=True)

    assert response.status_code == 200
    assert "Tom Turner is no longer a member of ALPHA" in response.content.decode()
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_named_manager_cannot_be_removed(org, client_for):
    membership = membership_of(org, "priya", org.alpha)
    url = reverse(
        "projects:member_remove", kwargs={"pk": org.alpha.pk, "membership_pk": membership.pk}
    )
    response = client_for("bob").post(url, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "is the project&#x27;s manager; name another manager before removing them" in html
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_team_member_cannot_remove_anyone(org, client_for):
    membership = membership_of(org, "mary", org.alpha)
    url = reverse(
        "projects:member_remove", kwargs={"pk": org.alpha.pk, "membership_pk": membership.pk}
    )
    assert client_for("tom").post(url).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_membership_changes_appear_in_the_project_history(org, client_for):
    client = client_for("priya")
    client.post(members_url(org.beta), {"person": org.people["tom"].pk, "role": "viewer"})
    html = client.get(reverse("projects:history", kwargs={"pk": org.beta.pk})).content.decode()
    assert "Membership of Tom Turner created" in html
