"""People directory pages: list, detail, create and edit."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from steerco.accounts.rules import P, has_perm, may_view_capacity, require_perm, visible_projects
from steerco.core.pages import SERVICE_ERRORS, page_status, refusal, render_page

from . import services
from .forms import PersonFilterForm, PersonForm
from .models import Person
from .selectors import person_list


def _person_for(user, pk) -> Person:
    """A person the user may look up; others are 404 like unknown ids."""
    person = person_list(user=user, include_inactive=True).filter(pk=pk).first()
    if person is None:
        raise Http404(_("No such person."))
    return person


@require_safe
def person_list_view(request):
    filters = PersonFilterForm(request.GET or None)
    search = filters.cleaned_data.get("q") if filters.is_valid() else None
    people = person_list(user=request.user, search=search)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "can_manage": has_perm(request.user, P.PEOPLE_MANAGE),
    }
    return render_page(request, "resources/person_list.html", context, fragment="results")


@require_safe
def person_detail_view(request, pk):
    person = _person_for(request.user, pk)
    memberships = (
        person.memberships.filter(project__in=visible_projects(request.user))
        .select_related("project")
        .order_by("project__code")
    )
    return render(
        request,
        "resources/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "can_manage": has_perm(request.user, P.PEOPLE_MANAGE),
            "can_see_capacity": may_view_capacity(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def person_create_view(request):
    require_perm(request.user, P.PEOPLE_MANAGE)
    form = PersonForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "active")}
        # Left empty: the defaults (a full-time employee, Monday to Friday, 80 %).
        pattern = {
            name: value
            for name in services.PATTERN_FIELDS
            if (value := data.pop(name)) not in (None, "", [])
        }
        try:
            person = services.person_create(actor=request.user, **data, **pattern)
        except SERVICE_ERRORS as error:
            status = refusal(error, form=form).status
        else:
            messages.success(request, _("%(name)s was added.") % {"name": person.name})
            return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "resources/person_form.html",
        {"form": form, "person": None},
        status=page_status(request, status),
    )


@require_http_methods(["GET", "POST"])
def person_edit_view(request, pk):
    require_perm(request.user, P.PEOPLE_MANAGE)
    person = _person_for(request.user, pk)
    initial = {
        "version": person.version,
        "name": person.name,
        "email": person.email,
        "team": person.team,
        "job_title": person.job_title,
        "user": person.user,
        "active": person.active,
        **{name: getattr(person, name) for name in services.PATTERN_FIELDS},
    }
    form = PersonForm(request.POST or None, initial=initial, person=person)
    conflict = None
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or person.version
        # Fields a form did not send at all (one from before they existed) stay as they
        # are rather than being cleared.
        for name in services.PATTERN_FIELDS:
            if name not in request.POST:
                data.pop(name)
        try:
            services.person_update(
                actor=request.user, person=person, expected_version=version, **data
            )
        except SERVICE_ERRORS as error:
            refused = refusal(error, form=form, submitted=data)
            if refused.gone:
                raise Http404(_("No such person.")) from error
            status, conflict, current = refused.status, refused.conflict, refused.current
            if conflict is not None:
                # Start again from what is saved now; the panel shows what to re-apply.
                form = PersonForm(
                    initial={
                        **initial,
                        "version": current.version,
                        "name": current.name,
                        "email": current.email,
                        "team": current.team,
                        "job_title": current.job_title,
                        "user": current.user,
                        "active": current.active,
                        **{name: getattr(current, name) for name in services.PATTERN_FIELDS},
                    },
                    person=current,
                )
        else:
            messages.success(request, _("Changes to %(name)s were saved.") % {"name": person.name})
            return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "resources/person_form.html",
        {"form": form, "person": person, "conflict": conflict},
        status=page_status(request, status),
    )
