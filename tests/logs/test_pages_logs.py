"""The log pages: lists with filters and sorting, forms, deletion and inline edits, for
every log through one set of views, with each role's permissions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from steerco.logs import services
from steerco.logs.models import Action, Issue, ProjectDependency, Risk

HTMX = {"HTTP_HX_REQUEST": "true"}


def _risk(org, project=None, **fields):
    values = {"title": "Supplier late", "probability": 4, "impact": 3, "owner": org.people["priya"]}
    values.update(fields)
    return services.item_create(
        actor=org.priya, project=project or org.alpha, kind="risks", **values
    )


def _action(org, **fields):
    values = {"title": "Chase supplier", "owner": org.people["tom"]}
    values.update(fields)
    return services.item_create(actor=org.priya, project=org.alpha, kind="actions", **values)


def _list(project, kind="risks"):
    return reverse("logs:list", args=[project.pk, kind])


def _field(item, field, kind="risks"):
    return reverse("logs:field", args=[item.project_id, kind, item.pk, field])


def _text(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------- list


def test_risk_list_shows_heading_new_button_and_score_band(org, client_for):
    _risk(org, title="Supplier late", probability=5, impact=5)
    response = client_for("mary").get(_list(org.alpha))
    text = _text(response)
    assert response.status_code == 200
    assert "<h2>Risks</h2>" in text
    assert "New risk" in text
    assert "R-001" in text and "Supplier late" in text
    # The band is a word as well as a colour.
    assert "badge--red" in text and "High" in text
    assert reverse("logs:export", args=[org.alpha.pk, "risks", "csv"]) in text
    assert reverse("logs:import", args=[org.alpha.pk, "risks"]) in text


@pytest.mark.parametrize("kind", ["assumptions", "decisions", "changes", "lessons"])
def test_every_log_has_a_list_and_a_form(org, client_for, kind):
    client = client_for("mary")
    assert client.get(_list(org.alpha, kind)).status_code == 200
    response = client.get(reverse("logs:create", args=[org.alpha.pk, kind]))
    assert response.status_code == 200
    assert "Save" in _text(response)


def test_list_shows_open_items_unless_asked_for_closed_or_all(org, client_for):
    _risk(org, title="Still open")
    _risk(org, title="Long gone", status="closed")
    client = client_for("priya")
    assert "Long gone" not in _text(client.get(_list(org.alpha)))
    closed = _text(client.get(_list(org.alpha), {"state": "closed"}))
    assert "Long gone" in closed and "Still open" not in closed
    everything = _text(client.get(_list(org.alpha), {"state": "all"}))
    assert "Long gone" in everything and "Still open" in everything


def test_list_filters_by_a_filter_field_and_searches(org, client_for):
    _risk(org, title="Supplier late", category="commercial")
    _risk(org, title="Tester leaves", category="people", cause="contract ends in May")
    client = client_for("priya")
    by_category = _text(client.get(_list(org.alpha), {"category": "people"}))
    assert "Tester leaves" in by_category and "Supplier late" not in by_category
    by_text = _text(client.get(_list(org.alpha), {"q": "contract ends"}))
    assert "Tester leaves" in by_text and "Supplier late" not in by_text
    by_ref = _text(client.get(_list(org.alpha), {"q": "R-001"}))
    assert "Supplier late" in by_ref and "Tester leaves" not in by_ref


def test_owner_filter_offers_the_people_named_in_the_log(org, client_for):
    _risk(org)  # owned by Priya
    text = _text(client_for("tom").get(_list(org.alpha)))
    owner_select = text[text.index('name="owner"') :]
    owner_select = owner_select[: owner_select.index("</select>")]
    assert "Priya Patel" in owner_select and "Olga Olsen" not in owner_select


def test_list_sorts_by_score_descending(org, client_for):
    _risk(org, title="Small worry", probability=1, impact=2)
    _risk(org, title="Big threat", probability=5, impact=4)
    text = _text(client_for("priya").get(_list(org.alpha), {"ordering": "-score_before"}))
    assert text.index("Big threat") < text.index("Small worry")
    text = _text(client_for("priya").get(_list(org.alpha), {"ordering": "score_before"}))
    assert text.index("Small worry") < text.index("Big threat")


@pytest.mark.parametrize(
    "params",
    [
        {"ordering": "password"},
        {"owner": "not-a-number"},
        {"status": "exploded"},
        {"state": "sideways"},
    ],
)
def test_bad_filter_or_sort_values_are_a_400_with_a_message(org, client_for, params):
    _risk(org)
    response = client_for("priya").get(_list(org.alpha), params)
    assert response.status_code == 400
    assert 'role="alert"' in _text(response)
    assert "Show the whole list" in _text(response)


def test_a_bad_page_number_shows_a_page_rather_than_failing(org, client_for):
    _risk(org)
    response = client_for("priya").get(_list(org.alpha), {"page": "lots"})
    assert response.status_code == 200
    assert "R-001" in _text(response)


def test_htmx_filtering_swaps_only_the_results(org, client_for):
    _risk(org)
    response = client_for("priya").get(_list(org.alpha), {"q": "supplier"}, **HTMX)
    text = _text(response)
    assert response.status_code == 200
    assert "<html" not in text and "<table" in text and "R-001" in text


def test_lists_page_at_fifty_items(org, client_for):
    for number in range(51):
        _action(org, title=f"Action number {number}")
    first = _text(client_for("priya").get(_list(org.alpha, "actions")))
    assert "Page 1 of 2" in first and "ACT-051" not in first
    second = _text(client_for("priya").get(_list(org.alpha, "actions"), {"page": 2}))
    assert "ACT-051" in second


def test_overdue_actions_say_so_in_words(org, client_for):
    _action(org, due_date=date.today() - timedelta(days=3))
    text = _text(client_for("priya").get(_list(org.alpha, "actions")))
    assert "Overdue" in text


def test_dependencies_recorded_by_another_project_appear_mirrored(org, client_for):
    services.item_create(
        actor=org.priya,
        project=org.beta,
        kind="dependencies",
        title="Customer data extract",
        direction=ProjectDependency.Direction.OUTBOUND,
        other_project=org.alpha,
    )
    text = _text(client_for("priya").get(_list(org.alpha, "dependencies")))
    assert "Customer data extract" in text
    assert "recorded by BETA" in text
    assert "Inbound (we need it)" in text
    # Edited where it was recorded, not from here.
    assert "/field/" not in text


# ---------------------------------------------------------------- overview


def test_overview_shows_open_counts_and_most_pressing_items(org, client_for):
    _risk(org, title="Top threat", probability=5, impact=5)
    _action(org, title="Late action", due_date=date.today() - timedelta(days=1))
    services.item_create(
        actor=org.priya,
        project=org.alpha,
        kind="issues",
        title="Need PMO help",
        escalated_to_pmo=True,
        escalation_reason="Budget",
    )
    response = client_for("erin").get(reverse("logs:overview", args=[org.alpha.pk]))
    text = _text(response)
    assert response.status_code == 200
    for expected in ("Top threat", "Late action", "Need PMO help", "Change requests"):
        assert expected in text
    assert 'aria-current="page">Overview' in text
    # Erin reads but does not add.
    assert reverse("logs:create", args=[org.alpha.pk, "risks"]) not in text


def test_project_pages_link_to_the_logs(org, client_for):
    text = _text(client_for("priya").get(reverse("projects:detail", args=[org.alpha.pk])))
    assert reverse("logs:overview", args=[org.alpha.pk]) in text


# ---------------------------------------------------------------- create, edit, delete


def test_create_a_risk_then_land_on_its_page(org, client_for):
    response = client_for("mary").post(
        reverse("logs:create", args=[org.alpha.pk, "risks"]),
        {
            "title": "Vendor insolvency",
            "risk_type": "threat",
            "probability": "2",
            "impact": "5",
            "status": "open",
            "raised_on": "2026-03-02",
        },
    )
    risk = Risk.objects.get(project=org.alpha, title="Vendor insolvency")
    assert response.status_code == 302
    assert response["Location"] == reverse("logs:item", args=[org.alpha.pk, "risks", risk.pk])
    assert (risk.probability, risk.impact, risk.raised_by) == (2, 5, org.people["mary"])


def test_create_form_offers_scale_levels_and_date_pickers(org, client_for):
    text = _text(client_for("mary").get(reverse("logs:create", args=[org.alpha.pk, "risks"])))
    assert "3 – " in text  # "3 – Medium"-style levels of the organisation scale
    assert 'type="date"' in text


def test_create_shows_validation_errors_beside_the_fields(org, client_for):
    response = client_for("mary").post(
        reverse("logs:create", args=[org.alpha.pk, "risks"]),
        {"title": "", "risk_type": "threat", "probability": "", "impact": "3", "status": "open"},
    )
    assert response.status_code == 200
    assert "This field is required." in _text(response)
    assert not Risk.objects.filter(project=org.alpha).exists()


def test_service_rules_come_back_as_form_errors(org, client_for):
    response = client_for("mary").post(
        reverse("logs:create", args=[org.alpha.pk, "risks"]),
        {
            "title": "Opportunity",
            "risk_type": "threat",
            "probability": "2",
            "impact": "2",
            "strategy": "exploit",
            "status": "open",
            "raised_on": "2026-03-02",
        },
    )
    assert response.status_code == 422  # refused: a 4xx, not 200
    assert "is not a response to a threat" in _text(response)
    assert not Risk.objects.exists()


def _edit_data(risk, **changes):
    data = {
        "title": risk.title,
        "risk_type": risk.risk_type,
        "probability": str(risk.probability),
        "impact": str(risk.impact),
        "status": risk.status,
        "raised_on": risk.raised_on.isoformat(),
        "owner": str(risk.owner_id or ""),
        "version": str(risk.version),
    }
    data.update(changes)
    return data


def test_edit_saves_changes(org, client_for):
    risk = _risk(org)
    response = client_for("mary").post(
        reverse("logs:edit", args=[org.alpha.pk, "risks", risk.pk]),
        _edit_data(risk, title="Supplier very late", impact="5"),
    )
    risk.refresh_from_db()
    assert response.status_code == 302
    assert (risk.title, risk.impact) == ("Supplier very late", 5)


def test_edit_shows_validation_errors(org, client_for):
    risk = _risk(org)
    response = client_for("mary").post(
        reverse("logs:edit", args=[org.alpha.pk, "risks", risk.pk]),
        _edit_data(risk, probability="9"),
    )
    assert response.status_code == 200
    assert "Select a valid choice" in _text(response)
    risk.refresh_from_db()
    assert risk.probability == 4


def test_a_stale_edit_is_refused_and_shows_what_changed(org, client_for):
    risk = _risk(org)
    stale = _edit_data(risk, title="Mary's title")
    services.item_update(actor=org.priya, item=risk, expected_version=risk.version, impact=5)
    response = client_for("mary").post(
        reverse("logs:edit", args=[org.alpha.pk, "risks", risk.pk]), stale
    )
    text = _text(response)
    assert response.status_code == 409  # refused: a 4xx, not 200
    assert "Your changes were not saved" in text
    assert "Priya Patel" in text and "Mary&#x27;s title" in text
    risk.refresh_from_db()
    assert (risk.title, risk.impact) == ("Supplier late", 5)


def test_delete_asks_then_deletes_and_returns_to_the_list(org, client_for):
    risk = _risk(org)
    client = client_for("mary")
    url = reverse("logs:delete", args=[org.alpha.pk, "risks", risk.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Delete R-001" in _text(confirm)
    response = client.post(url, {"version": risk.version}, follow=True)
    assert response.redirect_chain[-1][0] == _list(org.alpha)
    assert "R-001 deleted." in _text(response)
    assert not Risk.objects.filter(pk=risk.pk).exists()


def test_a_stale_delete_asks_again(org, client_for):
    risk = _risk(org)
    services.item_update(actor=org.priya, item=risk, expected_version=risk.version, impact=1)
    response = client_for("mary").post(
        reverse("logs:delete", args=[org.alpha.pk, "risks", risk.pk]), {"version": 1}
    )
    assert response.status_code == 409  # refused: a 4xx, not 200
    assert "changed by someone else" in _text(response)
    assert Risk.objects.filter(pk=risk.pk).exists()


# ---------------------------------------------------------------- inline edit


def test_inline_editor_is_a_one_field_form_with_the_version(org, client_for):
    risk = _risk(org)
    response = client_for("mary").get(_field(risk, "status"), **HTMX)
    text = _text(response)
    assert response.status_code == 200
    assert text.lstrip().startswith("<tr")
    assert 'name="status"' in text and 'name="version"' in text and 'name="title"' not in text
    # Escape cancels through ui/steerco.js (data-editor-cancel), not an htmx trigger filter,
    # which htmx would evaluate as code against the Content-Security-Policy.
    assert "data-editor-cancel" in text


def test_inline_edit_saves_and_returns_the_updated_row(org, client_for):
    risk = _risk(org, probability=2, impact=2)
    response = client_for("mary").post(
        _field(risk, "impact"), {"impact": "5", "version": risk.version}, **HTMX
    )
    text = _text(response)
    risk.refresh_from_db()
    assert response.status_code == 200
    assert risk.impact == 5
    # The row comes back whole: the score moved with the impact.
    assert text.lstrip().startswith("<tr") and ">10</span>" in text
    assert 'name="impact"' not in text


def test_inline_edit_shows_a_validation_error_in_the_editor(org, client_for):
    action = _action(org)
    response = client_for("tom").post(
        _field(action, "status", "actions"),
        {"status": "blocked", "version": action.version},
        **HTMX,
    )
    text = _text(response)
    assert response.status_code == 200
    assert "Describe what blocks the action." in text
    assert 'name="status"' in text
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


def test_inline_edit_of_a_stale_version_says_who_changed_it_and_keeps_the_input(org, client_for):
    risk = _risk(org)
    opened_at = risk.version
    services.item_update(actor=org.priya, item=risk, expected_version=opened_at, title="Theirs")
    response = client_for("mary").post(
        _field(risk, "title"), {"title": "Mine", "version": opened_at}, **HTMX
    )
    text = _text(response)
    assert response.status_code == 200
    assert "since you opened the page" in text and "Priya Patel" in text and "Theirs" in text
    assert 'value="Mine"' in text  # nothing typed is lost
    risk.refresh_from_db()
    assert risk.title == "Theirs"


def test_inline_edit_without_htmx_redirects_back_to_the_list(org, client_for):
    risk = _risk(org)
    client = client_for("mary")
    assert client.get(_field(risk, "title")).status_code == 200
    response = client.post(_field(risk, "title"), {"title": "Renamed", "version": risk.version})
    assert response.status_code == 302
    assert response["Location"].startswith(_list(org.alpha))
    risk.refresh_from_db()
    assert risk.title == "Renamed"


def test_inline_edit_of_a_field_not_in_the_list_is_404(org, client_for):
    risk = _risk(org)
    assert client_for("mary").get(_field(risk, "cause")).status_code == 404
    assert client_for("mary").get(_field(risk, "number")).status_code == 404


def test_readers_see_no_editable_cells(org, client_for):
    _risk(org)
    text = _text(client_for("erin").get(_list(org.alpha)))
    assert "/field/" not in text and "New risk" not in text
    assert "/field/" in _text(client_for("mary").get(_list(org.alpha)))


# ---------------------------------------------------------------- permissions


def test_team_member_adds_actions_and_issues(org, client_for):
    client = client_for("tom")
    action = client.post(
        reverse("logs:create", args=[org.alpha.pk, "actions"]),
        {"title": "Book room", "status": "open", "raised_on": "2026-03-02"},
    )
    issue = client.post(
        reverse("logs:create", args=[org.alpha.pk, "issues"]),
        {
            "title": "Build broken",
            "issue_type": "problem",
            "priority": "2_medium",
            "severity": "2_medium",
            "status": "open",
            "raised_on": "2026-03-02",
        },
    )
    assert (action.status_code, issue.status_code) == (302, 302)
    assert Action.objects.filter(title="Book room").exists()
    assert Issue.objects.filter(title="Build broken").exists()


def test_team_member_cannot_add_risks_or_delete_anything(org, client_for):
    risk = _risk(org)
    action = _action(org)
    client = client_for("tom")
    create_risk = reverse("logs:create", args=[org.alpha.pk, "risks"])
    assert client.get(create_risk).status_code == 403
    assert (
        client.post(create_risk, {"title": "x", "probability": 1, "impact": 1}).status_code == 403
    )
    for kind, item in (("risks", risk), ("actions", action)):
        url = reverse("logs:delete", args=[org.alpha.pk, kind, item.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"version": item.version}).status_code == 403
    assert Risk.objects.filter(pk=risk.pk).exists() and Action.objects.filter(pk=action.pk).exists()
    assert "New risk" not in _text(client.get(_list(org.alpha)))


def test_executive_reads_every_list_but_cannot_write(org, client_for):
    risk = _risk(org)
    client = client_for("erin")
    assert client.get(_list(org.alpha)).status_code == 200
    assert client.get(_list(org.alpha, "actions")).status_code == 200
    args = [org.alpha.pk, "risks", risk.pk]
    assert client.get(reverse("logs:create", args=args[:2])).status_code == 403
    assert client.post(reverse("logs:create", args=args[:2]), {"title": "x"}).status_code == 403
    assert client.get(reverse("logs:edit", args=args)).status_code == 403
    assert client.post(reverse("logs:edit", args=args), _edit_data(risk)).status_code == 403
    assert client.post(reverse("logs:delete", args=args), {"version": 1}).status_code == 403
    field = _field(risk, "title")
    assert client.post(field, {"title": "x", "version": 1}, **HTMX).status_code == 403
    risk.refresh_from_db()
    assert risk.title == "Supplier late"


def test_outsider_gets_404_everywhere(org, client_for):
    risk = _risk(org)
    client = client_for("olga")
    args = [org.alpha.pk, "risks", risk.pk]
    for url in (
        reverse("logs:overview", args=[org.alpha.pk]),
        _list(org.alpha),
        reverse("logs:create", args=args[:2]),
        reverse("logs:edit", args=args),
        reverse("logs:delete", args=args),
        _field(risk, "title"),
    ):
        assert client.get(url).status_code == 404, url


def test_unknown_log_item_or_other_projects_item_is_404(org, client_for):
    beta_risk = _risk(org, project=org.beta)
    client = client_for("mary")
    assert client.get(_list(org.alpha, "gossip")).status_code == 404
    assert client.get(reverse("logs:edit", args=[org.alpha.pk, "risks", 9999])).status_code == 404
    # BETA's risk through ALPHA's address.
    wrong = reverse("logs:edit", args=[org.alpha.pk, "risks", beta_risk.pk])
    assert client.get(wrong).status_code == 404


def test_project_support_does_everything_on_alpha(org, client_for):
    client = client_for("mary")
    for kind in ("risks", "assumptions", "decisions", "actions", "lessons"):
        assert client.get(reverse("logs:create", args=[org.alpha.pk, kind])).status_code == 200
    risk = _risk(org)
    assert (
        client.get(reverse("logs:edit", args=[org.alpha.pk, "risks", risk.pk])).status_code == 200
    )
    response = client.post(
        reverse("logs:delete", args=[org.alpha.pk, "risks", risk.pk]), {"version": risk.version}
    )
    assert response.status_code == 302


def test_inline_edit_conflict_without_htmx_keeps_the_input_on_a_page(org, client_for):
    risk = _risk(org)
    opened_at = risk.version
    services.item_update(actor=org.priya, item=risk, expected_version=opened_at, title="Theirs")
    response = client_for("mary").post(
        _field(risk, "title"), {"title": "Mine", "version": opened_at}
    )
    text = _text(response)
    assert response.status_code == 409  # refused: a 4xx, not 200
    assert "since you opened the page" in text and 'value="Mine"' in text
    risk.refresh_from_db()
    assert risk.title == "Theirs"


def test_log_tabs_mark_the_current_log_and_show_open_counts(org, client_for):
    _risk(org)
    _risk(org, title="Closed one", status="closed")
    text = _text(client_for("priya").get(_list(org.alpha)))
    nav = text[text.index('aria-label="Project logs"') :]
    nav = nav[: nav.index("</nav>")]
    risks_tab = nav[nav.index(_list(org.alpha)) :]
    risks_tab = risks_tab[: risks_tab.index("</li>")]
    assert 'aria-current="page"' in risks_tab
    assert '">1<span class="visually-hidden"> open</span>' in risks_tab
    for name in ("logs:heat_map", "logs:action_board"):
        assert reverse(name, args=[org.alpha.pk]) in nav


@pytest.mark.parametrize("kind", ["risks", "decisions", "changes"])
def test_a_full_list_page_takes_a_fixed_number_of_queries(
    org, client_for, django_assert_max_num_queries, kind
):
    client = client_for("priya")
    client.get(_list(org.alpha, kind))  # warm the session and caches
    for number in range(30):
        if kind == "risks":
            _risk(org, title=f"Risk {number}", probability_after=1, impact_after=1)
        elif kind == "decisions":
            services.item_create(
                actor=org.priya,
                project=org.alpha,
                kind=kind,
                title=f"Decision {number}",
                decided_by=org.people["erin"],
                decided_on=date(2026, 3, 2),
            )
        else:
            services.item_create(
                actor=org.priya, project=org.alpha, kind=kind, title=f"Change {number}"
            )
    with django_assert_max_num_queries(30):
        assert client.get(_list(org.alpha, kind)).status_code == 200
