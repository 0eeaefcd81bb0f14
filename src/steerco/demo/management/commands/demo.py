"""``steerco demo``: load the demo organisation (idempotently) and print its logins."""

from __future__ import annotations

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from steerco.demo.organisation import (
    DEMO_PASSWORD,
    DemoRefused,
    demo_logins,
    load_demo_organisation,
    refuse_in_production,
)


class Command(BaseCommand):
    help = (
        "Load the demo organisation (Kestrel Mutual): users with password 'demo', people, "
        "portfolios and projects with history. Running it again changes nothing. Refused "
        "with production settings."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only if the database has no users yet (what `make run` does).",
        )

    def handle(self, *args, if_empty: bool = False, **options):
        User = get_user_model()
        try:
            # Before anything else: production must not even print the demo's logins.
            refuse_in_production()
            if if_empty and User.objects.exists():
                loaded = False
                self.stdout.write("The database already has users; the demo was not loaded.")
            else:
                result = load_demo_organisation()
                loaded = True
        except DemoRefused as refusal:
            raise CommandError(str(refusal)) from None
        if loaded:
            if result.changed_anything:
                summary = ", ".join(f"{n} {what}" for what, n in result.created.items())
                self.stdout.write(self.style.SUCCESS(f"Demo organisation loaded: {summary}."))
            else:
                self.stdout.write("The demo organisation was already loaded; nothing changed.")
        self.print_logins(present=set(User.objects.values_list("username", flat=True)))

    def print_logins(self, present: set[str]) -> None:
        host = os.environ.get("HOST") or "127.0.0.1"
        if host in ("0.0.0.0", "::", "[::]"):  # noqa: S104 — a listening address, shown as local
            host = "127.0.0.1"
        port = os.environ.get("PORT") or "8000"
        logins = demo_logins()
        self.stdout.write("")
        self.stdout.write(
            f"Open http://{host}:{port}/ and log in with one of these accounts "
            f"(password '{DEMO_PASSWORD}'):"
        )
        self.stdout.write("")
        width = max(len("Username"), *(len(username) for username, _, _ in logins))
        role_width = max(len(role) for _, role, _ in logins)
        self.stdout.write(f"  {'Username':<{width}}  {'Role':<{role_width}}  Password")
        self.stdout.write(f"  {'-' * width}  {'-' * role_width}  --------")
        for username, role, password in logins:
            self.stdout.write(f"  {username:<{width}}  {role:<{role_width}}  {password}")
        missing = [username for username, _, _ in logins if username not in present]
        if missing:
            self.stdout.write("")
            self.stdout.write(
                self.style.WARNING(
                    "These demo accounts do not exist in this database: "
                    + ", ".join(missing)
                    + ". Run `steerco demo` (without --if-empty) to add them."
                )
            )
        self.stdout.write("")
