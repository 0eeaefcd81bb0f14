"""Every list endpoint treats an unknown query parameter the same way: 400 malformed,
naming it (as an unknown body field is), rather than ignoring a misspelt filter and
listing everything.

The lists are not named here: every GET operation of the OpenAPI document that takes a
``page`` parameter is one, so a new list is covered the day it appears. Its URL comes
from the route sweep's objects.
"""

from __future__ import annotations

import pytest

from .test_route_sweep import OPERATIONS, Objects, Sweep, api_request, variants_of

LISTS = [
    op
    for op in OPERATIONS
    if op.method == "get"
    and any(p.get("in") == "query" and p["name"] == "page" for p in op.spec.get("parameters", []))
]


def test_the_document_has_the_lists_this_file_expects():
    """Proof the discovery found the lists of every app, not none."""
    paths = {op.path for op in LISTS}
    assert len(LISTS) >= 14
    assert {
        "/api/v1/projects",
        "/api/v1/projects/{project_id}/tasks",
        "/api/v1/projects/{project_id}/baselines",
        "/api/v1/people",
        "/api/v1/lessons",
    } <= paths


@pytest.mark.parametrize("op", LISTS, ids=lambda op: op.label)
def test_a_list_refuses_an_unknown_query_parameter_naming_it(op, org):
    objects = Objects(org)
    sweep = Sweep(org)
    for variant in variants_of(op.kwargs):
        url, _body = api_request(op, objects, variant)
        joiner = "&" if "?" in url else "?"
        # Whoever may read this list: its project's manager, else the PMO.
        reader = next(
            (
                user
                for user in ("priya", "bob")
                if sweep.request(user, "get", url).status_code == 200
            ),
            None,
        )
        assert reader is not None, f"nobody could read {url}"
        assert sweep.request(reader, "get", f"{url}{joiner}page=1&page_size=5").status_code == 200

        response = sweep.request(reader, "get", f"{url}{joiner}page=1&sttaus=open")

        assert response.status_code == 400, (url, response.content)
        body = response.json()
        assert body["code"] == "malformed"
        assert list(body["fields"]) == ["sttaus"]
        assert "sttaus" in body["detail"]
