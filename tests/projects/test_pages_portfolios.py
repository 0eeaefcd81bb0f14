"""Portfolio list, detail, create and edit pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from steerco.projects.models import Portfolio
from steerco.projects.services import portfolio_update, project_update


def test_list_shows_project_counts_and_status_mix(org, client_for):
    project_update(actor=org.bob, project=org.beta, expected_version=1, status="on_hold")
    response = client_for("bob").get(reverse("portfolios:list"))
    html = response.content.decode()
    [row] = response.context["rows"]
    assert row["portfolio"] == org.portfolio
    assert row["total"] == 2
    assert [(item.label, item.count) for item in row["mix"]] == [("Active", 1), ("On hold", 1)]
    assert "1 active" in html
    assert "1 on hold" in html


def test_counts_only_include_projects_the_user_can_see(org, client_for):
    [row] = client_for("tom").get(reverse("portfolios:list")).context["rows"]
    assert row["total"] == 1


def test_outsider_sees_no_portfolios_and_cannot_open_one(org, client_for):
    client = client_for("olga")
    response = client.get(reverse("portfolios:list"))
    assert response.context["rows"] == []
    assert "There are no portfolios you can see." in response.content.decode()
    detail = reverse("portfolios:detail", kwargs={"pk": org.portfolio.pk})
    assert client.get(detail).status_code == 404


def test_detail_lists_its_visible_projects(org, client_for):
    response = client_for("priya").get(
        reverse("portfolios:detail", kwargs={"pk": org.portfolio.pk})
    )
    assert [project.code for project in response.context["projects"]] == ["ALPHA", "BETA"]
    assert "Alpha CRM replacement" in response.content.decode()


@pytest.mark.parametrize(("username", "shown"), [("bob", True), ("erin", False), ("priya", False)])
def test_new_portfolio_link_only_for_portfolio_managers(client_for, username, shown):
    html = client_for(username).get(reverse("portfolios:list")).content.decode()
    assert (reverse("portfolios:create") in html) is shown


def test_pmo_creates_a_portfolio(org, client_for):
    response = client_for("bob").post(
        reverse("portfolios:create"),
        {"code": "ops", "name": "Operations", "owner": org.people["bob"].pk},
    )
    portfolio = Portfolio.objects.get(code="OPS")
    assert response.status_code == 302
    assert response["Location"] == reverse("portfolios:detail", kwargs={"pk": portfolio.pk})
    assert portfolio.owner == org.people["bob"]


def test_duplicate_portfolio_code_is_an_inline_error(org, client_for):
    response = client_for("bob").post(
        reverse("portfolios:create"), {"code": "CHANGE", "name": "Again"}
    )
    assert response.status_code == 422  # refused: a 4xx, not 200
    assert response.context["form"].errors["code"]


@pytest.mark.parametrize(("username", "status"), [("priya", 403), ("erin", 403)])
def test_others_may_not_create_or_edit_portfolios(org, client_for, username, status):
    client = client_for(username)
    assert client.post(reverse("portfolios:create"), {"code": "X1", "name": "X"}).status_code == (
        status
    )
    edit = reverse("portfolios:edit", kwargs={"pk": org.portfolio.pk})
    assert client.post(edit, {"version": 1, "code": "CHANGE", "name": "Mine"}).status_code == (
        status
    )
    assert not Portfolio.objects.filter(code="X1").exists()
    assert Portfolio.objects.get(pk=org.portfolio.pk).name == "Change portfolio"


def test_pmo_edits_a_portfolio(org, client_for):
    url = reverse("portfolios:edit", kwargs={"pk": org.portfolio.pk})
    response = client_for("bob").post(
        url, {"version": 1, "code": "CHANGE", "name": "Change and transformation"}
    )
    assert response.status_code == 302
    assert Portfolio.objects.get(pk=org.portfolio.pk).name == "Change and transformation"


def test_stale_portfolio_edit_lists_the_conflicting_field(org, client_for):
    portfolio_update(
        actor=org.admin, portfolio=org.portfolio, expected_version=1, name="Renamed by admin"
    )
    url = reverse("portfolios:edit", kwargs={"pk": org.portfolio.pk})
    response = client_for("bob").post(url, {"version": 1, "code": "CHANGE", "name": "Bob's name"})
    assert response.status_code == 409  # refused: a 4xx, not 200
    conflict = response.context["conflict"]
    assert conflict.other_fields == ["Name"]
    assert [(row.label, row.current, row.yours) for row in conflict.rows] == [
        ("Name", "Renamed by admin", "Bob's name")
    ]
    assert Portfolio.objects.get(pk=org.portfolio.pk).name == "Renamed by admin"
