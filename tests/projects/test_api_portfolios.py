"""Portfolios over the API: the PMO manages them, project members see their own."""

import pytest

from steerco.projects.models import Portfolio, Project

PORTFOLIOS = "/api/v1/portfolios"
JSON = "application/json"


def url(portfolio) -> str:
    return f"{PORTFOLIOS}/{portfolio.pk}"


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"detail", "code", "fields"}
    if code:
        assert body["code"] == code
    return body


@pytest.fixture
def infra(org):
    from steerco.projects.services import portfolio_create

    return portfolio_create(actor=org.admin, code="INFRA", name="Infrastructure")


@pytest.mark.parametrize(
    ("username", "visible"),
    [
        ("bob", ["CHANGE", "INFRA"]),
        ("erin", ["CHANGE", "INFRA"]),
        ("priya", ["CHANGE"]),
        ("tom", ["CHANGE"]),
        ("olga", []),
    ],
)
def test_portfolio_list_per_role(infra, client_for, username, visible):
    body = client_for(username).get(PORTFOLIOS).json()

    assert [p["code"] for p in body["items"]] == visible
    assert body["count"] == len(visible)


def test_portfolio_list_searches(infra, client_for):
    body = client_for("bob").get(f"{PORTFOLIOS}?q=infra").json()

    assert [p["code"] for p in body["items"]] == ["INFRA"]


def test_portfolio_detail(org, client_for):
    body = client_for("tom").get(url(org.portfolio)).json()

    assert body["id"] == org.portfolio.pk
    assert body["version"] == 1
    assert body["code"] == "CHANGE"
    assert body["owner"] is None


def test_invisible_portfolio_is_404(org, infra, client_for):
    assert_error(client_for("priya").get(url(infra)), 404, "not_found")
    assert_error(client_for("olga").get(url(org.portfolio)), 404, "not_found")


def test_pmo_creates_a_portfolio(org, client_for):
    response = client_for("bob").post(
        PORTFOLIOS,
        {"code": "growth", "name": "Growth", "owner": org.people["erin"].pk},
        JSON,
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "GROWTH"
    assert body["owner"] == org.people["erin"].pk
    assert Portfolio.objects.get(pk=body["id"]).owner == org.people["erin"]


@pytest.mark.parametrize("username", ["priya", "erin", "rita", "olga"])
def test_only_the_pmo_and_admins_create_portfolios(org, client_for, username):
    assert_error(client_for(username).post(PORTFOLIOS, {"code": "X1", "name": "X"}, JSON), 403)
    assert not Portfolio.objects.filter(code="X1").exists()


def test_duplicate_portfolio_code_breaks_a_rule(org, client_for):
    body = assert_error(
        client_for("bob").post(PORTFOLIOS, {"code": "CHANGE", "name": "Again"}, JSON), 422
    )

    assert "code" in body["fields"]


def test_unknown_owner_names_the_field(org, client_for):
    body = assert_error(
        client_for("bob").post(PORTFOLIOS, {"code": "OWN", "name": "Owned", "owner": 999999}, JSON),
        422,
        "unknown_reference",
    )

    assert list(body["fields"]) == ["owner"]


def test_pmo_patches_a_portfolio(org, client_for):
    response = client_for("bob").patch(
        url(org.portfolio), {"version": 1, "description": "All change projects"}, JSON
    )

    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    org.portfolio.refresh_from_db()
    assert org.portfolio.description == "All change projects"
    assert org.portfolio.name == "Change portfolio"


def test_reader_gets_403_on_portfolio_patch(org, client_for):
    assert_error(
        client_for("erin").patch(url(org.portfolio), {"version": 1, "name": "Mine"}, JSON), 403
    )
    assert_error(
        client_for("priya").patch(url(org.portfolio), {"version": 1, "name": "Mine"}, JSON), 403
    )


def test_stale_portfolio_patch_is_409_with_the_current_portfolio(org, client_for):
    bob = client_for("bob")
    bob.patch(url(org.portfolio), {"version": 1, "name": "First"}, JSON)

    body = assert_error(bob.patch(url(org.portfolio), {"version": 1, "name": "Second"}, JSON), 409)

    assert body["current"]["name"] == "First"
    org.portfolio.refresh_from_db()
    assert org.portfolio.name == "First"


def test_pmo_deletes_a_portfolio_and_its_projects_stay(org, client_for):
    response = client_for("bob").delete(f"{url(org.portfolio)}?version=1")

    assert response.status_code == 204
    assert not Portfolio.objects.filter(pk=org.portfolio.pk).exists()
    assert Project.objects.get(pk=org.alpha.pk).portfolio is None


def test_stale_portfolio_delete_is_409_and_deletes_nothing(org, client_for):
    body = assert_error(client_for("bob").delete(f"{url(org.portfolio)}?version=2"), 409)

    assert body["current"]["code"] == "CHANGE"
    assert Portfolio.objects.filter(pk=org.portfolio.pk).exists()


def test_reader_cannot_delete_a_portfolio(org, client_for):
    assert_error(client_for("erin").delete(f"{url(org.portfolio)}?version=1"), 403)
    assert Portfolio.objects.filter(pk=org.portfolio.pk).exists()
