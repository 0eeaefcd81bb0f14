"""core.versioning.versioned_delete: lock the row, check the version, delete with the actor."""

from __future__ import annotations

import pytest

from steerco.core.exceptions import ObjectGone, VersionConflict
from steerco.core.versioning import locked_at_version, versioned_delete
from steerco.projects.models import Portfolio
from steerco.projects.services import portfolio_create, portfolio_update


@pytest.fixture
def portfolio(org):
    return portfolio_create(actor=org.bob, code="SPARE", name="Spare portfolio")


def test_a_stale_version_is_refused_with_the_current_row_and_nothing_is_deleted(org, portfolio):
    shown = portfolio.version
    portfolio_update(actor=org.bob, portfolio=portfolio, expected_version=shown, name="Renamed")

    with pytest.raises(VersionConflict) as refused:
        versioned_delete(portfolio, expected_version=shown, actor=org.bob)

    assert refused.value.current.name == "Renamed"
    assert refused.value.current.version == shown + 1
    assert Portfolio.objects.filter(pk=portfolio.pk).exists()


def test_a_row_deleted_meanwhile_is_a_clear_not_found_error(org, portfolio):
    stale_copy = Portfolio.objects.get(pk=portfolio.pk)
    versioned_delete(portfolio, expected_version=portfolio.version, actor=org.bob)

    with pytest.raises(ObjectGone) as gone:
        versioned_delete(stale_copy, expected_version=stale_copy.version, actor=org.bob)

    assert gone.value.message == "This portfolio has been deleted by someone else."
    assert gone.value.code == "not_found"


def test_the_delete_is_recorded_in_history_with_its_actor(org, portfolio):
    versioned_delete(portfolio, expected_version=portfolio.version, actor=org.mary)

    deleted = Portfolio.history.filter(id=portfolio.pk, history_type="-").get()
    assert deleted.history_user == org.users["mary"]


def test_the_before_hook_runs_on_the_locked_row_and_its_refusal_deletes_nothing(org, portfolio):
    seen = []

    def refuse(locked):
        seen.append(locked.version)
        raise ObjectGone(message="refused by the hook")

    with pytest.raises(ObjectGone):
        versioned_delete(
            portfolio, expected_version=portfolio.version, actor=org.bob, before=refuse
        )

    assert seen == [portfolio.version]
    assert Portfolio.objects.filter(pk=portfolio.pk).exists()


def test_without_a_version_only_existence_is_checked(org, portfolio):
    # For models without a version column; here any stored version is accepted.
    portfolio_update(
        actor=org.bob, portfolio=portfolio, expected_version=portfolio.version, name="Moved on"
    )
    assert locked_at_version(portfolio, expected_version=None).name == "Moved on"
