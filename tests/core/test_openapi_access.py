"""Who may read the API's OpenAPI document and docs page: the same callers as the API."""

from __future__ import annotations

from django.test import Client

from steerco.accounts.services import token_create, token_revoke

DOCUMENT = "/api/openapi.json"
DOCS = "/api/docs"


def bearer(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def assert_not_authenticated(response) -> None:
    assert response.status_code == 401, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"] == 'Bearer realm="steerco"'
    assert response.json()["code"] == "not_authenticated"


def test_a_client_generator_reads_the_document_with_a_personal_token(org):
    _, raw = token_create(user=org.tom, name="client generator")

    response = bearer(raw).get(DOCUMENT)

    assert response.status_code == 200, response.content
    document = response.json()
    assert document["info"]["title"] == "SteerCo API"
    assert "/api/v1/people" in document["paths"]


def test_a_browser_session_still_reads_the_document_and_the_docs_page(client_for):
    assert client_for("tom").get(DOCUMENT).status_code == 200
    assert client_for("tom").get(DOCS).status_code == 200


def test_an_anonymous_request_gets_a_401_not_the_document(db):
    assert_not_authenticated(Client().get(DOCUMENT))


def test_a_wrong_or_revoked_token_gets_a_401(org, client_for):
    token, raw = token_create(user=org.tom, name="old")
    token_revoke(token=token)

    assert_not_authenticated(bearer(raw).get(DOCUMENT))
    assert_not_authenticated(bearer("stc_not-a-token").get(DOCUMENT))
    # A wrong token is judged alone, even from a browser that is also logged in.
    browser = client_for("tom")
    assert_not_authenticated(browser.get(DOCUMENT, HTTP_AUTHORIZATION=f"Bearer {raw}"))


def test_the_docs_page_sends_an_anonymous_browser_to_the_login_page(db):
    response = Client().get(DOCS)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_document_is_read_only(org):
    _, raw = token_create(user=org.tom, name="client generator")

    assert bearer(raw).post(DOCUMENT).status_code == 405
