"""Login throttling by username and by address separately, the trusted-proxy setting, and
recovery by password reset (issue 14, item 10)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from steerco.accounts.throttle import client_address

USER_LIMIT = settings.AXES_FAILURE_LIMIT
CONFIGURED_ADDRESS_LIMIT = settings.STEERCO_LOGIN_ADDRESS_FAILURE_LIMIT
# Smaller than the default (20) only to keep the test short; still above the user limit.
ADDRESS_LIMIT = USER_LIMIT + 3


@pytest.fixture(autouse=True)
def address_limit(settings):
    settings.STEERCO_LOGIN_ADDRESS_FAILURE_LIMIT = ADDRESS_LIMIT


def login(username, password, address="192.0.2.10", **headers):
    client = Client(REMOTE_ADDR=address, **headers)
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return response


def test_the_address_limit_is_larger_than_the_user_limit():
    # Several people behind one office address must not lock each other out at a user's limit.
    assert CONFIGURED_ADDRESS_LIMIT > USER_LIMIT


def test_an_address_is_locked_after_failures_across_users(org):
    # Before: keyed on user plus address, so one address had USER_LIMIT - 1 guesses per user.
    for i in range(ADDRESS_LIMIT - 1):
        assert login(f"nobody-{i}", "guess").status_code == 200
    assert login("nobody-else", "guess").status_code == 429

    response = login("tom", org.password)

    assert response.status_code == 429
    assert "Account locked" in response.content.decode()
    # Another address is not affected.
    assert login("tom", org.password, address="198.51.100.7").status_code == 302


def test_a_user_is_locked_after_failures_from_many_addresses(org):
    for i in range(USER_LIMIT):
        assert login("priya", "guess", address=f"203.0.113.{i + 1}").status_code in (200, 429)

    response = login("priya", org.password, address="198.51.100.99")

    assert response.status_code == 429
    # Other users from the attackers' addresses are not locked: no address reached its limit.
    assert login("tom", org.password, address="203.0.113.1").status_code == 302


def test_a_successful_login_does_not_forgive_the_address_its_guesses_on_others(org):
    # Axes' own reset on success deleted every failure of the address: an attacker with an
    # account of his own could log in between guesses and never reach the address limit.
    for i in range(ADDRESS_LIMIT - 1):
        login(f"victim-{i}", "guess")
    assert login("olga", org.password).status_code == 302

    assert login("victim-x", "guess").status_code == 429


def test_a_user_lock_expires_even_if_the_attacker_keeps_guessing(org):
    for i in range(USER_LIMIT + 5):
        login("priya", "guess", address=f"203.0.113.{i + 1}")
    assert login("priya", org.password, address="198.51.100.99").status_code == 429

    # The cool-off counts from the failures that locked; guesses while locked did not count.
    past = timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    assert AccessAttempt.objects.filter(attempt_time__gte=past).update(attempt_time=past) > 0

    assert login("priya", org.password, address="198.51.100.99").status_code == 302


# The client address -------------------------------------------------------------------------


def address_of(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **meta))


@override_settings(STEERCO_TRUSTED_PROXIES=0)
def test_the_forwarded_header_is_ignored_without_the_trusted_proxy_setting():
    assert address_of("10.0.0.5", "198.51.100.1") == "10.0.0.5"


@override_settings(STEERCO_TRUSTED_PROXIES=1)
def test_with_one_trusted_proxy_the_client_is_the_address_it_saw():
    assert address_of("10.0.0.5", "198.51.100.1") == "198.51.100.1"
    # Whatever the client wrote itself stays to the left of what the proxy appended.
    assert address_of("10.0.0.5", "1.2.3.4, 198.51.100.1") == "198.51.100.1"
    # No header: the connection's address.
    assert address_of("10.0.0.5") == "10.0.0.5"


@override_settings(STEERCO_TRUSTED_PROXIES=2)
def test_a_chain_shorter_than_the_proxy_count_is_not_believed():
    assert address_of("10.0.0.5", "198.51.100.1, 10.0.0.9") == "198.51.100.1"
    assert address_of("10.0.0.5", "198.51.100.1") == "10.0.0.5"


@override_settings(STEERCO_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_with_trusted_proxy_networks_the_client_is_the_first_untrusted_hop():
    assert address_of("10.0.0.5", "1.2.3.4, 198.51.100.1, 10.0.0.9") == "198.51.100.1"
    assert address_of("10.0.0.5", "198.51.100.1:4711") == "198.51.100.1"
    # A request that did not come through a trusted proxy cannot choose its address.
    assert address_of("192.0.2.44", "198.51.100.1") == "192.0.2.44"
    assert address_of("10.0.0.5", "not-an-address, 10.0.0.9") == "10.0.0.9"


def test_behind_a_proxy_without_the_setting_every_client_shares_its_address(org):
    for i in range(ADDRESS_LIMIT):
        login(f"nobody-{i}", "guess", address="10.0.0.5", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")

    response = login("tom", org.password, "10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 429


@override_settings(STEERCO_TRUSTED_PROXIES="1")
def test_behind_a_trusted_proxy_each_client_is_throttled_on_its_own_address(org):
    for i in range(ADDRESS_LIMIT):
        login(f"nobody-{i}", "guess", address="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert AccessAttempt.objects.filter(ip_address="198.51.100.1").exists()

    assert (
        login("tom", org.password, "10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code
        == 302
    )
    assert (
        login("tom", org.password, "10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code
        == 429
    )


# Password reset by e-mail -------------------------------------------------------------------


def reset_link_from_outbox() -> str:
    assert len(mail.outbox) == 1
    match = re.search(r"https?://\S+/accounts/password/reset/\S+/\S+/", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(0)


def test_the_login_page_links_to_the_password_reset(db):
    html = Client().get(reverse("accounts:login")).content.decode()
    assert f'href="{reverse("accounts:password_reset")}"' in html
    assert "Forgot your password?" in html


def test_password_reset_by_e_mail_end_to_end(org):
    client = Client()
    page = client.get(reverse("accounts:password_reset"))
    assert page.status_code == 200
    assert '<label for="id_email">E-mail address</label>' in page.content.decode()

    response = client.post(reverse("accounts:password_reset"), {"email": "PRIYA@example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert "Check your e-mail" in client.get(response["Location"]).content.decode()
    message = mail.outbox[0]
    assert message.to == ["priya@example.org"]
    assert message.subject == "Reset your SteerCo password"
    link = reset_link_from_outbox()
    assert link.startswith(settings.STEERCO_BASE_URL + "/")

    form_page = client.get(link.removeprefix(settings.STEERCO_BASE_URL), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-passphrase-7", "new_password2": "a-brand-new-passphrase-7"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert "you are logged in" in client.get(response["Location"]).content.decode()
    assert client.get(reverse("home:home")).context["user"].username == "priya"
    org.priya.refresh_from_db()
    assert org.priya.check_password("a-brand-new-passphrase-7")
    # The link works once.
    again = client.get(link.removeprefix(settings.STEERCO_BASE_URL), follow=True)
    assert "This link no longer works" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(db):
    response = Client().post(reverse("accounts:password_reset"), {"email": "who@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_a_password_reset_lifts_the_users_lock(org):
    for i in range(USER_LIMIT):
        login("priya", "guess", address=f"203.0.113.{i + 1}")
    assert login("priya", org.password, address="198.51.100.99").status_code == 429

    client = Client(REMOTE_ADDR="198.51.100.99")
    client.post(reverse("accounts:password_reset"), {"email": "priya@example.org"})
    form_page = client.get(
        reset_link_from_outbox().removeprefix(settings.STEERCO_BASE_URL), follow=True
    )
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-passphrase-7", "new_password2": "a-brand-new-passphrase-7"},
    )

    assert not AccessAttempt.objects.filter(username="priya").exists()
    assert login("priya", "a-brand-new-passphrase-7", address="203.0.113.1").status_code == 302


def test_the_lockout_page_offers_the_reset(org):
    for _ in range(USER_LIMIT):
        response = login("priya", "guess")
    html = response.content.decode()
    assert response.status_code == 429
    assert f'href="{reverse("accounts:password_reset")}"' in html


def test_an_invalid_trusted_proxy_setting_is_a_system_check_error(settings):
    from steerco.accounts.checks import check_trusted_proxies

    settings.STEERCO_TRUSTED_PROXIES = ["10.0.0.300"]
    assert [error.id for error in check_trusted_proxies(None)] == ["steerco.E101"]
    settings.STEERCO_TRUSTED_PROXIES = "2"
    assert check_trusted_proxies(None) == []


def test_check_deploy_warns_when_a_proxy_is_expected_but_not_trusted(settings):
    from steerco.accounts.checks import check_proxy_address_is_configured

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.STEERCO_TRUSTED_PROXIES = []
    assert [w.id for w in check_proxy_address_is_configured(None)] == ["steerco.W101"]
    settings.STEERCO_TRUSTED_PROXIES = 0
    assert check_proxy_address_is_configured(None) == []
