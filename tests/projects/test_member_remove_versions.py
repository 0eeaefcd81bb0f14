"""Removing a member names the version read, on the page and (optionally) in the API."""

from __future__ import annotations

from django.urls import reverse

from steerco.projects.models import Membership
from steerco.projects.services import membership_change_role


def _tom_on_alpha(org) -> Membership:
    return Membership.objects.get(project=org.alpha, person=org.people["tom"])


def _api_url(org, membership) -> str:
    return f"/api/v1/projects/{org.alpha.pk}/members/{membership.pk}"


def test_the_members_page_sends_each_membership_version(org, client_for):
    tom = _tom_on_alpha(org)
    html = client_for("priya").get(reverse("projects:members", kwargs={"pk": org.alpha.pk}))
    assert f'name="version" value="{tom.version}"' in html.content.decode()


def test_a_stale_remove_from_the_page_is_refused_and_says_why(org, client_for):
    tom = _tom_on_alpha(org)
    shown = tom.version
    membership_change_role(actor=org.priya, membership=tom, role="viewer", expected_version=shown)
    url = reverse("projects:member_remove", kwargs={"pk": org.alpha.pk, "membership_pk": tom.pk})

    response = client_for("priya").post(url, {"version": shown}, follow=True)

    assert "changed by someone else" in response.content.decode()
    assert Membership.objects.filter(pk=tom.pk).exists()


def test_the_api_refuses_a_stale_version_and_accepts_none(org, client_for):
    tom = _tom_on_alpha(org)
    shown = tom.version
    membership_change_role(actor=org.priya, membership=tom, role="viewer", expected_version=shown)
    priya = client_for("priya")

    stale = priya.delete(f"{_api_url(org, tom)}?version={shown}")
    assert stale.status_code == 409
    assert stale.json()["code"] == "version_conflict"

    assert priya.delete(_api_url(org, tom)).status_code == 204
    assert priya.delete(_api_url(org, tom)).status_code == 404
