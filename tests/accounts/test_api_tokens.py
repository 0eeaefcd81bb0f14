"""Personal API tokens: created once, used as Bearer credentials, revocable; CSRF rules.

Creating and revoking need a browser session with a recent password check
(test_token_safety.py); ``password_checked`` gives a test client one.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from steerco.accounts.models import ApiToken
from steerco.accounts.password_check import SESSION_KEY
from steerco.accounts.services import token_create

TOKENS = "/api/v1/tokens"
JSON = "application/json"


def bearer(raw: str, **options) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", **options)


def password_checked(client: Client) -> Client:
    """The session as it is just after its user typed the password."""
    session = client.session
    session[SESSION_KEY] = timezone.now().timestamp()
    session.save()
    return client


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["detail"]
    assert isinstance(body["fields"], dict)
    return body


def test_token_created_through_the_api_is_shown_once_and_works(org, client_for):
    client = password_checked(client_for("priya"))
    created = client.post(TOKENS, {"name": "reporting script"}, "application/json")

    assert created.status_code == 201
    body = created.json()
    assert body["token"].startswith("stc_")
    assert body["name"] == "reporting script"
    assert body["active"] is True
    me = bearer(body["token"]).get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["username"] == "priya"
    stored = ApiToken.objects.get(pk=body["id"])
    assert stored.digest != body["token"]
    assert stored.digest == ApiToken.digest_of(body["token"])


def test_token_list_shows_own_tokens_without_secrets(org, client_for):
    token_create(user=org.priya, name="mine")
    token_create(user=org.tom, name="toms")

    listing = client_for("priya").get(TOKENS).json()

    assert listing["count"] == 1
    (item,) = listing["items"]
    assert item["name"] == "mine"
    assert "token" not in item
    assert "digest" not in item


def test_token_from_the_service_authenticates_with_its_owners_rights(org):
    _, raw = token_create(user=org.tom, name="cli")

    listing = bearer(raw).get("/api/v1/projects")

    assert listing.status_code == 200
    assert [p["code"] for p in listing.json()["items"]] == ["ALPHA"]


def test_using_a_token_records_when_it_was_last_used(org):
    token, raw = token_create(user=org.tom, name="cli")
    assert token.last_used_at is None

    bearer(raw).get("/api/v1/me")

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_token_is_refused(org, client_for):
    token, raw = token_create(user=org.priya, name="old laptop")

    revoked = password_checked(client_for("priya")).delete(f"{TOKENS}/{token.pk}")

    assert revoked.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert_error(bearer(raw).get("/api/v1/me"), 401, "not_authenticated")


def test_token_can_revoke_itself(org):
    token, raw = token_create(user=org.priya, name="rotate")

    assert bearer(raw).delete(f"{TOKENS}/{token.pk}").status_code == 204
    assert bearer(raw).get("/api/v1/me").status_code == 401


def test_revoking_someone_elses_token_is_not_found(org, client_for):
    token, raw = token_create(user=org.priya, name="mine")

    assert_error(client_for("tom").delete(f"{TOKENS}/{token.pk}"), 404, "not_found")
    assert bearer(raw).get("/api/v1/me").status_code == 200


@pytest.mark.parametrize(
    "header",
    ["Bearer stc_not-a-real-token", "Bearer ", "Bearer nonsense", "Basic cHJpeWE6ZGVtbw=="],
)
def test_bad_credentials_answer_401(org, header):
    response = Client(HTTP_AUTHORIZATION=header).get("/api/v1/me")

    body = assert_error(response, 401, "not_authenticated")
    assert "Bearer" in body["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_bad_token_is_refused_even_with_a_logged_in_session(org):
    # The header is what the client asked to be judged by; the session must not rescue it.
    client = Client(HTTP_AUTHORIZATION="Bearer stc_wrong")
    client.force_login(org.priya)

    assert_error(client.get("/api/v1/me"), 401, "not_authenticated")


def test_no_credentials_answer_401_even_for_unsafe_methods(org):
    client = Client(enforce_csrf_checks=True)

    assert_error(client.post(TOKENS, {"name": "x"}, "application/json"), 401, "not_authenticated")
    assert_error(client.get(TOKENS), 401, "not_authenticated")


def test_token_name_is_required(org, client_for):
    client = password_checked(client_for("priya"))
    body = assert_error(
        client.post(TOKENS, {"name": "  "}, "application/json"), 422, "rule_violation"
    )
    assert "name" in body["fields"]
    assert not ApiToken.objects.exists()


def test_bearer_requests_need_no_csrf_token(org):
    _, raw = token_create(user=org.priya, name="cli")

    changed = bearer(raw, enforce_csrf_checks=True).patch(
        f"/api/v1/projects/{org.alpha.pk}", {"version": 1, "name": "Renamed"}, JSON
    )

    assert changed.status_code == 200


def test_session_requests_must_send_the_csrf_token_for_unsafe_methods(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.priya)
    password_checked(client)

    refused = client.post(TOKENS, {"name": "x"}, "application/json")

    assert_error(refused, 403, "csrf_failed")
    assert not ApiToken.objects.exists()
    # Reading needs no token.
    assert client.get(TOKENS).status_code == 200
    secret = get_random_string(32)
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    accepted = client.post(TOKENS, {"name": "x"}, "application/json", HTTP_X_CSRFTOKEN=secret)
    assert accepted.status_code == 201


def test_session_delete_without_csrf_token_is_refused(org):
    token, raw = token_create(user=org.priya, name="keep")
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.priya)

    assert_error(client.delete(f"{TOKENS}/{token.pk}"), 403, "csrf_failed")
    assert bearer(raw).get("/api/v1/me").status_code == 200


def test_changes_made_with_a_token_are_recorded_as_its_owner(org):
    _, raw = token_create(user=org.priya, name="cli")

    bearer(raw).patch(f"/api/v1/projects/{org.alpha.pk}", {"version": 1, "name": "Via CLI"}, JSON)

    history = bearer(raw).get(f"/api/v1/projects/{org.alpha.pk}/history").json()["items"]
    assert history[0]["who"] == "priya"
    assert history[0]["changes"] == [
        {"field": "name", "old": "Alpha CRM replacement", "new": "Via CLI"}
    ]
