"""Reads of accounts: who signs in as a name or number, and a person's API tokens."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from caunoi.core.phones import normalize_phone
from caunoi.people.models import Person

from .models import ApiToken


def person_get_by_login(login: str) -> Person | None:
    """The person who signs in as `login`: their username, or else their phone number."""
    person = Person.objects.filter(username=login).first()
    if person is not None:
        return person
    try:
        phone = normalize_phone(login)
    except ValidationError:  # not a phone number either
        return None
    return Person.objects.filter(phone=phone).first()


def api_token_list(*, person: Person, name: str | None = None) -> QuerySet[ApiToken]:
    """The person's tokens in use (not revoked), or only those named `name`."""
    tokens = ApiToken.objects.filter(person=person, revoked_at__isnull=True)
    if name is not None:
        tokens = tokens.filter(name=name)
    return tokens.order_by("created_at", "pk")
