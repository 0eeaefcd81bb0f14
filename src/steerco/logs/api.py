"""The project logs over HTTP: /api/v1/projects/{project_id}/<log>/... for each of the
eight logs, plus the organisation-wide lessons library, escalations, the caller's actions
and the risk scales.

The per-log endpoints are generated from the ``KINDS`` registry: one function per
operation and log, each with that log's own schemas, so the OpenAPI document shows the
real fields of every log. As elsewhere, each endpoint fetches what it acts on through the
permission rules (unknown, another project's, or invisible → 404; visible but not allowed
→ 403), turns id references into objects (unknown → 422 naming the field), and calls one
service or selector; the error answers themselves are produced in steerco.core.api.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from steerco.accounts.rules import (
    P,
    check_project,
    person_of,
    project_for,
    require_perm,
    visible_projects,
)
from steerco.core.api import MAX_ID, ObjectId, PageNumbers, register_conflict_schema, responses
from steerco.core.exceptions import DomainError
from steerco.resources.models import Person

from . import selectors, services
from .kinds import KINDS, LogKind
from .models import Action, ItemLink, LogItem, ScaleLevel
from .schemas import (
    CREATE_IN,
    FILTERS,
    OUT,
    PATCH_IN,
    ActionOut,
    ChangeRequestOut,
    ChangeTransitionIn,
    IssueOut,
    ItemLinkCreateIn,
    ItemLinkOut,
    LessonLibraryFilters,
    LessonOut,
    LogHistoryEntryOut,
    RaiseIssueIn,
    RiskScalesOut,
)

log_router = Router(tags=["logs"])
org_log_router = Router(tags=["logs"])

for _kind in KINDS.values():
    register_conflict_schema(_kind.model, OUT[_kind.slug])


class UnknownReference(DomainError):
    code = "unknown_reference"


# --- fetching and references ------------------------------------------------------------


def _project_and_item(user, project_id: int, kind: LogKind, item_id: int) -> tuple:
    """The project and its item of ``kind``; 404 if either is unknown or invisible, or the
    item belongs to another project."""
    project = project_for(user, project_id)
    return project, selectors.item_get(user=user, project=project, kind=kind, item_id=item_id)


def _item(user, project_id: int, kind: LogKind, item_id: int) -> LogItem:
    return _project_and_item(user, project_id, kind, item_id)[1]


def _resolve_references(user, kind: LogKind, data: dict) -> dict:
    """Replace id references in ``data`` by the objects they name.

    Any person may be named (an owner need not be on the team yet); another project only
    among those the user may see, so an id cannot be used to probe for the others. All
    unknown ids are reported together, each under its own field.
    """
    resolved = dict(data)
    problems: dict[str, list[str]] = {}
    for name, value in data.items():
        if value is None or name not in kind.editable_fields:
            continue
        model_field = kind.model._meta.get_field(name)
        if not model_field.is_relation:
            continue
        related = model_field.related_model
        if related is Person:
            target = Person.objects.filter(pk=value).first()
            message = _("There is no person with id %(id)s.")
        else:
            target = visible_projects(user).filter(pk=value).first()
            message = _("There is no project with id %(id)s.")
        if target is None:
            problems[name] = [message % {"id": value}]
        resolved[name] = target
    if problems:
        raise UnknownReference(
            _("Some referenced objects do not exist: %s.") % ", ".join(sorted(problems)),
            fields=problems,
        )
    return resolved


def _named(function, name: str):
    # The operation id in the OpenAPI document is made from the function name, so each
    # log's copy of an endpoint needs its own.
    function.__name__ = name
    function.__qualname__ = name
    return function


# --- one log's endpoints ----------------------------------------------------------------


class _SeenBy:
    """A page of items as the caller may see them (``selectors.as_seen_by``), read one
    page at a time like the queryset it wraps."""

    def __init__(self, items, see):
        self.items = items
        self.see = see

    def __len__(self) -> int:
        return self.items.count()

    def __getitem__(self, key):
        return [self.see(item) for item in self.items[key]]


def _add_log_routes(kind: LogKind) -> None:
    slug = kind.slug
    Out = OUT[slug]
    CreateIn = CREATE_IN[slug]
    PatchIn = PATCH_IN[slug]
    Filters = FILTERS[slug]
    collection = f"/{{project_id}}/{slug}"
    member = f"{collection}/{{item_id}}"
    label = str(kind.label)
    plural = str(kind.plural)

    def item_list(request, project_id: ObjectId, filters: Query[Filters]):
        user = request.auth
        project = project_for(user, project_id)
        values = filters.model_dump()
        state = values.pop("state")
        q = values.pop("q") or ""
        ordering = values.pop("ordering")
        try:
            items = selectors.item_list(
                user=user,
                project=project,
                kind=kind,
                filters=values,
                q=q,
                state=state,
                ordering=ordering,
            )
        except ValueError as error:
            raise HttpError(400, str(error)) from None
        return _SeenBy(items, lambda item: selectors.as_seen_by(user, project, item))

    item_list.__doc__ = (
        f"The project's {plural}, by reference unless ``ordering`` says otherwise; filters combine."
    )
    if slug == "dependencies":
        item_list.__doc__ += (
            " Includes dependencies other projects recorded on this one (``project`` says "
            "which project recorded each)."
        )
    log_router.get(
        collection,
        response=responses({200: list[Out]}, 400, 404),
        summary=f"List {plural}",
    )(paginate(PageNumbers)(_named(item_list, f"{slug}_list")))

    def item_create(request, project_id: ObjectId, payload: CreateIn):
        user = request.auth
        project = project_for(user, project_id, kind.change_permission)
        data = _resolve_references(user, kind, payload.model_dump(exclude_unset=True))
        item = services.item_create(actor=user, project=project, kind=kind, **data)
        return Status(201, item)

    item_create.__doc__ = (
        f"Gets the next reference of the log ({kind.prefix}-nnn); ``raised_by`` defaults to "
        "the caller's person."
    )
    log_router.post(
        collection,
        response=responses({201: Out}, 400, 403, 404, 409, 422),
        summary=f"Add a {label}",
    )(_named(item_create, f"{slug}_create"))

    def item_get(request, project_id: ObjectId, item_id: ObjectId):
        return _item(request.auth, project_id, kind, item_id)

    log_router.get(member, response=responses({200: Out}, 400, 404), summary=f"Get a {label}")(
        _named(item_get, f"{slug}_get")
    )

    def item_update(request, project_id: ObjectId, item_id: ObjectId, payload: PatchIn):
        user = request.auth
        project, item = _project_and_item(user, project_id, kind, item_id)
        check_project(user, project, kind.change_permission)
        changes = payload.model_dump(exclude_unset=True)
        version = changes.pop("version")
        changes = _resolve_references(user, kind, changes)
        return services.item_update(actor=user, item=item, expected_version=version, **changes)

    item_update.__doc__ = "Send ``version`` and only the fields to change."
    if kind.workflow_fields:
        item_update.__doc__ += " {} change only through the workflow (422).".format(
            ", ".join(f"``{name}``" for name in kind.workflow_fields)
        )
    log_router.patch(
        member,
        response=responses({200: Out}, 400, 403, 404, 409, 422),
        summary=f"Change a {label}",
    )(_named(item_update, f"{slug}_update"))

    def item_delete(
        request,
        project_id: ObjectId,
        item_id: ObjectId,
        version: int = Query(..., ge=1, le=MAX_ID, description="The version you read."),
    ):
        """Its links go too; its reference is never handed out again."""
        user = request.auth
        item = _item(user, project_id, kind, item_id)
        services.item_delete(actor=user, item=item, expected_version=version)
        return Status(204, None)

    log_router.delete(
        member,
        response=responses({204: None}, 400, 403, 404, 409, 422),
        summary=f"Delete a {label}",
    )(_named(item_delete, f"{slug}_delete"))

    def link_list(request, project_id: ObjectId, item_id: ObjectId):
        """Links from either end, each with its relation read from this item."""
        return selectors.item_links(_item(request.auth, project_id, kind, item_id))

    log_router.get(
        f"{member}/links",
        response=responses({200: list[ItemLinkOut]}, 400, 404),
        summary=f"List what a {label} is linked to",
    )(paginate(PageNumbers)(_named(link_list, f"{slug}_link_list")))

    def link_create(request, project_id: ObjectId, item_id: ObjectId, payload: ItemLinkCreateIn):
        """Link to another item of the project by reference or to a plan task."""
        user = request.auth
        project, item = _project_and_item(user, project_id, kind, item_id)
        check_project(user, project, kind.change_permission)
        try:
            target = selectors.link_target(user=user, project=project, value=payload.target)
        except Http404:
            message = _("Nothing in this project is called %(target)s.") % {
                "target": payload.target
            }
            raise UnknownReference(message, fields={"target": [message]}) from None
        link = services.link_add(actor=user, source=item, target=target, relation=payload.relation)
        linked = next(entry for entry in selectors.item_links(item) if entry.link.pk == link.pk)
        return Status(201, linked)

    log_router.post(
        f"{member}/links",
        response=responses({201: ItemLinkOut}, 400, 403, 404, 422),
        summary=f"Link a {label} to an item or task",
    )(_named(link_create, f"{slug}_link_create"))

    def history_list(request, project_id: ObjectId, item_id: ObjectId):
        """Who changed what and when, newest first."""
        return selectors.item_history(_item(request.auth, project_id, kind, item_id))

    log_router.get(
        f"{member}/history",
        response=responses({200: list[LogHistoryEntryOut]}, 400, 404),
        summary=f"Who changed what on a {label}",
    )(paginate(PageNumbers)(_named(history_list, f"{slug}_history")))


for _kind in KINDS.values():
    _add_log_routes(_kind)


# --- workflows and links ----------------------------------------------------------------


@log_router.post(
    "/{project_id}/risks/{item_id}/raise-issue",
    response=responses({201: IssueOut}, 400, 403, 404, 409, 422),
    summary="The risk has occurred: raise it as an issue",
)
def risk_raise_issue(request, project_id: ObjectId, item_id: ObjectId, payload: RaiseIssueIn):
    """Marks the risk occurred (send its ``version``) and opens an issue linked to it; issue
    fields left out come from the risk."""
    user = request.auth
    project, risk = _project_and_item(user, project_id, KINDS["risks"], item_id)
    check_project(user, project, P.LOG_CHANGE)
    fields = payload.model_dump(exclude_unset=True)
    version = fields.pop("version")
    fields = _resolve_references(user, KINDS["issues"], fields)
    issue = services.risk_raise_issue(actor=user, risk=risk, expected_version=version, **fields)
    return Status(201, issue)


@log_router.post(
    "/{project_id}/changes/{item_id}/transition",
    response=responses({200: ChangeRequestOut}, 400, 403, 404, 409, 422),
    summary="Move a change request along its workflow",
)
def change_transition(
    request, project_id: ObjectId, item_id: ObjectId, payload: ChangeTransitionIn
):
    """A step that is not next in the workflow is refused (422). Approving or rejecting
    records who decided and when."""
    user = request.auth
    change = _item(user, project_id, KINDS["changes"], item_id)
    return services.change_transition(
        actor=user, change=change, to=payload.to, expected_version=payload.version
    )


@log_router.delete(
    "/{project_id}/item-links/{item_link_id}",
    response=responses({204: None}, 400, 403, 404, 422),
    summary="Remove a link between log items",
)
def item_link_delete(request, project_id: ObjectId, item_link_id: ObjectId):
    """Needs the right to change the link's source item."""
    user = request.auth
    project = project_for(user, project_id)
    link = (
        ItemLink.objects.filter(project=project, pk=item_link_id)
        .select_related("source_type")
        .first()
    )
    if link is None:
        raise Http404(_("No such link in this project."))
    try:
        services.link_remove(actor=user, link=link)
    except ObjectDoesNotExist:  # its source went without the services tidying up
        raise Http404(_("No such link in this project.")) from None
    return Status(204, None)


# --- across projects ----------------------------------------------------------------------


@org_log_router.get(
    "/lessons",
    response=responses({200: list[LessonOut]}, 400),
    summary="Lessons library",
)
@paginate(PageNumbers)
def lessons_library(request, filters: Query[LessonLibraryFilters]):
    """Lessons of every project the caller may see, newest first; all words of ``q`` must
    match (a project's code or name counts)."""
    values = filters.model_dump()
    return selectors.lessons_library(
        user=request.auth,
        q=values["q"] or "",
        category=values["category"] or "",
        stage=values["stage"] or "",
        lesson_type=values["lesson_type"] or "",
    )


@org_log_router.get(
    "/escalations",
    response=responses({200: list[IssueOut]}, 400, 403),
    summary="Issues escalated beyond their project",
)
@paginate(PageNumbers)
def escalations(
    request,
    include_closed: bool = Query(False, description="Also resolved and closed issues."),
):
    """Issues escalated to the PMO or to a named person, in projects the caller may see,
    latest escalation first. Needs the portfolio view (PMO, executives)."""
    user = request.auth
    require_perm(user, P.PORTFOLIO_VIEW)
    return selectors.escalated_issues(user=user, include_closed=include_closed)


@org_log_router.get(
    "/me/actions",
    response=responses({200: list[ActionOut]}, 400),
    summary="My actions across projects",
)
@paginate(PageNumbers)
def my_actions(
    request,
    include_done: bool = Query(False, description="Also done and cancelled actions."),
):
    """Actions the caller owns in the projects they may see, soonest due first."""
    user = request.auth
    person = person_of(user)
    if person is None:
        return Action.objects.none()
    return selectors.actions_for_person(user=user, person=person, include_done=include_done)


@org_log_router.get(
    "/risk-scales",
    response=responses({200: RiskScalesOut}),
    summary="The organisation's probability and impact scales",
)
def risk_scales(request):
    """Levels from 1 (lowest); a risk's score is its probability level × impact level."""
    return {
        "probability": selectors.scale_levels(ScaleLevel.Dimension.PROBABILITY),
        "impact": selectors.scale_levels(ScaleLevel.Dimension.IMPACT),
    }
