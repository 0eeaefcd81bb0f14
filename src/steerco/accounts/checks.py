"""System checks of the login throttle's settings."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register

from .throttle import trusted_proxies


@register("security")
def check_trusted_proxies(app_configs, **kwargs):
    try:
        trusted_proxies()
    except ValueError as error:
        return [
            Error(
                f"STEERCO_TRUSTED_PROXIES is neither a number of proxies nor a list of "
                f"addresses or networks: {error}.",
                hint='Set it to e.g. "1" or "10.0.0.5,10.1.0.0/16".',
                id="steerco.E101",
            )
        ]
    return []


@register("security", deploy=True)
def check_proxy_address_is_configured(app_configs, **kwargs):
    # An empty list is the unset default; "0" says on purpose that no proxy is in front.
    if settings.SECURE_PROXY_SSL_HEADER and settings.STEERCO_TRUSTED_PROXIES == []:
        return [
            Warning(
                "STEERCO_TRUSTED_PROXIES is not set, but the settings expect a reverse proxy "
                "(SECURE_PROXY_SSL_HEADER): every client would share the proxy's address, so "
                "failed logins from one would lock out everybody.",
                hint="Set STEERCO_TRUSTED_PROXIES to the number of proxies in front of "
                'SteerCo (usually "1") or to their addresses; "0" if there is none.',
                id="steerco.W101",
            )
        ]
    return []
