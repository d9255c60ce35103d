"""Writes about people and their mandates: atomic, audited, checked against the actor's ground."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caunoi.core.access import Access
from caunoi.core.audit import audit_record, snapshot
from caunoi.core.text import normalize
from caunoi.territory.models import Household, Unit

from .models import ROLE_LEVEL, Mandate, Person, Role
from .phones import normalize_phone

MANDATE_FIELDS = [
    "person",
    "role",
    "unit",
    "household",
    "start",
    "end",
    "decision_number",
    "decision_date",
    "note",
]
SINGLE_HOLDER_ROLES = {Role.HEAD, Role.DEPUTY_HEAD}


@transaction.atomic
def person_get_or_create_by_phone(*, actor, phone: str, full_name: str) -> Person:
    phone = normalize_phone(phone)
    person = Person.objects.filter(phone=phone).first()
    if person is not None:
        return person
    full_name = normalize(full_name)
    if not full_name:
        raise ValidationError({"full_name": _("Enter the person's full name.")})
    person = Person.objects.create_user(phone=phone, full_name=full_name)
    audit_record(
        actor=actor,
        action="people.person.created",
        obj=person,
        after=snapshot(person, ["phone", "full_name"]),
    )
    return person


@transaction.atomic
def mandate_create(
    *,
    actor,
    person: Person,
    role: str,
    unit: Unit,
    start: datetime.date,
    end: datetime.date | None = None,
    household: Household | None = None,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    note: str = "",
) -> Mandate:
    """Give `person` a role on `unit`. The actor must be allowed to appoint that role there."""
    if actor is not None and not Access.for_user(actor).may_appoint(role, unit):
        raise PermissionDenied
    expected_level = ROLE_LEVEL.get(Role(role))
    if expected_level is not None and unit.level != expected_level:
        raise ValidationError({"unit": _("This role is held on another level of the territory.")})
    if not unit.is_current:
        raise ValidationError({"unit": _("This unit no longer exists.")})
    if household is not None and household.area_id != unit.pk:
        raise ValidationError({"household": _("The household is not in this residential area.")})
    if role in SINGLE_HOLDER_ROLES:
        # One head and at most one deputy per area (TT 04/2012 Điều 4, as amended by TT 14/2018).
        # Lock the area's row so two officers appointing at once cannot both succeed.
        Unit.objects.select_for_update().filter(pk=unit.pk).first()
        taken = Mandate.objects.filter(unit=unit, role=role).exclude(
            end__isnull=False, end__lte=start
        )
        if end is not None:
            taken = taken.filter(start__lt=end)
        if taken.exists():
            raise ValidationError(
                {
                    "role": _(
                        "This area already has a %(role)s for that period. End that mandate first."
                    )
                    % {"role": Role(role).label.lower()}
                }
            )
    mandate = Mandate(
        person=person,
        role=role,
        unit=unit,
        household=household,
        start=start,
        end=end,
        decision_number=normalize(decision_number),
        decision_date=decision_date,
        note=normalize(note),
        created_by=actor,
    )
    mandate.full_clean()
    mandate.save()
    audit_record(
        actor=actor,
        action="people.mandate.created",
        obj=mandate,
        unit=unit,
        after=snapshot(mandate, MANDATE_FIELDS),
    )
    return mandate


@transaction.atomic
def mandate_end(
    *, actor, mandate: Mandate, end: datetime.date | None = None, note: str = ""
) -> Mandate:
    mandate = Mandate.objects.select_for_update().select_related("unit").get(pk=mandate.pk)
    if actor is not None and not Access.for_user(actor).may_appoint(mandate.role, mandate.unit):
        raise PermissionDenied
    end = end or timezone.localdate()
    if mandate.end is not None and mandate.end <= end:
        raise ValidationError(_("This mandate has already ended."))
    if end <= mandate.start:
        raise ValidationError({"end": _("The end date must be after the start date.")})
    before = snapshot(mandate, MANDATE_FIELDS)
    mandate.end = end
    if note:
        mandate.note = normalize(note)
    mandate.save(update_fields=["end", "note"])
    audit_record(
        actor=actor,
        action="people.mandate.ended",
        obj=mandate,
        unit=mandate.unit,
        before=before,
        after=snapshot(mandate, MANDATE_FIELDS),
    )
    return mandate
