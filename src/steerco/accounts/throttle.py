"""Login and password-reset throttling, counted per account and per client address.

Logins: failures are counted per username and per client address separately.

django-axes records every failed login; this module decides what the records mean:

- a **username** is locked after ``AXES_FAILURE_LIMIT`` failures from anywhere, so spreading
  guesses over many addresses does not multiply them;
- an **address** is locked after ``STEERCO_LOGIN_ADDRESS_FAILURE_LIMIT`` failures across all
  usernames, so one machine cannot try a few passwords on every account in turn.

Either lock lasts ``AXES_COOLOFF_TIME`` from the last failure that counted. Failures while
locked are not counted (``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False``), so an
attacker who keeps guessing cannot keep a user locked out for ever; the user can also end the
lock at once by resetting the password by e-mail (:func:`clear_user_lock`), which signs them in.

Password resets (:func:`password_reset_allowed`): at most ``STEERCO_PASSWORD_RESET_LIMIT``
requests an hour for one e-mail address, and as many from one client address, send an
e-mail; beyond that the page answers exactly as before, so it still reveals nothing about
which addresses have accounts, but nobody can fill a user's mailbox or send mail through
SteerCo without limit.

The client address is ``REMOTE_ADDR`` unless ``STEERCO_TRUSTED_PROXIES`` says which reverse
proxies' ``X-Forwarded-For`` entries to believe (:func:`client_address`). Without that setting
behind a proxy every client would share the proxy's address, and with the header believed
without a proxy any client could claim any address.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable
from datetime import timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from .models import PasswordResetRequest

logger = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _parse_address(text: str) -> str | None:
    """An address as a proxy wrote it (perhaps with a port), normalised; None if it is not one."""
    text = text.strip()
    candidates = [text]
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        candidates.append(text[1 : text.index("]")])
    elif text.count(":") == 1:  # 192.0.2.1:443
        candidates.append(text.split(":", 1)[0])
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def _networks(values: Iterable) -> list[Network]:
    return [ipaddress.ip_network(str(value).strip(), strict=False) for value in values]


def trusted_proxies() -> int | list[Network]:
    """The setting as a proxy count or a list of proxy networks (0 or [] trusts no proxy)."""
    value = getattr(settings, "STEERCO_TRUSTED_PROXIES", 0) or 0
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        value = value.strip()
        if value.isdigit():
            return int(value)
        value = [item for item in value.split(",") if item.strip()]
    return _networks(value)


def client_address(request) -> str | None:
    """The address of the client that sent ``request``, believing only trusted proxies.

    ``STEERCO_TRUSTED_PROXIES`` is either the number of proxies in front of SteerCo (the client
    is that many entries from the right of the forwarded chain, counting ``REMOTE_ADDR``), or
    the proxies' addresses or networks (the client is the right-most entry that is not one of
    them, provided ``REMOTE_ADDR`` is). Whenever the chain does not fit the setting, the
    connection's own address is used: it is the only one the client cannot forge.
    """
    remote = _parse_address(request.META.get("REMOTE_ADDR", "")) or request.META.get("REMOTE_ADDR")
    trusted = trusted_proxies()
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not trusted or not forwarded or remote is None:
        return remote
    hops = [*forwarded.split(","), remote]
    if isinstance(trusted, int):
        if len(hops) <= trusted:
            return remote
        return _parse_address(hops[-(trusted + 1)]) or remote

    def is_proxy(address: str) -> bool:
        parsed = ipaddress.ip_address(address)
        return any(parsed in network for network in trusted)

    if not is_proxy(remote):
        return remote
    client = remote
    for hop in reversed(hops[:-1]):
        address = _parse_address(hop)
        if address is None:
            break  # written by the client itself: stop at the last address a proxy vouched for
        client = address
        if not is_proxy(address):
            break
    return client


def address_failure_limit() -> int:
    return int(getattr(settings, "STEERCO_LOGIN_ADDRESS_FAILURE_LIMIT", 20))


class LoginThrottle(AxesDatabaseHandler):
    """django-axes' database handler with a limit per username and another per address.

    Axes compares one failure count with one limit (``AXES_FAILURE_LIMIT``, the username's);
    ``get_failures`` reports the username's count, or that limit itself when the address has
    reached its own, larger limit.
    """

    def get_failures(self, request, credentials=None) -> int:
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))

        def failures(**match) -> int:
            total = recent.filter(**match).aggregate(n=Sum("failures_since_start"))["n"]
            return total or 0

        by_user = failures(username=get_client_username(request, credentials))
        if failures(ip_address=request.axes_ip_address) >= address_failure_limit():
            return max(by_user, settings.AXES_FAILURE_LIMIT)
        return by_user

    def reset_user_attempts(self, request, credentials=None) -> int:
        """After a successful login forgive only this user's own failures from this address.

        Axes would delete every failure matching the user *or* the address, so an attacker
        holding any valid account could wipe an address's failures against other users by
        logging in between guesses.
        """
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        ).delete()
        return count


def clear_user_lock(user) -> None:
    """End a username's lock: its owner has just proved who they are (a password reset)."""
    AccessAttempt.objects.filter(username=user.get_username()).delete()


#: The window over which password-reset requests are counted.
PASSWORD_RESET_WINDOW = timedelta(hours=1)


def password_reset_limit() -> int:
    return int(getattr(settings, "STEERCO_PASSWORD_RESET_LIMIT", 5))


def password_reset_allowed(request, email: str) -> bool:
    """Whether a reset request for ``email`` from ``request``'s client may send an e-mail;
    if so it is counted.

    Counted whether or not an account has that address, so the limit behaves the same
    for both and tells nothing. Only the requests let through are counted: someone who
    keeps asking does not keep the owner of the address waiting longer than the window.
    """
    now = timezone.now()
    since = now - PASSWORD_RESET_WINDOW
    limit = password_reset_limit()
    digest = PasswordResetRequest.digest_of(email)
    address = _parse_address(client_address(request) or "")
    with transaction.atomic():
        PasswordResetRequest.objects.filter(requested_at__lt=since).delete()
        recent = PasswordResetRequest.objects.filter(requested_at__gte=since)
        too_many = recent.filter(email_digest=digest).count() >= limit or (
            address is not None and recent.filter(client_address=address).count() >= limit
        )
        if too_many:
            logger.warning(
                "No password-reset e-mail sent: %d requests within the hour already, for "
                "that e-mail address or from %s.",
                limit,
                address,
            )
            return False
        PasswordResetRequest.objects.create(
            email_digest=digest, client_address=address, requested_at=now
        )
    return True
