"""The digest: each person's overdue and soon-due actions and reviews, by e-mail and on a page.

``steerco digest``, the daily scheduled task and the digest page all build the same
``DigestSection`` lists from ``selectors.digest_for``, so a line in the e-mail reads like
the row on the page. Messages go through Django's configured e-mail backend (the console
by default), one message per person, with absolute links built from ``STEERCO_BASE_URL``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from steerco.core.exceptions import DomainError
from steerco.core.formats import day_text
from steerco.resources.models import Person

from .. import selectors
from ..kinds import kind_of
from ..models import LogItem
from ..selectors import Digest

logger = logging.getLogger(__name__)

MIN_HORIZON_DAYS = 1
MAX_HORIZON_DAYS = 30


def default_horizon_days() -> int:
    return getattr(settings, "STEERCO_DIGEST_HORIZON_DAYS", 7)


def check_horizon(days: int) -> int:
    """``days`` if it is a horizon people may choose; DomainError otherwise."""
    if not MIN_HORIZON_DAYS <= days <= MAX_HORIZON_DAYS:
        raise DomainError(
            _("Look between %(low)d and %(high)d days ahead, not %(days)d.")
            % {"low": MIN_HORIZON_DAYS, "high": MAX_HORIZON_DAYS, "days": days}
        )
    return days


# ---------------------------------------------------------------- content


@dataclass(frozen=True)
class DigestLine:
    """One item to act on: ``days_overdue`` is 0 for an item not yet due."""

    project_code: str
    ref: str
    title: str
    what: str  # "action", "risk review", "assumption validation"
    due: date
    days_overdue: int
    days_left: int
    url: str


@dataclass(frozen=True)
class DigestSection:
    key: str  # overdue_actions, due_actions, overdue_reviews, due_reviews
    title: str
    overdue: bool
    lines: list[DigestLine]


def _what(item: LogItem) -> str:
    if item.PREFIX == "R":
        return _("risk review")
    if item.PREFIX == "AS":
        return _("assumption validation")
    return str(kind_of(item).label)


def _line(item: LogItem, today: date, base_url: str) -> DigestLine:
    due = getattr(item, kind_of(item).due_field)
    path = reverse(
        "logs:item",
        kwargs={"project_id": item.project_id, "kind": item.KIND, "item_id": item.pk},
    )
    return DigestLine(
        project_code=item.project.code,
        ref=item.ref,
        title=item.title,
        what=_what(item),
        due=due,
        days_overdue=max(0, (today - due).days),
        days_left=max(0, (due - today).days),
        url=f"{base_url}{path}",
    )


def horizon_days_of(digest: Digest) -> int:
    return (digest.horizon - digest.today).days


def digest_sections(digest: Digest, *, base_url: str = "") -> list[DigestSection]:
    """The digest's four sections in reading order, empty ones included.

    Links are relative unless ``base_url`` is given (e-mails need absolute ones).
    """
    days = horizon_days_of(digest)
    sections = [
        ("overdue_actions", _("Overdue actions"), True, digest.overdue_actions),
        (
            "due_actions",
            ngettext(
                "Actions due in the next %(count)d day",
                "Actions due in the next %(count)d days",
                days,
            )
            % {"count": days},
            False,
            digest.due_actions,
        ),
        ("overdue_reviews", _("Overdue reviews"), True, digest.overdue_reviews),
        (
            "due_reviews",
            ngettext(
                "Reviews due in the next %(count)d day",
                "Reviews due in the next %(count)d days",
                days,
            )
            % {"count": days},
            False,
            digest.due_reviews,
        ),
    ]
    return [
        DigestSection(
            key=key,
            title=title,
            overdue=overdue,
            lines=[_line(item, digest.today, base_url) for item in items],
        )
        for key, title, overdue, items in sections
    ]


def digest_counts(digest: Digest) -> tuple[int, int]:
    """(overdue items, items due within the horizon)."""
    overdue = len(digest.overdue_actions) + len(digest.overdue_reviews)
    return overdue, len(digest.due_actions) + len(digest.due_reviews)


def digest_summary(digest: Digest) -> str:
    """ "2 overdue, 3 due soon" — for subjects and the command's report."""
    overdue, due = digest_counts(digest)
    return _("%(overdue)d overdue, %(due)d due soon") % {"overdue": overdue, "due": due}


def digest_message(digest: Digest, *, base_url: str | None = None) -> EmailMultiAlternatives:
    """The e-mail for one person's (non-empty) digest, plain text with an HTML alternative."""
    base_url = (base_url if base_url is not None else settings.STEERCO_BASE_URL).rstrip("/")
    person = digest.person
    context = {
        "person": person,
        "digest": digest,
        "today": digest.today,
        "horizon_days": horizon_days_of(digest),
        "sections": [s for s in digest_sections(digest, base_url=base_url) if s.lines],
        "page_url": f"{base_url}{reverse('orglogs:digest')}",
        "summary": digest_summary(digest),
    }
    subject = _("SteerCo digest for %(date)s: %(summary)s") % {
        "date": day_text(digest.today),
        "summary": context["summary"],
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("logs/email/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
    )
    message.attach_alternative(render_to_string("logs/email/digest.html", context), "text/html")
    return message


# ---------------------------------------------------------------- sending


@dataclass
class DigestOutcome:
    """What one digest run did, person by person, for the command and the task to report."""

    today: date
    horizon_days: int
    dry_run: bool = False
    # (person, digest, message) of every e-mail sent, or that would be sent on a dry run
    sent: list[tuple] = field(default_factory=list)
    # (person, digest): something is due but the person has no e-mail address
    skipped: list[tuple] = field(default_factory=list)
    # (person, digest, error text): the e-mail backend refused the message
    failed: list[tuple] = field(default_factory=list)
    # people looked at who had nothing due
    nothing_due: list = field(default_factory=list)

    def as_dict(self) -> dict:
        """A JSON-able summary (the task's return value)."""
        return {
            "date": self.today.isoformat(),
            "horizon_days": self.horizon_days,
            "sent": [person.email for person, _digest, _message in self.sent],
            "skipped": [person.name for person, _digest in self.skipped],
            "failed": [person.email for person, _digest, _error in self.failed],
        }


def person_find(text: str):
    """The active person whose e-mail address or name is ``text`` (case ignored).

    Raises DomainError when nobody or more than one person matches, naming the choices.
    """
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Give a person's name or e-mail address."))
    people = list(
        Person.objects.filter(Q(email__iexact=text) | Q(name__iexact=text), active=True)[:6]
    )
    if not people:
        raise DomainError(_("Nobody active is called or has the address '%s'.") % text)
    if len(people) > 1:
        names = ", ".join(f"{p.name} <{p.email or _('no e-mail')}>" for p in people)
        raise DomainError(
            _("'%(text)s' matches several people (%(names)s); give an e-mail address.")
            % {"text": text, "names": names}
        )
    return people[0]


def _people_to_consider(people) -> list:
    if people is not None:
        return list(people)
    # digest_recipients leaves out people without an address; they are looked at too
    # so the run can report them as skipped rather than forget them silently.
    considered = list(selectors.digest_recipients())
    considered += list(Person.objects.filter(active=True, email="").order_by("name"))
    return considered


def digests_send(
    *,
    today: date | None = None,
    horizon_days: int | None = None,
    people=None,
    dry_run: bool = False,
    base_url: str | None = None,
) -> DigestOutcome:
    """Send each person (everyone due something, or ``people``) their digest.

    People with nothing due get no e-mail; people without an address are reported as
    skipped. On a dry run the messages are built but not sent. A message the backend
    refuses is reported as failed and does not stop the others.
    """
    today = today or timezone.localdate()
    horizon_days = check_horizon(default_horizon_days() if horizon_days is None else horizon_days)
    outcome = DigestOutcome(today=today, horizon_days=horizon_days, dry_run=dry_run)
    to_send = []
    for person in _people_to_consider(people):
        digest = selectors.digest_for(person=person, today=today, horizon_days=horizon_days)
        if digest.is_empty:
            outcome.nothing_due.append(person)
        elif not person.email:
            outcome.skipped.append((person, digest))
        else:
            to_send.append((person, digest, digest_message(digest, base_url=base_url)))
    if dry_run or not to_send:
        outcome.sent = to_send
        return outcome
    connection = get_connection()
    with connection:
        for person, digest, message in to_send:
            message.connection = connection
            try:
                message.send()
            except Exception as error:  # one refused address must not stop the others
                logger.warning("Digest to %s not sent: %s", person.email, error)
                outcome.failed.append((person, digest, str(error)))
            else:
                outcome.sent.append((person, digest, message))
    return outcome
