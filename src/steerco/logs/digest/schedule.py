"""When a running worker sends the daily digest, and how several workers send it only once.

The digest is a periodic job (declared in ``tasks.py``): each long-running ``steerco
worker`` calls ``digest_tick`` once a minute, which looks whether today's digest is due
(``digest_due``, a pure function of the clock, the configured time and the last day
sent). The first worker to insert today's ``DigestRun`` row (its date is unique) queues
the ``send_digests`` task in the same transaction; the others' inserts fail and they
send nothing.

A worker that was down at the set time sends today's digest when it comes back. Days
missed entirely are not sent afterwards: a digest lists everything still overdue, so the
next one carries whatever a missed one would have said, and people are not woken by a
pile of stale e-mails.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import DigestRun

logger = logging.getLogger(__name__)

OFF_WORDS = frozenset({"off", "no", "false", "0", "none", "disabled"})
CHECK_EVERY_SECONDS = 60.0


def digest_time(value: str | None = None) -> time | None:
    """The local time of day for the digest, from ``STEERCO_DIGEST_TIME``; None when off.

    Raises ValueError, with a message naming the setting, for anything but HH:MM or "off".
    """
    if value is None:
        value = getattr(settings, "STEERCO_DIGEST_TIME", "07:00")
    text = (value or "").strip().lower()
    if not text or text in OFF_WORDS:
        return None
    try:
        hours, minutes = text.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(
            f"STEERCO_DIGEST_TIME must be a time of day such as 07:00, or 'off'; not {value!r}."
        ) from None


def digest_due(*, now: datetime, send_at: time | None, last_sent: date | None) -> date | None:
    """The day whose digest should be sent at ``now`` (local time), or None.

    Due from ``send_at`` until midnight, once: not before the time, not when off, not
    when this day (or a later one) has already been claimed.
    """
    if send_at is None or now.time() < send_at:
        return None
    today = now.date()
    if last_sent is not None and last_sent >= today:
        return None
    return today


def digest_claim(day: date) -> DigestRun | None:
    """Claim ``day``'s digest and queue its sending; None if another worker has it.

    The row and the queued task are written in one transaction, so a claimed day always
    has its task, and a failed enqueue leaves the day free for the next try.
    """
    # Deferred on purpose: logs.tasks imports this module (its periodic digest check).
    from ..tasks import send_digests

    try:
        with transaction.atomic():
            run = DigestRun.objects.create(date=day)
            send_digests.enqueue(run_id=run.pk)
    except IntegrityError:
        return None
    return run


def digest_tick(*, now: datetime | None = None) -> DigestRun | None:
    """Look whether the digest is due now and, if so, claim it. Returns the new run."""
    send_at = digest_time()
    local_now = timezone.localtime(now or timezone.now())
    last_sent = DigestRun.objects.order_by("-date").values_list("date", flat=True).first()
    day = digest_due(now=local_now, send_at=send_at, last_sent=last_sent)
    if day is None:
        return None
    run = digest_claim(day)
    if run is not None:
        logger.info("Queued the digest of %s.", day)
    return run


def digest_when() -> str | None:
    """When the digest goes out, for a starting worker to say; None when it is off."""
    send_at = digest_time()
    if send_at is None:
        return None
    return f"The daily digest goes out at {send_at:%H:%M} ({settings.TIME_ZONE})."
