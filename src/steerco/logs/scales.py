"""Writes to the organisation's probability and impact scales.

A scale is numbered 1..N without gaps: risks store the level's number, scores multiply
the numbers and the heat map draws one row or column per level, so a gap or a level
removed under a risk would silently change what those risks mean. Levels are therefore
only added or removed at the top, a level any risk uses cannot be removed, and a scale
keeps between ``MIN_LEVELS`` and ``MAX_LEVELS`` levels.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from steerco.accounts.rules import P, has_perm
from steerco.core.exceptions import DomainError

from .models import Risk, ScaleLevel
from .selectors import scale_levels

MIN_LEVELS = 3
MAX_LEVELS = 10

# The risk fields that hold a level of each scale.
_RISK_FIELDS = {
    ScaleLevel.Dimension.PROBABILITY: ("probability", "probability_after"),
    ScaleLevel.Dimension.IMPACT: ("impact", "impact_after"),
}


def may_edit_scales(user) -> bool:
    """The organisation's administrators and the PMO look after the scales."""
    return has_perm(user, P.ORGANISATION_MANAGE) or has_perm(user, P.PORTFOLIO_MANAGE)


def _check(actor) -> None:
    if not may_edit_scales(actor):
        raise PermissionDenied(_("Only administrators and the PMO may change the risk scales."))


def _dimension(dimension: str) -> str:
    if dimension not in ScaleLevel.Dimension.values:
        raise DomainError(_("Unknown scale '%(name)s'.") % {"name": dimension})
    return dimension


def _locked_levels(dimension: str) -> list[ScaleLevel]:
    """The scale's levels, locked until the transaction ends, checked to be 1..N.

    Call inside a transaction. The lock keeps two editors from both adding level N+1
    or from removing a level while the other relies on it.
    """
    if not ScaleLevel.objects.filter(dimension=dimension).exists():
        # The scale has been reading as the defaults; store them so they can be edited.
        for level in scale_levels(dimension):
            level.save()
    levels = list(
        ScaleLevel.objects.select_for_update().filter(dimension=dimension).order_by("value")
    )
    if [level.value for level in levels] != list(range(1, len(levels) + 1)):
        raise DomainError(
            _(
                "The %(scale)s scale is not numbered 1 to %(count)d without gaps; "
                "an administrator must repair it in the admin site first."
            )
            % {"scale": ScaleLevel.Dimension(dimension).label.lower(), "count": len(levels)}
        )
    return levels


def _clean_text(value, *, field: str, max_length: int, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: [_("Give the level a label.")]})
    if len(text) > max_length:
        raise ValidationError({field: [_("Keep it to %(max)d characters.") % {"max": max_length}]})
    return text


def risks_using_level(*, dimension: str, value: int) -> int:
    """How many risks, open or not, hold ``value`` on ``dimension`` before or after response."""
    before, after = _RISK_FIELDS[_dimension(dimension)]
    return Risk.objects.filter(Q(**{before: value}) | Q(**{after: value})).count()


def scale_labels_update(
    *, actor, dimension: str, labels: dict[int, tuple[str, str]]
) -> list[ScaleLevel]:
    """Rename levels of one scale: ``labels`` maps a level's value to (label, description).

    All or nothing: a bad label on one level leaves every level as it was. Errors name
    the level (``label_3``, ``description_3``) so a form can show them beside it.
    """
    _check(actor)
    dimension = _dimension(dimension)
    with transaction.atomic():
        levels = {level.value: level for level in _locked_levels(dimension)}
        unknown = sorted(set(labels) - set(levels))
        if unknown:
            raise DomainError(
                _("The scale has no level %(values)s; it may have just changed. Reload the page.")
                % {"values": ", ".join(str(v) for v in unknown)}
            )
        errors: dict[str, list[str]] = {}
        changed = []
        for value, (label, description) in sorted(labels.items()):
            level = levels[value]
            try:
                level.label = _clean_text(
                    label, field=f"label_{value}", max_length=60, required=True
                )
                level.description = _clean_text(
                    description, field=f"description_{value}", max_length=255, required=False
                )
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    errors.setdefault(name, []).extend(messages)
                continue
            changed.append(level)
        if errors:
            raise ValidationError(errors)
        for level in changed:
            level.save(update_fields=["label", "description"])
    return [levels[value] for value in sorted(levels)]


def scale_level_add(*, actor, dimension: str, label: str, description: str = "") -> ScaleLevel:
    """Add a level above the current top one (level N+1), up to ``MAX_LEVELS``."""
    _check(actor)
    dimension = _dimension(dimension)
    label = _clean_text(label, field="label", max_length=60, required=True)
    description = _clean_text(description, field="description", max_length=255, required=False)
    try:
        with transaction.atomic():
            levels = _locked_levels(dimension)
            if len(levels) >= MAX_LEVELS:
                raise DomainError(
                    _("A scale has at most %(max)d levels; this one already has %(count)d.")
                    % {"max": MAX_LEVELS, "count": len(levels)}
                )
            return ScaleLevel.objects.create(
                dimension=dimension,
                value=len(levels) + 1,
                label=label,
                description=description,
            )
    except IntegrityError:  # another editor added the same level first (SQLite has no lock)
        raise DomainError(
            _("Someone else changed this scale at the same moment. Reload the page and retry.")
        ) from None


def scale_level_remove_top(*, actor, dimension: str) -> ScaleLevel:
    """Remove the top level of a scale, unless a risk uses it or the scale would get too
    short. Returns the removed level (unsaved)."""
    _check(actor)
    dimension = _dimension(dimension)
    with transaction.atomic():
        levels = _locked_levels(dimension)
        if len(levels) <= MIN_LEVELS:
            raise DomainError(
                _("A scale needs at least %(min)d levels; this one has %(count)d.")
                % {"min": MIN_LEVELS, "count": len(levels)}
            )
        top = levels[-1]
        used = risks_using_level(dimension=dimension, value=top.value)
        if used:
            raise DomainError(
                ngettext(
                    "Level %(level)s is used by %(count)d risk; change its %(scale)s before "
                    "removing the level.",
                    "Level %(level)s is used by %(count)d risks; change their %(scale)s before "
                    "removing the level.",
                    used,
                )
                % {
                    "level": str(top),
                    "count": used,
                    "scale": ScaleLevel.Dimension(dimension).label.lower(),
                }
            )
        top.delete()
    return top
