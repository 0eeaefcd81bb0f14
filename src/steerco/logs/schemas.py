"""API shapes of the project logs, generated from the ``KINDS`` registry.

Each log gets its own schemas (``RiskOut``, ``RiskCreateIn``, ``RiskPatchIn``,
``RiskFilters``, ...) built from the model fields its ``LogKind`` names, so the OpenAPI
document shows every log with its real field types while a field added to a kind appears
in the API without another edit here.

References to other objects (people such as ``owner``, ``other_project``) are integer ids
both ways. In update bodies (``...PatchIn``) a field left out is left alone; only fields
that may be empty accept ``null``. Money and day counts are decimals: sent as JSON numbers
or strings, returned as numbers.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db import models
from ninja import Field, Schema

from steerco.core.api import MAX_ID, InputSchema, ObjectId, Version
from steerco.engine.risk.scoring import score_band

from . import selectors
from .kinds import KINDS, LogKind
from .models import Action, ChangeRequest, Issue, ItemLink, Lesson, LogItem, Risk

State = Literal["open", "closed", "all"]
Band = Literal["low", "medium", "high"]
Relation = Literal[tuple(ItemLink.Relation.values)]
ChangeStatus = Literal[tuple(ChangeRequest.Status.values)]
LessonCategory = Literal[tuple(Lesson.Category.values)]
LessonStage = Literal[tuple(Lesson.Stage.values)]
LessonType = Literal[tuple(Lesson.Type.values)]

SearchText = Annotated[str, Field(max_length=200)]
# Bounds of a small positive integer column: larger values could not be stored, so they are
# malformed; whether a level lies on the organisation's scale is a rule (422).
SmallLevel = Annotated[int, Field(ge=0, le=32767)]

_WORKFLOW_ONLY = "Changed only through the workflow; sending it is refused (422)."


# --- field types from model fields ----------------------------------------------------


def _description(model_field: models.Field) -> str:
    text = str(model_field.verbose_name)
    text = text[:1].upper() + text[1:]
    if model_field.is_relation:
        related = model_field.related_model._meta.model_name
        text += " (user id)" if related == "user" else f" ({related} id)"
    if model_field.help_text:
        text += f" — {model_field.help_text}"
    return text


def _value_type(model_field: models.Field, *, incoming: bool) -> Any:
    """The Python type of one model field's value in a request (incoming) or answer."""
    if model_field.is_relation:
        return ObjectId if incoming else int
    if model_field.choices:
        values = [value for value, _label in model_field.flatchoices]
        if model_field.blank and "" not in values:
            values.append("")
        return Literal[tuple(values)]
    if isinstance(model_field, models.BooleanField):
        return bool
    if isinstance(model_field, models.DateTimeField):
        return datetime
    if isinstance(model_field, models.DateField):
        return date
    if isinstance(model_field, models.DecimalField):
        # Too many digits is a rule broken (422 from the model), not a malformed request.
        return Annotated[Decimal, Field(allow_inf_nan=False)] if incoming else float
    if isinstance(model_field, models.PositiveSmallIntegerField):
        return SmallLevel if incoming else int
    if isinstance(model_field, models.IntegerField):
        return Annotated[int, Field(ge=-(2**31), le=2**31 - 1)] if incoming else int
    return str


def _nullable(model_field: models.Field, value_type: Any) -> Any:
    return value_type | None if model_field.null else value_type


def _fields_of(kind: LogKind) -> list[models.Field]:
    return [kind.model._meta.get_field(name) for name in kind.editable_fields]


def _required_on_create(model_field: models.Field) -> bool:
    return not (model_field.has_default() or model_field.null or model_field.blank)


# --- answers --------------------------------------------------------------------------


class LogItemOut(Schema):
    """Fields every log item has; each log's schema adds its own."""

    id: int
    version: int
    ref: str = Field(..., description='Human reference, e.g. "R-012"; never reused.')
    project: int | None = Field(
        ...,
        description="Id of the project that recorded it; null for a dependency recorded by "
        "a project you do not have access to.",
    )
    project_code: str | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_project(obj: LogItem) -> int | None:
        return None if getattr(obj, "origin_hidden", False) else obj.project_id

    @staticmethod
    def resolve_project_code(obj: LogItem) -> str | None:
        return None if getattr(obj, "origin_hidden", False) else obj.project.code


def _id_resolver(name: str):
    return staticmethod(lambda obj: getattr(obj, f"{name}_id"))


def _float_resolver(name: str):
    def resolve(obj):
        value = getattr(obj, name)
        return None if value is None else float(value)

    return staticmethod(resolve)


def _scale_sizes(context) -> tuple[int, int]:
    """The scale sizes, read once per request however many risks a page holds."""
    request = (context or {}).get("request")
    sizes = getattr(request, "_steerco_scale_sizes", None)
    if sizes is None:
        sizes = selectors.scale_sizes()
        if request is not None:
            request._steerco_scale_sizes = sizes
    return sizes


def _band_resolver(score_name: str):
    def resolve(obj: Risk, context=None) -> str | None:
        score = getattr(obj, score_name)
        if score is None:
            return None
        probability_size, impact_size = _scale_sizes(context)
        try:
            return score_band(
                score, probability_size=probability_size, impact_size=impact_size
            ).value
        except ValueError:
            # Assessed on a larger scale than today's: off the top of the current one.
            return "high"

    return staticmethod(resolve)


def _overdue(obj: Action) -> bool:
    return obj.is_overdue()


# Answer fields beyond the editable ones: (annotation, Field) and resolvers, per log model.
_EXTRA_OUT: dict[type, dict[str, tuple[Any, Any]]] = {
    Risk: {
        "score_before": (int | None, Field(None, description="probability × impact")),
        "score_after": (
            int | None,
            Field(None, description="probability_after × impact_after; null if not assessed"),
        ),
        "band_before": (Band | None, Field(None, description="Band of score_before.")),
        "band_after": (Band | None, Field(None, description="Band of score_after.")),
    },
    Issue: {"from_risk": (int | None, Field(None, description="Risk id it was raised from."))},
    ChangeRequest: {},
    Action: {
        "overdue": (bool, Field(..., description="Open and due before today.")),
    },
}
_EXTRA_RESOLVERS: dict[type, dict[str, Any]] = {
    Risk: {
        "resolve_band_before": _band_resolver("score_before"),
        "resolve_band_after": _band_resolver("score_after"),
    },
    Issue: {"resolve_from_risk": _id_resolver("from_risk")},
    Action: {"resolve_overdue": staticmethod(_overdue)},
}


def _out_schema(kind: LogKind) -> type[LogItemOut]:
    model = kind.model
    names = list(dict.fromkeys([*kind.editable_fields, *kind.workflow_fields]))
    if hasattr(model, "status") and "status" not in names:
        names.append("status")
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__module__": __name__, "__doc__": f"A {kind.label}."}
    for name in names:
        if name in _EXTRA_OUT.get(model, {}):
            continue
        model_field = model._meta.get_field(name)
        annotations[name] = _nullable(model_field, _value_type(model_field, incoming=False))
        namespace[name] = Field(
            None if model_field.null else ..., description=_description(model_field)
        )
        if model_field.is_relation:
            namespace[f"resolve_{name}"] = _id_resolver(name)
        elif isinstance(model_field, models.DecimalField):
            namespace[f"resolve_{name}"] = _float_resolver(name)
    for name, (annotation, field_info) in _EXTRA_OUT.get(model, {}).items():
        annotations[name] = annotation
        namespace[name] = field_info
    namespace.update(_EXTRA_RESOLVERS.get(model, {}))
    namespace["__annotations__"] = annotations
    return type(f"{model.__name__}Out", (LogItemOut,), namespace)


# --- requests -------------------------------------------------------------------------


def _input_schema(kind: LogKind, *, patch: bool, name: str | None = None, version: Any = Version):
    """A create (``patch=False``) or update body of ``kind``: its editable fields, plus its
    workflow fields, accepted only to be refused with a 422 that names them."""
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__module__": __name__}
    if patch:
        annotations["version"] = version
    for model_field in _fields_of(kind):
        value_type = _value_type(model_field, incoming=True)
        annotations[model_field.name] = _nullable(model_field, value_type)
        required = not patch and _required_on_create(model_field)
        # Defaults of None are not validated, so leaving a field out is allowed while an
        # explicit null for a field that cannot be empty is rejected as malformed.
        namespace[model_field.name] = Field(
            ... if required else None, description=_description(model_field)
        )
    for workflow_field in kind.workflow_fields:
        annotations[workflow_field] = Any
        namespace[workflow_field] = Field(None, description=_WORKFLOW_ONLY)
    namespace["__annotations__"] = annotations
    suffix = "PatchIn" if patch else "CreateIn"
    return type(name or f"{kind.model.__name__}{suffix}", (InputSchema,), namespace)


def _ordering_values(kind: LogKind) -> tuple[str, ...]:
    names = selectors.sortable_fields(kind)
    return tuple(value for name in names for value in (name, f"-{name}"))


class ListParameters(Schema):
    """Query parameters every log list takes besides its filters."""

    state: State = Field("all", description="open, closed or all items.")
    q: SearchText | None = Field(
        None, description='Search the text fields; a reference such as "R-012" or "12" too.'
    )


def _filters_schema(kind: LogKind) -> type[Schema]:
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__module__": __name__}
    for name in kind.filter_fields:
        model_field = kind.model._meta.get_field(name)
        annotations[name] = _value_type(model_field, incoming=True) | None
        namespace[name] = Field(None, description=f"Only items with this {name} (exact).")
    ordering = _ordering_values(kind)
    annotations["ordering"] = Literal[ordering]
    namespace["ordering"] = Field(
        "number", description="Sort by this column; a leading '-' sorts descending."
    )
    namespace["__annotations__"] = annotations
    return type(f"{kind.model.__name__}Filters", (ListParameters,), namespace)


OUT: dict[str, type[LogItemOut]] = {slug: _out_schema(kind) for slug, kind in KINDS.items()}
CREATE_IN: dict[str, type[InputSchema]] = {
    slug: _input_schema(kind, patch=False) for slug, kind in KINDS.items()
}
PATCH_IN: dict[str, type[InputSchema]] = {
    slug: _input_schema(kind, patch=True) for slug, kind in KINDS.items()
}
FILTERS: dict[str, type[Schema]] = {slug: _filters_schema(kind) for slug, kind in KINDS.items()}

RiskOut = OUT["risks"]
IssueOut = OUT["issues"]
ChangeRequestOut = OUT["changes"]
ActionOut = OUT["actions"]
LessonOut = OUT["lessons"]

# Raising an issue from a risk: any issue field may be given (the rest come from the risk),
# with the version of the risk, which is marked as occurred.
RaiseIssueIn = _input_schema(
    KINDS["issues"],
    patch=True,
    name="RiskRaiseIssueIn",
    version=Annotated[
        int,
        Field(
            ge=1,
            le=MAX_ID,
            description="The version of the risk you read; a stale one answers 409 with "
            "the current risk.",
        ),
    ],
)


class ChangeTransitionIn(InputSchema):
    to: ChangeStatus = Field(
        ...,
        description="The next status: draft → submitted → assessed → approved or rejected; "
        "approved → implemented; submitted → draft.",
    )
    version: Version


# --- links and history ----------------------------------------------------------------


class ItemLinkOut(Schema):
    """Something linked to the item, from either end, read from the item's side."""

    id: int = Field(..., description="Id of the link (to delete it).")
    relation: str = Field(..., description='Read from this item, e.g. "is resolved by".')
    relation_code: Relation = Field(..., description="The stored relation, source to target.")
    outgoing: bool = Field(..., description="True if this item is the link's source.")
    target: str = Field(..., description='The other end: a reference ("I-007") or "task-12".')
    target_kind: str = Field(..., description='Its log ("issues") or "tasks".')
    target_id: int
    label: str

    @staticmethod
    def resolve_id(obj) -> int:
        return obj.link.pk

    @staticmethod
    def resolve_relation_code(obj) -> str:
        return obj.link.relation

    @staticmethod
    def resolve_target(obj) -> str:
        return f"task-{obj.other.pk}" if obj.is_task else obj.other.ref

    @staticmethod
    def resolve_target_kind(obj) -> str:
        return "tasks" if obj.is_task else obj.other.KIND

    @staticmethod
    def resolve_target_id(obj) -> int:
        return obj.other.pk


class ItemLinkCreateIn(InputSchema):
    target: str = Field(
        ...,
        min_length=1,
        max_length=40,
        description='A reference in this project ("I-007") or a plan task ("task-12").',
    )
    relation: Relation = Field(
        "relates_to", description="Read from this item to the target, e.g. resolves."
    )


class LogFieldChangeOut(Schema):
    field: str
    old: str
    new: str


class LogHistoryEntryOut(Schema):
    when: datetime
    who: str
    action: Literal["created", "changed", "deleted"]
    changes: list[LogFieldChangeOut]


# --- organisation-wide ----------------------------------------------------------------


class LessonLibraryFilters(Schema):
    q: SearchText | None = Field(None, description="Words to find (all must match).")
    category: LessonCategory | None = None
    stage: LessonStage | None = None
    lesson_type: LessonType | None = None


class ScaleLevelOut(Schema):
    value: int
    label: str
    description: str


class RiskScalesOut(Schema):
    probability: list[ScaleLevelOut]
    impact: list[ScaleLevelOut]


__all__ = [
    "CREATE_IN",
    "FILTERS",
    "OUT",
    "PATCH_IN",
    "ActionOut",
    "ChangeRequestOut",
    "ChangeTransitionIn",
    "IssueOut",
    "ItemLinkCreateIn",
    "ItemLinkOut",
    "LessonLibraryFilters",
    "LessonOut",
    "LogHistoryEntryOut",
    "RaiseIssueIn",
    "RiskOut",
    "RiskScalesOut",
]
