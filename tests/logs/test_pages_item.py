"""The page of one log item: fields, links, history, risk → issue and the change workflow."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from steerco.logs import services
from steerco.logs.models import ChangeRequest, Issue, ItemLink, Risk

HTMX = {"HTTP_HX_REQUEST": "true"}


def _risk(org, project=None, **fields):
    values = {
        "title": "Supplier delivers late",
        "probability": 4,
        "impact": 3,
        "owner": org.people["priya"],
    }
    values.update(fields)
    return services.item_create(
        actor=org.priya, project=project or org.alpha, kind="risks", **values
    )


def _item(org, kind, project=None, actor=None, **fields):
    fields.setdefault("title", f"A {kind} item")
    return services.item_create(
        actor=actor or org.priya, project=project or org.alpha, kind=kind, **fields
    )


def _url(item, name="logs:item", project=None):
    return reverse(
        name,
        kwargs={
            "project_id": (project or item.project).pk,
            "kind": type(item).KIND,
            "item_id": item.pk,
        },
    )


def _link_add_url(item):
    return _url(item, "logs:link_add")


def _remove_url(item, link):
    return reverse(
        "logs:link_remove",
        kwargs={
            "project_id": item.project_id,
            "kind": type(item).KIND,
            "item_id": item.pk,
            "item_link_id": link.pk,
        },
    )


def _raise_url(risk):
    return reverse("logs:raise_issue", kwargs={"project_id": risk.project_id, "item_id": risk.pk})


def _transition_url(change):
    return reverse(
        "logs:change_transition", kwargs={"project_id": change.project_id, "item_id": change.pk}
    )


# --- the page -------------------------------------------------------------------------


def test_risk_page_shows_labelled_fields_scores_with_bands_and_ranges(org, client_for):
    risk = _risk(
        org,
        category="technical",
        probability_after=2,
        impact_after=2,
        strategy="reduce",
        cost_min=Decimal("1000"),
        cost_likely=Decimal("2500"),
        cost_max=Decimal("12000"),
        schedule_min_days=Decimal("2"),
        schedule_likely_days=Decimal("5"),
        schedule_max_days=Decimal("10"),
        review_date=date(2026, 3, 2),
    )
    page = client_for("erin").get(_url(risk))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<span class="mono">R-001</span> Supplier delivers late' in html
    assert "Technical" in html  # choice by label, not "technical"
    assert "Priya Patel" in html  # people by name
    assert "12 – high" in html  # 4 × 3 on the 5×5 scale
    assert "4 – low" in html  # 2 × 2 after response
    assert "Reduce" in html
    assert "1,000.00" in html and "2,500.00" in html and "12,000.00" in html
    assert "02 Mar 2026" in html
    assert "minimum 2.0 · most likely 5.0 · maximum 10.0" in html


def test_edit_and_delete_buttons_follow_the_rules(org, client_for):
    action = _item(org, "actions")
    edit = _url(action, "logs:edit")
    delete = _url(action, "logs:delete")
    priya = client_for("priya").get(_url(action)).content.decode()
    assert edit in priya and delete in priya
    tom = client_for("tom").get(_url(action)).content.decode()
    assert edit in tom and delete not in tom  # team members add and update, never delete
    erin = client_for("erin").get(_url(action)).content.decode()
    assert edit not in erin and delete not in erin


def test_unknown_log_item_or_another_projects_item_is_404(org, client_for):
    risk = _risk(org)
    beta_risk = _risk(org, project=org.beta, title="Beta risk")
    client = client_for("priya")
    base = {"project_id": org.alpha.pk}
    unknown_kind = reverse("logs:item", kwargs={**base, "kind": "rumours", "item_id": risk.pk})
    assert client.get(unknown_kind).status_code == 404
    unknown_item = reverse("logs:item", kwargs={**base, "kind": "risks", "item_id": 999999})
    assert client.get(unknown_item).status_code == 404
    assert client.get(_url(beta_risk, project=org.alpha)).status_code == 404
    issues_url = reverse("logs:item", kwargs={**base, "kind": "issues", "item_id": risk.pk})
    assert client.get(issues_url).status_code == 404  # a risk's id is not an issue's


def test_outsider_gets_404_for_every_item_route(org, client_for):
    risk = _risk(org)
    change = _item(org, "changes")
    olga = client_for("olga")
    assert olga.get(_url(risk)).status_code == 404
    assert olga.get(_raise_url(risk)).status_code == 404
    assert olga.post(_raise_url(risk), {"version": 1, "title": "x"}).status_code == 404
    assert olga.post(_link_add_url(risk), {"target": "R-001"}).status_code == 404
    assert olga.post(_transition_url(change), {"to": "submitted"}).status_code == 404


def test_issue_page_shows_escalation_and_the_risk_it_came_from(org, client_for):
    risk = _risk(org)
    issue = services.risk_raise_issue(actor=org.priya, risk=risk, expected_version=risk.version)
    issue = services.item_update(
        actor=org.priya,
        item=issue,
        expected_version=issue.version,
        escalated_to_pmo=True,
        escalated_to=org.people["bob"],
        escalation_reason="Needs a budget decision",
    )
    html = client_for("mary").get(_url(issue)).content.decode()
    assert "Raised from" in html
    assert f'href="{_url(risk)}"' in html
    assert "Bob Baker" in html and "Needs a budget decision" in html
    assert "Escalated to the PMO" in html


def test_dependency_recorded_by_another_project_shows_mirrored_there(org, client_for):
    dependency = _item(
        org,
        "dependencies",
        title="Customer data extract",
        direction="outbound",
        other_project=org.beta,
    )
    client = client_for("priya")
    here = client.get(_url(dependency)).content.decode()
    assert "Outbound (others need it from us)" in here
    assert "BETA Beta data platform" in here
    assert reverse("projects:detail", kwargs={"pk": org.beta.pk}) in here

    there = client.get(_url(dependency, project=org.beta))
    assert there.status_code == 200
    html = there.content.decode()
    assert "Inbound (we need it)" in html
    assert "recorded by ALPHA" in html
    assert reverse("projects:detail", kwargs={"pk": org.alpha.pk}) in html
    # A project the dependency is not about does not show it.
    assert client_for("bob").get(_url(dependency, project=org.gamma)).status_code == 404


def test_a_mirrored_dependency_keeps_its_links_in_the_project_that_recorded_it(org, client_for):
    dependency = _item(
        org, "dependencies", title="Extract", direction="inbound", other_project=org.beta
    )
    _item(org, "issues", project=org.beta, title="Beta issue")
    client = client_for("priya")
    html = client.get(_url(dependency, project=org.beta)).content.decode()
    assert "Links of this item are kept by ALPHA" in html and "Add a link" not in html
    beta_link_add = reverse(
        "logs:link_add",
        kwargs={"project_id": org.beta.pk, "kind": "dependencies", "item_id": dependency.pk},
    )
    assert client.post(beta_link_add, {"target": "I-001", "relation": "affects"}).status_code == 404
    assert not ItemLink.objects.exists()


# --- links ----------------------------------------------------------------------------


def test_links_show_from_both_ends_with_the_relation_read_from_each(org, client_for):
    issue = _item(org, "issues", title="Build server down")
    decision = _item(org, "decisions", title="Buy a new server", decided_on=date(2026, 2, 1))
    services.link_add(actor=org.priya, source=decision, target=issue, relation="resolves")
    client = client_for("erin")
    from_decision = client.get(_url(decision)).content.decode()
    assert "DEC-001 resolves" in from_decision
    assert f'href="{_url(issue)}"' in from_decision
    from_issue = client.get(_url(issue)).content.decode()
    assert "I-001 is resolved by" in from_issue
    assert f'href="{_url(decision)}"' in from_issue


def test_a_link_to_a_plan_task_points_at_its_row_on_the_plan(org, client_for):
    from steerco.plans.services import task_create

    task = task_create(actor=org.priya, project=org.alpha, name="Migrate data")
    risk = _risk(org)
    services.link_add(actor=org.priya, source=risk, target=task, relation="affects")
    html = client_for("priya").get(_url(risk)).content.decode()
    plan = reverse("plans:plan", kwargs={"project_id": org.alpha.pk})
    assert f'href="{plan}#row-{task.pk}"' in html
    assert "Migrate data" in html and "R-001 affects" in html


def test_add_link_form_offers_this_projects_items_and_tasks_but_not_the_item_itself(
    org, client_for
):
    risk = _risk(org)
    _item(org, "issues", title="Alpha issue")
    _item(org, "issues", project=org.beta, title="Beta issue")
    html = client_for("priya").get(_url(risk)).content.decode()
    assert '<optgroup label="Issues">' in html
    assert "I-001 Alpha issue" in html
    assert "Beta issue" not in html
    assert '<option value="R-001"' not in html


def test_adding_a_link_with_htmx_swaps_the_panel(org, client_for):
    risk = _risk(org)
    issue = _item(org, "issues", title="Alpha issue")
    answer = client_for("priya").post(
        _link_add_url(risk), {"target": "I-001", "relation": "affects"}, **HTMX
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert html.lstrip().startswith("<section") and 'id="item-links"' in html
    assert "Linked to I-001." in html and "R-001 affects" in html
    link = ItemLink.objects.get()
    assert (link.source_id, link.target_id, link.relation) == (risk.pk, issue.pk, "affects")


def test_adding_a_link_without_htmx_redirects_back_to_the_item(org, client_for):
    risk = _risk(org)
    _item(org, "issues")
    answer = client_for("priya").post(
        _link_add_url(risk), {"target": "I-001", "relation": "relates_to"}
    )
    assert answer.status_code == 302 and answer.url == _url(risk)
    assert ItemLink.objects.count() == 1


@pytest.mark.parametrize(
    ("target", "relation", "message"),
    [
        ("I-001", "relates_to", "already linked"),  # the reverse link exists
        ("R-001", "relates_to", "cannot be linked to itself"),
        ("R-002", "relates_to", "Choose an item or plan task of this project"),  # BETA's
        ("I-001", "loves", "Choose how the items are linked"),
        ("", "relates_to", "Choose an item or plan task of this project"),
        ("task-999999", "affects", "Choose an item or plan task of this project"),
    ],
)
def test_refused_links_are_explained_in_the_panel_and_nothing_is_added(
    org, client_for, target, relation, message
):
    risk = _risk(org)
    issue = _item(org, "issues")
    _risk(org, project=org.beta, title="Beta's risk")
    _risk(org, project=org.beta, title="Beta's second risk")  # R-002 exists only in BETA
    services.link_add(actor=org.priya, source=issue, target=risk)
    client = client_for("priya")
    answer = client.post(_link_add_url(risk), {"target": target, "relation": relation}, **HTMX)
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert ItemLink.objects.count() == 1
    plain = client.post(_link_add_url(risk), {"target": target, "relation": relation})
    assert plain.status_code == 400
    assert message in plain.content.decode()
    assert "<h1>" in plain.content.decode()  # the whole page, with the form kept


def test_removing_a_link_from_either_end(org, client_for):
    risk = _risk(org)
    issue = _item(org, "issues")
    link = services.link_add(actor=org.priya, source=risk, target=issue, relation="affects")
    answer = client_for("priya").post(_remove_url(issue, link), **HTMX)
    assert answer.status_code == 200
    assert "removed" in answer.content.decode()
    assert not ItemLink.objects.exists()


def test_removing_another_items_link_is_404(org, client_for):
    risk = _risk(org)
    issue = _item(org, "issues")
    action = _item(org, "actions")
    link = services.link_add(actor=org.priya, source=risk, target=issue)
    client = client_for("priya")
    assert client.post(_remove_url(action, link)).status_code == 404
    assert client.get(_remove_url(risk, link)).status_code == 405
    assert ItemLink.objects.count() == 1


# --- history --------------------------------------------------------------------------


def test_history_lists_who_changed_what_newest_first(org, client_for):
    risk = _risk(org)
    services.item_update(
        actor=org.mary, item=risk, expected_version=risk.version, impact=5, category="legal"
    )
    html = client_for("erin").get(_url(risk)).content.decode()
    history = html[html.index('id="item-history"') :]
    assert history.index("Mary Moss") < history.index("Priya Patel")  # newest first
    assert "created this item" in history
    assert '<strong>Impact</strong>: <span class="change-old">3</span> → 5' in history
    assert "→ Legal and regulatory" in history


# --- risk → issue ---------------------------------------------------------------------


def test_an_open_risk_offers_raising_an_issue_to_those_who_may(org, client_for):
    risk = _risk(org)
    assert _raise_url(risk) in client_for("mary").get(_url(risk)).content.decode()
    assert _raise_url(risk) not in client_for("tom").get(_url(risk)).content.decode()
    closed = _risk(org, title="Gone", status="closed")
    assert _raise_url(closed) not in client_for("mary").get(_url(closed)).content.decode()


def test_raising_an_issue_from_a_risk(org, client_for):
    risk = _risk(org)
    client = client_for("mary")
    form = client.get(_raise_url(risk))
    assert form.status_code == 200
    assert 'value="Supplier delivers late"' in form.content.decode()
    answer = client.post(
        _raise_url(risk),
        {
            "version": risk.version,
            "title": "Supplier delivered late",
            "issue_type": "problem",
            "priority": "3_high",
            "severity": "4_critical",
            "owner": org.people["mary"].pk,
            "due_date": "2026-04-01",
        },
    )
    issue = Issue.objects.get()
    assert answer.status_code == 302 and answer.url == _url(issue)
    assert (issue.from_risk_id, issue.title, issue.severity) == (
        risk.pk,
        "Supplier delivered late",
        "4_critical",
    )
    assert issue.owner == org.people["mary"] and issue.due_date == date(2026, 4, 1)
    risk.refresh_from_db()
    assert risk.status == Risk.Status.OCCURRED
    risk_page = client.get(_url(risk)).content.decode()
    assert "became issue" in risk_page and _url(issue) in risk_page
    assert _raise_url(risk) not in risk_page


def test_a_risk_is_raised_as_an_issue_only_once(org, client_for):
    risk = _risk(org)
    issue = services.risk_raise_issue(actor=org.priya, risk=risk, expected_version=risk.version)
    risk.refresh_from_db()
    client = client_for("mary")
    page = client.get(_raise_url(risk)).content.decode()
    assert "already been raised as issue" in page and "I-001" in page
    answer = client.post(
        _raise_url(risk),
        {"version": risk.version, "title": "Again", "issue_type": "problem"}
        | {"priority": "2_medium", "severity": "2_medium"},
    )
    assert answer.status_code == 422  # refused: a 4xx, not 200
    assert "already been raised as issue" in answer.content.decode()
    assert list(Issue.objects.all()) == [issue]


def test_raising_an_issue_from_a_stale_risk_changes_nothing(org, client_for):
    risk = _risk(org)
    opened = risk.version
    services.item_update(actor=org.priya, item=risk, expected_version=opened, impact=5)
    answer = client_for("mary").post(
        _raise_url(risk),
        {
            "version": opened,
            "title": "Late",
            "issue_type": "problem",
            "priority": "2_medium",
            "severity": "2_medium",
        },
    )
    assert answer.status_code == 409  # refused: a 4xx, not 200
    html = answer.content.decode()
    assert "Your changes were not saved" in html and "Priya Patel" in html
    assert not Issue.objects.exists()
    risk.refresh_from_db()
    assert risk.status == Risk.Status.OPEN
    assert f'name="version" value="{risk.version}"' in html  # ready to retry


@pytest.mark.parametrize("version", ["", "abc", "-1"])
def test_raising_an_issue_with_a_bad_version_is_an_inline_error(org, client_for, version):
    risk = _risk(org)
    answer = client_for("mary").post(
        _raise_url(risk),
        {
            "version": version,
            "title": "Late",
            "issue_type": "problem",
            "priority": "2_medium",
            "severity": "nonsense",
        },
    )
    assert answer.status_code == 200
    assert "which version of the risk you saw" in answer.content.decode()
    assert not Issue.objects.exists()


def test_team_members_and_executives_cannot_raise_issues_from_risks(org, client_for):
    risk = _risk(org)
    for username in ("tom", "erin"):
        client = client_for(username)
        assert client.get(_raise_url(risk)).status_code == 403
        assert client.post(_raise_url(risk), {"version": risk.version}).status_code == 403
    assert not Issue.objects.exists()


# --- change-request workflow -------------------------------------------------------------


def _transition(client, change, to, version=None):
    change.refresh_from_db()
    return client.post(
        _transition_url(change),
        {"to": to, "version": change.version if version is None else version},
    )


def test_a_change_request_goes_through_its_workflow_to_approval(org, client_for):
    change = _item(org, "changes", title="Add SSO", budget_adjustment=Decimal("15000"))
    client = client_for("mary")
    page = client.get(_url(change)).content.decode()
    assert ">Submit</button>" in page and ">Approve</button>" not in page
    assert "15,000.00" in page
    for to, button in (
        ("submitted", "Mark assessed"),
        ("assessed", "Approve"),
    ):
        answer = _transition(client, change, to)
        assert answer.status_code == 302 and answer.url == _url(change)
        assert f">{button}</button>" in client.get(_url(change)).content.decode()
    assert ">Reject</button>" in client.get(_url(change)).content.decode()
    assert _transition(client, change, "approved").status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPROVED
    assert change.decided_by == org.mary and change.decided_at is not None
    page = client.get(_url(change)).content.decode()
    assert "Mary Moss" in page[page.index('id="item-workflow"') :]
    assert ">Mark implemented</button>" in page


def test_an_illegal_transition_is_refused_with_a_message(org, client_for):
    change = _item(org, "changes")
    answer = _transition(client_for("priya"), change, "approved")
    assert answer.status_code == 400
    assert "A Draft change request cannot become Approved." in answer.content.decode()
    change.refresh_from_db()
    assert change.status == "draft" and change.decided_by is None


def test_a_stale_transition_is_refused_and_changes_nothing(org, client_for):
    change = _item(org, "changes")
    opened = change.version
    services.change_transition(
        actor=org.priya, change=change, to="submitted", expected_version=opened
    )
    answer = _transition(client_for("mary"), change, "submitted", version=opened)
    assert answer.status_code == 409
    html = answer.content.decode()
    assert "Your changes were not saved" in html and "Priya Patel" in html
    change.refresh_from_db()
    assert (change.status, change.version) == ("submitted", opened + 1)


@pytest.mark.parametrize(
    "data",
    [{}, {"to": "submitted"}, {"to": "submitted", "version": "x"}, {"to": "nowhere", "version": 1}],
)
def test_a_malformed_transition_is_a_message_not_a_500(org, client_for, data):
    change = _item(org, "changes")
    answer = client_for("priya").post(_transition_url(change), data)
    assert answer.status_code == 400
    assert 'role="alert"' in answer.content.decode()
    change.refresh_from_db()
    assert change.status == "draft"


# --- who may do what ------------------------------------------------------------------


def test_team_member_links_actions_and_issues_but_not_risks_or_change_requests(org, client_for):
    action = _item(org, "actions", actor=org.tom)
    _item(org, "issues", actor=org.tom)
    risk = _risk(org)
    change = _item(org, "changes")
    tom = client_for("tom")
    assert (
        tom.post(_link_add_url(action), {"target": "I-001", "relation": "resolves"}).status_code
        == 302
    )
    assert (
        tom.post(_link_add_url(risk), {"target": "I-001", "relation": "affects"}).status_code == 403
    )
    assert ItemLink.objects.count() == 1
    assert "Add a link" not in tom.get(_url(risk)).content.decode()
    page = tom.get(_url(change)).content.decode()
    assert ">Submit</button>" not in page
    assert _transition(tom, change, "submitted").status_code == 403
    change.refresh_from_db()
    assert change.status == "draft"


def test_executive_reads_items_but_every_post_is_403(org, client_for):
    risk = _risk(org)
    issue = _item(org, "issues")
    change = _item(org, "changes")
    link = services.link_add(actor=org.priya, source=risk, target=issue)
    erin = client_for("erin")
    page = erin.get(_url(risk)).content.decode()
    assert "R-001" in page and "Add a link" not in page and ">Remove" not in page
    assert erin.post(_link_add_url(risk), {"target": "I-001"}).status_code == 403
    assert erin.post(_remove_url(risk, link)).status_code == 403
    assert erin.post(_raise_url(risk), {"version": risk.version}).status_code == 403
    assert _transition(erin, change, "submitted").status_code == 403
    assert ItemLink.objects.count() == 1 and Issue.objects.count() == 1


def test_team_member_may_remove_only_links_whose_source_he_may_change(org, client_for):
    action = _item(org, "actions", actor=org.tom)
    issue = _item(org, "issues", actor=org.tom)
    risk = _risk(org)
    own = services.link_add(actor=org.tom, source=action, target=issue)
    from_risk = services.link_add(actor=org.priya, source=risk, target=action, relation="affects")
    tom = client_for("tom")
    html = tom.get(_url(action)).content.decode()
    assert _remove_url(action, own) in html
    assert _remove_url(action, from_risk) not in html
    assert tom.post(_remove_url(action, from_risk)).status_code == 403
    assert tom.post(_remove_url(action, own)).status_code == 302
    assert list(ItemLink.objects.all()) == [from_risk]
