"""The password-reset form is rate-limited per e-mail address and per client address
(issue 14): beyond the limit it answers the same page but sends no e-mail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steerco.accounts.models import PasswordResetRequest

LIMIT = 5


@pytest.fixture(autouse=True)
def reset_limit(settings):
    settings.STEERCO_PASSWORD_RESET_LIMIT = LIMIT


def ask_reset(email: str, address: str = "192.0.2.10"):
    response = Client(REMOTE_ADDR=address).post(
        reverse("accounts:password_reset"), {"email": email}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    return response


def test_the_sixth_request_for_one_address_within_the_hour_sends_no_email(org):
    # From a different client each time, so only the e-mail address's own limit applies.
    for i in range(LIMIT):
        ask_reset("priya@example.org", address=f"203.0.113.{i + 1}")
    assert len(mail.outbox) == LIMIT

    ask_reset("Priya@Example.org ", address="203.0.113.99")

    assert len(mail.outbox) == LIMIT  # the same neutral answer, and no sixth e-mail


def test_one_client_asking_for_many_accounts_is_limited_too(org):
    for username in ("priya", "tom", "bob", "mary", "erin"):
        ask_reset(f"{username}@example.org", address="198.51.100.7")
    assert len(mail.outbox) == LIMIT

    ask_reset("rita@example.org", address="198.51.100.7")
    assert len(mail.outbox) == LIMIT
    ask_reset("rita@example.org", address="198.51.100.8")  # another client still may
    assert [message.to for message in mail.outbox[LIMIT:]] == [["rita@example.org"]]


def test_unknown_addresses_count_like_known_ones_so_the_limit_reveals_nothing(org):
    for i in range(LIMIT):
        ask_reset(f"nobody-{i}@example.org", address="198.51.100.7")
    assert mail.outbox == []

    ask_reset("priya@example.org", address="198.51.100.7")

    assert mail.outbox == []


def test_requests_older_than_an_hour_no_longer_count(org):
    for i in range(LIMIT):
        ask_reset("priya@example.org", address=f"203.0.113.{i + 1}")
    PasswordResetRequest.objects.update(requested_at=timezone.now() - timedelta(minutes=61))

    ask_reset("priya@example.org", address="203.0.113.50")

    assert len(mail.outbox) == LIMIT + 1
    assert PasswordResetRequest.objects.count() == 1  # the old rows are gone


def test_the_typed_address_is_not_stored(org):
    ask_reset("priya@example.org")

    (row,) = PasswordResetRequest.objects.all()
    assert "priya" not in row.email_digest
    assert row.email_digest == PasswordResetRequest.digest_of(" PRIYA@example.org")
    assert row.client_address == "192.0.2.10"
