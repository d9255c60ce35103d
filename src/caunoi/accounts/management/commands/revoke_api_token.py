from django.core.management.base import BaseCommand, CommandError

from caunoi.accounts import selectors, services
from caunoi.core.exceptions import ApplicationError

from .create_api_token import find_person


class Command(BaseCommand):
    help = "Revoke a person's API token by its name, or all of their tokens (--all)."

    def add_arguments(self, parser):
        parser.add_argument("login", help="the person's username or phone number")
        parser.add_argument("name", nargs="?", help="the token's name (omit with --all)")
        parser.add_argument("--all", action="store_true", help="revoke all the person's tokens")

    def handle(self, *args, login, name, all, **options):
        person = find_person(login)
        if all and name:
            raise CommandError("Give a token name or --all, not both.")
        if not all and not name:
            raise CommandError("Give the token's name, or --all.")
        tokens = list(selectors.api_token_list(person=person, name=None if all else name))
        if not tokens:
            raise CommandError("No active token matches.")
        for token in tokens:
            try:
                services.api_token_revoke(actor=None, token=token)
            except ApplicationError as exc:  # revoked meanwhile
                raise CommandError(str(exc.message)) from exc
            self.stdout.write(f"Revoked token {token.pk} '{token.name}' of {person}.")
