"""core.pages: every service error becomes form errors, a panel and a status, in one place."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from steerco.core.exceptions import DomainError, ObjectGone, VersionConflict
from steerco.core.pages import SERVICE_ERRORS, is_partial, page_status, posted_version, refusal
from steerco.projects.models import Project
from steerco.projects.services import project_update


class NameForm(forms.Form):
    name = forms.CharField()


def _form():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    return form


def test_a_rule_broken_is_a_422_with_the_message_beside_its_field():
    form = _form()
    refused = refusal(DomainError("Name taken.", fields={"name": ["Taken."]}), form=form)
    assert (refused.status, refused.message) == (422, "Name taken.")
    assert form.errors == {"name": ["Taken."], "__all__": ["Name taken."]}
    assert not refused.stale and not refused.gone


def test_a_validation_error_is_a_422_with_messages_on_their_fields():
    form = _form()
    refused = refusal(ValidationError({"name": ["Too short."], "other": ["Odd."]}), form=form)
    assert refused.status == 422
    assert form.errors == {"name": ["Too short."], "__all__": ["Odd."]}


def test_a_permission_error_is_a_403_with_its_message():
    form = _form()
    refused = refusal(PermissionDenied("Only the PMO may."), form=form)
    assert (refused.status, refused.message) == (403, "Only the PMO may.")
    assert form.errors == {"__all__": ["Only the PMO may."]}
    assert refusal(PermissionDenied()).message == "You are not allowed to do this."


def test_a_deleted_object_is_a_404_saying_so():
    assert refusal(ObjectGone(Project)).gone
    refused = refusal(VersionConflict(None, sent_version=3))
    assert (refused.status, refused.gone) == (404, True)
    assert "deleted by someone else" in refused.message


def test_a_version_conflict_is_a_409_with_the_panel_naming_who_changed_what(org):
    alpha = Project.objects.get(pk=org.alpha.pk)
    shown = alpha.version
    project_update(actor=org.mary, project=alpha, expected_version=shown, name="Theirs")
    stale = Project.objects.get(pk=alpha.pk)
    stale.version = shown
    form = _form()
    with pytest.raises(VersionConflict) as conflict:
        project_update(actor=org.priya, project=stale, expected_version=shown, name="Mine")

    refused = refusal(conflict.value, form=form, submitted={"name": "Mine"})

    assert (refused.status, refused.stale) == (409, True)
    assert refused.current.name == "Theirs"
    assert refused.conflict.changed_by == "Mary Moss"
    [row] = refused.conflict.rows
    assert (row.current, row.yours, row.changed_by_other) == ("Theirs", "Mine", True)
    assert form.errors["__all__"] == [conflict.value.message]


def test_anything_else_is_not_dressed_up_as_a_refusal():
    assert not issubclass(KeyError, SERVICE_ERRORS)
    with pytest.raises(TypeError):
        refusal(KeyError("bug"))


def test_htmx_fragments_and_statuses():
    plain = RequestFactory().get("/")
    plain.htmx = False
    assert not is_partial(plain)
    assert page_status(plain, 409) == 409

    swap = RequestFactory().get("/")
    swap.htmx = SimpleNamespace(boosted=False, history_restore_request=False)
    assert is_partial(swap)
    assert page_status(swap, 409) == 200  # htmx would not swap a 4xx answer

    boosted = RequestFactory().get("/")
    boosted.htmx = SimpleNamespace(boosted=True, history_restore_request=False)
    assert not is_partial(boosted)  # a boosted link wants the whole page


def test_the_posted_version_or_the_current_one():
    stored = SimpleNamespace(version=7)
    assert posted_version(RequestFactory().post("/", {"version": "4"}), stored) == 4
    assert posted_version(RequestFactory().post("/", {}), stored) == 7
    assert posted_version(RequestFactory().post("/", {"version": "x"}), stored) == 7
