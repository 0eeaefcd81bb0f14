"""Writes to the project logs. Pages, the API, imports and commands all call these.

Every function checks the actor's permission through ``accounts.rules``, validates the
whole item before saving (``full_clean`` plus the organisation's scales) and records the
actor in the item's history. Updates name the version they read: a stale one raises
``VersionConflict`` and nothing is written.

An import passes ``staged=`` its ``LogImport``: the same checks run, but the item, or the
file's values for it, are written as hidden rows of that import, which its switch
(``transfer.staging``) later shows all at once and records in the history.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from steerco.accounts.rules import P, check_project, person_of
from steerco.core.exceptions import DomainError, VersionConflict
from steerco.core.versioning import versioned_delete, versioned_update

from .kinds import LogKind, kind_for, kind_of
from .models import (
    Action,
    ChangeRequest,
    Issue,
    ItemLink,
    LogCounter,
    LogImport,
    LogItem,
    ProjectDependency,
    Risk,
    ScaleLevel,
)
from .selectors import scale_value_sets


def _resolve_kind(kind: LogKind | str) -> LogKind:
    return kind if isinstance(kind, LogKind) else kind_for(kind)


def _refuse_unknown_fields(kind: LogKind, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(kind.editable_fields)
    if unknown:
        workflow = unknown & set(kind.workflow_fields)
        if workflow:
            raise DomainError(
                _("%(fields)s of a %(kind)s change only through its workflow.")
                % {"fields": ", ".join(sorted(workflow)), "kind": kind.label},
                fields={name: [_("Changed by the workflow only.")] for name in workflow},
            )
        raise DomainError(
            _("Unknown %(kind)s fields: %(fields)s")
            % {"kind": kind.label, "fields": ", ".join(sorted(unknown))},
            fields={name: [_("Unknown field.")] for name in unknown},
        )


def _validate_scales(item: LogItem) -> None:
    """Probability and impact levels must be levels of the organisation's scales."""
    if not isinstance(item, Risk):
        return
    allowed = scale_value_sets()
    errors: dict[str, list[str]] = {}
    for name, dimension in (
        ("probability", ScaleLevel.Dimension.PROBABILITY),
        ("impact", ScaleLevel.Dimension.IMPACT),
        ("probability_after", ScaleLevel.Dimension.PROBABILITY),
        ("impact_after", ScaleLevel.Dimension.IMPACT),
    ):
        value = getattr(item, name)
        if value is not None and value not in allowed[dimension]:
            levels = sorted(allowed[dimension])
            errors[name] = [
                _("Choose a level from %(low)s to %(high)s.")
                % {"low": levels[0] if levels else 1, "high": levels[-1] if levels else 1}
            ]
    if errors:
        raise ValidationError(errors)


def _validate_people_and_projects(item: LogItem) -> None:
    """Cross-record rules that ``full_clean`` cannot know about."""
    if (
        isinstance(item, Issue)
        and item.from_risk_id is not None
        and item.from_risk.project_id != item.project_id
    ):
        raise ValidationError({"from_risk": _("That risk belongs to another project.")})


def _apply_status_side_effects(item: LogItem, today: date) -> None:
    """Keep dates that follow from a status change consistent with it."""
    if isinstance(item, Action):
        if item.status == Action.Status.DONE and item.completed_on is None:
            item.completed_on = today
        elif item.status != Action.Status.DONE:
            item.completed_on = None
    if isinstance(item, Issue) and item.is_escalated and item.escalated_on is None:
        item.escalated_on = today


def _next_number(project, kind: LogKind) -> int:
    """Hand out the next number of this project's log; never reuses a deleted one.

    Call inside a transaction: the counter row is updated in place, so concurrent
    creations serialise on it (row lock on PostgreSQL, database lock on SQLite).
    """
    updated = LogCounter.objects.filter(project=project, kind=kind.slug).update(
        last_number=F("last_number") + 1
    )
    if not updated:
        # Every row: an import under way holds numbers too.
        highest = kind.model.all_rows.filter(project=project).aggregate(m=Max("number"))["m"] or 0
        try:
            with transaction.atomic():
                LogCounter.objects.create(project=project, kind=kind.slug, last_number=highest + 1)
        except IntegrityError:  # another creation made the counter first
            LogCounter.objects.filter(project=project, kind=kind.slug).update(
                last_number=F("last_number") + 1
            )
    return LogCounter.objects.get(project=project, kind=kind.slug).last_number


#: Fields ``full_clean`` leaves alone: the number comes from the counter in the same
#: transaction, so it is unique by construction (and the database's constraint backs it),
#: and the import mark is no input. Checking them cost queries on every save (the number's
#: constraint, partial since imports' copies share their item's number, the costliest).
NOT_VALIDATED = ("number", "staged_import")


def _save_new(item: LogItem, *, actor, kind: LogKind) -> LogItem:
    item.number = _next_number(item.project, kind)
    item.full_clean(exclude=NOT_VALIDATED)
    _validate_scales(item)
    _validate_people_and_projects(item)
    item._history_user = actor
    if item.staged_import_id is not None:
        # The import's switch writes the history of every item it shows, in one go.
        item.skip_history_when_saving = True
    item.save()
    return item


def item_create(
    *, actor, project, kind: LogKind | str, staged: LogImport | None = None, **fields
) -> LogItem:
    """Add an item to one of ``project``'s logs and give it the next reference.

    ``fields`` are the log's editable fields (see ``kinds.py``) as Python values: people
    as ``Person`` rows, dates as ``date``. ``raised_by`` defaults to the actor's person.
    With ``staged``, the item is written hidden, as that import's, without a history row
    (the import's switch shows it and records it); its number is taken all the same.
    """
    kind = _resolve_kind(kind)
    check_project(actor, project, kind.change_permission)
    _refuse_unknown_fields(kind, fields)
    if "title" in fields and isinstance(fields["title"], str):
        fields["title"] = fields["title"].strip()
    fields.setdefault("raised_by", person_of(actor))
    item = kind.model(project=project, staged_import=staged, **fields)
    _apply_status_side_effects(item, timezone.localdate())
    with transaction.atomic():
        return _save_new(item, actor=actor, kind=kind)


class RowErrors(DomainError):
    """Some rows of an import were invalid; ``rows`` maps row number to messages."""

    code = "invalid_rows"

    def __init__(self, rows: dict[int, dict[str, list[str]]]):
        count = len(rows)
        super().__init__(
            _("%(count)d row(s) were rejected; nothing was imported.") % {"count": count}
        )
        self.rows = rows


#: Fields an update may change besides the editable ones: they follow from a status.
DERIVED_FIELDS = ("completed_on", "escalated_on")


def updated_fields(kind: LogKind) -> tuple[str, ...]:
    """Every field an update of a ``kind`` item may change (what an import's switch copies)."""
    derived = tuple(
        name
        for name in DERIVED_FIELDS
        if name not in kind.editable_fields
        and any(f.name == name for f in kind.model._meta.concrete_fields)
    )
    return (*kind.editable_fields, *derived)


def item_update(
    *, actor, item: LogItem, expected_version: int, staged: LogImport | None = None, **changes
) -> LogItem:
    """Change an item's editable fields if nobody saved it since ``expected_version``.

    With ``staged``, the item is left as it is: the changed item is written as a hidden
    copy for that import (see ``LogImport``), after the same checks, and returned.
    """
    kind = kind_of(item)
    check_project(actor, item.project, kind.change_permission)
    _refuse_unknown_fields(kind, changes)
    if "title" in changes and isinstance(changes["title"], str):
        changes["title"] = changes["title"].strip()
    # Validate the would-be state first so a refused change leaves the row untouched.
    candidate = type(item).objects.get(pk=item.pk)
    for name, value in changes.items():
        setattr(candidate, name, value)
    _apply_status_side_effects(candidate, timezone.localdate())
    _validate_scales(candidate)
    _validate_people_and_projects(candidate)
    if staged is not None:
        return _stage_update(candidate, expected_version=expected_version, staged=staged)
    derived = {
        name: getattr(candidate, name) for name in DERIVED_FIELDS if hasattr(candidate, name)
    }
    return versioned_update(
        item,
        expected_version=expected_version,
        changes={**changes, **derived},
        actor=actor,
        validate_exclude=NOT_VALIDATED,
    )


def _stage_update(candidate: LogItem, *, expected_version: int, staged: LogImport) -> LogItem:
    """Write ``candidate`` (an item read afresh, with the changes applied) as the import's
    hidden copy of its item, checked as ``versioned_update`` checks a save: the version
    first (VersionConflict), then every field (ValidationError).

    The copy keeps the version its row was read at, so the switch can tell whether the
    item was saved since.
    """
    current = type(candidate).objects.filter(pk=candidate.pk).first()
    if current is None or current.version != expected_version:
        raise VersionConflict(current, sent_version=expected_version)
    candidate.full_clean(exclude=NOT_VALIDATED)
    shadow = candidate
    shadow.shadow_of_id = candidate.pk
    shadow.pk = None
    shadow._state.adding = True
    shadow.staged_import = staged
    shadow.version = expected_version
    if isinstance(shadow, Issue):
        shadow.from_risk = None  # one issue per risk: the item keeps it, it is not copied
    shadow.skip_history_when_saving = True
    shadow.save(force_insert=True)
    return shadow


def item_delete(*, actor, item: LogItem, expected_version: int) -> None:
    """Delete an item and its links, if still at ``expected_version``. Its number is not
    handed out again. Each link's delete is recorded in history under ``actor`` too."""
    check_project(actor, item.project, P.LOG_DELETE)

    def delete_links(locked: LogItem) -> None:
        content_type = ContentType.objects.get_for_model(type(locked))
        for link in ItemLink.objects.filter(
            Q(source_type=content_type, source_id=locked.pk)
            | Q(target_type=content_type, target_id=locked.pk)
        ):
            link._history_user = actor
            link.delete()

    versioned_delete(item, expected_version=expected_version, actor=actor, before=delete_links)


def dependencies_on_purged_project(*, project, actor) -> None:
    """Other projects' dependencies on a project being purged keep what they depended
    on, as an external party named after it, each change in their history; the database
    would otherwise blank the reference and leave a dependency on nothing."""
    named = _("%(code)s %(name)s (purged project)") % {"code": project.code, "name": project.name}
    for dependency in ProjectDependency.objects.filter(other_project=project).exclude(
        project=project
    ):
        versioned_update(
            dependency,
            expected_version=dependency.version,
            changes={"other_project": None, "external_party": named[:200]},
            actor=actor,
            validate_exclude=NOT_VALIDATED,
        )


def _link_permission(source: LogItem) -> P:
    return kind_of(source).change_permission


def link_add(*, actor, source: LogItem, target, relation: str = ItemLink.Relation.RELATES_TO):
    """Link a log item to another item or to a plan task of the same project.

    A link already present in either direction is refused rather than duplicated.
    """
    check_project(actor, source.project, _link_permission(source))
    if target.project_id != source.project_id:
        raise DomainError(_("Items can only be linked within the same project."))
    if type(target) is type(source) and target.pk == source.pk:
        raise DomainError(_("An item cannot be linked to itself."))
    if relation not in ItemLink.Relation.values:
        raise DomainError(_("Unknown link type."), fields={"relation": [_("Unknown link type.")]})
    source_type = ContentType.objects.get_for_model(type(source))
    target_type = ContentType.objects.get_for_model(type(target))
    existing = ItemLink.objects.filter(
        Q(
            source_type=source_type,
            source_id=source.pk,
            target_type=target_type,
            target_id=target.pk,
        )
        | Q(
            source_type=target_type,
            source_id=target.pk,
            target_type=source_type,
            target_id=source.pk,
        )
    )
    if existing.exists():
        raise DomainError(_("These items are already linked."))
    link = ItemLink(
        project_id=source.project_id,
        source_type=source_type,
        source_id=source.pk,
        target_type=target_type,
        target_id=target.pk,
        relation=relation,
        created_by=actor,
    )
    link._history_user = actor
    link.save()
    return link


def link_remove(*, actor, link: ItemLink) -> None:
    """Remove a link; the user needs to be allowed to change the link's source item."""
    source = link.source_type.get_object_for_this_type(pk=link.source_id)
    check_project(actor, source.project, _link_permission(source))
    # Links carry no version (they are added and removed, never edited): only their
    # existence is checked, under the row lock.
    versioned_delete(link, expected_version=None, actor=actor)


def risk_raise_issue(*, actor, risk: Risk, expected_version: int, **issue_fields) -> Issue:
    """The risk has occurred: mark it so and open an issue that stays linked to it."""
    check_project(actor, risk.project, P.LOG_CHANGE)
    if risk.status == Risk.Status.CLOSED:
        raise DomainError(
            _("%(risk)s is closed; reopen it before raising an issue from it.") % {"risk": risk.ref}
        )
    if hasattr(risk, "resulting_issue") and Issue.objects.filter(from_risk=risk).exists():
        raise DomainError(
            _("%(risk)s already became issue %(issue)s.")
            % {"risk": risk.ref, "issue": risk.resulting_issue.ref}
        )
    issue_fields.setdefault("title", risk.title)
    issue_fields.setdefault(
        "description",
        "\n\n".join(part for part in (risk.event, risk.effect, risk.description) if part),
    )
    issue_fields.setdefault("owner", risk.owner)
    with transaction.atomic():
        versioned_update(
            risk,
            expected_version=expected_version,
            changes={"status": Risk.Status.OCCURRED},
            actor=actor,
            validate_exclude=NOT_VALIDATED,
        )
        kind = kind_for(Issue.KIND)
        _refuse_unknown_fields(kind, issue_fields)
        issue = Issue(
            project=risk.project, from_risk=risk, raised_by=person_of(actor), **issue_fields
        )
        _apply_status_side_effects(issue, timezone.localdate())
        _save_new(issue, actor=actor, kind=kind)
        link = ItemLink(
            project_id=risk.project_id,
            source_type=ContentType.objects.get_for_model(Issue),
            source_id=issue.pk,
            target_type=ContentType.objects.get_for_model(Risk),
            target_id=risk.pk,
            relation=ItemLink.Relation.RAISED_FROM,
            created_by=actor,
        )
        link._history_user = actor
        link.save()
    return issue


def change_transition(
    *, actor, change: ChangeRequest, to: str, expected_version: int
) -> ChangeRequest:
    """Move a change request along draft → submitted → assessed → approved/rejected →
    implemented. Approving or rejecting records who decided and when.

    Approval and rejection need LOG_CHANGE like the other steps; who holds it is set in
    ``accounts.rules`` (project manager, project support, PMO).
    """
    check_project(actor, change.project, P.LOG_CHANGE)
    # A click on an out-of-date page is a conflict, not an illegal step: compare the
    # version the user saw before judging the step against the status they saw.
    stored = ChangeRequest.objects.filter(pk=change.pk).first()
    if stored is not None and stored.version != expected_version:
        raise VersionConflict(stored, sent_version=expected_version)
    allowed = ChangeRequest.TRANSITIONS.get(change.status, frozenset())
    if to not in allowed:
        labels = dict(ChangeRequest.Status.choices)
        raise DomainError(
            _("A %(from)s change request cannot become %(to)s.")
            % {"from": labels.get(change.status, change.status), "to": labels.get(to, to)},
            fields={"status": [_("Not a next step of the workflow.")]},
        )
    changes: dict[str, Any] = {"status": to}
    if to in {ChangeRequest.Status.APPROVED, ChangeRequest.Status.REJECTED}:
        changes["decided_by"] = actor
        changes["decided_at"] = timezone.now()
    elif to == ChangeRequest.Status.DRAFT:
        changes["decided_by"] = None
        changes["decided_at"] = None
    return versioned_update(
        change,
        expected_version=expected_version,
        changes=changes,
        actor=actor,
        validate_exclude=NOT_VALIDATED,
    )
