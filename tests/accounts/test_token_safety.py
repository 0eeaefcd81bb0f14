"""A leaked token must not outlive its revocation (issue 14, item 11).

Creating and revoking tokens needs the browser with a recent password check; tokens
expire (a year by default) and may be read-only; changing the password offers to revoke
every token.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steerco.accounts.models import ApiToken
from steerco.accounts.password_check import SESSION_KEY
from steerco.accounts.services import token_authenticate, token_create

TOKENS = "/api/v1/tokens"
JSON = "application/json"


def bearer(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def confirm_password(client: Client, password: str):
    return client.post(
        reverse("accounts:password_confirm"),
        {"password": password, "next": reverse("accounts:tokens")},
    )


def refused(response, status: int, code: str) -> str:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code, body
    return body["detail"]


# --- only the browser, with a recent password check, creates or revokes tokens ------------


def test_a_token_cannot_create_another_token(org):
    _, raw = token_create(user=org.priya, name="leaked")

    detail = refused(bearer(raw).post(TOKENS, {"name": "spare"}, JSON), 403, "browser_required")

    assert "browser" in detail
    assert ApiToken.objects.filter(user=org.priya).count() == 1


def test_a_token_cannot_revoke_the_users_other_tokens(org):
    other, other_raw = token_create(user=org.priya, name="real script")
    _, raw = token_create(user=org.priya, name="leaked")

    detail = refused(bearer(raw).delete(f"{TOKENS}/{other.pk}"), 403, "browser_required")

    assert "browser" in detail
    assert token_authenticate(other_raw) == org.priya


def test_a_session_without_a_recent_password_check_cannot_create_or_revoke(org, client_for):
    token, raw = token_create(user=org.priya, name="keep")
    client = client_for("priya")

    detail = refused(client.post(TOKENS, {"name": "x"}, JSON), 403, "password_check_required")
    assert "confirm your password" in detail.lower()
    refused(client.delete(f"{TOKENS}/{token.pk}"), 403, "password_check_required")
    assert token_authenticate(raw) == org.priya
    assert ApiToken.objects.filter(user=org.priya).count() == 1


def test_a_session_with_a_recent_password_check_creates_and_revokes(org, client_for):
    client = client_for("priya")
    assert confirm_password(client, org.password).status_code == 302

    created = client.post(TOKENS, {"name": "script"}, JSON)
    assert created.status_code == 201
    assert client.delete(f"{TOKENS}/{created.json()['id']}").status_code == 204
    assert token_authenticate(created.json()["token"]) is None


def test_the_password_check_lapses_after_ten_minutes(org, client_for):
    client = client_for("priya")
    confirm_password(client, org.password)
    session = client.session
    session[SESSION_KEY] = (timezone.now() - timedelta(minutes=11)).timestamp()
    session.save()

    refused(client.post(TOKENS, {"name": "late"}, JSON), 403, "password_check_required")


def test_the_tokens_page_asks_for_the_password_before_offering_to_create(org, client_for):
    client = client_for("priya")

    page = client.get(reverse("accounts:tokens"))
    html = page.content.decode()
    assert "Confirm your password" in html
    assert 'name="name"' not in html
    posted = client.post(reverse("accounts:tokens"), {"name": "sneaky", "expiry": "365"})
    assert posted.status_code == 302
    assert posted["Location"].startswith(reverse("accounts:password_confirm"))
    assert not ApiToken.objects.filter(user=org.priya).exists()


def test_a_wrong_password_is_refused_on_the_confirmation_page(org, client_for):
    client = client_for("priya")

    response = confirm_password(client, "not-it")

    assert response.status_code == 200
    assert "password is not correct" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_revoking_on_the_page_needs_the_password_check(org, client_for):
    token, raw = token_create(user=org.priya, name="CI")
    client = client_for("priya")
    url = reverse("accounts:token_revoke", kwargs={"pk": token.pk})

    response = client.post(url)

    assert response["Location"].startswith(reverse("accounts:password_confirm"))
    assert token_authenticate(raw) == org.priya
    confirm_password(client, org.password)
    client.post(url)
    assert token_authenticate(raw) is None


def test_logging_in_with_the_password_counts_as_the_check(org):
    client = Client()
    client.post(reverse("accounts:login"), {"username": "priya", "password": org.password})

    response = client.post(reverse("accounts:tokens"), {"name": "fresh", "expiry": "90"})

    assert response.status_code == 200
    assert response.context["raw_token"]


# --- expiry ----------------------------------------------------------------------------


def confirmed(client_for, org, username="priya") -> Client:
    client = client_for(username)
    confirm_password(client, org.password)
    return client


def test_a_new_token_expires_after_a_year_unless_told_otherwise(org, client_for):
    client = confirmed(client_for, org)

    client.post(reverse("accounts:tokens"), {"name": "default"})
    client.post(reverse("accounts:tokens"), {"name": "short", "expiry": "30"})
    client.post(reverse("accounts:tokens"), {"name": "forever", "expiry": "never"})

    now = timezone.now()
    tokens = {t.name: t for t in ApiToken.objects.filter(user=org.priya)}
    assert abs(tokens["default"].expires_at - (now + timedelta(days=365))) < timedelta(minutes=1)
    assert abs(tokens["short"].expires_at - (now + timedelta(days=30))) < timedelta(minutes=1)
    assert tokens["forever"].expires_at is None
    html = client.get(reverse("accounts:tokens")).content.decode()
    assert "Expires" in html and "Never" in html


def test_the_api_creates_tokens_with_the_expiry_asked_for(org, client_for):
    client = confirmed(client_for, org)

    default = client.post(TOKENS, {"name": "a"}, JSON).json()
    week = client.post(TOKENS, {"name": "b", "expires_in_days": 7}, JSON).json()
    never = client.post(TOKENS, {"name": "c", "expires_in_days": None}, JSON).json()

    assert default["expires_at"] and week["expires_at"] < default["expires_at"]
    assert never["expires_at"] is None


def test_an_expired_token_authenticates_nothing_and_says_why(org):
    token, raw = token_create(user=org.priya, name="old", expires_in=timedelta(days=30))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = bearer(raw).get("/api/v1/me")

    detail = refused(response, 401, "token_expired")
    assert "expired" in detail
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert token_authenticate(raw) is None
    assert bearer(raw).get("/api/openapi.json").status_code == 401


def test_a_token_without_an_expiry_keeps_working(org):
    # Tokens made before expiry existed have none: they keep working as they did.
    _, raw = token_create(user=org.priya, name="old script", expires_in=None)

    assert bearer(raw).get("/api/v1/me").status_code == 200


# --- read-only tokens ----------------------------------------------------------------------


@pytest.fixture
def read_only(org):
    _, raw = token_create(user=org.priya, name="dashboard", read_only=True)
    return bearer(raw)


def test_a_read_only_token_reads(org, read_only):
    assert read_only.get(f"/api/v1/projects/{org.alpha.pk}").status_code == 200
    assert read_only.get(f"/api/v1/projects/{org.alpha.pk}/tasks").status_code == 200
    assert read_only.get("/api/v1/me").status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("patch", "/api/v1/projects/{alpha}", {"version": 1, "name": "Renamed"}),
        ("post", "/api/v1/projects/{alpha}/tasks", {"name": "Sneaked in"}),
        ("post", "/api/v1/projects/{alpha}/risks", {"title": "X", "probability": 1, "impact": 1}),
        ("delete", "/api/v1/projects/{alpha}", None),
    ],
)
def test_a_read_only_token_changes_nothing(org, read_only, method, path, body):
    url = path.format(alpha=org.alpha.pk)
    request = getattr(read_only, method)
    response = request(url, body, JSON) if body is not None else request(url)

    detail = refused(response, 403, "read_only_token")
    assert "read-only" in detail
    org.alpha.refresh_from_db()
    assert org.alpha.name == "Alpha CRM replacement"
    for kind in ("tasks", "risks"):
        assert read_only.get(f"/api/v1/projects/{org.alpha.pk}/{kind}").json()["count"] == 0


def test_the_api_and_the_command_line_show_expiry_and_scope(org, client_for):
    token_create(user=org.priya, name="reader", read_only=True, expires_in=timedelta(days=30))

    (item,) = confirmed(client_for, org).get(TOKENS).json()["items"]

    assert item["read_only"] is True and item["expires_at"]


# --- a password change offers to revoke every token ----------------------------------------


def change_password(client: Client, old: str, **extra):
    new = "a-much-longer-passphrase-2026"
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new, **extra},
    )


def test_the_password_change_form_offers_to_revoke_tokens_checked_by_default(client_for):
    html = client_for("tom").get(reverse("accounts:password_change")).content.decode()

    (box,) = re.findall(r'<input[^>]*name="revoke_tokens"[^>]*>', html)
    assert 'type="checkbox"' in box and "checked" in box


def test_changing_the_password_revokes_every_token_when_asked(org, client_for):
    _, first = token_create(user=org.tom, name="one")
    _, second = token_create(user=org.tom, name="two", read_only=True)
    _, others = token_create(user=org.priya, name="not toms")

    response = change_password(client_for("tom"), org.password, revoke_tokens="on")

    assert response.status_code == 302
    assert token_authenticate(first) is None and token_authenticate(second) is None
    assert token_authenticate(others) == org.priya


def test_changing_the_password_may_keep_the_tokens(org, client_for):
    _, raw = token_create(user=org.tom, name="keep")

    response = change_password(client_for("tom"), org.password)  # the box left unticked

    assert response.status_code == 302
    assert token_authenticate(raw) == org.tom


def test_a_password_reset_offers_the_same_and_revokes_when_asked(org):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    _, raw = token_create(user=org.priya, name="maybe stolen")
    uid = urlsafe_base64_encode(force_bytes(org.priya.pk))
    link = reverse(
        "accounts:password_reset_confirm",
        kwargs={"uidb64": uid, "token": default_token_generator.make_token(org.priya)},
    )
    client = Client()
    form_page = client.get(link, follow=True)
    assert 'name="revoke_tokens"' in form_page.content.decode()
    new = "a-brand-new-passphrase-7"

    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new, "new_password2": new, "revoke_tokens": "on"},
    )

    assert token_authenticate(raw) is None


# --- the command line ----------------------------------------------------------------------


def run(*args) -> tuple[str, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_line_creates_tokens_with_expiry_and_scope(org):
    run("create", "priya", "--name", "default")
    run("create", "priya", "--name", "month", "--expires-days", "30", "--read-only")
    run("create", "priya", "--name", "forever", "--no-expiry")

    tokens = {t.name: t for t in ApiToken.objects.filter(user=org.priya)}
    now = timezone.now()
    assert abs(tokens["default"].expires_at - (now + timedelta(days=365))) < timedelta(minutes=1)
    assert abs(tokens["month"].expires_at - (now + timedelta(days=30))) < timedelta(minutes=1)
    assert tokens["month"].read_only and not tokens["default"].read_only
    assert tokens["forever"].expires_at is None
    listing, _ = run("list", "priya")
    assert "read-only" in listing
    assert "never expires" in listing
    assert f"expires {timezone.localtime(tokens['month'].expires_at):%Y-%m-%d}" in listing


def test_the_command_line_refuses_both_an_expiry_and_none(org):
    from django.core.management.base import CommandError

    with pytest.raises((CommandError, SystemExit)):
        run("create", "priya", "--expires-days", "30", "--no-expiry")


def test_the_admin_site_cannot_lengthen_a_tokens_life_or_widen_its_scope(org, client_for):
    token, _ = token_create(user=org.priya, name="reader", read_only=True)

    html = (
        client_for("admin")
        .get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
        .content.decode()
    )

    assert 'name="expires_at' not in html
    assert 'name="read_only"' not in html
