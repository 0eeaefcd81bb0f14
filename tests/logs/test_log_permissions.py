"""Who may do what in the project logs, tried for every person, log and operation.

The rules (``accounts.rules``): the project manager, project support, the PMO and
administrators change every log and delete from any; a team member adds and updates
actions and issues only and deletes nothing; executives and resource managers read
only; someone with no role on the project cannot tell that it exists (404), including
when an item of a project they may see is reached through another project's address.

Each matrix is checked three ways, since a rule kept by the services can still be
undone by a page or an endpoint that answers before calling them: the services, the
pages (status codes) and the API.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from steerco.logs import selectors, services
from steerco.logs.kinds import KINDS

OK, REFUSED, HIDDEN = "ok", 403, 404
USERS = ("admin", "bob", "mary", "priya", "tom", "erin", "rita", "olga")
OPERATIONS = ("view list", "view item", "create", "update", "delete")
CONTRIBUTED = {"actions", "issues"}  # the logs a team member adds to and updates

# Beyond a title, what each log needs before it saves an item.
REQUIRED = {
    "risks": {"probability": 3, "impact": 4},
    "dependencies": {"external_party": "Acme Ltd"},
    "decisions": {"decided_on": date(2026, 3, 2)},
}


def expected(username: str, kind: str, operation: str, project: str = "ALPHA"):
    """The answer the rules give ``username`` for ``operation`` on a log of ``project``."""
    if username == "olga" or (username == "tom" and project != "ALPHA"):
        return HIDDEN
    if operation.startswith("view"):
        return OK
    if username in {"admin", "bob", "mary", "priya"}:
        return OK
    if username == "tom" and operation != "delete" and kind in CONTRIBUTED:
        return OK
    return REFUSED


TITLE = "Seen by everyone"


def _item(org, kind: str, project=None):
    return services.item_create(
        actor=org.priya,
        project=project or org.alpha,
        kind=kind,
        title=TITLE,
        **REQUIRED.get(kind, {}),
    )


def _version(item) -> int:
    """The stored version: an allowed update just before a delete has moved it on."""
    return type(item).objects.get(pk=item.pk).version


def _service_call(operation: str, user, project, kind: str, target):
    def call():
        if operation == "view list":
            list(selectors.item_list(user=user, project=project, kind=kind))
        elif operation == "view item":
            selectors.item_get(user=user, project=project, kind=kind, item_id=target.pk)
        elif operation == "create":
            services.item_create(
                actor=user, project=project, kind=kind, title="Added", **REQUIRED.get(kind, {})
            )
        elif operation == "update":
            services.item_update(
                actor=user, item=target, expected_version=target.version, title="Renamed"
            )
        else:
            services.item_delete(actor=user, item=target, expected_version=target.version)

    return call


def _outcome(call):
    try:
        call()
    except Http404:
        return HIDDEN
    except PermissionDenied:
        return REFUSED
    return OK


def _report(problems: list[str]) -> None:
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_the_matrix_says_what_the_rules_say():
    """Guards the oracle itself, so a mistake in ``expected`` cannot pass every test."""
    assert expected("tom", "actions", "create") == OK
    assert expected("tom", "risks", "update") == REFUSED
    assert expected("tom", "issues", "delete") == REFUSED
    assert expected("tom", "issues", "view item", "BETA") == HIDDEN
    assert expected("mary", "lessons", "delete", "BETA") == OK
    assert expected("erin", "actions", "create") == REFUSED
    assert expected("rita", "risks", "view list") == OK
    assert expected("olga", "risks", "view list") == HIDDEN


# --- the services --------------------------------------------------------------------


@pytest.mark.parametrize("project_code", ["ALPHA", "BETA"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_services_follow_the_role_matrix(org, kind, project_code):
    project = org.alpha if project_code == "ALPHA" else org.beta
    problems = []
    for username in USERS:
        user = org.users[username]
        target = _item(org, kind, project)
        for operation in OPERATIONS:
            want = expected(username, kind, operation, project_code)
            got = _outcome(_service_call(operation, user, project, kind, target))
            if got != want:
                problems.append(f"{username} {operation} {project_code} {kind}: {got}, not {want}")
        # A refused update or delete leaves the item as it was.
        if expected(username, kind, "delete", project_code) != OK:
            stored = type(target).objects.filter(pk=target.pk).first()
            updated = expected(username, kind, "update", project_code) == OK
            if stored is None or stored.title != ("Renamed" if updated else TITLE):
                problems.append(f"{username} {project_code} {kind}: a refused change was written")
    _report(problems)


def test_links_need_the_right_to_change_their_source(org):
    action = _item(org, "actions")
    risk = _item(org, "risks")
    link = services.link_add(actor=org.tom, source=action, target=risk)
    with pytest.raises(PermissionDenied):
        services.link_add(actor=org.tom, source=risk, target=_item(org, "issues"))
    with pytest.raises(PermissionDenied):
        services.link_add(actor=org.erin, source=action, target=_item(org, "issues"))
    with pytest.raises(Http404):
        services.link_remove(actor=org.olga, link=link)
    services.link_remove(actor=org.tom, link=link)


def test_workflows_need_the_right_to_change_the_log(org):
    risk = _item(org, "risks")
    change = _item(org, "changes")
    for username, error in (("tom", PermissionDenied), ("erin", PermissionDenied)):
        with pytest.raises(error):
            services.risk_raise_issue(
                actor=org.users[username], risk=risk, expected_version=risk.version
            )
        with pytest.raises(error):
            services.change_transition(
                actor=org.users[username], change=change, to="submitted", expected_version=1
            )
    with pytest.raises(Http404):
        services.change_transition(
            actor=org.olga, change=change, to="submitted", expected_version=1
        )
    assert change.__class__.objects.get(pk=change.pk).status == "draft"


# --- the pages ------------------------------------------------------------------------


def _url(name: str, project, kind: str, item=None, **extra) -> str:
    kwargs = {"project_id": project.pk, "kind": kind, **extra}
    if item is not None:
        kwargs["item_id"] = item.pk
    return reverse(f"logs:{name}", kwargs=kwargs)


def _form_data(response) -> dict[str, str]:
    """The form's fields as the page filled them in, ready to post back."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else str(value)
    return data


def _page_outcome(response) -> object:
    status = response.status_code
    if status in (200, 302):
        return OK
    return status


@pytest.mark.parametrize("kind", list(KINDS))
def test_pages_follow_the_role_matrix(org, client_for, kind):
    priya = client_for("priya")
    # The forms are the same for everyone; priya's copies are posted by each user in turn.
    new_form = _form_data(priya.get(_url("create", org.alpha, kind)))
    new_form.update({"title": "Added", **{k: str(v) for k, v in REQUIRED.get(kind, {}).items()}})
    problems = []
    for username in USERS:
        client = client_for(username)
        target = _item(org, kind)
        edit_form = _form_data(priya.get(_url("edit", org.alpha, kind, target)))
        for operation in OPERATIONS:
            if operation == "view list":
                response = client.get(_url("list", org.alpha, kind))
            elif operation == "view item":
                response = client.get(_url("item", org.alpha, kind, target))
            elif operation == "create":
                response = client.post(_url("create", org.alpha, kind), new_form)
            elif operation == "update":
                response = client.post(
                    _url("edit", org.alpha, kind, target), {**edit_form, "title": "Renamed"}
                )
            else:
                response = client.post(
                    _url("delete", org.alpha, kind, target), {"version": _version(target)}
                )
            want = expected(username, kind, operation)
            status = response.status_code
            if _page_outcome(response) != want:
                problems.append(f"{username} {operation} {kind}: {status}, not {want}")
            elif want == OK and operation in {"create", "update", "delete"} and status != 302:
                problems.append(f"{username} {operation} {kind}: the save did not go through")
    _report(problems)


def test_a_team_member_is_refused_the_forms_he_may_not_use_before_typing(org, client_for):
    tom = client_for("tom")
    risk, action = _item(org, "risks"), _item(org, "actions")
    assert tom.get(_url("create", org.alpha, "risks")).status_code == 403
    assert tom.get(_url("edit", org.alpha, "risks", risk)).status_code == 403
    assert tom.get(_url("delete", org.alpha, "actions", action)).status_code == 403
    assert tom.get(_url("create", org.alpha, "actions")).status_code == 200
    assert tom.get(_url("edit", org.alpha, "actions", action)).status_code == 200


def test_inline_edits_follow_the_same_rules(org, client_for):
    risk, action = _item(org, "risks"), _item(org, "actions")
    for username, item, kind, want in [
        ("tom", risk, "risks", 403),
        ("erin", action, "actions", 403),
        ("olga", action, "actions", 404),
    ]:
        response = client_for(username).post(
            _url("field", org.alpha, kind, item, field="title"),
            {"title": "Inline", "version": item.version},
        )
        assert response.status_code == want, (username, kind, response.status_code)
    assert type(risk).objects.get(pk=risk.pk).title == TITLE
    assert type(action).objects.get(pk=action.pk).title == TITLE


# --- an item reached through another project's address ---------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_an_item_is_only_found_under_its_own_project(org, client_for, kind):
    """priya manages both ALPHA and BETA, so only the item's project can refuse her."""
    item = _item(org, kind)
    pages = [
        ("get", _url("item", org.beta, kind, item), {}),
        ("get", _url("edit", org.beta, kind, item), {}),
        ("post", _url("edit", org.beta, kind, item), {"title": "Moved", "version": 1}),
        ("post", _url("delete", org.beta, kind, item), {"version": 1}),
        ("post", _url("field", org.beta, kind, item, field="title"), {"title": "Moved"}),
    ]
    api = f"/api/v1/projects/{org.beta.pk}/{kind}/{item.pk}"
    for username in ("priya", "olga", "bob"):
        client = client_for(username)
        for method, url, data in pages:
            response = getattr(client, method)(url, data)
            assert response.status_code == 404, (username, method, url, response.status_code)
        assert client.get(api).status_code == 404, (username, api)
        response = client.patch(
            api, {"version": 1, "title": "Moved"}, content_type="application/json"
        )
        assert response.status_code == 404, (username, "PATCH", api, response.status_code)
        assert client.delete(f"{api}?version=1").status_code == 404, (username, "DELETE", api)
    stored = type(item).objects.get(pk=item.pk)
    assert (stored.title, stored.project_id, stored.version) == (TITLE, org.alpha.pk, 1)


def test_a_link_is_only_removed_under_its_own_project(org, client_for):
    risk, action = _item(org, "risks"), _item(org, "actions")
    link = services.link_add(actor=org.priya, source=risk, target=action)
    priya = client_for("priya")
    beta_risk = _item(org, "risks", project=org.beta)
    response = priya.post(
        reverse(
            "logs:link_remove",
            kwargs={
                "project_id": org.beta.pk,
                "kind": "risks",
                "item_id": beta_risk.pk,
                "item_link_id": link.pk,
            },
        )
    )
    assert response.status_code == 404
    response = priya.delete(f"/api/v1/projects/{org.beta.pk}/item-links/{link.pk}")
    assert response.status_code == 404
    assert type(link).objects.filter(pk=link.pk).exists()


def test_a_team_member_cannot_tell_another_projects_logs_exist(org, client_for):
    """tom is on ALPHA's team only: BETA's logs answer him as if there were none."""
    action = _item(org, "actions", project=org.beta)
    tom = client_for("tom")
    for url in (
        _url("list", org.beta, "actions"),
        _url("item", org.beta, "actions", action),
        reverse("logs:overview", kwargs={"project_id": org.beta.pk}),
        reverse("logs:action_board", kwargs={"project_id": org.beta.pk}),
        f"/api/v1/projects/{org.beta.pk}/actions/{action.pk}",
    ):
        assert tom.get(url).status_code == 404, url
    response = tom.post(_url("create", org.beta, "actions"), {"title": "Sneaked in"})
    assert response.status_code == 404
    assert not type(action).objects.filter(title="Sneaked in").exists()


def test_an_unknown_log_is_not_found(org, client_for):
    priya = client_for("priya")
    assert priya.get(f"/projects/{org.alpha.pk}/logs/rumours/").status_code == 404
    assert priya.get(f"/api/v1/projects/{org.alpha.pk}/rumours").status_code == 404


# --- the API ----------------------------------------------------------------------------


def _json(values: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


@pytest.mark.parametrize("kind", list(KINDS))
def test_api_follows_the_role_matrix(org, client_for, kind):
    base = f"/api/v1/projects/{org.alpha.pk}/{kind}"
    problems = []
    success = {"view list": 200, "view item": 200, "create": 201, "update": 200, "delete": 204}
    for username in USERS:
        client = client_for(username)
        target = _item(org, kind)
        member = f"{base}/{target.pk}"
        for operation in OPERATIONS:
            if operation == "view list":
                response = client.get(base)
            elif operation == "view item":
                response = client.get(member)
            elif operation == "create":
                body = {"title": "Added", **_json(REQUIRED.get(kind, {}))}
                response = client.post(base, body, content_type="application/json")
            elif operation == "update":
                body = {"version": target.version, "title": "Renamed"}
                response = client.patch(member, body, content_type="application/json")
            else:
                response = client.delete(f"{member}?version={_version(target)}")
            want = expected(username, kind, operation)
            want_status = success[operation] if want == OK else want
            if response.status_code != want_status:
                problems.append(
                    f"{username} {operation} {kind}: {response.status_code}, not {want_status}"
                )
    _report(problems)
