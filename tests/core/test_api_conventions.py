"""The API-wide conventions of INTERFACES.md: the error shape on every status, malformed
input, and a valid OpenAPI document that lists every operation."""

import pytest
from django.test import Client
from openapi_spec_validator import validate

JSON = "application/json"

# (method, path) of every operation this API promises, with the agreed path parameter names.
OPERATIONS = {
    ("get", "/api/v1/me"),
    ("get", "/api/v1/tokens"),
    ("post", "/api/v1/tokens"),
    ("delete", "/api/v1/tokens/{token_id}"),
    ("get", "/api/v1/people"),
    ("get", "/api/v1/projects"),
    ("post", "/api/v1/projects"),
    ("get", "/api/v1/projects/{project_id}"),
    ("patch", "/api/v1/projects/{project_id}"),
    ("delete", "/api/v1/projects/{project_id}"),
    ("post", "/api/v1/projects/{project_id}/close"),
    ("get", "/api/v1/projects/{project_id}/history"),
    ("get", "/api/v1/projects/{project_id}/members"),
    ("post", "/api/v1/projects/{project_id}/members"),
    ("patch", "/api/v1/projects/{project_id}/members/{membership_id}"),
    ("delete", "/api/v1/projects/{project_id}/members/{membership_id}"),
    ("get", "/api/v1/portfolios"),
    ("post", "/api/v1/portfolios"),
    ("get", "/api/v1/portfolios/{portfolio_id}"),
    ("patch", "/api/v1/portfolios/{portfolio_id}"),
    ("delete", "/api/v1/portfolios/{portfolio_id}"),
}


def assert_error_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["code"] == code
    assert isinstance(body["fields"], dict)
    for messages in body["fields"].values():
        assert messages and all(isinstance(m, str) for m in messages)
    return body


@pytest.mark.parametrize(
    ("username", "method", "path", "body", "status", "code"),
    [
        ("priya", "patch", "/api/v1/projects/{alpha}", "{not json", 400, "malformed"),
        (None, "get", "/api/v1/projects/{alpha}", None, 401, "not_authenticated"),
        ("erin", "patch", "/api/v1/projects/{alpha}", {"version": 1}, 403, "forbidden"),
        ("olga", "get", "/api/v1/projects/{alpha}", None, 404, "not_found"),
        ("priya", "patch", "/api/v1/projects/{alpha}", {"version": 9}, 409, "version_conflict"),
        ("priya", "patch", "/api/v1/projects/{alpha}", {"version": 1, "code": "x"}, 422, "invalid"),
    ],
)
def test_every_error_status_has_the_documented_shape(
    org, client_for, username, method, path, body, status, code
):
    client = client_for(username) if username else Client()
    url = path.format(alpha=org.alpha.pk)
    kwargs = {} if body is None else {"data": body, "content_type": JSON}

    response = getattr(client, method)(url, **kwargs)

    assert_error_shape(response, status, code)


def test_malformed_json_is_400_and_changes_nothing(org, client_for):
    response = client_for("priya").patch(
        f"/api/v1/projects/{org.alpha.pk}", '{"version": 1, "name": ', content_type=JSON
    )

    body = assert_error_shape(response, 400, "malformed")
    assert "JSON" in body["detail"]
    org.alpha.refresh_from_db()
    assert org.alpha.version == 1


@pytest.mark.parametrize("payload", ["[1, 2]", '"a string"', "42", "null"])
def test_json_that_is_not_an_object_is_400(org, client_for, payload):
    response = client_for("bob").post("/api/v1/projects", payload, content_type=JSON)

    assert_error_shape(response, 400, "malformed")


def test_missing_body_is_400(org, client_for):
    response = client_for("bob").post("/api/v1/projects", "", content_type=JSON)

    body = assert_error_shape(response, 400, "malformed")
    assert "body" in body["detail"]


def test_wrong_types_are_400_with_the_fields_named(org, client_for):
    response = client_for("priya").patch(
        f"/api/v1/projects/{org.alpha.pk}",
        {"version": "one", "planned_start": 5.5, "status": "done"},
        content_type=JSON,
    )

    body = assert_error_shape(response, 400, "malformed")
    assert {"version", "planned_start", "status"} <= set(body["fields"])


@pytest.mark.parametrize("project_id", ["abc", "1.5", "-1", "0", "99999999999999999999999"])
def test_a_path_id_that_is_not_an_id_is_400(org, client_for, project_id):
    response = client_for("bob").get(f"/api/v1/projects/{project_id}")

    body = assert_error_shape(response, 400, "malformed")
    assert "project_id" in body["fields"]


def test_huge_reference_ids_and_versions_are_400_not_a_crash(org, client_for):
    huge = 2**70
    response = client_for("bob").patch(
        f"/api/v1/projects/{org.alpha.pk}", {"version": huge, "manager": huge}, content_type=JSON
    )

    body = assert_error_shape(response, 400, "malformed")
    assert {"version", "manager"} <= set(body["fields"])


def test_nul_characters_are_refused_as_malformed(org, client_for):
    response = client_for("bob").post(
        "/api/v1/projects", {"code": "NUL", "name": "Bad\x00name"}, content_type=JSON
    )

    assert_error_shape(response, 400, "malformed")


def test_search_terms_with_odd_characters_do_not_crash(org, client_for):
    response = client_for("bob").get("/api/v1/projects", {"q": "%_'\"\\;--"})

    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}


@pytest.fixture
def openapi(org, client_for) -> dict:
    response = client_for("priya").get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_openapi_document_is_valid(openapi):
    validate(openapi)


def test_openapi_lists_every_operation(openapi):
    listed = {
        (method, path) for path, operations in openapi["paths"].items() for method in operations
    }

    assert listed >= OPERATIONS


def test_openapi_operations_have_unique_ids_and_schemas(openapi):
    ids = []
    for path, operations in openapi["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            ids.append(operation["operationId"])
            success = [s for s in operation["responses"] if s.startswith("2")]
            assert success, (method, path)
            for status in success:
                if status != "204":
                    assert operation["responses"][status]["content"]["application/json"]["schema"]
            assert operation["responses"]["401"]["content"]["application/json"]["schema"]
            assert operation["security"], (method, path)
            if method in ("post", "patch"):
                assert operation["requestBody"]["content"][JSON]["schema"], (method, path)
    assert len(ids) == len(set(ids))


def test_openapi_documents_pagination_and_version_conflicts(openapi):
    listing = openapi["paths"]["/api/v1/projects"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"page", "page_size", "status", "portfolio", "manager", "q"} <= names
    page_size = next(p for p in listing["parameters"] if p["name"] == "page_size")
    assert page_size["schema"]["maximum"] == 500
    patch = openapi["paths"]["/api/v1/projects/{project_id}"]["patch"]
    conflict = patch["responses"]["409"]["content"][JSON]["schema"]["$ref"]
    assert conflict.endswith("/ConflictOut")


def test_openapi_needs_a_login(db):
    response = Client().get("/api/openapi.json")

    assert response.status_code in (302, 401, 403)


def test_interactive_docs_are_served_by_the_app_without_a_cdn(org, client_for):
    response = client_for("priya").get("/api/docs")

    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    assert "cdn." not in page
