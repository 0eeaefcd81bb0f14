"""Project list, create, detail, edit (with version conflicts), close, delete and history."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from steerco.projects.models import Membership, Project
from steerco.projects.services import project_create, project_update


def codes_in(response) -> list[str]:
    return [project.code for project in response.context["projects"]]


def edit_data(project: Project, **overrides) -> dict:
    data = {
        "version": project.version,
        "code": project.code,
        "name": project.name,
        "description": project.description,
        "sponsor": project.sponsor_id or "",
        "manager": project.manager_id or "",
        "portfolio": project.portfolio_id or "",
        "status": project.status,
        "health": project.health,
        "planned_start": project.planned_start.isoformat() if project.planned_start else "",
        "planned_finish": project.planned_finish.isoformat() if project.planned_finish else "",
    }
    data.update(overrides)
    return data


# --- list ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("bob", ["ALPHA", "BETA", "GAMMA"]),
        ("erin", ["ALPHA", "BETA", "GAMMA"]),
        ("priya", ["ALPHA", "BETA"]),
        ("tom", ["ALPHA"]),
        ("olga", []),
    ],
)
def test_project_list_shows_only_visible_projects(client_for, username, expected):
    response = client_for(username).get(reverse("projects:list"))
    assert response.status_code == 200
    assert codes_in(response) == expected


def test_project_list_shows_code_and_name_in_a_table(client_for):
    html = client_for("tom").get(reverse("projects:list")).content.decode()
    assert "<table" in html
    assert "ALPHA" in html
    assert "Alpha CRM replacement" in html
    assert "Beta data platform" not in html


def test_outsider_sees_an_empty_state_that_says_what_to_do(client_for):
    html = client_for("olga").get(reverse("projects:list")).content.decode()
    assert "There are no projects you can see yet." in html
    assert "adds you to one" in html


def test_filters_by_status(client_for):
    response = client_for("bob").get(reverse("projects:list"), {"status": "proposed"})
    assert codes_in(response) == ["GAMMA"]


def test_filters_by_portfolio(org, client_for):
    response = client_for("bob").get(reverse("projects:list"), {"portfolio": org.portfolio.pk})
    assert codes_in(response) == ["ALPHA", "BETA"]


def test_filters_by_manager(org, client_for):
    response = client_for("bob").get(reverse("projects:list"), {"manager": org.people["bob"].pk})
    assert codes_in(response) == ["GAMMA"]


def test_search_matches_code_or_name(client_for):
    client = client_for("bob")
    assert codes_in(client.get(reverse("projects:list"), {"q": "office"})) == ["GAMMA"]
    assert codes_in(client.get(reverse("projects:list"), {"q": "bet"})) == ["BETA"]


def test_search_with_no_match_explains_the_empty_result(client_for):
    response = client_for("bob").get(reverse("projects:list"), {"q": "zzz"})
    assert codes_in(response) == []
    assert "No project matches these filters." in response.content.decode()


def test_manager_filter_offers_only_managers_of_visible_projects(org, client_for):
    form = client_for("tom").get(reverse("projects:list")).context["filter_form"]
    assert list(form.fields["manager"].queryset) == [org.people["priya"]]


def test_unknown_filter_values_are_ignored_not_errors(client_for):
    response = client_for("bob").get(
        reverse("projects:list"), {"portfolio": "999999", "manager": "x", "status": "nope"}
    )
    assert response.status_code == 200
    assert codes_in(response) == ["ALPHA", "BETA", "GAMMA"]


def test_list_is_paginated(org, client_for):
    for number in range(30):
        project_create(actor=org.bob, code=f"P{number:02d}", name=f"Project {number}")
    client = client_for("bob")

    first = client.get(reverse("projects:list"))
    second = client.get(reverse("projects:list"), {"page": 2})

    assert len(codes_in(first)) == 25
    assert first.context["page_obj"].paginator.count == 33
    assert len(codes_in(second)) == 8
    assert "Page 1 of 2" in first.content.decode()


def test_htmx_request_returns_only_the_results_partial(client_for):
    response = client_for("bob").get(
        reverse("projects:list"), {"q": "gamma"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<table" in html
    assert "GAMMA" in html
    # The result count outside the table is updated out of band, for screen readers.
    assert '<p id="result-count" class="muted" role="status" hx-swap-oob="true">1 project</p>' in (
        html
    )
    assert "ALPHA" not in html
    assert "<html" not in html
    assert "<nav" not in html.split("pagination")[0]


def test_htmx_history_restore_gets_the_whole_page(client_for):
    # htmx asks for the full page when its history cache misses (back button).
    response = client_for("bob").get(
        reverse("projects:list"),
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()


def test_list_varies_on_the_htmx_header(client_for):
    # Otherwise a browser cache could serve the partial as the page, or the reverse.
    response = client_for("bob").get(reverse("projects:list"))
    assert "HX-Request" in response["Vary"]


def test_full_page_contains_the_results_partial_and_htmx_filters(client_for):
    html = client_for("bob").get(reverse("projects:list")).content.decode()
    assert '<div id="project-results"' in html
    assert '<p id="result-count" class="muted" role="status">3 projects</p>' in html
    assert "hx-swap-oob" not in html
    assert 'hx-get="/projects/"' in html
    assert 'hx-target="#project-results"' in html
    assert "<html" in html


@pytest.mark.parametrize(
    ("username", "shown"),
    [("bob", True), ("priya", True), ("admin", True), ("mary", False), ("tom", False)],
)
def test_new_project_link_only_for_those_who_may_create(client_for, username, shown):
    html = client_for(username).get(reverse("projects:list")).content.decode()
    assert (">New project</a>" in html) is shown


# --- create ----------------------------------------------------------------------------


def test_create_form_has_the_labelled_fields(client_for):
    html = client_for("bob").get(reverse("projects:create")).content.decode()
    for label in [
        "Code",
        "Name",
        "Description",
        "Sponsor",
        "Manager",
        "Portfolio",
        "Status",
        "Planned start",
        "Planned finish",
    ]:
        assert re.search(rf"<label for=\"id_\w+\">{label}</label>", html), label
    assert ">Create project</button>" in html


def test_create_project_then_land_on_its_page(org, client_for):
    response = client_for("priya").post(
        reverse("projects:create"),
        {
            "code": "delta",
            "name": "Delta website",
            "description": "New public site",
            "sponsor": org.people["erin"].pk,
            "manager": org.people["priya"].pk,
            "portfolio": org.portfolio.pk,
            "status": "proposed",
            "planned_start": "2026-03-02",
            "planned_finish": "2026-09-30",
        },
    )
    project = Project.objects.get(code="DELTA")
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:detail", kwargs={"pk": project.pk})
    assert project.sponsor == org.people["erin"]
    assert project.planned_finish == date(2026, 9, 30)
    assert Membership.objects.filter(
        project=project, person=org.people["priya"], role="project_manager"
    ).exists()


def test_duplicate_code_is_shown_beside_the_code_field(client_for):
    response = client_for("bob").post(
        reverse("projects:create"), {"code": "alpha", "name": "Another", "status": "proposed"}
    )
    assert response.status_code == 422  # refused: a 4xx, not 200
    errors = response.context["form"].errors
    assert "already exists" in " ".join(errors["code"])
    assert 'id="id_code_error"' in response.content.decode()
    assert Project.objects.filter(name="Another").count() == 0


def test_finish_before_start_is_shown_beside_the_finish_field(client_for):
    response = client_for("bob").post(
        reverse("projects:create"),
        {
            "code": "EPS",
            "name": "Epsilon",
            "status": "proposed",
            "planned_start": "2026-05-01",
            "planned_finish": "2026-04-01",
        },
    )
    assert response.status_code == 422  # refused: a 4xx, not 200
    assert response.context["form"].errors["planned_finish"] == [
        "The planned finish cannot be before the planned start."
    ]
    assert not Project.objects.filter(code="EPS").exists()


def test_badly_formed_code_and_missing_name_are_inline_errors(client_for):
    response = client_for("bob").post(
        reverse("projects:create"), {"code": "a b!", "name": "", "status": "proposed"}
    )
    errors = response.context["form"].errors
    assert response.status_code == 200
    assert errors["name"]
    assert errors["code"]


def test_those_who_may_not_create_get_403(client_for):
    assert client_for("mary").get(reverse("projects:create")).status_code == 403
    response = client_for("tom").post(
        reverse("projects:create"), {"code": "SNEAK", "name": "x", "status": "proposed"}
    )
    assert response.status_code == 403
    assert not Project.objects.filter(code="SNEAK").exists()


# --- detail ----------------------------------------------------------------------------


def test_detail_shows_fields_health_word_and_members(org, client_for):
    html = client_for("tom").get(reverse("projects:detail", kwargs={"pk": org.alpha.pk}))
    html = html.content.decode()
    assert "Alpha CRM replacement" in html
    assert "Priya Patel" in html
    assert "Erin Ellis" in html
    assert "Change portfolio" in html
    assert "Not assessed" in html
    assert "Tom Turner" in html


@pytest.mark.parametrize(
    ("username", "links"),
    [
        ("bob", {"edit", "close", "delete"}),
        ("priya", {"edit", "close"}),
        ("mary", {"edit"}),
        ("tom", set()),
        ("erin", set()),
    ],
)
def test_detail_links_only_to_allowed_actions(org, client_for, username, links):
    html = client_for(username).get(reverse("projects:detail", kwargs={"pk": org.alpha.pk}))
    html = html.content.decode()
    for action in ("edit", "close", "delete"):
        url = reverse(f"projects:{action}", kwargs={"pk": org.alpha.pk})
        assert (f'href="{url}"' in html) is (action in links), action


def test_outsiders_get_404_and_watchers_403(org, client_for):
    detail = reverse("projects:detail", kwargs={"pk": org.alpha.pk})
    edit = reverse("projects:edit", kwargs={"pk": org.alpha.pk})
    assert client_for("olga").get(detail).status_code == 404
    assert client_for("olga").get(edit).status_code == 404
    beta = reverse("projects:detail", kwargs={"pk": org.beta.pk})
    assert client_for("tom").get(beta).status_code == 404
    assert client_for("erin").get(edit).status_code == 403
    assert client_for("tom").get(edit).status_code == 403


# --- edit ------------------------------------------------------------------------------


def test_edit_form_carries_the_version(org, client_for):
    html = client_for("priya").get(reverse("projects:edit", kwargs={"pk": org.alpha.pk}))
    assert f'<input type="hidden" name="version" value="{org.alpha.version}"' in (
        html.content.decode()
    )


def test_edit_saves_changes(org, client_for):
    url = reverse("projects:edit", kwargs={"pk": org.alpha.pk})
    response = client_for("mary").post(url, edit_data(org.alpha, name="Alpha CRM", health="amber"))
    assert response.status_code == 302
    org.alpha.refresh_from_db()
    assert org.alpha.name == "Alpha CRM"
    assert org.alpha.health == "amber"
    assert org.alpha.version == 2


def test_stale_edit_is_refused_with_the_other_persons_changes(org, client_for):
    url = reverse("projects:edit", kwargs={"pk": org.alpha.pk})
    stale = edit_data(org.alpha, name="Alpha CRM (mine)")
    # Bob saves first: he renames it and puts it on hold.
    project_update(
        actor=org.bob,
        project=Project.objects.get(pk=org.alpha.pk),
        expected_version=org.alpha.version,
        name="Alpha CRM (bob)",
        status="on_hold",
    )

    response = client_for("priya").post(url, stale)

    assert response.status_code == 409  # refused: a 4xx, not 200
    html = response.content.decode()
    conflict = response.context["conflict"]
    assert "Your changes were not saved" in html
    assert "Bob Baker saved this project after you opened it." in html
    assert set(conflict.other_fields) == {"Name", "Status"}
    rows = {row.label: (row.current, row.yours) for row in conflict.rows}
    assert rows["Name"] == ("Alpha CRM (bob)", "Alpha CRM (mine)")
    assert rows["Status"] == ("On hold", "Active")
    # The form now holds the current version so the user can re-apply and save.
    form = response.context["form"]
    assert form.initial["version"] == 2
    assert form.initial["name"] == "Alpha CRM (bob)"
    project = Project.objects.get(pk=org.alpha.pk)
    assert project.name == "Alpha CRM (bob)"

    retry = client_for("priya").post(url, edit_data(project, name="Alpha CRM (mine)"))
    assert retry.status_code == 302
    assert Project.objects.get(pk=org.alpha.pk).name == "Alpha CRM (mine)"


def test_edit_validation_error_keeps_the_users_input(org, client_for):
    url = reverse("projects:edit", kwargs={"pk": org.alpha.pk})
    response = client_for("priya").post(
        url, edit_data(org.alpha, name="Renamed", planned_finish="2025-01-01")
    )
    assert response.status_code == 422  # refused: a 4xx, not 200
    assert response.context["form"].errors["planned_finish"]
    assert response.context["form"]["name"].value() == "Renamed"
    org.alpha.refresh_from_db()
    assert org.alpha.name == "Alpha CRM replacement"
    assert org.alpha.version == 1


def test_support_cannot_close_a_project_through_the_edit_form(org, client_for):
    url = reverse("projects:edit", kwargs={"pk": org.alpha.pk})
    client = client_for("mary")
    choices = dict(client.get(url).context["form"].fields["status"].choices)
    assert "closed" not in choices

    response = client.post(url, edit_data(org.alpha, status="closed"))

    assert response.status_code == 200
    assert response.context["form"].errors["status"]
    assert Project.objects.get(pk=org.alpha.pk).status == "active"


# --- close and delete ------------------------------------------------------------------


def test_close_asks_for_confirmation_then_closes(org, client_for):
    url = reverse("projects:close", kwargs={"pk": org.alpha.pk})
    client = client_for("priya")
    assert "Confirm closure" in client.get(url).content.decode()

    response = client.post(url, {"version": org.alpha.version, "status": "cancelled"})

    assert response.status_code == 302
    project = Project.objects.get(pk=org.alpha.pk)
    assert project.status == "cancelled"
    assert project.closed_on is not None


def test_close_with_a_stale_version_asks_again(org, client_for):
    url = reverse("projects:close", kwargs={"pk": org.alpha.pk})
    project_update(actor=org.bob, project=org.alpha, expected_version=1, name="Renamed")
    response = client_for("priya").post(url, {"version": 1, "status": "closed"})
    assert response.status_code == 409  # refused: a 4xx, not 200
    assert "changed by someone else" in response.content.decode()
    assert '<input type="hidden" name="version" value="2"' in response.content.decode()
    assert Project.objects.get(pk=org.alpha.pk).status == "active"


@pytest.mark.parametrize("username", ["mary", "tom", "erin"])
def test_close_is_forbidden_without_the_permission(org, client_for, username):
    url = reverse("projects:close", kwargs={"pk": org.alpha.pk})
    assert client_for(username).post(url, {"version": 1, "status": "closed"}).status_code == 403
    assert Project.objects.get(pk=org.alpha.pk).status == "active"


@pytest.mark.parametrize(("username", "status"), [("priya", 403), ("mary", 403), ("olga", 404)])
def test_only_pmo_and_admin_may_delete(org, client_for, username, status):
    url = reverse("projects:delete", kwargs={"pk": org.alpha.pk})
    assert client_for(username).get(url).status_code == status
    assert client_for(username).post(url, {"version": 1}).status_code == status
    assert Project.objects.filter(pk=org.alpha.pk).exists()


def test_tampered_version_is_reported_not_a_server_error(org, client_for):
    url = reverse("projects:delete", kwargs={"pk": org.gamma.pk})
    response = client_for("bob").post(url, {"version": "latest"})
    assert response.status_code == 200
    assert "Version: Enter a whole number." in response.content.decode()
    assert Project.objects.filter(pk=org.gamma.pk).exists()


@pytest.mark.parametrize("username", ["bob", "admin"])
def test_pmo_and_admin_delete_after_confirming(org, client_for, username):
    url = reverse("projects:delete", kwargs={"pk": org.gamma.pk})
    client = client_for(username)
    assert "Delete this project?" in client.get(url).content.decode()

    response = client.post(url, {"version": org.gamma.version})

    assert response.status_code == 302
    assert response["Location"] == reverse("projects:list")
    assert not Project.objects.filter(pk=org.gamma.pk).exists()


# --- history ---------------------------------------------------------------------------


def test_history_shows_who_changed_what_from_old_to_new(org, client_for):
    project_update(actor=org.priya, project=org.alpha, expected_version=1, name="Alpha CRM")
    response = client_for("tom").get(reverse("projects:history", kwargs={"pk": org.alpha.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Priya Patel" in html  # the person's name, not the login
    assert "Alpha CRM replacement" in html
    assert "→ Alpha CRM<" in html
    assert "Project created" in html


def test_history_is_hidden_from_outsiders(org, client_for):
    url = reverse("projects:history", kwargs={"pk": org.alpha.pk})
    assert client_for("olga").get(url).status_code == 404


def test_project_list_offers_an_export_that_runs_as_a_job(client_for, org):
    client = client_for("erin")
    page = client.get("/projects/").content.decode()
    assert f'action="{reverse("jobs:project_export")}"' in page
    response = client.post(reverse("jobs:project_export"), {"file_format": "xlsx"})
    assert response.status_code == 302
    assert "/jobs/" in response["Location"]
