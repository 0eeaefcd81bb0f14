"""Organisation-wide log pages under /logs/: escalations to the PMO, the lessons library
and the risk scales."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from steerco.accounts.rules import P, require_perm
from steerco.core.exceptions import DomainError
from steerco.core.forms import PlainLabels
from steerco.core.pages import SERVICE_ERRORS, is_partial, refusal

from . import scale_services, selectors
from .models import Lesson, ScaleLevel

ESCALATIONS_PAGE_SIZE = 50
LESSONS_PAGE_SIZE = 20


# --------------------------------------------------------------------------- escalations


@require_GET
def escalations(request):
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
def lessons(request):
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


# --------------------------------------------------------------------------- scales


class ScaleLabelsForm(PlainLabels, forms.Form):
    """Label and description of every level of one scale, edited together."""

    def __init__(self, *args, levels: list[ScaleLevel], **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = levels
        for level in levels:
            self.fields[f"label_{level.value}"] = forms.CharField(
                label=_("Label of level %(value)d") % {"value": level.value},
                max_length=60,
                initial=level.label,
            )
            self.fields[f"description_{level.value}"] = forms.CharField(
                label=_("Description of level %(value)d") % {"value": level.value},
                max_length=255,
                required=False,
                initial=level.description,
            )

    def rows(self):
        return [
            (level, self[f"label_{level.value}"], self[f"description_{level.value}"])
            for level in self.levels
        ]

    def labels(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            level.value: (data[f"label_{level.value}"], data[f"description_{level.value}"])
            for level in self.levels
        }


class ScaleLevelAddForm(PlainLabels, forms.Form):
    label = forms.CharField(label=gettext_lazy("Label"), max_length=60)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=255, required=False)


_OPERATIONS = ("labels", "add", "remove")


def _scale_sections(may_edit: bool, bound: dict | None = None) -> list[dict]:
    """One section per scale; ``bound`` replaces the forms of the scale a POST named."""
    sections = []
    for dimension, title in ScaleLevel.Dimension.choices:
        levels = selectors.scale_levels(dimension)
        section = {
            "dimension": dimension,
            "title": title,
            "levels": levels,
            "top": levels[-1] if levels else None,
            "can_add": len(levels) < scale_services.MAX_LEVELS,
            "can_remove": len(levels) > scale_services.MIN_LEVELS,
            "error": None,
        }
        if may_edit:
            section["labels_form"] = ScaleLabelsForm(levels=levels, prefix=dimension)
            section["add_form"] = ScaleLevelAddForm(prefix=f"{dimension}-add")
        if bound and bound.get("dimension") == dimension:
            section.update({k: v for k, v in bound.items() if k != "dimension"})
        sections.append(section)
    return sections


def _render_scales(request, may_edit, *, bound=None, problem=None, status=200):
    return render(
        request,
        "logs/scales.html",
        {
            "sections": _scale_sections(may_edit, bound),
            "may_edit": may_edit,
            "problem": problem,
            "min_levels": scale_services.MIN_LEVELS,
            "max_levels": scale_services.MAX_LEVELS,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def scales(request):
    """The organisation's probability and impact scales; administrators and the PMO edit."""
    may_edit = scale_services.may_edit_scales(request.user)
    if request.method == "GET":
        return _render_scales(request, may_edit)
    if not may_edit:
        raise PermissionDenied(_("Only administrators and the PMO may change the risk scales."))
    operation = request.POST.get("op", "")
    dimension = request.POST.get("dimension", "")
    if operation not in _OPERATIONS or dimension not in ScaleLevel.Dimension.values:
        return _render_scales(
            request,
            may_edit,
            problem=_("The change could not be read: choose a scale and what to do with it."),
            status=400,
        )
    scale_name = ScaleLevel.Dimension(dimension).label
    bound: dict = {"dimension": dimension}
    try:
        if operation == "labels":
            form = ScaleLabelsForm(
                request.POST, levels=selectors.scale_levels(dimension), prefix=dimension
            )
            bound["labels_form"] = form
            if not form.is_valid():
                return _render_scales(request, may_edit, bound=bound, status=422)
            try:
                scale_services.scale_labels_update(
                    actor=request.user, dimension=dimension, labels=form.labels()
                )
            except SERVICE_ERRORS as error:
                status = refusal(error, form=form).status
                return _render_scales(request, may_edit, bound=bound, status=status)
            messages.success(request, _("%(scale)s labels saved.") % {"scale": scale_name})
        elif operation == "add":
            form = ScaleLevelAddForm(request.POST, prefix=f"{dimension}-add")
            bound["add_form"] = form
            if not form.is_valid():
                return _render_scales(request, may_edit, bound=bound, status=422)
            try:
                level = scale_services.scale_level_add(
                    actor=request.user, dimension=dimension, **form.cleaned_data
                )
            except SERVICE_ERRORS as error:
                status = refusal(error, form=form).status
                return _render_scales(request, may_edit, bound=bound, status=status)
            messages.success(
                request,
                _("Level %(level)s added to the %(scale)s scale.")
                % {"level": str(level), "scale": scale_name.lower()},
            )
        else:
            removed = scale_services.scale_level_remove_top(actor=request.user, dimension=dimension)
            messages.success(
                request,
                _("Level %(level)s removed from the %(scale)s scale.")
                % {"level": str(removed), "scale": scale_name.lower()},
            )
    except DomainError as error:
        bound["error"] = error.message
        return _render_scales(request, may_edit, bound=bound, status=422)
    return redirect("orglogs:scales")
