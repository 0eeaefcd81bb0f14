"""``steerco digest``: e-mail people their overdue and soon-due actions and reviews, now.

The operator's tool: it sends whatever the day's digest says, whether or not a worker
already sent one (the worker's daily run is the scheduled path; see logs.digest.schedule).
"""

from __future__ import annotations

import argparse
from datetime import date

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter

from steerco.core.exceptions import DomainError
from steerco.logs.digest.sending import (
    MAX_HORIZON_DAYS,
    MIN_HORIZON_DAYS,
    default_horizon_days,
    digest_summary,
    digests_send,
    person_find,
)

EXAMPLES = """\
examples:
  steerco digest                          send today's digests
  steerco digest --dry-run                show the e-mails without sending them
  steerco digest --person tom@example.org --horizon 14
  steerco digest --date 2026-12-01 --dry-run

Who gets one: everyone who owns an open action, risk or assumption that is overdue or
due within the horizon. People with nothing due get no e-mail; people without an e-mail
address are listed as skipped. E-mails go through the configured backend (EMAIL_BACKEND;
the console by default) and link to STEERCO_BASE_URL. A running `steerco worker` also
sends the digest once a day at STEERCO_DIGEST_TIME (default 07:00; "off" disables it).
"""


class _HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Django's option order, with the examples' line breaks kept."""


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2026-12-01."
        ) from None


def _horizon(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = None
    if days is None or not MIN_HORIZON_DAYS <= days <= MAX_HORIZON_DAYS:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a number of days from {MIN_HORIZON_DAYS} to {MAX_HORIZON_DAYS}."
        )
    return days


class Command(BaseCommand):
    help = (
        "E-mail each person a digest of their overdue and soon-due actions, risk reviews\n"
        "and assumption validations, and print who got what."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        kwargs.setdefault("epilog", EXAMPLES)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            dest="day",
            type=_day,
            metavar="YYYY-MM-DD",
            help="The day to write the digest for: what is overdue on it (default: today).",
        )
        parser.add_argument(
            "--horizon",
            type=_horizon,
            metavar="DAYS",
            help=(
                f"How many days ahead counts as due soon, {MIN_HORIZON_DAYS}–"
                f"{MAX_HORIZON_DAYS} (default: STEERCO_DIGEST_HORIZON_DAYS, "
                f"now {default_horizon_days()})."
            ),
        )
        parser.add_argument(
            "--person",
            metavar="NAME_OR_EMAIL",
            help="Only this person (their full name or e-mail address).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print the e-mails instead of sending them.",
        )

    def handle(self, *args, day=None, horizon=None, person=None, dry_run=False, **options):
        verbosity = options["verbosity"]
        try:
            people = [person_find(person)] if person is not None else None
            outcome = digests_send(today=day, horizon_days=horizon, people=people, dry_run=dry_run)
        except DomainError as error:
            raise CommandError(error.message) from None

        if dry_run and verbosity >= 1:
            for person_, _digest, message in outcome.sent:
                self.stdout.write(f"----- To: {person_.name} <{person_.email}>")
                self.stdout.write(f"Subject: {message.subject}\n")
                self.stdout.write(message.body)

        if verbosity >= 1:
            self.report(outcome, only_person=person is not None)
        if outcome.failed:
            raise CommandError(
                f"{len(outcome.failed)} digest(s) could not be sent; see the reasons above."
            )

    def report(self, outcome, *, only_person: bool) -> None:
        day = f"{outcome.today:%Y-%m-%d (%A)}"
        self.stdout.write(
            f"Digest for {day}, looking {outcome.horizon_days} day(s) ahead"
            + (" (dry run: nothing was sent):" if outcome.dry_run else ":")
        )
        verb = "would send" if outcome.dry_run else "sent"
        for person, digest, _message in outcome.sent:
            self.stdout.write(
                f"  {verb} to {person.name} <{person.email}>: {digest_summary(digest)}"
            )
        for person, digest in outcome.skipped:
            self.stdout.write(
                self.style.WARNING(
                    f"  skipped {person.name}: no e-mail address ({digest_summary(digest)})"
                )
            )
        for person, _digest, error in outcome.failed:
            self.stdout.write(
                self.style.ERROR(f"  failed for {person.name} <{person.email}>: {error}")
            )
        if only_person and outcome.nothing_due:
            self.stdout.write(f"  {outcome.nothing_due[0].name} has nothing due; no e-mail.")
        self.stdout.write(
            f"{len(outcome.sent)} {verb}, {len(outcome.skipped)} skipped (no e-mail address), "
            f"{len(outcome.failed)} failed, {len(outcome.nothing_due)} with nothing due."
        )
