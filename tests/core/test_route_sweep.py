"""Every URL and every API operation, tried by every kind of user.

Permission bugs hide in the route nobody thought to test, so this file does not list
routes: it walks Django's resolver and the API's OpenAPI document and proves, for each:

* anonymous visitors are refused (a redirect to the login page, or 401 from the API),
  except on the few deliberately public routes in PUBLIC_ROUTES;
* olga, who has no role anywhere, gets 404 for anything that names a project, whatever
  the method, so she cannot even learn that it exists; the same for other people's
  tokens and jobs;
* erin, an executive, changes nothing: every unsafe method answers 403, 404 or 405,
  except on her own account (SELF_SERVICE: logging out, her password, her tokens, her
  exports);
* the role matrix on ALPHA: priya (its manager) may read every ALPHA route, tom (a team
  member) may read it but is refused (403, never 404) where reading is not enough, and
  bob (PMO) may read everything that is not someone's personal object;
* only the administrator gets past the admin site's login.

URL parameters get real objects from the ``org`` fixture through KWARG_OBJECTS and
COLLECTION_OBJECTS; word parameters (a log's ``kind``, an export's ``fmt``) take every
value in FIXED_VALUES, so each of the eight logs, which live in eight tables, is swept.
A route with a parameter this file does not know fails
``test_every_url_parameter_has_a_value`` until the table learns it, so a new route can
never slip past the sweep.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RoutePattern

from steerco.logs.kinds import KINDS

# --- what the URL parameters name ---------------------------------------------------

# A parameter named after what it identifies.
KWARG_OBJECTS = {
    "project_id": "project",
    "membership_pk": "membership",
    "membership_id": "membership",
    "portfolio_id": "portfolio",
    "token_id": "token",
    "job_id": "job",
    "task_id": "task",
    "number": "baseline",  # plans:baseline_* name a baseline by its number (0-10)
    "baseline_number": "baseline",  # so does the API's /baselines/{baseline_number}
    "link_id": "link",
    "calendar_id": "calendar",  # a calendar of ALPHA (the API's /calendars/{calendar_id})
    "exception_id": "calendar_exception",
    # An item of ALPHA of the route's log: the ``kind`` in the URL, or the log its path is
    # fixed to (risks/<item_id>/raise-issue/, /api/v1/projects/{project_id}/risks/{item_id}).
    "item_id": "log_item",
    "item_link_id": "item_link",  # a link from that item to one of ALPHA's plan tasks
    "import_id": "plan_import",  # a large import of ALPHA's plan (its status)
    "allocation_id": "allocation",  # an allocation on ALPHA (staffing)
    "person_id": "person",  # a person's load page (staffing)
    # Bookings: a room, priya's booking of it, priya's feed of it (by id, to revoke), and
    # that feed's secret address (the token in the URL).
    "resource_id": "bookable_resource",
    "booking_id": "booking",
    "feed_id": "calendar_feed",
    "feed_token": "calendar_feed_token",
}
# ``pk`` and ``id`` identify an object of the collection named just before them in the
# path: /projects/<pk>/, /portfolios/<pk>/edit/, /accounts/tokens/<pk>/revoke/.
GENERIC_KWARGS = {"pk", "id"}
COLLECTION_OBJECTS = {
    "projects": "project",
    "portfolios": "portfolio",
    "tokens": "token",
    "members": "membership",
    "jobs": "job",
    "people": "person",
    "calendars": "org_calendar",  # /calendars/<pk>/: the organisation-wide calendars
    "trash": "trashed_project",  # /projects/trash/<pk>/restore/: a project in the trash
}
# Parameters that are words rather than objects.
FIXED_VALUES = {
    "slug": ("resources", "methods", "capability", "reports"),
    # Every log: each is its own table and its own branch of the views, so one kind
    # passing says nothing about the next.
    "kind": tuple(KINDS),
    "fmt": ("csv", "xlsx"),  # exports and import templates
    "field": ("title",),  # the inline (htmx) edit of one field; every log has a title
    # A password reset link's user and token: a made-up pair, which the page refuses kindly.
    "uidb64": ("MQ",),
    "token": ("not-a-real-token",),
}
# Objects that depend on which log the route names (see log_kind_of).
LOG_OBJECTS = {"log_item", "item_link"}

# Objects that belong to one person (priya); everyone else must get 404 for them.
PERSONAL_OBJECTS = {"token", "job", "calendar_feed"}
# A project in the trash (deleted by bob): those who could not see it before get 404,
# as for any project.
TRASHED_OBJECTS = {"trashed_project"}
# Objects inside ALPHA: a route naming one is project-scoped.
PROJECT_OBJECTS = {
    "project",
    "membership",
    "task",
    "baseline",
    "link",
    "calendar",
    "calendar_exception",
    "log_item",
    "item_link",
    "plan_import",
    "allocation",
}

# --- expectations that are decisions, not accidents -----------------------------------

PUBLIC_ROUTES = {
    "healthz",
    # Calendar feeds: calendar applications cannot log in, so the secret address is the
    # credential (revocable; tests/bookings/test_feeds_and_invitations.py).
    "bookings:feed",
    "bookings:freebusy",
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
}
# A user acting on their own account or data, which even an executive may do.
SELF_SERVICE = {
    "accounts:logout",
    "accounts:password_change",
    "accounts:password_confirm",
    "accounts:tokens",
    "jobs:project_export",
    "POST /api/v1/tokens",
    # Collapsing summary tasks arranges the user's own view of a plan they may read; the
    # plan itself is unchanged (tests/plans/test_plan_outline.py).
    "plans:outline",
    # Booking a room and following calendars are open to every logged-in person (the
    # resource's groups permitting), executives included.
    "bookings:create",
    "bookings:feeds",
    "POST /api/v1/bookings",
}
# ALPHA routes that need more than its project manager holds (deleting is the PMO's).
BEYOND_PROJECT_MANAGER = {
    "projects:delete",
    # Filling a request for a role is the resource managers' (the project manager asked).
    "staffing:allocation_fill",
}
# The trash: the PMO and administrators restore from it; everyone else is refused (403:
# the page is no secret, what is in it is). Purging is the administrator's alone, so bob,
# who may do anything else, is refused there too.
TRASH_ROUTES = {
    "projects:trash",
    "projects:restore",
    "projects:purge",
    "GET /api/v1/projects/trash",
}
ADMINISTRATOR_ONLY = {"projects:purge"}
LOGIN_VIEWS = {"accounts:login", "admin:login"}
# The organisation-wide log pages and API reads name no project, so the outsider's 404
# does not apply to them. What a GET gives olga (no role anywhere) and tom (one team):
# their own digest and actions, the scales risk scores are read against, and a lessons
# library of the projects they can see (none, for olga) are theirs to open; escalations
# are for people who look across projects (portfolio view: PMO, executives, resource
# managers), and refusing anyone else is 403, not 404, since the page is no secret, only
# what is on it.
ORGANISATION_LOG_READS = {
    "orglogs:escalations": 403,
    "orglogs:lessons": 200,
    "orglogs:scales": 200,
    "orglogs:digest": 200,
    "orglogs:register": 403,  # the risk and issue register across projects, like escalations
    "GET /api/v1/escalations": 403,
    "GET /api/v1/lessons": 200,
    "GET /api/v1/me/actions": 200,
    "GET /api/v1/risk-scales": 200,
}
UNSAFE_METHODS = ("post", "put", "patch", "delete")


# --- discovering the routes -----------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "projects:detail"; unnamed routes are known by their path
    path: str  # "projects/<int:pk>/", or a regular expression for re_path()
    kwargs: tuple[str, ...]
    admin: bool
    model: type | None = None  # the model an admin route edits
    positional: int = 0  # unnamed groups in a re_path(), filled by position

    @property
    def label(self) -> str:
        return self.name or self.path


def _kwargs_of(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    return list(pattern.regex.groupindex)


def _positional_of(pattern) -> int:
    if isinstance(pattern, RoutePattern):
        return 0
    return pattern.regex.groups - len(pattern.regex.groupindex)


def _is_api_operation(callback) -> bool:
    # django-ninja serves each API path through one generated view; the API is swept
    # operation by operation from its OpenAPI document instead.
    return getattr(callback, "__module__", "") == "ninja.operation"


def _walk(patterns, prefix: str, namespace: str, kwargs: tuple[str, ...], admin: bool):
    """Every endpoint below ``patterns``, with the parameters of the includes above it."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(
                pattern.url_patterns,
                prefix + str(pattern.pattern),
                inner,
                kwargs + tuple(_kwargs_of(pattern.pattern)),
                admin or pattern.namespace == "admin",
            )
        elif isinstance(pattern, URLPattern) and not _is_api_operation(pattern.callback):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            model_admin = getattr(pattern.callback, "model_admin", None)
            yield Route(
                name=name or "",
                path=prefix + str(pattern.pattern),
                kwargs=kwargs + tuple(_kwargs_of(pattern.pattern)),
                admin=admin,
                model=model_admin.model if model_admin is not None else None,
                positional=_positional_of(pattern.pattern),
            )


def discover_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns, "", "", (), False))


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # OpenAPI path, "/api/v1/projects/{project_id}"
    spec: dict

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def kwargs(self) -> tuple[str, ...]:
        return tuple(re.findall(r"{(\w+)}", self.path))


@functools.cache
def _openapi() -> dict:
    """Built once: generating the document walks every schema and takes seconds."""
    from steerco.config.api import api

    return api.get_openapi_schema()


def discover_operations() -> list[Operation]:
    operations = []
    for path, methods in _openapi()["paths"].items():
        for method, spec in methods.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                operations.append(Operation(method, path, spec))
    return operations


ROUTES = discover_routes()
PAGE_ROUTES = [route for route in ROUTES if not route.admin]
ADMIN_ROUTES = [route for route in ROUTES if route.admin]
OPERATIONS = discover_operations()


# --- turning parameters into real objects -------------------------------------------


def _collection_before(path: str, kwarg: str) -> str:
    """The path segment just before ``kwarg``'s placeholder: "projects" in projects/<pk>/."""
    match = re.search(r"([\w-]+)/(?:<(?:\w+:)?|\(\?P<|{)" + kwarg + r"\b", path)
    return match.group(1) if match else ""


def object_kind(path: str, kwarg: str) -> str | None:
    if kwarg in KWARG_OBJECTS:
        return KWARG_OBJECTS[kwarg]
    if kwarg in GENERIC_KWARGS:
        return COLLECTION_OBJECTS.get(_collection_before(path, kwarg))
    return None


def kinds_of(path: str, kwargs) -> set[str]:
    return {kind for kwarg in kwargs if (kind := object_kind(path, kwarg))}


def unknown_kwargs(path: str, kwargs) -> list[str]:
    return [k for k in kwargs if object_kind(path, k) is None and k not in FIXED_VALUES]


def log_kind_of(path: str, variant: dict) -> str:
    """The log an item parameter belongs to: the URL's ``kind``, else the log the path is
    fixed to ("risks" in risks/<item_id>/raise-issue/). A link named without its item
    (the API's /item-links/{item_link_id}) is a risk's."""
    if "kind" in variant:
        return variant["kind"]
    if not re.search(r"[<{]\w*:?item_id[>}]", path):
        return "risks"
    fixed = _collection_before(path, "item_id")
    if fixed not in KINDS:
        pytest.fail(f"{path}: which log does item_id belong to? See log_kind_of.")
    return fixed


def variants_of(kwargs) -> list[dict[str, str]]:
    """One set of word parameters per combination of their FIXED_VALUES."""
    variants: list[dict[str, str]] = [{}]
    for kwarg in kwargs:
        if kwarg in FIXED_VALUES:
            variants = [{**v, kwarg: word} for v in variants for word in FIXED_VALUES[kwarg]]
    return variants


# Beyond a title, what each log insists on before it saves an item.
LOG_ITEM_FIELDS = {
    "risks": {"probability": 3, "impact": 4},
    "dependencies": {"external_party": "Sweep supplier"},
    "decisions": {"decided_on": dt.date(2026, 3, 2)},
}


class Objects:
    """The real objects behind URL parameters, made on first use for one test."""

    def __init__(self, org):
        self.org = org
        self._made: dict[str, object] = {}

    def get(self, kind: str):
        """``kind`` names a ``_make_`` method; "log_item:risks" passes it the log."""
        if kind not in self._made:
            maker, _, log = kind.partition(":")
            make = getattr(self, f"_make_{maker}")
            self._made[kind] = make(log) if log else make()
        return self._made[kind]

    def _make_project(self):
        return self.org.alpha

    def _make_trashed_project(self):
        from steerco.projects.services import project_create, project_delete

        project = project_create(actor=self.org.bob, code="SWEEPT", name="Sweep trash")
        return project_delete(actor=self.org.bob, project=project, expected_version=1)

    def _make_portfolio(self):
        return self.org.portfolio

    def _make_person(self):
        return self.org.people["tom"]

    def _make_membership(self):
        from steerco.projects.models import Membership

        return Membership.objects.get(project=self.org.alpha, person=self.org.people["tom"])

    def _make_token(self):
        from steerco.accounts.services import token_create

        token, _raw = token_create(user=self.org.priya, name="Route sweep")
        return token

    def _make_job(self):
        # Started the way a user starts one, so this needs no knowledge of job internals.
        from django.test import Client

        client = Client()
        client.force_login(self.org.priya)
        response = client.post(reverse("jobs:project_export"), {"file_format": "xlsx"})
        location = response.headers.get("Location", "")
        try:
            match = resolve(urlsplit(location).path)
        except Resolver404:
            match = None
        if match is None or "job_id" not in match.kwargs:
            pytest.fail(
                "Could not start a job for the sweep: POST jobs:project_export answered "
                f"{response.status_code} {location!r}; teach Objects._make_job how."
            )
        return JobRef(pk=int(match.kwargs["job_id"]))

    def _make_task(self):
        from steerco.plans.services import task_create

        return task_create(actor=self.org.priya, project=self.org.alpha, name="Sweep task")

    def _make_link(self):
        from steerco.plans.services import link_create, task_create

        successor = task_create(actor=self.org.priya, project=self.org.alpha, name="Sweep next")
        return link_create(
            actor=self.org.priya,
            project=self.org.alpha,
            predecessor=self.get("task"),
            successor=successor,
        )

    def _make_baseline(self):
        from steerco.plans.services import baseline_save

        self.get("task")
        baseline = baseline_save(actor=self.org.priya, project=self.org.alpha, number=3)
        return JobRef(pk=baseline.number)  # the URL names a baseline by number, not pk

    def _make_calendar(self):
        from steerco.plans.calendars.services import project_calendar_for_edit

        return project_calendar_for_edit(actor=self.org.priya, project=self.org.alpha)

    def _make_calendar_exception(self):
        import datetime as dt

        from steerco.plans.calendars.services import exception_add

        return exception_add(
            actor=self.org.priya, calendar=self.get("calendar"), start=dt.date(2026, 12, 24)
        )

    def _make_plan_import(self):
        from steerco.plans.models import PlanImport

        return PlanImport.objects.create(
            project=self.org.alpha, started_by=self.org.priya, filename="sweep.xml"
        )

    def _make_allocation(self):
        from steerco.staffing.services import allocation_create

        return allocation_create(
            actor=self.org.priya,
            project=self.org.alpha,
            person=self.org.people["tom"],
            amount=8,
            start=dt.date(2026, 3, 2),
            finish=dt.date(2026, 3, 27),
        )

    def _make_org_calendar(self):
        from steerco.plans.calendars.services import calendar_create

        return calendar_create(actor=self.org.bob, name="Sweep organisation calendar")

    def _make_bookable_resource(self):
        from steerco.bookings.services import resource_create

        return resource_create(actor=self.org.admin, name="Sweep room", capacity=6)

    def _make_booking(self):
        from django.utils import timezone

        from steerco.bookings.services import booking_create

        start = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)
        return booking_create(
            actor=self.org.priya,
            resource=self.get("bookable_resource"),
            start=start,
            end=start + dt.timedelta(hours=1),
            purpose="Sweep booking",
        )

    def _make_calendar_feed(self):
        return self._calendar_feed()[0]

    def _make_calendar_feed_token(self):
        return JobRef(pk=self._calendar_feed()[1])  # the URL names a feed by its token

    def _calendar_feed(self):
        if "_feed" not in self._made:
            from steerco.bookings.services import feed_create

            self._made["_feed"] = feed_create(
                actor=self.org.priya, kind="resource", subject=self.get("bookable_resource")
            )
        return self._made["_feed"]

    def _make_log_item(self, log: str):
        from steerco.logs.services import item_create

        return item_create(
            actor=self.org.priya,
            project=self.org.alpha,
            kind=log,
            title=f"Sweep {log}",
            **LOG_ITEM_FIELDS.get(log, {}),
        )

    def _make_item_link(self, log: str):
        from steerco.logs.services import link_add

        return link_add(
            actor=self.org.priya, source=self.get(f"log_item:{log}"), target=self.get("task")
        )

    def object_for(self, path: str, kwarg: str, variant: dict | None = None):
        kind = object_kind(path, kwarg)
        if kind is None:
            pytest.fail(f"{path}: no value for URL parameter {kwarg!r}; see KWARG_OBJECTS")
        if kind in LOG_OBJECTS:
            kind = f"{kind}:{log_kind_of(path, variant or {})}"
        return self.get(kind)

    def value(self, path: str, kwarg: str, variant: dict | None = None):
        return self.object_for(path, kwarg, variant).pk


@dataclass(frozen=True)
class JobRef:
    pk: int


def page_urls(route: Route, objects: Objects) -> list[str]:
    """Concrete URLs for a route: one per combination of its word parameters' values."""
    urls = []
    for variant in variants_of(route.kwargs):
        kwargs = {
            k: variant[k] if k in variant else objects.value(route.path, k, variant)
            for k in route.kwargs
        }
        if route.name:
            urls.append(reverse(route.name, kwargs=kwargs))
        else:
            path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m, kw=kwargs: str(kw[m.group(1)]), route.path)
            urls.append("/" + path)
    return urls


# --- answers -----------------------------------------------------------------------


def redirects_to_login(response) -> bool:
    if response.status_code not in (301, 302, 303, 307, 308):
        return False
    try:
        match = resolve(urlsplit(response.headers["Location"]).path)
    except Resolver404:
        return False
    return match.view_name in LOGIN_VIEWS


def lets_through(response) -> bool:
    """A GET the user may make: a page, a redirect elsewhere than the login, or a
    405 from a route that only takes POST (which says nothing about the user)."""
    status = response.status_code
    if 200 <= status < 300 or status == 405:
        return True
    return 300 <= status < 400 and not redirects_to_login(response)


def describe(response) -> str:
    status = response.status_code
    if 300 <= status < 400:
        return f"{status} → {response.headers.get('Location')}"
    return str(status)


class Sweep:
    """Logged-in clients by username, and the list of broken expectations."""

    def __init__(self, org):
        from django.test import Client

        self.org = org
        self.problems: list[str] = []
        self._clients: dict[str, Client] = {}
        self._client_class = Client

    def client(self, username: str | None):
        if username is None:
            return self._client_class()
        if username not in self._clients:
            client = self._client_class()
            client.force_login(self.org.users[username])
            self._clients[username] = client
        return self._clients[username]

    def request(self, username, method: str, url: str, body=None):
        client = self.client(username)
        if body is None:
            return getattr(client, method)(url)
        return client.generic(
            method.upper(), url, json.dumps(body), content_type="application/json"
        )

    def expect(self, ok: bool, who: str | None, method: str, url: str, response, want: str):
        if response.status_code >= 500:
            ok = False
        if not ok:
            self.problems.append(
                f"{who or 'anonymous'} {method.upper()} {url}: got {describe(response)}, "
                f"expected {want}"
            )

    def verdict(self, label: str) -> None:
        if self.problems:
            pytest.fail(f"{label}:\n  " + "\n  ".join(self.problems), pytrace=False)


# --- the tests ---------------------------------------------------------------------


def test_the_sweep_finds_the_routes_it_is_meant_to_cover():
    """Guards the walk itself: if discovery broke, every other test here would pass."""
    names = {route.name for route in PAGE_ROUTES}
    assert {"healthz", "accounts:login", "projects:detail", "projects:edit"} <= names
    assert {"logs:list", "logs:item", "logs:link_remove", "orglogs:escalations"} <= names
    assert any(route.name == "admin:index" for route in ADMIN_ROUTES)
    assert any(op.path.startswith("/api/v1/projects/{") for op in OPERATIONS)
    labels = names | {op.label for op in OPERATIONS}
    assert labels >= TRASH_ROUTES, "the trash's routes have moved: update TRASH_ROUTES"
    # Every log has its own endpoints (and its own table): each must be in the sweep.
    paths = {op.path for op in OPERATIONS}
    assert {f"/api/v1/projects/{{project_id}}/{kind}/{{item_id}}" for kind in KINDS} <= paths


def test_every_organisation_log_route_says_what_people_without_a_project_get():
    """A new organisation-wide log page or API read must be added to ORGANISATION_LOG_READS,
    or nothing would check what olga and tom see there."""
    routes = {route.name for route in PAGE_ROUTES if route.name.startswith("orglogs:")}
    operations = {
        op.label
        for op in OPERATIONS
        if "logs" in op.spec.get("tags", []) and not op.path.startswith("/api/v1/projects/")
    }
    assert routes, "no organisation log pages found: has orglogs moved?"
    missing = sorted((routes | operations) - set(ORGANISATION_LOG_READS))
    assert not missing, f"add to ORGANISATION_LOG_READS: {missing}"


def test_every_url_parameter_has_a_value():
    unknown = (
        [
            f"{route.label}: {', '.join(missing)}"
            for route in PAGE_ROUTES
            if (missing := unknown_kwargs(route.path, route.kwargs))
        ]
        + [
            f"{route.label}: unnamed groups; name them so the sweep can fill them"
            for route in PAGE_ROUTES
            if route.positional
        ]
        + [
            f"{op.label}: {', '.join(missing)}"
            for op in OPERATIONS
            if (missing := unknown_kwargs(op.path, op.kwargs))
        ]
    )
    assert not unknown, (
        "Routes with URL parameters the sweep cannot fill; add them to KWARG_OBJECTS or "
        "COLLECTION_OBJECTS in tests/core/test_route_sweep.py:\n" + "\n".join(unknown)
    )


@pytest.mark.parametrize("route", PAGE_ROUTES, ids=lambda route: route.label)
def test_page_route_permissions(route, org):
    if unknown_kwargs(route.path, route.kwargs):
        pytest.fail(f"unknown URL parameters in {route.label}: see the test above")
    objects = Objects(org)
    kinds = kinds_of(route.path, route.kwargs)
    project_scoped = bool(kinds & PROJECT_OBJECTS)
    personal = bool(kinds & PERSONAL_OBJECTS)
    trashed = bool(kinds & TRASHED_OBJECTS)
    sweep = Sweep(org)
    for url in page_urls(route, objects):
        # Anonymous visitors: the login page for everything not deliberately public.
        for method in ("get", "post"):
            response = sweep.request(None, method, url)
            if route.name in PUBLIC_ROUTES:
                if method == "get":
                    sweep.expect(response.status_code == 200, None, method, url, response, "200")
            else:
                # 404 and 405 tell an anonymous visitor nothing either.
                refused = redirects_to_login(response) or response.status_code in (401, 404, 405)
                sweep.expect(refused, None, method, url, response, "login redirect")
            if method == "get":
                nowhere = response.status_code == 404

        # An outsider cannot tell a project, or someone else's object, from no object.
        if project_scoped or personal or trashed:
            for method in ("get", *UNSAFE_METHODS):
                response = sweep.request("olga", method, url)
                sweep.expect(
                    response.status_code in (404, 405), "olga", method, url, response, "404"
                )

        # An executive changes nothing, anywhere.
        if route.name not in PUBLIC_ROUTES | SELF_SERVICE:
            for method in UNSAFE_METHODS:
                response = sweep.request("erin", method, url)
                sweep.expect(
                    response.status_code in (403, 404, 405),
                    "erin",
                    method,
                    url,
                    response,
                    "403/404/405",
                )

        # The role matrix on ALPHA.
        if project_scoped:
            response = sweep.request("priya", "get", url)
            if route.name in BEYOND_PROJECT_MANAGER:
                ok, want = response.status_code in (403, 405), "403"
            else:
                ok, want = lets_through(response), "to be let through"
            sweep.expect(ok, "priya", "get", url, response, want)

            response = sweep.request("tom", "get", url)
            sweep.expect(
                lets_through(response) or response.status_code == 403,
                "tom",
                "get",
                url,
                response,
                "a page or 403, never 404 (he is on ALPHA's team)",
            )
        if route.name in ORGANISATION_LOG_READS:
            for username in ("olga", "tom"):
                response = sweep.request(username, "get", url)
                if ORGANISATION_LOG_READS[route.name] == 403:
                    ok, want = response.status_code == 403, "403"
                else:
                    ok, want = lets_through(response), "to be let through"
                sweep.expect(ok, username, "get", url, response, want)
        if route.name in TRASH_ROUTES:
            for username in ("tom", "priya") if trashed else ("olga", "tom", "priya"):
                response = sweep.request(username, "get", url)
                refused = response.status_code in (403, 405) or (
                    trashed and response.status_code == 404
                )
                sweep.expect(refused, username, "get", url, response, "403")
            response = sweep.request("admin", "get", url)
            sweep.expect(lets_through(response), "admin", "get", url, response, "a page")
        if route.name in ADMINISTRATOR_ONLY:
            response = sweep.request("bob", "get", url)
            sweep.expect(response.status_code == 403, "bob", "get", url, response, "403")
        elif not personal and route.name not in PUBLIC_ROUTES:
            # A route that is a 404 even for the anonymous (the API's bare root) is no page.
            response = sweep.request("bob", "get", url)
            ok = lets_through(response) or (nowhere and response.status_code == 404)
            sweep.expect(ok, "bob", "get", url, response, "to be let through")
    sweep.verdict(route.label)


def test_team_member_reads_alpha_but_cannot_edit_it(org, client_for):
    tom = client_for("tom")
    assert tom.get(reverse("projects:detail", kwargs={"pk": org.alpha.pk})).status_code == 200
    assert tom.get(reverse("projects:edit", kwargs={"pk": org.alpha.pk})).status_code == 403
    response = tom.post(
        reverse("projects:edit", kwargs={"pk": org.alpha.pk}),
        {"code": "ALPHA", "name": "Renamed by tom"},
    )
    assert response.status_code == 403
    org.alpha.refresh_from_db()
    assert org.alpha.name == "Alpha CRM replacement"


# --- the API ---------------------------------------------------------------------


def _resolve_ref(schema: dict, document: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    return schema


def example_value(
    schema: dict, document: dict, name: str, objects: Objects, path: str, variant=None
):
    """A plausible value, so a request passes validation and meets the permission check."""
    schema = _resolve_ref(schema, document)
    for union in ("anyOf", "oneOf", "allOf"):
        if union in schema:
            options = [s for s in schema[union] if _resolve_ref(s, document).get("type") != "null"]
            return example_value(options[0], document, name, objects, path, variant)
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type")
    if name == "version":
        # The version of the object the path names, so no 409 hides a wrong answer.
        named = [k for k in re.findall(r"{(\w+)}", path) if k not in FIXED_VALUES]
        if not named or object_kind(path, named[-1]) is None:
            return 1
        return getattr(objects.object_for(path, named[-1], variant), "version", 1)
    if kind == "object":
        required = schema.get("required", [])
        return {
            key: example_value(sub, document, key, objects, path, variant)
            for key, sub in schema.get("properties", {}).items()
            if key in required
        }
    if kind == "array":
        return []
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return False
    return {"date": "2026-03-02", "date-time": "2026-03-02T09:00:00+00:00"}.get(
        schema.get("format", ""), "SWEEP-1"
    )


def api_request(op: Operation, objects: Objects, variant: dict):
    document = _openapi()
    url = op.path
    for kwarg in op.kwargs:
        value = variant[kwarg] if kwarg in variant else objects.value(op.path, kwarg, variant)
        url = url.replace("{" + kwarg + "}", str(value))
    query = {
        param["name"]: example_value(
            param["schema"], document, param["name"], objects, op.path, variant
        )
        for param in op.spec.get("parameters", [])
        if param.get("in") == "query" and param.get("required")
    }
    if query:
        url += "?" + urlencode(query)
    body = None
    content = op.spec.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        schema = content["application/json"]["schema"]
        body = example_value(schema, document, "", objects, op.path, variant)
    return url, body


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.label)
def test_api_operation_permissions(op, org):
    if unknown_kwargs(op.path, op.kwargs):
        pytest.fail(f"unknown URL parameters in {op.label}: see the test above")
    objects = Objects(org)
    kinds = kinds_of(op.path, op.kwargs)
    project_scoped = bool(kinds & PROJECT_OBJECTS)
    personal = bool(kinds & PERSONAL_OBJECTS)
    sweep = Sweep(org)
    method = op.method
    for variant in variants_of(op.kwargs):
        url, body = api_request(op, objects, variant)

        response = sweep.request(None, method, url, body)
        sweep.expect(response.status_code == 401, None, method, url, response, "401")

        if project_scoped or personal:
            response = sweep.request("olga", method, url, body)
            sweep.expect(response.status_code == 404, "olga", method, url, response, "404")

        if method in UNSAFE_METHODS and op.label not in SELF_SERVICE:
            response = sweep.request("erin", method, url, body)
            sweep.expect(
                response.status_code in (403, 404, 405), "erin", method, url, response, "403/404"
            )

        if method == "get":
            if project_scoped:
                for username in ("priya", "tom"):
                    response = sweep.request(username, method, url)
                    sweep.expect(
                        response.status_code == 200, username, method, url, response, "200"
                    )
            if not personal:
                response = sweep.request("bob", method, url)
                sweep.expect(response.status_code == 200, "bob", method, url, response, "200")
            if op.label in TRASH_ROUTES:
                for username in ("olga", "tom", "priya"):
                    response = sweep.request(username, method, url)
                    sweep.expect(
                        response.status_code == 403, username, method, url, response, "403"
                    )
            if op.label in ORGANISATION_LOG_READS:
                want = ORGANISATION_LOG_READS[op.label]
                for username in ("olga", "tom"):
                    response = sweep.request(username, method, url)
                    sweep.expect(
                        response.status_code == want, username, method, url, response, str(want)
                    )
    sweep.verdict(op.label)


# --- the admin site ----------------------------------------------------------------

ADMIN_FIXED = {"app_label": "projects", "url": "no-such-page/"}


@pytest.fixture
def admin_site_users(db, django_user_model):
    """The administrator and the PMO, and nothing else: refusal at the admin's door needs
    no organisation behind it, and 80 routes times the full ``org`` fixture is slow."""
    from steerco.accounts.models import OrganisationRole

    admin = django_user_model.objects.create(username="admin", is_staff=True, is_superuser=True)
    bob = django_user_model.objects.create(username="bob")
    OrganisationRole.objects.create(user=admin, role=OrganisationRole.Role.ADMINISTRATOR)
    OrganisationRole.objects.create(user=bob, role=OrganisationRole.Role.PMO)
    return SimpleNamespace(users={"admin": admin, "bob": bob})


def admin_url(route: Route, users) -> str:
    from django.contrib.contenttypes.models import ContentType

    first = None
    if route.model is not None:
        first = route.model._default_manager.order_by("pk").first()
    # With no such object the admin answers with its own redirect or 404: still a test.
    object_id = first.pk if first is not None else 1
    kwargs = {}
    for kwarg in route.kwargs:
        if kwarg in ADMIN_FIXED:
            kwargs[kwarg] = ADMIN_FIXED[kwarg]
        elif kwarg == "content_type_id":
            kwargs[kwarg] = ContentType.objects.get_for_model(type(users.users["bob"])).pk
        elif kwarg == "object_id" and route.model is None:
            kwargs[kwarg] = users.users["bob"].pk  # view_on_site
        elif kwarg == "object_id":
            kwargs[kwarg] = object_id
        elif kwarg == "id":
            kwargs[kwarg] = users.users["bob"].pk  # a user's password form
        else:
            pytest.fail(f"{route.label}: no value for admin URL parameter {kwarg!r}")
    # Unnamed groups (django-simple-history's pages): the object, then a history record.
    args = [object_id, 1][: route.positional]
    if route.name:
        return reverse(route.name, args=args) if args else reverse(route.name, kwargs=kwargs)
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route.path)


def ends_at_login(client, method: str, url: str, hops: int = 3):
    """Follow redirects without fetching the login page itself (rendering it is slow)."""
    response = getattr(client, method)(url)
    for _ in range(hops):
        if redirects_to_login(response) or response.status_code not in (301, 302, 303):
            break
        response = client.get(urlsplit(response.headers["Location"]).path)
    return response, redirects_to_login(response)


@pytest.mark.parametrize("route", ADMIN_ROUTES, ids=lambda route: route.label)
def test_only_the_administrator_gets_into_the_admin_site(route, admin_site_users):
    sweep = Sweep(admin_site_users)
    if route.name == "admin:login":
        assert sweep.request(None, "get", reverse("admin:login")).status_code == 200
        return
    url = admin_url(route, admin_site_users)
    # bob, the PMO, may do anything in SteerCo but is no administrator.
    for username, method in [(None, "get"), (None, "post"), ("bob", "get"), ("bob", "post")]:
        response, at_login = ends_at_login(sweep.client(username), method, url)
        ok = at_login or response.status_code in (403, 404, 405)
        sweep.expect(ok, username, method, url, response, "to end at a login page")
    # The administrator is let in; the admin may still refuse a page (403 on a read-only
    # model's add form, 404 on a missing object), which is its business, not the login's.
    response = sweep.request("admin", "get", url)
    sweep.expect(not redirects_to_login(response), "admin", "get", url, response, "to be let in")
    sweep.verdict(route.label)
