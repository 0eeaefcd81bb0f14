"""The organisation's risk and issue register (/logs/register/) and the portfolio page's
"Risks and issues" panel: what project teams record flows up to the PMO.

Bands on the default 5×5 scales: 1–4 low, 5–11 medium, 12–25 high.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from steerco.logs import register, services
from steerco.projects.services import project_create

REGISTER = reverse("orglogs:register")
TODAY = timezone.localdate()


def _risk(org, project, title, probability, impact, *, actor="priya", **fields):
    return services.item_create(
        actor=org.users[actor],
        project=project,
        kind="risks",
        title=title,
        probability=probability,
        impact=impact,
        **fields,
    )


def _item(org, project, kind, title, *, actor="priya", **fields):
    return services.item_create(
        actor=org.users[actor], project=project, kind=kind, title=title, **fields
    )


@pytest.fixture
def logs(org):
    """Open and closed items in ALPHA and BETA (active, CHANGE portfolio) and GAMMA
    (proposed, no portfolio)."""
    people = org.people
    alpha, beta = org.alpha, org.beta
    items = {
        "supplier": _risk(
            org,
            alpha,
            "Supplier goes bust",
            5,
            5,
            probability_after=2,
            impact_after=3,
            owner=people["priya"],
            review_date=TODAY - timedelta(days=3),
        ),
        "developer": _risk(
            org,
            alpha,
            "Lead developer leaves",
            3,
            4,
            probability_after=2,
            impact_after=2,
            owner=people["mary"],
            review_date=TODAY + timedelta(days=10),
        ),
        "ui": _risk(org, alpha, "Screens slip a week", 1, 2, owner=people["priya"]),
        "closed": _risk(org, alpha, "Old closed risk", 5, 5, status="closed"),
        "migration": _risk(org, beta, "Data migration fails", 4, 3, owner=people["mary"]),
        "formula": _risk(org, beta, '=HYPERLINK("http://evil.example","x")', 2, 3),
        "gamma": _risk(org, org.gamma, "Lease not signed", 5, 4, actor="bob"),
    }
    _item(
        org,
        alpha,
        "issues",
        "Vendor refuses to sign",
        escalated_to_pmo=True,
        escalation_reason="Needs a commercial decision",
    )
    _item(org, alpha, "issues", "Test rig broken")
    _item(
        org,
        alpha,
        "issues",
        "Old escalation",
        escalated_to_pmo=True,
        escalation_reason="Was urgent",
        status="closed",
        resolution="Settled",
    )
    _item(
        org,
        beta,
        "issues",
        "Data centre clash",
        escalated_to=people["erin"],
        escalation_reason="Sponsor to arbitrate",
    )
    _item(org, alpha, "actions", "Chase supplier", due_date=TODAY - timedelta(days=1))
    _item(org, alpha, "actions", "Book workshop", due_date=TODAY + timedelta(days=5))
    _item(
        org,
        alpha,
        "actions",
        "Done late",
        due_date=TODAY - timedelta(days=9),
        status="done",
    )
    _item(org, beta, "actions", "Send extract", due_date=TODAY - timedelta(days=2))
    _item(org, beta, "actions", "Sign off mapping", due_date=TODAY - timedelta(days=4))
    _item(org, alpha, "changes", "Add a reporting module")
    _item(org, alpha, "changes", "Move go-live")
    _item(org, beta, "changes", "Extra data source")
    return items


def project_row(html: str, project) -> list[str]:
    """The numbers of one project's summary row, in column order."""
    row = re.search(rf'<tr id="project-{project.pk}">(.*?)</tr>', html, re.S)
    assert row, f"no summary row for {project.code}"
    cells = re.findall(r'<td class="num">(.*?)</td>', row.group(1), re.S)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


def top_risk_refs(html: str) -> list[str]:
    """'CODE R-001' for every row of the top risks table, in order."""
    table = html.split('id="risks-top-risks"')[1].split("</table>")[0]
    return [
        f"{code} {ref}"
        for code, ref in re.findall(
            r'class="mono">([A-Z0-9_-]+)</a></td>\s*'
            r'<td[^>]*><a href="[^"]+" class="mono">([A-Z]+-\d+)<',
            table,
        )
    ]


# --------------------------------------------------------------------------- who may read


@pytest.mark.parametrize("username", ["bob", "admin", "erin", "rita"])
def test_people_who_look_across_projects_read_the_register(org, client_for, logs, username):
    response = client_for(username).get(REGISTER)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Risk and issue register" in html
    assert project_row(html, org.alpha) and project_row(html, org.beta)


def test_executive_reads_every_project_but_is_offered_nothing_to_change(org, client_for, logs):
    html = client_for("erin").get(REGISTER + "?status=all").content.decode()
    for project in (org.alpha, org.beta, org.gamma):
        assert project_row(html, project)
    main = html.split('<main id="main"')[1]
    assert 'method="post"' not in main
    assert "/new/" not in main and "/edit/" not in main


@pytest.mark.parametrize("username", ["priya", "mary", "tom", "olga"])
def test_people_without_an_organisation_view_are_refused(org, client_for, logs, username):
    # priya manages two projects, but the register looks across the organisation.
    response = client_for(username).get(REGISTER)
    assert response.status_code == 403
    assert "Supplier goes bust" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, logs):
    response = client.get(REGISTER)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_selector_refuses_users_without_portfolio_view(org, logs):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        register.risk_register(user=org.priya)


def test_navigation_links_the_register_for_portfolio_viewers_only(org, client_for):
    for username, sees_register in (("bob", True), ("erin", True), ("priya", False)):
        html = client_for(username).get(reverse("home:home")).content.decode()
        nav = html.split('<nav class="mainnav"')[1].split("</nav>")[0]
        assert (f'href="{REGISTER}"' in nav) is sees_register
    html = client_for("bob").get(REGISTER).content.decode()
    nav = html.split('<nav class="mainnav"')[1].split("</nav>")[0]
    assert re.findall(r'aria-current="page">([^<]+)</a>', nav) == ["Risk register"]


# --------------------------------------------------------------------------- counts


def test_project_rows_count_open_items_of_each_log(org, client_for, logs):
    html = client_for("bob").get(REGISTER).content.decode()
    # high, medium, low, open issues, escalated issues, overdue actions, open changes
    assert project_row(html, org.alpha) == ["2", "0", "1", "2", "1", "1", "2"]
    assert project_row(html, org.beta) == ["1", "1", "0", "1", "1", "2", "1"]
    totals = re.search(r"<tfoot>(.*?)</tfoot>", html, re.S).group(1)
    assert re.findall(r'<td class="num">(\d+)</td>', totals) == [
        "3",
        "1",
        "1",
        "3",
        "2",
        "3",
        "3",
    ]


def test_project_rows_link_to_each_projects_log_pages(org, client_for, logs):
    html = client_for("bob").get(REGISTER).content.decode()
    row = re.search(rf'<tr id="project-{org.alpha.pk}">(.*?)</tr>', html, re.S).group(1)
    for url in (
        reverse("logs:overview", args=[org.alpha.pk]),
        reverse("logs:heat_map", args=[org.alpha.pk]),
        reverse("logs:list", args=[org.alpha.pk, "issues"]),
        reverse("logs:action_board", args=[org.alpha.pk]),
        reverse("logs:list", args=[org.alpha.pk, "changes"]),
    ):
        assert f'href="{url}"' in row


def test_heat_map_counts_open_risks_of_every_project_shown(org, client_for, logs):
    html = client_for("bob").get(REGISTER).content.decode()
    assert "5 open risks on the map (before response)." in html
    assert 'href="/logs/register/?status=active&amp;basis=before&amp;cell=5-5"' in html
    # After response the risks without an assessment after it are left off and counted.
    html = client_for("bob").get(REGISTER + "?basis=after").content.decode()
    assert "2 open risks on the map (after response)." in html
    assert "3 open risks have no assessment after response" in html
    # Supplier (6, medium) and developer (4, low) after response; three not assessed.
    assert project_row(html, org.alpha) == ["0", "1", "1", "1", "2", "1", "1", "2"]


def test_top_risks_rank_by_score_and_say_band_owner_and_overdue_review(org, client_for, logs):
    html = client_for("bob").get(REGISTER).content.decode()
    assert top_risk_refs(html) == [
        "ALPHA R-001",
        "ALPHA R-002",
        "BETA R-001",
        "BETA R-002",
        "ALPHA R-003",
    ]
    table = html.split('id="risks-top-risks"')[1].split("</table>")[0]
    first, second = table.split("<tbody>")[1].split("</tr>")[:2]
    assert 'class="is-overdue"' in first and "Overdue review" in first
    assert reverse("logs:item", args=[org.alpha.pk, "risks", logs["supplier"].pk]) in first
    assert "badge--red" in first and "High" in first  # band as colour and word
    assert "Priya Patel" in first
    assert '<td class="num">25</td>' in first and '<td class="num">6</td>' in first
    assert "Overdue review" not in second and "Mary Moss" in second
    assert "Old closed risk" not in html and "Lease not signed" not in html


# --------------------------------------------------------------------------- filters


def test_status_and_portfolio_choose_the_projects(org, client_for, logs):
    client = client_for("bob")
    html = client.get(REGISTER + "?status=proposed").content.decode()
    assert project_row(html, org.gamma) == ["1", "0", "0", "0", "0", "0", "0"]
    assert f'id="project-{org.alpha.pk}"' not in html
    assert top_risk_refs(html) == ["GAMMA R-001"]

    html = client.get(REGISTER + "?status=all&portfolio=none").content.decode()
    assert f'id="project-{org.gamma.pk}"' in html
    assert f'id="project-{org.alpha.pk}"' not in html

    html = client.get(f"{REGISTER}?status=all&portfolio={org.portfolio.pk}").content.decode()
    assert f'id="project-{org.alpha.pk}"' in html and f'id="project-{org.beta.pk}"' in html
    assert f'id="project-{org.gamma.pk}"' not in html


def test_band_and_owner_narrow_the_risks_but_not_the_project_counts(org, client_for, logs):
    client = client_for("bob")
    html = client.get(REGISTER + "?band=high").content.decode()
    assert top_risk_refs(html) == ["ALPHA R-001", "ALPHA R-002", "BETA R-001"]
    assert "3 open risks on the map" in html
    assert project_row(html, org.beta)[:3] == ["1", "1", "0"]

    mary = org.people["mary"].pk
    html = client.get(f"{REGISTER}?owner={mary}").content.decode()
    assert top_risk_refs(html) == ["ALPHA R-002", "BETA R-001"]
    assert f'<option value="{mary}" selected>Mary Moss</option>' in html

    html = client.get(f"{REGISTER}?owner={mary}&band=low").content.decode()
    assert "No open risk matches these filters." in html


def test_band_follows_the_chosen_basis(org, client_for, logs):
    html = client_for("bob").get(REGISTER + "?basis=after&band=medium").content.decode()
    assert top_risk_refs(html) == ["ALPHA R-001"]


@pytest.mark.parametrize(
    "query",
    [
        "portfolio=abc",
        "portfolio=99999",
        "status=sleeping",
        "band=purple",
        "owner=me",
        "owner=99999",
        "basis=sideways",
        "cell=9-9",
        "cell=top-left",
        "format=pdf",
    ],
)
def test_bad_filter_values_get_a_400_page_saying_what_is_wrong(org, client_for, logs, query):
    response = client_for("bob").get(f"{REGISTER}?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="message message--error" role="alert"' in html
    assert "Risk and issue register" in html


def test_the_filter_form_labels_every_control(org, client_for, logs):
    html = client_for("bob").get(REGISTER).content.decode()
    for name in ("portfolio", "status", "band", "owner"):
        assert f'<label for="id_{name}">' in html
    assert "<legend>Scores</legend>" in html
    assert '<option value="active" selected>Active</option>' in html


# --------------------------------------------------------------------------- cells


def test_choosing_a_cell_lists_its_risks_with_project_and_ref(org, client_for, logs):
    html = client_for("bob").get(REGISTER + "?cell=4-3").content.decode()
    listing = html.split('id="cell-risks"')[1].split("</section>")[0]
    assert "Probability 4 – High, impact 3 – Medium: score 12, High" in listing
    assert "BETA" in listing and "Data migration fails" in listing
    assert reverse("logs:item", args=[org.beta.pk, "risks", logs["migration"].pk]) in listing
    assert "Supplier goes bust" not in listing
    assert 'aria-current="true"' in html


def test_a_cell_on_the_after_basis_lists_risks_by_their_levels_after_response(
    org, client_for, logs
):
    html = client_for("bob").get(REGISTER + "?basis=after&cell=2-3").content.decode()
    listing = html.split('id="cell-risks"')[1].split("</section>")[0]
    assert "Supplier goes bust" in listing
    assert "Data migration fails" not in listing


def test_htmx_cell_choice_swaps_only_the_map(org, client_for, logs):
    response = client_for("bob").get(
        REGISTER + "?cell=5-5", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="register-map"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="register-map">')
    assert "<html" not in html and "Supplier goes bust" in html


def test_htmx_filter_change_swaps_every_result(org, client_for, logs):
    response = client_for("bob").get(
        REGISTER + "?band=high", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="register-results"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="register-results"')
    assert "<html" not in html
    assert 'id="register-projects"' in html and 'id="register-map"' in html


# --------------------------------------------------------------------------- CSV


def test_csv_holds_the_ranked_risks_and_neutralises_formulas(org, client_for, logs):
    response = client_for("bob").get(REGISTER + "?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "Project",
        "Ref",
        "Title",
        "Score before",
        "Score after",
        "Band (before response)",
        "Owner",
        "Review date",
        "Review",
    ]
    assert [row[:2] for row in rows[1:]] == [
        ["ALPHA", "R-001"],
        ["ALPHA", "R-002"],
        ["BETA", "R-001"],
        ["BETA", "R-002"],
        ["ALPHA", "R-003"],
    ]
    supplier = rows[1]
    assert supplier[3:] == [
        "25",
        "6",
        "High",
        "Priya Patel",
        (TODAY - timedelta(days=3)).isoformat(),
        "Overdue review",
    ]
    formula = rows[4]
    assert formula[2] == "'" + '=HYPERLINK("http://evil.example","x")'
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_csv_follows_the_filters(org, client_for, logs):
    response = client_for("bob").get(REGISTER + "?format=csv&band=high&basis=after")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][5] == "Band (after response)"
    assert rows[1:] == []  # after response nothing is high


def test_csv_is_refused_to_people_without_portfolio_view(org, client_for, logs):
    assert client_for("priya").get(REGISTER + "?format=csv").status_code == 403


# --------------------------------------------------------------------------- query count


def _more_projects(org, count: int):
    for index in range(count):
        project = project_create(
            actor=org.admin,
            code=f"EXTRA{index}",
            name=f"Extra {index}",
            portfolio=org.portfolio,
            status="active",
        )
        _risk(org, project, f"Risk {index}", 3, 3, actor="bob", owner=org.people["bob"])
        _item(org, project, "issues", f"Issue {index}", actor="bob")
        _item(org, project, "actions", f"Late {index}", actor="bob", due_date=TODAY - timedelta(1))
        _item(org, project, "changes", f"Change {index}", actor="bob")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_register_costs_the_same_queries_for_two_projects_or_ten(org, client_for, logs):
    client = client_for("bob")
    url = REGISTER + "?status=all&cell=3-3"
    client.get(url)  # warm the session and content-type caches
    few = _queries(client, url)
    _more_projects(org, 8)
    many = _queries(client, url)
    assert many == few
    assert "8 projects" not in client.get(url).content.decode()  # sanity: all 11 shown


def test_the_register_stays_within_a_fixed_query_budget(
    org, client_for, logs, django_assert_max_num_queries
):
    _more_projects(org, 6)
    client = client_for("bob")
    client.get(REGISTER)
    with django_assert_max_num_queries(16):
        response = client.get(REGISTER + "?status=all&cell=5-5")
    assert response.status_code == 200


# --------------------------------------------------------------------------- portfolio page


def panel_figures(panel: str) -> dict[str, str]:
    return dict(re.findall(r'id="portfolio-logs-(\w+)">(\d+)</td>', panel))


def test_portfolio_page_summarises_its_projects_logs_and_links_to_the_register(
    org, client_for, logs
):
    html = client_for("bob").get(reverse("portfolios:detail", args=[org.portfolio.pk]))
    html = html.content.decode()
    panel = html.split('id="portfolio-logs"')[1].split("</section>")[0]
    assert "Risks and issues" in panel
    assert "From the logs of 2 active projects" in panel
    assert panel_figures(panel) == {
        "high": "3",
        "medium": "1",
        "low": "1",
        "escalated": "2",
        "overdue": "3",
    }
    assert f'href="/logs/register/?portfolio={org.portfolio.pk}"' in panel


def test_portfolio_panel_link_opens_the_register_on_that_portfolio(org, client_for, logs):
    html = client_for("bob").get(f"{REGISTER}?portfolio={org.portfolio.pk}").content.decode()
    assert f'<option value="{org.portfolio.pk}" selected>' in html
    assert f'id="project-{org.gamma.pk}"' not in html


def test_project_manager_sees_the_panel_for_her_projects_without_the_register_link(
    org, client_for, logs
):
    response = client_for("priya").get(reverse("portfolios:detail", args=[org.portfolio.pk]))
    assert response.status_code == 200
    panel = response.content.decode().split('id="portfolio-logs"')[1].split("</section>")[0]
    assert panel_figures(panel)["overdue"] == "3"
    assert "/logs/register/" not in panel


def test_portfolio_panel_counts_only_projects_the_user_can_see(org, client_for, logs):
    # tom is on ALPHA's team only: BETA's escalation and overdue actions are not his to see.
    response = client_for("tom").get(reverse("portfolios:detail", args=[org.portfolio.pk]))
    panel = response.content.decode().split('id="portfolio-logs"')[1].split("</section>")[0]
    assert "From the logs of 1 active project" in panel
    assert panel_figures(panel) == {
        "high": "2",
        "medium": "0",
        "low": "1",
        "escalated": "1",
        "overdue": "1",
    }
