from django.core.management.base import BaseCommand, CommandError

from caunoi.accounts import selectors, services
from caunoi.core.exceptions import ApplicationError
from caunoi.people.models import Person


def find_person(login: str) -> Person:
    person = selectors.person_get_by_login(login)
    if person is None:
        raise CommandError(f"No one signs in as {login!r} (username or phone).")
    return person


class Command(BaseCommand):
    help = (
        "Make an API token for a person and print it once (only its hash is kept). "
        "Use it as: Authorization: Bearer <token>."
    )

    def add_arguments(self, parser):
        parser.add_argument("login", help="the person's username or phone number")
        parser.add_argument("name", help="what the token is for, e.g. 'district dashboard'")

    def handle(self, *args, login, name, **options):
        person = find_person(login)
        if not person.is_active:
            raise CommandError(f"{person} is not active.")
        try:
            token, raw = services.api_token_create(actor=None, person=person, name=name)
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stderr.write(
            f"Token {token.pk} '{token.name}' for {person}. It is shown only now; keep it secret:"
        )
        self.stdout.write(raw)
