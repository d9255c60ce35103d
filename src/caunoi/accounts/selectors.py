"""Reads of accounts: who signs in as a name or number, and a person's API tokens."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from caunoi.core.memo import per_request
from caunoi.core.models import AuditEntry
from caunoi.core.phones import normalize_phone
from caunoi.people.models import Delegation, Mandate, Person, Role
from caunoi.territory.models import Level, Unit

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


# --------------------------------------------------------------------------- helpers of a head


def head_mandate_list(person: Person) -> list[Mandate]:
    """The person's running head (or deputy) mandates on residential areas: what they may hand
    to a helper."""
    from caunoi.people.selectors import person_mandates

    return [
        m
        for m in person_mandates(person)
        if m.role in (Role.HEAD, Role.DEPUTY_HEAD) and m.unit and m.unit.level == Level.AREA
    ]


def delegation_list_given(person: Person) -> QuerySet[Delegation]:
    return Delegation.objects.filter(head=person).select_related("helper", "area", "mandate")


def delegation_list_held(person: Person) -> list[Delegation]:
    """The delegations the person holds today, read once per request (`core.memo`: the home
    page's helpers section and the kept page's scope both ask)."""
    return list(
        per_request(
            ("accounts.delegation_list_held", person.pk),
            lambda: list(
                Delegation.objects.active().filter(helper=person).select_related("head", "area")
            ),
        )
    )


def delegation_list_of_commune(commune: Unit) -> QuerySet[Delegation]:
    return Delegation.objects.filter(
        area__path__startswith=commune.path, confirmed_at__isnull=False
    ).select_related("head", "helper", "area", "mandate")


def audit_entry_list_on_behalf(person: Person) -> QuerySet[AuditEntry]:
    """What helpers did for this person, newest first."""
    return AuditEntry.objects.filter(on_behalf_of=person).select_related("actor", "unit")
