"""Services of the project logs: references, validation, permissions, links, workflows."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from steerco.core.exceptions import DomainError, VersionConflict
from steerco.logs import selectors, services
from steerco.logs.models import Action, ChangeRequest, Issue, Risk


def _risk(org, **fields):
    values = {"title": "Supplier late", "probability": 4, "impact": 3, "owner": org.people["priya"]}
    values.update(fields)
    return services.item_create(actor=org.priya, project=org.alpha, kind="risks", **values)


def test_references_count_up_per_project_and_log(org):
    first = _risk(org)
    second = _risk(org, title="Key tester leaves")
    other_log = services.item_create(actor=org.priya, project=org.alpha, kind="issues", title="X")
    other_project = services.item_create(
        actor=org.priya, project=org.beta, kind="risks", title="Y", probability=1, impact=1
    )
    assert (first.ref, second.ref, other_log.ref, other_project.ref) == (
        "R-001",
        "R-002",
        "I-001",
        "R-001",
    )


def test_a_deleted_reference_is_never_handed_out_again(org):
    _risk(org)
    second = _risk(org, title="Second")
    services.item_delete(actor=org.priya, item=second, expected_version=second.version)
    assert _risk(org, title="Third").ref == "R-003"


def test_score_before_and_after_are_probability_times_impact(org):
    risk = _risk(org, probability_after=2, impact_after=2, strategy="reduce")
    assert (risk.score_before, risk.score_after) == (12, 4)


def test_levels_outside_the_organisation_scale_are_refused(org):
    with pytest.raises(ValidationError) as caught:
        _risk(org, probability=6)
    assert "probability" in caught.value.error_dict


def test_a_threat_cannot_be_exploited(org):
    with pytest.raises(ValidationError) as caught:
        _risk(org, strategy="exploit")
    assert "strategy" in caught.value.error_dict


def test_three_point_cost_impact_must_be_ordered(org):
    with pytest.raises(ValidationError):
        _risk(org, cost_min=500, cost_likely=100, cost_max=900)


def test_team_member_adds_actions_and_issues_but_not_risks(org):
    action = services.item_create(
        actor=org.tom, project=org.alpha, kind="actions", title="Chase supplier"
    )
    assert action.raised_by == org.people["tom"]
    services.item_create(actor=org.tom, project=org.alpha, kind="issues", title="Build broken")
    with pytest.raises(PermissionDenied):
        _risk(org) and services.item_create(
            actor=org.tom, project=org.alpha, kind="risks", title="x", probability=1, impact=1
        )
    risk = _risk(org)
    with pytest.raises(PermissionDenied):
        services.item_delete(actor=org.tom, item=risk, expected_version=risk.version)


def test_outsider_and_executive_cannot_write(org):
    with pytest.raises(Http404):
        services.item_create(actor=org.olga, project=org.alpha, kind="actions", title="x")
    with pytest.raises(PermissionDenied):
        services.item_create(actor=org.erin, project=org.alpha, kind="actions", title="x")


def test_stale_version_is_refused_and_nothing_is_written(org):
    risk = _risk(org)
    services.item_update(actor=org.priya, item=risk, expected_version=1, title="Renamed")
    stale = Risk.objects.get(pk=risk.pk)
    with pytest.raises(VersionConflict):
        services.item_update(actor=org.mary, item=stale, expected_version=1, title="Other")
    assert Risk.objects.get(pk=risk.pk).title == "Renamed"


def test_workflow_fields_cannot_be_set_directly(org):
    change = services.item_create(actor=org.priya, project=org.alpha, kind="changes", title="C")
    with pytest.raises(DomainError):
        services.item_update(
            actor=org.priya, item=change, expected_version=change.version, status="approved"
        )


def test_change_request_workflow_records_the_approver(org):
    change = services.item_create(actor=org.mary, project=org.alpha, kind="changes", title="C")
    for step in ("submitted", "assessed", "approved"):
        change = services.change_transition(
            actor=org.priya, change=change, to=step, expected_version=change.version
        )
    assert change.status == ChangeRequest.Status.APPROVED
    assert change.decided_by == org.priya and change.decided_at is not None
    with pytest.raises(DomainError):
        services.change_transition(
            actor=org.priya, change=change, to="draft", expected_version=change.version
        )


def test_occurred_risk_becomes_a_linked_issue(org):
    risk = _risk(org)
    issue = services.risk_raise_issue(actor=org.mary, risk=risk, expected_version=risk.version)
    risk.refresh_from_db()
    assert risk.status == Risk.Status.OCCURRED
    assert issue.from_risk == risk and issue.title == risk.title
    [link] = selectors.item_links(risk)
    assert link.other == issue and link.relation == "led to"
    with pytest.raises(DomainError):
        services.risk_raise_issue(actor=org.mary, risk=risk, expected_version=risk.version)


def test_links_show_from_both_ends_and_are_not_duplicated(org):
    issue = services.item_create(actor=org.priya, project=org.alpha, kind="issues", title="I")
    decision = services.item_create(
        actor=org.priya, project=org.alpha, kind="decisions", title="D", decided_on=date(2026, 3, 1)
    )
    services.link_add(actor=org.priya, source=decision, target=issue, relation="resolves")
    assert [entry.relation for entry in selectors.item_links(issue)] == ["is resolved by"]
    with pytest.raises(DomainError):
        services.link_add(actor=org.priya, source=issue, target=decision)
    other = services.item_create(actor=org.priya, project=org.beta, kind="issues", title="B")
    with pytest.raises(DomainError):
        services.link_add(actor=org.priya, source=issue, target=other)


def test_done_action_records_completion_and_blocked_needs_a_reason(org):
    action = services.item_create(actor=org.tom, project=org.alpha, kind="actions", title="A")
    with pytest.raises(ValidationError):
        services.item_update(
            actor=org.tom, item=action, expected_version=action.version, status="blocked"
        )
    action = services.item_update(
        actor=org.tom, item=action, expected_version=action.version, status="done"
    )
    assert action.completed_on is not None
    assert Action.objects.get(pk=action.pk).status == "done"


def test_history_lists_changed_fields_with_old_and_new_values(org):
    risk = _risk(org)
    services.item_update(actor=org.mary, item=risk, expected_version=1, impact=5)
    changed, created = selectors.item_history(risk)
    assert created.action == "created"
    assert changed.who == "Mary Moss"
    assert [(c.field, c.old, c.new) for c in changed.changes] == [("impact", "3", "5")]


def test_escalated_issues_are_listed_for_the_pmo_only(org):
    issue = services.item_create(
        actor=org.priya,
        project=org.alpha,
        kind="issues",
        title="Vendor insolvent",
        escalated_to_pmo=True,
        escalation_reason="Beyond the project's tolerance",
    )
    assert issue.escalated_on is not None
    assert list(selectors.escalated_issues(user=org.bob)) == [issue]
    assert list(selectors.escalated_issues(user=org.tom)) == []
    assert Issue.objects.count() == 1


def test_a_stale_workflow_step_is_a_conflict_not_an_illegal_step(org):
    change = services.item_create(actor=org.mary, project=org.alpha, kind="changes", title="C")
    seen = ChangeRequest.objects.get(pk=change.pk)
    services.change_transition(actor=org.priya, change=change, to="submitted", expected_version=1)
    with pytest.raises(VersionConflict):
        services.change_transition(actor=org.mary, change=seen, to="submitted", expected_version=1)


def test_a_closed_risk_cannot_become_an_issue(org):
    risk = _risk(org, status="closed")
    with pytest.raises(DomainError):
        services.risk_raise_issue(actor=org.mary, risk=risk, expected_version=risk.version)
    assert not Issue.objects.exists()


def test_an_emptied_scale_reads_as_the_default_one_to_five(org):
    from steerco.logs.models import ScaleLevel

    ScaleLevel.objects.all().delete()
    risk = _risk(org, probability=5, impact=5)
    assert risk.score_before == 25
    assert [level.label for level in selectors.scale_levels("impact")][-1] == "Very high"
    with pytest.raises(ValidationError):
        _risk(org, probability=6)
