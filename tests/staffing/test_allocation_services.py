"""Allocation requests, decisions and their refusals."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from steerco.core.exceptions import DomainError, VersionConflict
from steerco.staffing import services
from steerco.staffing.models import Allocation

pytestmark = pytest.mark.django_db


def _request(org, staff, **overrides):
    values = dict(
        actor=org.users["priya"],
        project=org.alpha,
        person=staff.tom,
        amount=16,
        unit=Allocation.Unit.HOURS_PER_WEEK,
        start=date(2026, 3, 2),
        finish=date(2026, 3, 27),
    )
    values.update(overrides)
    return services.allocation_create(**values)


def test_project_manager_allocation_is_a_request_with_who_and_when(org, staff):
    allocation = _request(org, staff)
    assert allocation.state == Allocation.State.REQUESTED
    assert allocation.requested_by == org.users["priya"]
    assert allocation.requested_at is not None and allocation.decided_at is None
    assert allocation.role == staff.developer  # the person's primary role, as asked for


def test_resource_manager_allocation_is_approved_at_once(org, staff):
    allocation = _request(org, staff, actor=org.users["rita"])
    assert allocation.state == Allocation.State.APPROVED
    assert allocation.decided_by == org.users["rita"]


def test_team_member_may_not_request(org, staff):
    with pytest.raises(PermissionDenied):
        _request(org, staff, actor=org.users["tom"])


def test_outsider_cannot_learn_the_project_exists(org, staff):
    from django.http import Http404

    with pytest.raises(Http404):
        _request(org, staff, actor=org.users["olga"])


def test_approve_and_reject_are_for_resource_managers(org, staff):
    allocation = _request(org, staff)
    with pytest.raises(PermissionDenied):
        services.allocation_approve(
            actor=org.users["priya"], allocation=allocation, expected_version=1
        )
    approved = services.allocation_approve(
        actor=org.users["rita"], allocation=allocation, expected_version=1
    )
    assert approved.state == Allocation.State.APPROVED and approved.version == 2
    rejected = services.allocation_reject(
        actor=org.users["bob"], allocation=approved, expected_version=2, reason="No budget"
    )
    assert rejected.state == Allocation.State.REJECTED
    assert "No budget" in rejected.note


def test_stale_approval_is_a_conflict(org, staff):
    allocation = _request(org, staff)
    services.allocation_update(
        actor=org.users["priya"], allocation=allocation, expected_version=1, amount=8
    )
    stale = Allocation.objects.get(pk=allocation.pk)
    stale.version = 1
    with pytest.raises(VersionConflict):
        services.allocation_approve(actor=org.users["rita"], allocation=stale, expected_version=1)


def test_fill_a_role_request_names_the_person_and_keeps_the_role(org, staff):
    request = _request(org, staff, person=None, role=staff.developer)
    assert request.is_open_request
    filled = services.allocation_fill(
        actor=org.users["rita"], allocation=request, expected_version=1, person=staff.tom
    )
    assert filled.person == staff.tom and filled.role == staff.developer
    assert filled.state == Allocation.State.APPROVED and not filled.is_open_request


def test_requester_changing_an_approved_allocation_sends_it_back(org, staff):
    allocation = _request(org, staff, actor=org.users["rita"])
    changed = services.allocation_update(
        actor=org.users["priya"], allocation=allocation, expected_version=1, amount=24
    )
    assert changed.state == Allocation.State.REQUESTED and changed.decided_by is None


def test_delete_can_be_undone(org, staff):
    allocation = _request(org, staff)
    deleted = services.allocation_delete(
        actor=org.users["priya"], allocation=allocation, expected_version=1
    )
    assert not Allocation.objects.filter(pk=allocation.pk).exists()
    restored = services.allocation_restore(
        actor=org.users["priya"], allocation=deleted, expected_version=deleted.version
    )
    assert Allocation.objects.filter(pk=restored.pk).exists()
    assert restored.amount == 16


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": -1}, "amount"),
        ({"start": date(2026, 4, 1), "finish": date(2026, 3, 1)}, "finish"),
        ({"status": Allocation.Status.SOFT, "probability": 1.5}, "probability"),
        ({"start": date(2025, 12, 1)}, "start"),  # before tom's employment starts
        ({"finish": date(2027, 7, 31)}, "finish"),  # after it ends
        ({"person": None, "role": None}, "person"),
        # 16 hours in all on a Saturday and Sunday, which tom does not work
        (
            {
                "unit": Allocation.Unit.TOTAL_HOURS,
                "start": date(2026, 3, 7),
                "finish": date(2026, 3, 8),
            },
            "finish",
        ),
    ],
)
def test_bad_allocations_are_refused_with_the_field_named(org, staff, overrides, field):
    with pytest.raises(ValidationError) as refused:
        _request(org, staff, **overrides)
    assert field in refused.value.message_dict
    assert not Allocation.all_objects.exists()


def test_confirmed_demand_is_certain(org, staff):
    allocation = _request(org, staff, probability=0.3)
    assert allocation.probability == 1


def test_rejected_request_cannot_be_filled(org, staff):
    request = _request(org, staff, person=None, role=staff.developer)
    services.allocation_reject(actor=org.users["rita"], allocation=request, expected_version=1)
    request.refresh_from_db()
    with pytest.raises(DomainError):
        services.allocation_fill(
            actor=org.users["rita"], allocation=request, expected_version=2, person=staff.tom
        )
