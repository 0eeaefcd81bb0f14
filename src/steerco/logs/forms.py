"""Forms of the log pages, made from the ``KINDS`` registry instead of one class per log.

The forms only turn submitted text into Python values; every rule about a log item
(scales, workflows, cross-field checks) lives in ``services.py`` and comes back as a
service error that ``steerco.core.forms.add_service_errors`` places beside the field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from steerco.accounts.rules import visible_projects
from steerco.core.forms import PlainLabels
from steerco.projects.models import Project
from steerco.resources.models import Person

from . import selectors
from .kinds import LogKind
from .models import ScaleLevel

# Which organisation scale each level field of a risk draws its choices from.
SCALE_FIELDS = {
    "probability": ScaleLevel.Dimension.PROBABILITY,
    "impact": ScaleLevel.Dimension.IMPACT,
    "probability_after": ScaleLevel.Dimension.PROBABILITY,
    "impact_after": ScaleLevel.Dimension.IMPACT,
}


class DateInput(forms.DateInput):
    """The browser's date picker; the ISO value is what it reads and sends."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _formfield(model_field: models.Field, **kwargs) -> forms.Field | None:
    if isinstance(model_field, models.DateField) and not isinstance(
        model_field, models.DateTimeField
    ):
        kwargs["widget"] = DateInput
    field = model_field.formfield(**kwargs)
    if field is not None and isinstance(field.widget, forms.Textarea):
        # Most entries are a sentence or two; ten empty rows each made forms endless.
        field.widget.attrs["rows"] = 3
    if field is not None:
        # Model verbose names are lower case ("due date"); labels read "Due date".
        field.label = str(model_field.verbose_name)[:1].upper() + str(model_field.verbose_name)[1:]
    return field


class LogItemForm(PlainLabels, forms.ModelForm):
    """Base of every log form; ``log_item_form`` builds the per-log subclass."""

    kind: LogKind

    def __init__(self, *args, project, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        editing = self.instance.pk is not None
        for name, field in self.fields.items():
            model_field = self._meta.model._meta.get_field(name)
            if name in SCALE_FIELDS:
                self.fields[name] = self._scale_field(name, model_field, field)
            elif model_field.is_relation and model_field.related_model is Person:
                current = getattr(self.instance, f"{name}_id", None) if editing else None
                # Someone who has left stays selectable on the items they already own.
                field.queryset = Person.objects.filter(
                    models.Q(active=True) | models.Q(pk=current)
                ).order_by("name")
            elif model_field.is_relation and model_field.related_model is Project:
                current = getattr(self.instance, f"{name}_id", None) if editing else None
                projects = visible_projects(user) if user is not None else Project.objects.all()
                field.queryset = (
                    Project.objects.filter(
                        models.Q(pk__in=projects.values("pk")) | models.Q(pk=current)
                    )
                    .exclude(pk=project.pk)
                    .order_by("code")
                )
                field.label_from_instance = lambda other: f"{other.code} – {other.name}"
        if editing:
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=self.instance.version
            )

    def _scale_field(self, name, model_field, field) -> forms.Field:
        levels = selectors.scale_levels(SCALE_FIELDS[name])
        choices: list[tuple[Any, str]] = [("", "—")]
        choices += [(level.value, str(level)) for level in levels]
        return forms.TypedChoiceField(
            label=field.label,
            choices=choices,
            coerce=int,
            required=not model_field.null,
            empty_value=None,
            help_text=field.help_text,
        )

    def _post_clean(self):
        # Model validation is the services' job; running it here as well would validate
        # against a half-built item (no project yet) and change the caller's object.
        pass

    def changes(self) -> dict[str, Any]:
        """The submitted values of the item's fields, for ``services.item_create/update``."""
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


def log_item_form(
    kind: LogKind,
    *,
    project,
    data=None,
    instance=None,
    user=None,
    fields: tuple[str, ...] | None = None,
    initial: dict[str, Any] | None = None,
    auto_id: str = "id_%s",
) -> LogItemForm:
    """A form for one item of ``kind``: a new one, or ``instance`` with a hidden version.

    ``fields`` narrows the form to some editable fields (the inline editor uses one);
    ``user`` limits the projects a dependency may name to those the user can see.
    """
    names = fields or kind.editable_fields
    unknown = set(names) - set(kind.editable_fields)
    if unknown:
        raise ValueError(f"Not editable fields of {kind.plural}: {sorted(unknown)}")
    form_class = forms.modelform_factory(
        kind.model, form=LogItemForm, fields=names, formfield_callback=_formfield
    )
    form_class.kind = kind
    return form_class(
        data=data,
        instance=instance,
        project=project,
        user=user,
        initial=initial,
        auto_id=auto_id,
    )


def inline_fields(kind: LogKind) -> tuple[str, ...]:
    """Columns of a log's list that can be edited in place (editable and shown)."""
    return tuple(name for name in kind.list_fields if name in kind.editable_fields)


class ConfirmDeleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


def filter_choices(kind: LogKind, name: str, project=None) -> list[tuple[str, str]]:
    """Choices of the list's filter select for ``name``, starting with "All".

    People are those named on this log of ``project``: a short list of useful choices,
    which does not show the whole organisation's directory to every team member.
    Without a project (callers that only validate a filter), anyone may be chosen.
    """
    model_field = kind.model._meta.get_field(name)
    choices: list[tuple[str, str]] = [("", str(_("All")))]
    if model_field.is_relation:
        people = Person.objects.order_by("name")
        if project is not None:
            named = kind.model.objects.filter(project=project).values(name)
            people = people.filter(pk__in=named)
        people = people.values_list("pk", "name")
        choices += [(str(pk), person) for pk, person in people]
    else:
        choices += [(str(value), str(label)) for value, label in model_field.flatchoices]
    return choices


class LogFilterForm(PlainLabels, forms.Form):
    """The list page's filter bar: one select per filter field, state, search and sort."""

    STATES = (("open", _("Open")), ("closed", _("Closed")), ("all", _("All")))

    def __init__(self, *args, kind: LogKind, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in kind.filter_fields:
            model_field = kind.model._meta.get_field(name)
            label = str(model_field.verbose_name)
            self.fields[name] = forms.ChoiceField(
                label=label[:1].upper() + label[1:],
                choices=filter_choices(kind, name, project),
                required=False,
            )
        if kind.model.OPEN_STATUSES:
            self.fields["state"] = forms.ChoiceField(
                label=_("Show"), choices=self.STATES, required=False
            )
        self.fields["q"] = forms.CharField(
            label=_("Search"),
            required=False,
            max_length=200,
            widget=forms.TextInput(attrs={"type": "search"}),
        )
        self.fields["ordering"] = forms.CharField(
            required=False, max_length=60, widget=forms.HiddenInput
        )

    def filters(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in self.kind.filter_fields}

    def state(self) -> str:
        return self.cleaned_data.get("state") or "open"

    def is_filtered(self) -> bool:
        return any(self.filters().values()) or bool(self.cleaned_data.get("q"))
