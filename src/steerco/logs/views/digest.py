"""The digest as a page: what the daily e-mail would tell a person, looking as far ahead as
they choose. People see their own; the PMO and administrators may look at anyone's.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from steerco.accounts.rules import P, has_perm, person_of
from steerco.resources.selectors import person_list

from ..digest.sending import (
    MAX_HORIZON_DAYS,
    MIN_HORIZON_DAYS,
    default_horizon_days,
    digest_counts,
    digest_sections,
)
from ..selectors import digest_for


class DigestForm(forms.Form):
    horizon = forms.IntegerField(
        label=gettext_lazy("Look ahead (days)"),
        min_value=MIN_HORIZON_DAYS,
        max_value=MAX_HORIZON_DAYS,
        help_text=gettext_lazy("Items due within this many days count as due soon (1–30)."),
    )
    person = forms.TypedChoiceField(
        label=gettext_lazy("Person"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is None:
            # Only the PMO and administrators choose whose digest to see.
            del self.fields["person"]
        else:
            self.fields["person"].choices = [("", _("Choose a person"))] + [
                (p.pk, p.name) for p in people
            ]


def _person_to_show(request, me, may_view_others: bool):
    """The person whose digest the page shows: the viewer unless ``?person=`` says otherwise."""
    raw = request.GET.get("person", "").strip()
    if not raw or (me is not None and raw == str(me.pk)):
        return me
    if not may_view_others:
        raise PermissionDenied(_("You can only see your own digest."))
    people = person_list(user=request.user, include_inactive=True)
    try:
        return people.get(pk=int(raw))
    except (ValueError, people.model.DoesNotExist):
        raise Http404(_("No such person.")) from None


@require_GET
def digest_view(request):
    user = request.user
    me = person_of(user)
    may_view_others = has_perm(user, P.PORTFOLIO_MANAGE)
    person = _person_to_show(request, me, may_view_others)

    default_days = default_horizon_days()
    data = {"horizon": request.GET.get("horizon") or default_days}
    if person is not None:
        data["person"] = person.pk
    people = list(person_list(user=user)) if may_view_others else None
    if people is not None and person is not None and person not in people:
        people.append(person)  # an inactive person asked for by id stays selectable
    form = DigestForm(data, people=people)
    form.is_valid()  # an invalid horizon is shown as an error; the default is used meanwhile
    horizon = form.cleaned_data.get("horizon", default_days)

    digest = None
    sections = []
    overdue = due = 0
    if person is not None:
        digest = digest_for(person=person, today=timezone.localdate(), horizon_days=horizon)
        sections = digest_sections(digest)
        overdue, due = digest_counts(digest)
    return render(
        request,
        "logs/digest.html",
        {
            "form": form,
            "person": person,
            "is_own": person is not None and person == me,
            "digest": digest,
            "sections": sections,
            "overdue_count": overdue,
            "due_count": due,
            "horizon": horizon,
            "may_view_others": may_view_others,
        },
    )
