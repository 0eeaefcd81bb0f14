"""E-mail invitations to a booking's attendees (iMIP, RFC 6047) through Django's e-mail.

Sent after the booking is committed (``transaction.on_commit``), so a refused or rolled
back booking sends nothing. The calendar goes both as the message's text/calendar part,
which mail clients show as an invitation with buttons, and as an ``invite.ics`` file.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from . import ical

logger = logging.getLogger(__name__)


def _send(booking, *, method: str, subject: str, body: str, whole_series: bool = False) -> int:
    recipients = [p.email for p in booking.attendees.all() if p.email]
    if not recipients:
        return 0
    calendar = ical.invitation(booking, method=method, whole_series=whole_series).to_ical()
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        reply_to=[booking.booked_by.email] if booking.booked_by.email else None,
    )
    message.attach_alternative(
        calendar.decode("utf-8"), f"text/calendar; method={method}; charset=utf-8"
    )
    message.attach("invite.ics", calendar, f"application/ics; method={method}")
    try:
        return message.send()
    except OSError:
        # The booking stands whether or not the mail server answers; say so in the log.
        logger.exception("Could not send the invitation for booking %s.", booking.pk)
        return 0


def _repeats(booking) -> bool:
    return booking.series_id is not None and not booking.is_exception


def send_request(booking) -> int:
    zone = booking.resource.time_zone
    when = booking.start.astimezone(ical.ZoneInfo(zone))
    body = (
        f"{booking.booked_by.name} invites you to “{booking.purpose}” in "
        f"{booking.resource.name} on {when:%A %d %B %Y at %H:%M} ({zone})."
    )
    if _repeats(booking):
        body += f"\nIt repeats: {booking.series.rrule}."
    return _send(
        booking,
        method="REQUEST",
        subject=f"Invitation: {booking.purpose} ({booking.resource.name}, {when:%a %d %b %H:%M})",
        body=body,
    )


def send_cancel(booking, *, whole_series: bool = False) -> int:
    when = booking.start.astimezone(ical.ZoneInfo(booking.resource.time_zone))
    scope = "every occurrence from" if whole_series and booking.series_id else "the booking on"
    return _send(
        booking,
        method="CANCEL",
        subject=f"Cancelled: {booking.purpose} ({booking.resource.name})",
        body=(
            f"{booking.booked_by.name} cancelled {scope} {when:%A %d %B %Y at %H:%M}: "
            f"“{booking.purpose}”."
        ),
        whole_series=whole_series,
    )
