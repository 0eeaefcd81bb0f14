"""The logs API: the eight logs' CRUD, scores, version conflicts, filters, permissions,
workflows, links, history and the organisation-wide lists, through Bearer tokens and the
browser session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openapi_spec_validator import validate

from steerco.accounts.services import token_create
from steerco.logs import services
from steerco.logs.kinds import KINDS
from steerco.logs.models import ChangeRequest, Issue, ItemLink, Risk

JSON = "application/json"

# The least each log needs, and a change to make to it.
MINIMAL = {
    "risks": {"title": "Supplier late", "probability": 4, "impact": 3},
    "assumptions": {"title": "Data centre stays open"},
    "issues": {"title": "Build server down"},
    "dependencies": {"title": "Vendor API", "external_party": "Acme Ltd"},
    "decisions": {"title": "Use vendor CRM", "decided_on": "2026-03-02"},
    "changes": {"title": "Add reporting module"},
    "actions": {"title": "Chase supplier"},
    "lessons": {"title": "Book testers early"},
}


def url(project, suffix: str = "") -> str:
    return f"/api/v1/projects/{project.pk}{suffix}"


def ok(response, status: int = 200):
    assert response.status_code == status, response.content
    return response.json() if response.content else None


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(JSON)
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["fields"], dict)
    if code:
        assert body["code"] == code
    return body


def post(client, path: str, body=None):
    return client.post(path, body if body is not None else {}, content_type=JSON)


def patch(client, path: str, body: dict):
    return client.patch(path, body, content_type=JSON)


def bearer(org, username: str) -> Client:
    _token, raw = token_create(user=org.users[username], name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def create(client, project, slug: str, **fields) -> dict:
    return ok(post(client, url(project, f"/{slug}"), {**MINIMAL[slug], **fields}), 201)


# --- every log ----------------------------------------------------------------------------


@pytest.mark.parametrize("slug", list(KINDS))
def test_each_log_round_trips_create_list_get_patch_delete(org, client_for, slug):
    priya = client_for("priya")
    kind = KINDS[slug]

    created = create(priya, org.alpha, slug)
    assert created["ref"] == f"{kind.prefix}-001"
    assert (created["project"], created["version"]) == (org.alpha.pk, 1)
    assert created["raised_by"] == org.people["priya"].pk
    assert created["title"] == MINIMAL[slug]["title"]
    item_url = url(org.alpha, f"/{slug}/{created['id']}")

    listing = ok(priya.get(url(org.alpha, f"/{slug}")))
    assert listing["count"] == 1 and listing["items"][0]["id"] == created["id"]
    assert ok(priya.get(item_url)) == created

    changed = ok(patch(priya, item_url, {"version": 1, "title": "Renamed", "owner": None}))
    assert (changed["title"], changed["version"]) == ("Renamed", 2)
    assert ok(priya.get(item_url))["title"] == "Renamed"

    assert priya.delete(f"{item_url}?version=2").status_code == 204
    assert_error(priya.get(item_url), 404, "not_found")
    assert not kind.model.objects.filter(pk=created["id"]).exists()
    # The reference is not handed out again.
    assert create(priya, org.alpha, slug)["ref"] == f"{kind.prefix}-002"


def test_risk_scores_and_bands(org, client_for):
    priya = client_for("priya")
    assessed = create(
        priya,
        org.alpha,
        "risks",
        probability_after=2,
        impact_after=2,
        strategy="reduce",
        owner=org.people["tom"].pk,
    )
    assert (assessed["score_before"], assessed["score_after"]) == (12, 4)
    assert (assessed["band_before"], assessed["band_after"]) == ("high", "low")
    assert assessed["owner"] == org.people["tom"].pk

    unassessed = create(priya, org.alpha, "risks", probability=1, impact=2)
    assert (unassessed["score_before"], unassessed["score_after"]) == (2, None)
    assert (unassessed["band_before"], unassessed["band_after"]) == ("low", None)

    raised = ok(
        patch(priya, url(org.alpha, f"/risks/{unassessed['id']}"), {"version": 1, "impact": 4})
    )
    assert (raised["score_before"], raised["band_before"]) == (4, "low")
    listed = ok(priya.get(url(org.alpha, "/risks"), {"ordering": "-score_before"}))
    assert [item["score_before"] for item in listed["items"]] == [12, 4]


def test_log_specific_output_fields(org, client_for):
    priya = client_for("priya")
    yesterday = timezone.localdate() - timedelta(days=1)
    action = create(priya, org.alpha, "actions", due_date=yesterday.isoformat())
    assert (action["overdue"], action["completed_on"], action["status"]) == (True, None, "open")
    done = ok(
        patch(priya, url(org.alpha, f"/actions/{action['id']}"), {"version": 1, "status": "done"})
    )
    assert (done["overdue"], done["completed_on"]) == (False, timezone.localdate().isoformat())

    change = create(priya, org.alpha, "changes", budget_adjustment="1500.50")
    assert (change["status"], change["decided_by"], change["decided_at"]) == ("draft", None, None)
    assert change["budget_adjustment"] == 1500.5

    dependency = create(
        priya, org.alpha, "dependencies", external_party="", other_project=org.beta.pk
    )
    assert dependency["other_project"] == org.beta.pk
    # BETA sees the dependency ALPHA recorded on it, as recorded by ALPHA.
    mirrored = ok(priya.get(url(org.beta, "/dependencies")))["items"]
    assert [(d["ref"], d["project"]) for d in mirrored] == [("D-001", org.alpha.pk)]


# --- versions, validation, malformed input --------------------------------------------------


def test_a_stale_version_is_409_with_the_current_item_and_overwrites_nothing(org, client_for):
    priya = client_for("priya")
    risk = create(priya, org.alpha, "risks")
    item_url = url(org.alpha, f"/risks/{risk['id']}")
    ok(patch(priya, item_url, {"version": 1, "title": "First save"}))

    body = assert_error(
        patch(priya, item_url, {"version": 1, "title": "Second save", "impact": 5}),
        409,
        "version_conflict",
    )
    assert body["current"]["title"] == "First save"
    assert body["current"]["version"] == 2
    assert body["current"]["score_before"] == 12
    stored = Risk.objects.get(pk=risk["id"])
    assert (stored.title, stored.impact, stored.version) == ("First save", 3, 2)

    assert_error(priya.delete(f"{item_url}?version=1"), 409, "version_conflict")
    assert Risk.objects.filter(pk=risk["id"]).exists()


def test_rules_broken_are_422_naming_the_fields(org, client_for):
    priya = client_for("priya")
    risks = url(org.alpha, "/risks")

    body = assert_error(post(priya, risks, {**MINIMAL["risks"], "probability": 9}), 422)
    assert "probability" in body["fields"]
    body = assert_error(post(priya, risks, {**MINIMAL["risks"], "title": ""}), 422)
    assert "title" in body["fields"]
    body = assert_error(post(priya, risks, {**MINIMAL["risks"], "strategy": "exploit"}), 422)
    assert "strategy" in body["fields"]
    body = assert_error(
        post(priya, url(org.alpha, "/issues"), {"title": "x", "status": "resolved"}), 422
    )
    assert "resolution" in body["fields"]
    assert not Risk.objects.exists() and not Issue.objects.exists()


def test_unknown_people_and_invisible_projects_are_422_naming_the_field(org, client_for):
    mary = client_for("mary")
    body = assert_error(
        post(mary, url(org.alpha, "/risks"), {**MINIMAL["risks"], "owner": 987654}),
        422,
        "unknown_reference",
    )
    assert set(body["fields"]) == {"owner"}
    # mary supports ALPHA and BETA; GAMMA is not hers to name.
    body = assert_error(
        post(mary, url(org.alpha, "/dependencies"), {"title": "x", "other_project": org.gamma.pk}),
        422,
        "unknown_reference",
    )
    assert set(body["fields"]) == {"other_project"}


def test_workflow_fields_are_422_and_unknown_fields_400(org, client_for):
    priya = client_for("priya")
    change = create(priya, org.alpha, "changes")
    change_url = url(org.alpha, f"/changes/{change['id']}")
    body = assert_error(patch(priya, change_url, {"version": 1, "status": "approved"}), 422)
    assert "status" in body["fields"]
    body = assert_error(
        post(priya, url(org.alpha, "/changes"), {"title": "x", "decided_by": 1}), 422
    )
    assert "decided_by" in body["fields"]
    action = create(priya, org.alpha, "actions")
    body = assert_error(
        patch(
            priya,
            url(org.alpha, f"/actions/{action['id']}"),
            {"version": 1, "completed_on": "2026-01-01"},
        ),
        422,
    )
    assert "completed_on" in body["fields"]

    body = assert_error(patch(priya, change_url, {"version": 1, "colour": "red"}), 400, "malformed")
    assert "colour" in body["fields"]
    body = assert_error(patch(priya, change_url, {"title": "no version"}), 400, "malformed")
    assert "version" in body["fields"]
    assert_error(patch(priya, change_url, {"version": 1, "title": None}), 400, "malformed")
    assert ChangeRequest.objects.get(pk=change["id"]).version == 1


def test_malformed_json_and_bad_ids(org, client_for):
    priya = client_for("priya")
    risk = create(priya, org.alpha, "risks")
    body = assert_error(
        priya.patch(url(org.alpha, f"/risks/{risk['id']}"), '{"version": ', content_type=JSON),
        400,
        "malformed",
    )
    assert "JSON" in body["detail"]
    assert_error(priya.get(url(org.alpha, "/risks/abc")), 400, "malformed")
    assert_error(priya.get(url(org.alpha, "/risks/987654")), 404, "not_found")
    # Another project's item, or an item of another log, under this path.
    assert_error(priya.get(url(org.beta, f"/risks/{risk['id']}")), 404, "not_found")
    assert_error(priya.get(url(org.alpha, f"/issues/{risk['id']}")), 404, "not_found")
    assert_error(priya.get("/api/v1/projects/987654/risks"), 404, "not_found")
    assert_error(priya.delete(url(org.alpha, f"/risks/{risk['id']}")), 400, "malformed")


# --- lists ---------------------------------------------------------------------------------


@pytest.fixture
def risks(org):
    def risk(title, probability, impact, **fields):
        return services.item_create(
            actor=org.priya,
            project=org.alpha,
            kind="risks",
            title=title,
            probability=probability,
            impact=impact,
            **fields,
        )

    return [
        risk("Supplier goes bust", 2, 5, owner=org.people["tom"], category="commercial"),
        risk("Key tester leaves", 3, 3, owner=org.people["priya"]),
        risk("Data migration slips", 4, 4, status="closed", cause="legacy data quality"),
        risk("Budget cut", 1, 5, risk_type="opportunity", strategy="exploit"),
    ]


def _titles(client, project, **params) -> list[str]:
    body = ok(client.get(url(project, "/risks"), params))
    return [item["title"] for item in body["items"]]


def test_filters_search_and_ordering(org, client_for, risks):
    priya = client_for("priya")
    assert _titles(priya, org.alpha) == [r.title for r in risks]
    assert _titles(priya, org.alpha, status="closed") == ["Data migration slips"]
    assert _titles(priya, org.alpha, state="open") == [
        "Supplier goes bust",
        "Key tester leaves",
        "Budget cut",
    ]
    assert _titles(priya, org.alpha, owner=org.people["tom"].pk) == ["Supplier goes bust"]
    assert _titles(priya, org.alpha, category="commercial", state="open") == ["Supplier goes bust"]
    assert _titles(priya, org.alpha, risk_type="opportunity") == ["Budget cut"]
    assert _titles(priya, org.alpha, q="legacy") == ["Data migration slips"]
    assert _titles(priya, org.alpha, q="R-002") == ["Key tester leaves"]
    assert _titles(priya, org.alpha, ordering="-score_before") == [
        "Data migration slips",
        "Supplier goes bust",
        "Key tester leaves",
        "Budget cut",
    ]
    assert _titles(priya, org.alpha, ordering="title")[0] == "Budget cut"
    assert _titles(priya, org.beta) == []


def test_pagination(org, client_for, risks):
    priya = client_for("priya")
    body = ok(priya.get(url(org.alpha, "/risks"), {"page": 2, "page_size": 3}))
    assert body["count"] == 4
    assert [item["ref"] for item in body["items"]] == ["R-004"]
    body = ok(priya.get(url(org.alpha, "/risks"), {"page": 9}))
    assert body == {"items": [], "count": 4}


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"status": "bogus"}, "status"),
        ({"state": "maybe"}, "state"),
        ({"ordering": "colour"}, "ordering"),
        ({"ordering": "-description"}, "ordering"),
        ({"owner": "tom"}, "owner"),
        ({"page_size": 501}, "page_size"),
        ({"page": 0}, "page"),
        ({"colour": "red"}, None),
    ],
)
def test_bad_list_parameters_are_400(org, client_for, risks, params, named):
    body = assert_error(client_for("priya").get(url(org.alpha, "/risks"), params), 400, "malformed")
    if named:
        assert named in body["fields"]
    else:
        assert "colour" in body["detail"]


# --- permissions ---------------------------------------------------------------------------


def test_team_member_contributes_actions_and_issues_only(org, client_for):
    tom = bearer(org, "tom")
    action = create(tom, org.alpha, "actions")
    assert action["raised_by"] == org.people["tom"].pk
    issue = create(tom, org.alpha, "issues")
    ok(patch(tom, url(org.alpha, f"/issues/{issue['id']}"), {"version": 1, "priority": "3_high"}))
    assert_error(post(tom, url(org.alpha, "/risks"), MINIMAL["risks"]), 403, "forbidden")
    assert_error(post(tom, url(org.alpha, "/lessons"), MINIMAL["lessons"]), 403, "forbidden")
    assert_error(tom.delete(url(org.alpha, f"/actions/{action['id']}?version=1")), 403)
    risk = create(client_for("priya"), org.alpha, "risks")
    assert_error(patch(tom, url(org.alpha, f"/risks/{risk['id']}"), {"version": 1}), 403)
    assert ok(tom.get(url(org.alpha, f"/risks/{risk['id']}")))["version"] == 1
    # BETA is not his project at all.
    assert_error(tom.get(url(org.beta, "/actions")), 404)
    assert_error(post(tom, url(org.beta, "/actions"), MINIMAL["actions"]), 404)


@pytest.mark.parametrize("authenticate", ["session", "bearer"])
def test_executive_reads_but_writes_nothing(org, client_for, authenticate):
    erin = client_for("erin") if authenticate == "session" else bearer(org, "erin")
    risk = create(client_for("priya"), org.alpha, "risks")
    risk_url = url(org.alpha, f"/risks/{risk['id']}")
    assert ok(erin.get(url(org.alpha, "/risks")))["count"] == 1
    assert ok(erin.get(risk_url))["ref"] == "R-001"
    assert ok(erin.get(f"{risk_url}/history"))["count"] == 1
    assert_error(post(erin, url(org.alpha, "/actions"), MINIMAL["actions"]), 403, "forbidden")
    assert_error(patch(erin, risk_url, {"version": 1, "title": "x"}), 403, "forbidden")
    assert_error(erin.delete(f"{risk_url}?version=1"), 403, "forbidden")
    assert_error(post(erin, f"{risk_url}/raise-issue", {"version": 1}), 403, "forbidden")
    assert_error(post(erin, f"{risk_url}/links", {"target": "R-001"}), 403, "forbidden")
    assert Risk.objects.get(pk=risk["id"]).version == 1


@pytest.mark.parametrize("authenticate", ["session", "bearer"])
def test_outsider_gets_404_for_everything(org, client_for, authenticate):
    olga = client_for("olga") if authenticate == "session" else bearer(org, "olga")
    risk = create(client_for("priya"), org.alpha, "risks")
    risk_url = url(org.alpha, f"/risks/{risk['id']}")
    for response in (
        olga.get(url(org.alpha, "/risks")),
        olga.get(risk_url),
        olga.get(f"{risk_url}/links"),
        olga.get(f"{risk_url}/history"),
        post(olga, url(org.alpha, "/risks"), MINIMAL["risks"]),
        patch(olga, risk_url, {"version": 1, "title": "x"}),
        olga.delete(f"{risk_url}?version=1"),
        post(olga, f"{risk_url}/raise-issue", {"version": 1}),
    ):
        assert_error(response, 404, "not_found")


def test_no_credentials_is_401(org, client_for):
    assert_error(Client().get(url(org.alpha, "/risks")), 401, "not_authenticated")
    bad = Client(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert_error(bad.get(url(org.alpha, "/risks")), 401, "not_authenticated")


# --- workflows -----------------------------------------------------------------------------


def test_raise_an_issue_from_a_risk(org, client_for):
    priya = client_for("priya")
    risk = create(priya, org.alpha, "risks", event="Supplier misses the date", owner=None)
    raise_url = url(org.alpha, f"/risks/{risk['id']}/raise-issue")

    body = assert_error(post(priya, raise_url, {"version": 7}), 409, "version_conflict")
    assert body["current"]["ref"] == "R-001" and body["current"]["status"] == "open"
    body = assert_error(post(priya, raise_url, {"version": 1, "owner": 987654}), 422)
    assert "owner" in body["fields"]
    assert_error(post(bearer(org, "tom"), raise_url, {"version": 1}), 403)

    issue = ok(post(priya, raise_url, {"version": 1, "priority": "4_critical"}), 201)
    assert (issue["ref"], issue["from_risk"], issue["title"]) == (
        "I-001",
        risk["id"],
        risk["title"],
    )
    assert issue["priority"] == "4_critical"
    assert "Supplier misses the date" in issue["description"]
    stored = Risk.objects.get(pk=risk["id"])
    assert (stored.status, stored.version) == ("occurred", 2)
    links = ok(priya.get(url(org.alpha, f"/issues/{issue['id']}/links")))["items"]
    assert [(link["relation"], link["target"]) for link in links] == [("was raised from", "R-001")]

    assert_error(post(priya, raise_url, {"version": 2}), 422)
    assert Issue.objects.count() == 1


def test_change_request_transitions(org, client_for):
    priya = client_for("priya")
    change = create(priya, org.alpha, "changes")
    step_url = url(org.alpha, f"/changes/{change['id']}/transition")

    submitted = ok(post(priya, step_url, {"to": "submitted", "version": 1}))
    assert (submitted["status"], submitted["version"]) == ("submitted", 2)
    body = assert_error(post(priya, step_url, {"to": "approved", "version": 2}), 422)
    assert "status" in body["fields"]
    assert_error(post(priya, step_url, {"to": "flying", "version": 2}), 400, "malformed")
    body = assert_error(post(priya, step_url, {"to": "assessed", "version": 1}), 409)
    assert body["current"]["status"] == "submitted"
    assert_error(post(bearer(org, "tom"), step_url, {"to": "assessed", "version": 2}), 403)

    ok(post(priya, step_url, {"to": "assessed", "version": 2}))
    approved = ok(post(priya, step_url, {"to": "approved", "version": 3}))
    assert approved["status"] == "approved"
    assert approved["decided_by"] == org.priya.pk
    assert approved["decided_at"] is not None


# --- links and history ---------------------------------------------------------------------


def test_links_between_items_and_to_tasks(org, client_for):
    from steerco.plans.services import task_create

    priya = client_for("priya")
    decision = create(priya, org.alpha, "decisions")
    issue = create(priya, org.alpha, "issues")
    task = task_create(actor=org.priya, project=org.alpha, name="Build interface")
    decision_links = url(org.alpha, f"/decisions/{decision['id']}/links")

    link = ok(post(priya, decision_links, {"target": "I-001", "relation": "resolves"}), 201)
    assert (link["relation"], link["target"], link["outgoing"]) == ("resolves", "I-001", True)
    assert (link["target_kind"], link["target_id"]) == ("issues", issue["id"])
    to_task = ok(post(priya, decision_links, {"target": f"task-{task.pk}"}), 201)
    assert (to_task["target_kind"], to_task["relation"]) == ("tasks", "relates to")

    seen_from_issue = ok(priya.get(url(org.alpha, f"/issues/{issue['id']}/links")))["items"]
    assert [(x["relation"], x["target"], x["outgoing"]) for x in seen_from_issue] == [
        ("is resolved by", "DEC-001", False)
    ]
    assert ok(priya.get(decision_links))["count"] == 2

    for target in ("I-099", "task-987654", "nonsense"):
        body = assert_error(post(priya, decision_links, {"target": target}), 422)
        assert "target" in body["fields"]
    assert_error(post(priya, decision_links, {"target": "I-001"}), 422)  # already linked
    assert_error(post(priya, decision_links, {"target": "DEC-001"}), 422)  # itself
    assert_error(post(priya, decision_links, {"target": "I-001", "relation": "eats"}), 400)

    # tom may not unlink the decision (not his to change); nor can BETA's path reach it.
    tom = bearer(org, "tom")
    assert_error(tom.delete(url(org.alpha, f"/item-links/{link['id']}")), 403)
    assert_error(priya.delete(url(org.beta, f"/item-links/{link['id']}")), 404)
    assert priya.delete(url(org.alpha, f"/item-links/{link['id']}")).status_code == 204
    assert not ItemLink.objects.filter(pk=link["id"]).exists()
    assert_error(priya.delete(url(org.alpha, f"/item-links/{link['id']}")), 404)
    assert ok(priya.get(decision_links))["count"] == 1


def test_history_says_who_changed_what(org, client_for):
    priya = client_for("priya")
    action = create(priya, org.alpha, "actions")
    action_url = url(org.alpha, f"/actions/{action['id']}")
    ok(
        patch(
            priya,
            action_url,
            {"version": 1, "title": "Chase harder", "owner": org.people["tom"].pk},
        )
    )

    history = ok(priya.get(f"{action_url}/history"))
    assert history["count"] == 2
    latest, first = history["items"]
    assert (latest["action"], latest["who"]) == ("changed", "Priya Patel")
    changes = {change["field"]: (change["old"], change["new"]) for change in latest["changes"]}
    assert changes["title"] == ("Chase supplier", "Chase harder")
    assert changes["owner"] == ("—", "Tom Turner")
    assert (first["action"], first["changes"]) == ("created", [])


# --- across projects -----------------------------------------------------------------------


def test_lessons_library_shows_only_visible_projects(org, client_for):
    for project, actor, title, category in [
        (org.alpha, org.priya, "Book testers early", "quality"),
        (org.beta, org.priya, "Agree data owners", "governance"),
        (org.gamma, org.bob, "Measure the floor plan", "planning"),
    ]:
        services.item_create(
            actor=actor, project=project, kind="lessons", title=title, category=category
        )

    def titles(username, **params):
        body = ok(client_for(username).get("/api/v1/lessons", params))
        return sorted(item["title"] for item in body["items"])

    assert titles("tom") == ["Book testers early"]
    assert titles("priya") == ["Agree data owners", "Book testers early"]
    assert len(titles("bob")) == 3
    assert titles("olga") == []
    assert titles("bob", category="planning") == ["Measure the floor plan"]
    assert titles("bob", q="BETA") == ["Agree data owners"]
    assert titles("bob", q="testers early") == ["Book testers early"]
    lesson = ok(client_for("tom").get("/api/v1/lessons"))["items"][0]
    assert (lesson["ref"], lesson["project_code"]) == ("L-001", "ALPHA")
    assert_error(client_for("bob").get("/api/v1/lessons", {"category": "x"}), 400)
    assert_error(client_for("bob").get("/api/v1/lessons", {"stage": "late"}), 400)


def test_escalations_need_the_portfolio_view(org, client_for):
    escalated = services.item_create(
        actor=org.priya,
        project=org.alpha,
        kind="issues",
        title="Supplier walked out",
        escalated_to_pmo=True,
        escalation_reason="Beyond the project's tolerance",
    )
    services.item_create(actor=org.priya, project=org.alpha, kind="issues", title="Local")

    for username in ("bob", "erin"):
        body = ok(client_for(username).get("/api/v1/escalations"))
        assert [item["id"] for item in body["items"]] == [escalated.pk]
        assert body["items"][0]["escalated_to_pmo"] is True
    for username in ("tom", "priya", "olga"):
        assert_error(client_for(username).get("/api/v1/escalations"), 403, "forbidden")


def test_my_actions_across_projects(org, client_for):
    def action(project, owner, title, **fields):
        return services.item_create(
            actor=org.priya,
            project=project,
            kind="actions",
            title=title,
            owner=org.people[owner],
            **fields,
        )

    action(org.alpha, "mary", "Update RAID log", due_date=timezone.localdate())
    action(org.beta, "mary", "Book steering group")
    action(org.alpha, "mary", "Old one", status="done")
    action(org.alpha, "tom", "Not mary's")

    body = ok(client_for("mary").get("/api/v1/me/actions"))
    assert [item["title"] for item in body["items"]] == ["Update RAID log", "Book steering group"]
    assert {item["project_code"] for item in body["items"]} == {"ALPHA", "BETA"}
    body = ok(bearer(org, "mary").get("/api/v1/me/actions", {"include_done": "true"}))
    assert body["count"] == 3
    assert ok(client_for("olga").get("/api/v1/me/actions")) == {"items": [], "count": 0}


def test_risk_scales(org, client_for):
    body = ok(client_for("tom").get("/api/v1/risk-scales"))
    assert [level["value"] for level in body["probability"]] == [1, 2, 3, 4, 5]
    assert [level["value"] for level in body["impact"]] == [1, 2, 3, 4, 5]
    assert all(level["label"] for level in body["probability"] + body["impact"])


# --- the OpenAPI document ------------------------------------------------------------------


def test_openapi_gives_each_log_its_own_typed_schemas(org, client_for):
    document = ok(client_for("priya").get("/api/openapi.json"))
    validate(document)
    schemas = document["components"]["schemas"]
    paths = document["paths"]
    for slug, kind in KINDS.items():
        name = kind.model.__name__
        assert {"get", "post"} <= set(paths[f"/api/v1/projects/{{project_id}}/{slug}"])
        member = paths[f"/api/v1/projects/{{project_id}}/{slug}/{{item_id}}"]
        assert {"get", "patch", "delete"} <= set(member)
        out = schemas[f"{name}Out"]["properties"]
        assert set(kind.editable_fields) <= set(out)
        assert {"id", "version", "ref", "project", "created_at", "updated_at"} <= set(out)
        assert "version" in schemas[f"{name}PatchIn"]["required"]
    risk_in = schemas["RiskCreateIn"]
    assert set(risk_in["required"]) == {"title", "probability", "impact"}
    assert risk_in["properties"]["risk_type"]["enum"] == ["threat", "opportunity"]
    assert {"score_before", "score_after", "band_before", "band_after"} <= set(
        schemas["RiskOut"]["properties"]
    )
    assert {"overdue", "completed_on"} <= set(schemas["ActionOut"]["properties"])
    assert {"decided_by", "decided_at", "status"} <= set(schemas["ChangeRequestOut"]["properties"])
    listing = paths["/api/v1/projects/{project_id}/risks"]["get"]
    names = {parameter["name"] for parameter in listing["parameters"]}
    assert {"page", "page_size", "state", "q", "ordering", "status", "owner"} <= names
    for path in ("/api/v1/lessons", "/api/v1/escalations", "/api/v1/me/actions"):
        assert "get" in paths[path]


def test_a_session_write_needs_the_csrf_token(org):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(org.priya)
    response = post(browser, url(org.alpha, "/actions"), MINIMAL["actions"])
    assert_error(response, 403, "csrf_failed")
    # A page with a form (the logout button) hands the browser its CSRF cookie.
    assert browser.get(reverse("projects:list")).status_code == 200
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value
    response = browser.post(
        url(org.alpha, "/actions"), MINIMAL["actions"], content_type=JSON, HTTP_X_CSRFTOKEN=token
    )
    assert ok(response, 201)["ref"] == "ACT-001"


def test_a_list_costs_the_same_queries_however_long(org, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    priya = client_for("priya")

    def queries_to_list(slug: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            ok(priya.get(url(org.alpha, f"/{slug}"), {"page_size": 500}))
        return len(captured)

    for slug in ("risks", "actions", "dependencies"):
        create(priya, org.alpha, slug)
        few = queries_to_list(slug)
        for _ in range(5):
            create(priya, org.alpha, slug, owner=org.people["tom"].pk)
        assert queries_to_list(slug) == few, slug
