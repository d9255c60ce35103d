from django.core.management.base import BaseCommand, CommandError

from caunoi.api import services
from caunoi.core.exceptions import ApplicationError
from caunoi.people.models import ApiToken

from .create_api_token import find_person


class Command(BaseCommand):
    help = "Revoke a person's API token by its name, or all of their tokens (--all)."

    def add_arguments(self, parser):
        parser.add_argument("login", help="the person's username or phone number")
        parser.add_argument("name", nargs="?", help="the token's name (omit with --all)")
        parser.add_argument("--all", action="store_true", help="revoke all the person's tokens")

    def handle(self, *args, login, name, all, **options):
        person = find_person(login)
        tokens = ApiToken.objects.filter(person=person, revoked_at__isnull=True)
        if all:
            if name:
                raise CommandError("Give a token name or --all, not both.")
        elif name:
            tokens = tokens.filter(name=name)
        else:
            raise CommandError("Give the token's name, or --all.")
        tokens = list(tokens)
        if not tokens:
            raise CommandError("No active token matches.")
        for token in tokens:
            try:
                services.api_token_revoke(actor=None, token=token)
            except ApplicationError as exc:  # revoked meanwhile
                raise CommandError(str(exc.message)) from exc
            self.stdout.write(f"Revoked token {token.pk} '{token.name}' of {person}.")
