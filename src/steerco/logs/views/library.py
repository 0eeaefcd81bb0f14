"""The library of the logs across projects, under /logs/: issues escalated to the PMO and
the lessons learned."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from steerco.accounts.rules import P, require_perm
from steerco.core.forms import PlainLabels
from steerco.core.pages import is_partial

from .. import selectors
from ..models import Lesson

ESCALATIONS_PAGE_SIZE = 50
LESSONS_PAGE_SIZE = 20


# --------------------------------------------------------------------------- escalations


@require_GET
def escalation_list_view(request):
    """Issues escalated beyond their project, for the PMO and those who oversee portfolios."""
    require_perm(request.user, P.PORTFOLIO_VIEW)
    closed = request.GET.get("closed", "")
    if closed not in ("", "0", "1"):
        return render(
            request,
            "logs/escalations.html",
            {"problem": _("Choose to include closed issues (1) or not (0).")},
            status=400,
        )
    include_closed = closed == "1"
    issues = selectors.escalated_issues(user=request.user, include_closed=include_closed)
    page_obj = Paginator(issues, ESCALATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = []
    for issue in page_obj.object_list:
        targets = []
        if issue.escalated_to_pmo:
            targets.append(_("PMO"))
        if issue.escalated_to is not None:
            targets.append(issue.escalated_to.name)
        since = issue.escalated_on or issue.raised_on
        rows.append(
            {
                "issue": issue,
                "escalated_to": ", ".join(str(t) for t in targets),
                "age": (today - since).days if since else None,
            }
        )
    return render(
        request,
        "logs/escalations.html",
        {"rows": rows, "page_obj": page_obj, "include_closed": include_closed},
    )


# --------------------------------------------------------------------------- lessons library


def _choices(label, choices):
    return [("", label), *choices]


class LessonSearchForm(PlainLabels, forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)
    category = forms.ChoiceField(
        label=gettext_lazy("Category"),
        required=False,
        choices=_choices(gettext_lazy("Any category"), Lesson.Category.choices),
    )
    stage = forms.ChoiceField(
        label=gettext_lazy("Project stage"),
        required=False,
        choices=_choices(gettext_lazy("Any stage"), Lesson.Stage.choices),
    )
    lesson_type = forms.ChoiceField(
        label=gettext_lazy("Type"),
        required=False,
        choices=_choices(gettext_lazy("Any type"), Lesson.Type.choices),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"


@require_GET
@vary_on_headers("HX-Request")
def lesson_list_view(request):
    """Lessons from every project the user may see, to learn from before repeating them."""
    form = LessonSearchForm(request.GET)
    status = 200
    if form.is_valid():
        found = selectors.lessons_library(user=request.user, **form.cleaned_data)
        filtered = any(form.cleaned_data.values())
    else:
        found = Lesson.objects.none()
        filtered = True
        status = 400
    page_obj = Paginator(found, LESSONS_PAGE_SIZE).get_page(request.GET.get("page"))
    template = "logs/lessons_library.html"
    if is_partial(request) and status == 200:
        template += "#results"
    return render(
        request,
        template,
        {"form": form, "page_obj": page_obj, "lessons": page_obj.object_list, "filtered": filtered},
        status=status,
    )
