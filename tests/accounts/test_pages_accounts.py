"""Login, lockout, logout, password change and API token pages."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from steerco.accounts.models import ApiToken
from steerco.accounts.services import token_authenticate, token_create


def login(client: Client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_page_has_labelled_fields_and_log_in_button(db):
    response = Client().get(reverse("accounts:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username">Username</label>' in html
    assert '<label for="id_password">Password</label>' in html
    assert ">Log in</button>" in html


def test_pages_send_anonymous_users_to_login(db):
    response = Client().get(reverse("projects:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_correct_password_logs_in_and_lands_on_my_work(org):
    client = Client()
    response = login(client, "priya", org.password)
    assert response.status_code == 302
    assert response["Location"] == reverse("home:home")
    assert client.get(reverse("home:home")).context["user"].username == "priya"


def test_wrong_password_shows_an_error_on_the_form(org):
    response = login(Client(), "priya", "not-the-password")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_repeated_failures_lock_the_account_even_for_the_right_password(org):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = login(client, "priya", "wrong")
    assert response.status_code == 429

    response = login(client, "priya", org.password)

    assert response.status_code == 429
    html = response.content.decode()
    assert "Account locked" in html
    assert "locked for 15 minutes" in html
    assert "_auth_user_id" not in client.session


def test_lockout_does_not_affect_other_users(org):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "priya", "wrong")
    assert login(client, "tom", org.password).status_code == 302


def test_logout_is_a_post_and_ends_the_session(client_for):
    client = client_for("priya")
    assert client.get(reverse("accounts:logout")).status_code == 405

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("home:home")).status_code == 302


def test_every_page_offers_a_log_out_button_posting_to_logout(client_for):
    html = client_for("tom").get(reverse("home:home")).content.decode()
    assert f'<form method="post" action="{reverse("accounts:logout")}"' in html
    assert ">Log out</button>" in html


def test_password_change_takes_effect(org, client_for):
    client = client_for("tom")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": org.password,
            "new_password1": "a-much-longer-passphrase-2026",
            "new_password2": "a-much-longer-passphrase-2026",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    assert client.get(response["Location"]).status_code == 200
    org.tom.refresh_from_db()
    assert org.tom.check_password("a-much-longer-passphrase-2026")


def test_password_change_with_wrong_old_password_shows_inline_error(org, client_for):
    response = client_for("tom").post(
        reverse("accounts:password_change"),
        {
            "old_password": "nope",
            "new_password1": "a-much-longer-passphrase-2026",
            "new_password2": "a-much-longer-passphrase-2026",
        },
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    org.tom.refresh_from_db()
    assert org.tom.check_password(org.password)


def password_confirmed(client: Client, password: str) -> Client:
    """Creating and revoking tokens needs the password typed in the last 10 minutes."""
    client.post(reverse("accounts:password_confirm"), {"password": password})
    return client


def test_creating_a_token_shows_it_once_and_stores_only_its_digest(org, client_for):
    client = password_confirmed(client_for("priya"), org.password)

    response = client.post(reverse("accounts:tokens"), {"name": "Reporting script"})

    assert response.status_code == 200
    raw = response.context["raw_token"]
    assert raw.startswith(ApiToken.PREFIX)
    assert raw in response.content.decode()
    assert "shown only this once" in response.content.decode()
    token = ApiToken.objects.get(user=org.priya, name="Reporting script")
    assert token.digest == ApiToken.digest_of(raw)
    assert raw not in {token.digest, token.hint, token.name}
    assert token_authenticate(raw) == org.priya
    # The list shows the token afterwards, but never its raw value again.
    again = client.get(reverse("accounts:tokens")).content.decode()
    assert "Reporting script" in again
    assert token.hint in again
    assert raw not in again


def test_token_without_a_name_is_refused_inline(org, client_for):
    client = password_confirmed(client_for("priya"), org.password)
    response = client.post(reverse("accounts:tokens"), {"name": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert response.context["raw_token"] is None
    assert not ApiToken.objects.filter(user=org.priya).exists()


def test_revoking_a_token_stops_it_working(org, client_for):
    token, raw = token_create(user=org.priya, name="CI")
    client = password_confirmed(client_for("priya"), org.password)

    response = client.post(reverse("accounts:token_revoke", kwargs={"pk": token.pk}))

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token_authenticate(raw) is None
    assert "Revoked" in client.get(reverse("accounts:tokens")).content.decode()


def test_revoke_needs_a_post(org, client_for):
    token, _ = token_create(user=org.priya, name="CI")
    url = reverse("accounts:token_revoke", kwargs={"pk": token.pk})
    assert client_for("priya").get(url).status_code == 405


@pytest.mark.parametrize("username", ["tom", "admin"])
def test_nobody_can_see_or_revoke_another_users_token(org, client_for, username):
    token, raw = token_create(user=org.priya, name="Private")
    client = client_for(username)

    assert "Private" not in client.get(reverse("accounts:tokens")).content.decode()
    response = client.post(reverse("accounts:token_revoke", kwargs={"pk": token.pk}))

    assert response.status_code == 404
    assert token_authenticate(raw) == org.priya
