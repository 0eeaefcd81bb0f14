"""``steerco token``: personal API tokens from the command line (for scripts and set-up).

The command line is the server operator's tool, like ``createsuperuser``: whoever can
run it can already read the database, so it acts without a logged-in user or the password
check the browser asks for.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from steerco.accounts.models import ApiToken
from steerco.accounts.selectors import token_list
from steerco.accounts.services import DEFAULT_TOKEN_LIFETIME, token_create, token_revoke
from steerco.core.exceptions import DomainError


class Command(BaseCommand):
    help = "Create, list and revoke personal API tokens."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser(
            "create", help="Create a token for a user and print it (it is shown only once)."
        )
        create.add_argument("username")
        create.add_argument("--name", default="", help="What the token is for (default: CLI).")
        lifetime = create.add_mutually_exclusive_group()
        lifetime.add_argument(
            "--expires-days",
            type=int,
            metavar="D",
            help=f"Days until it stops working (default {DEFAULT_TOKEN_LIFETIME.days}).",
        )
        lifetime.add_argument("--no-expiry", action="store_true", help="It never expires.")
        create.add_argument(
            "--read-only", action="store_true", help="It may only read (GET, HEAD, OPTIONS)."
        )
        listing = actions.add_parser("list", help="List a user's tokens.")
        listing.add_argument("username")
        revoke = actions.add_parser("revoke", help="Revoke a token by its id.")
        revoke.add_argument("token_id", type=int, metavar="ID")

    def handle(self, *args, action: str, **options):
        if action == "create":
            if options["no_expiry"]:
                expires_in = None
            elif options["expires_days"] is not None:
                # Bounded here only so timedelta cannot overflow; the service says the range.
                expires_in = timedelta(days=min(options["expires_days"], 10**6))
            else:
                expires_in = DEFAULT_TOKEN_LIFETIME
            self.create(options["username"], options["name"], expires_in, options["read_only"])
        elif action == "list":
            self.list(options["username"])
        else:
            self.revoke(options["token_id"])

    def user_named(self, username: str):
        User = get_user_model()
        try:
            return User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"There is no user called '{username}'.") from None

    def create(
        self, username: str, name: str, expires_in: timedelta | None, read_only: bool
    ) -> None:
        user = self.user_named(username)
        if not user.is_active:
            raise CommandError(f"The user '{username}' is deactivated; a token would not work.")
        name = name or f"Command line, {timezone.localdate():%Y-%m-%d}"
        try:
            token, raw = token_create(
                user=user, name=name, expires_in=expires_in, read_only=read_only
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        # The token alone on stdout, so `TOKEN=$(steerco token create bob)` works; the
        # explanation goes to stderr.
        self.stdout.write(raw)
        self.stderr.write(
            f"Token {token.pk} '{token.name}' for {username}, {self.describe(token)}. Keep it "
            "secret: it is not stored and cannot be shown again. Send it as "
            "'Authorization: Bearer <token>'.",
            style_func=lambda text: text,
        )

    def list(self, username: str) -> None:
        user = self.user_named(username)
        tokens = list(token_list(user=user))
        if not tokens:
            self.stdout.write(f"{username} has no API tokens.")
            return
        self.stdout.write(f"{'ID':>5}  {'Name':<32}  {'Starts':<10}  {'Created':<16}  Status")
        for token in tokens:
            created = timezone.localtime(token.created_at).strftime("%Y-%m-%d %H:%M")
            if token.revoked_at is not None:
                status = f"revoked {timezone.localtime(token.revoked_at):%Y-%m-%d %H:%M}"
            elif token.is_expired:
                status = f"expired {timezone.localtime(token.expires_at):%Y-%m-%d %H:%M}"
            else:
                status = f"active, {self.describe(token)}"
                if token.last_used_at:
                    used = timezone.localtime(token.last_used_at).strftime("%Y-%m-%d %H:%M")
                    status += f", last used {used}"
            self.stdout.write(
                f"{token.pk:>5}  {token.name[:32]:<32}  {token.hint + '…':<10}  {created:<16}  "
                f"{status}"
            )

    @staticmethod
    def describe(token: ApiToken) -> str:
        """Its scope and lifetime: "read-only, expires 2027-12-03" or "never expires"."""
        if token.expires_at is None:
            lifetime = "never expires"
        else:
            lifetime = f"expires {timezone.localtime(token.expires_at):%Y-%m-%d}"
        return f"read-only, {lifetime}" if token.read_only else lifetime

    def revoke(self, token_id: int) -> None:
        token = ApiToken.objects.select_related("user").filter(pk=token_id).first()
        if token is None:
            raise CommandError(f"There is no token with id {token_id}.")
        if not token.is_active:
            self.stdout.write(f"Token {token_id} was already revoked.")
            return
        token_revoke(token=token)
        self.stdout.write(
            f"Revoked token {token_id} '{token.name}' of {token.user.get_username()}."
        )
