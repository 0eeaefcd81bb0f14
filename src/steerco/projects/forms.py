"""Forms for project and portfolio pages. Validation of business rules stays in services."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from steerco.accounts.rules import visible_projects
from steerco.core.forms import PlainLabels
from steerco.resources.models import Person

from .models import Membership, Portfolio, Project, project_code_validator
from .selectors import portfolio_list

_CLOSING = {Project.Status.CLOSED, Project.Status.CANCELLED}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # The browser's date picker sends and expects ISO dates whatever the locale.
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def active_people(*keep):
    """Active people, plus any inactive ones already chosen so the current value survives."""
    kept = [person.pk for person in keep if person is not None]
    return Person.objects.filter(Q(active=True) | Q(pk__in=kept)).order_by("name")


class ProjectFilterForm(PlainLabels, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Code, name or text")}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Project.Status.choices],
    )
    portfolio = forms.ModelChoiceField(
        label=_("Portfolio"), required=False, queryset=Portfolio.objects.none()
    )
    manager = forms.ModelChoiceField(
        label=_("Manager"), required=False, queryset=Person.objects.none()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["portfolio"].queryset = portfolio_list(user=user).order_by("name")
        self.fields["portfolio"].empty_label = _("Any portfolio")
        # Only managers of projects the user can see: the filter must not reveal others.
        self.fields["manager"].queryset = (
            Person.objects.filter(managed_projects__in=visible_projects(user))
            .distinct()
            .order_by("name")
        )
        self.fields["manager"].empty_label = _("Any manager")

    def filters(self) -> dict:
        """The selector's keyword arguments from whichever filters are valid."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        portfolio = data.get("portfolio")
        manager = data.get("manager")
        return {
            "search": data.get("q") or None,
            "status": data.get("status") or None,
            "portfolio_id": portfolio.pk if portfolio else None,
            "manager_id": manager.pk if manager else None,
        }


class ProjectForm(PlainLabels, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("A short unique reference such as CRM-2026; capitals, digits, - or _."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    sponsor = forms.ModelChoiceField(
        label=_("Sponsor"),
        required=False,
        queryset=Person.objects.none(),
        empty_label=_("No sponsor named"),
    )
    manager = forms.ModelChoiceField(
        label=_("Manager"),
        required=False,
        queryset=Person.objects.none(),
        empty_label=_("No manager named"),
        help_text=_("The manager always holds the Project manager role on the project."),
    )
    portfolio = forms.ModelChoiceField(
        label=_("Portfolio"),
        required=False,
        queryset=Portfolio.objects.none(),
        empty_label=_("Not in a portfolio"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Project.Status.choices)
    health = forms.ChoiceField(
        label=_("Manager's RAG"),
        choices=Project.Health.choices,
        help_text=_(
            "Your own judgement of the project, shown labelled as yours. The schedule's RAG "
            "is computed from the plan and shown beside it."
        ),
    )
    planned_start = forms.DateField(label=_("Planned start"), required=False, widget=DateInput)
    planned_finish = forms.DateField(label=_("Planned finish"), required=False, widget=DateInput)

    def __init__(
        self, *args, user, project: Project | None = None, may_close: bool = True, **kwargs
    ):
        super().__init__(*args, **kwargs)
        sponsor = project.sponsor if project else None
        manager = project.manager if project else None
        self.fields["sponsor"].queryset = active_people(sponsor)
        self.fields["manager"].queryset = active_people(manager)
        # The portfolios the user can see, and the project's own even if they cannot.
        keep = Q(pk__in=portfolio_list(user=user).values("pk"))
        if project is not None and project.portfolio_id:
            keep |= Q(pk=project.portfolio_id)
        self.fields["portfolio"].queryset = Portfolio.objects.filter(keep).order_by("name")
        if project is None:
            # Health is assessed once work starts; a new project is "not assessed".
            del self.fields["health"]
            del self.fields["version"]
        else:
            self.fields["version"].required = True
        if not may_close:
            current = project.status if project else None
            self.fields["status"].choices = [
                (value, label)
                for value, label in Project.Status.choices
                if value not in _CLOSING or value == current
            ]

    def clean_code(self) -> str:
        # Codes are stored in capitals, so "alpha" is accepted and checked as "ALPHA".
        code = self.cleaned_data["code"].strip().upper()
        project_code_validator(code)
        return code

    def changes(self) -> dict:
        """The project fields from the form, without the version."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


def project_initial(project: Project) -> dict:
    return {
        "version": project.version,
        "code": project.code,
        "name": project.name,
        "description": project.description,
        "sponsor": project.sponsor_id,
        "manager": project.manager_id,
        "portfolio": project.portfolio_id,
        "status": project.status,
        "health": project.health,
        "planned_start": project.planned_start,
        "planned_finish": project.planned_finish,
    }


class ProjectCloseForm(PlainLabels, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(
        label=_("Close the project as"),
        widget=forms.RadioSelect,
        choices=[
            (Project.Status.CLOSED, _("Closed — the work is finished")),
            (Project.Status.CANCELLED, _("Cancelled — the work stopped before it finished")),
        ],
    )


class VersionForm(PlainLabels, forms.Form):
    """Confirmation forms that only carry the version the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class MemberAddForm(PlainLabels, forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.none(), empty_label=_("Choose a person")
    )
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = active_people().exclude(memberships__project=project)
        self.fields["role"].initial = Membership.Role.TEAM_MEMBER


class MemberRoleForm(PlainLabels, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class PortfolioForm(PlainLabels, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("A short unique reference; capitals, digits, - or _."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        required=False,
        queryset=Person.objects.none(),
        empty_label=_("No owner named"),
    )

    def __init__(self, *args, portfolio: Portfolio | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = active_people(portfolio.owner if portfolio else None)
        if portfolio is None:
            del self.fields["version"]
        else:
            self.fields["version"].required = True

    def clean_code(self) -> str:
        # Codes are stored in capitals, so "alpha" is accepted and checked as "ALPHA".
        code = self.cleaned_data["code"].strip().upper()
        project_code_validator(code)
        return code

    def changes(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


def portfolio_initial(portfolio: Portfolio) -> dict:
    return {
        "version": portfolio.version,
        "code": portfolio.code,
        "name": portfolio.name,
        "description": portfolio.description,
        "owner": portfolio.owner_id,
    }
