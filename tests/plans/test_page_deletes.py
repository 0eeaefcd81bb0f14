"""Deleting from the plan pages makes the same version check the API makes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from steerco.plans import services
from steerco.plans.calendars import services as cal
from steerco.plans.models import Task, WorkCalendar

DAY = 480
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def build(org):
    return services.task_create(
        actor=org.mary, project=org.alpha, name="Build", duration_minutes=3 * DAY
    )


def _action_url(project):
    return reverse("plans:task_action", kwargs={"project_id": project.pk})


def test_the_grid_sends_the_version_of_each_selectable_row(org, client_for, build):
    page = client_for("mary").get(reverse("plans:plan", kwargs={"project_id": org.alpha.pk}))
    html = page.content.decode()
    assert f'value="{build.pk}" data-version="{build.version}"' in html
    assert 'id="row-actions-version"' in html


def test_a_stale_delete_from_the_plan_page_is_refused_with_a_clear_message(org, client_for, build):
    shown = build.version
    services.task_update(
        actor=org.priya, task=build, expected_version=shown, name="Build (renamed)"
    )
    client = client_for("mary")
    data = {"action": "delete", "task": build.pk, "version": shown, "confirmed": "on"}

    response = client.post(_action_url(org.alpha), data, follow=True)

    assert Task.objects.filter(pk=build.pk).exists()
    html = response.content.decode()
    assert "Priya Patel changed task &#x27;Build (renamed)&#x27; since you opened the plan" in html
    assert "it was not deleted" in html


def test_a_stale_delete_with_htmx_shows_the_message_in_the_swapped_grid(org, client_for, build):
    shown = build.version
    services.task_update(actor=org.priya, task=build, expected_version=shown, name="Renamed")

    response = client_for("mary").post(
        _action_url(org.alpha),
        {"action": "delete", "task": build.pk, "version": shown, "confirmed": "on"},
        **HTMX,
    )

    assert response.status_code == 200  # htmx swaps only successful answers
    assert "it was not deleted" in response.content.decode()
    assert Task.objects.filter(pk=build.pk).exists()


def test_the_confirmation_page_carries_the_version_the_grid_showed(org, client_for, build):
    response = client_for("mary").post(
        _action_url(org.alpha), {"action": "delete", "task": build.pk, "version": build.version}
    )
    assert f'name="version" value="{build.version}"' in response.content.decode()


def test_a_current_delete_from_the_plan_page_deletes(org, client_for, build):
    response = client_for("mary").post(
        _action_url(org.alpha),
        {"action": "delete", "task": build.pk, "version": build.version, "confirmed": "on"},
    )
    assert response.status_code == 302
    assert not Task.objects.filter(pk=build.pk).exists()


def test_a_stale_organisation_calendar_delete_is_refused(org, client_for):
    spare = cal.calendar_create(actor=org.bob, name="Spare")
    shown = spare.version
    cal.calendar_update(actor=org.bob, calendar=spare, expected_version=shown, name="Spare 2")
    response = client_for("bob").post(
        reverse("calendars:detail", args=[spare.pk]),
        {"action": "delete", "version": shown},
        follow=True,
    )
    assert WorkCalendar.objects.filter(pk=spare.pk).exists()
    assert "changed by someone else" in response.content.decode()
