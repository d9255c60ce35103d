"""Writes to the territory. Every function is atomic and audited."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from caunoi.core.audit import audit_record, snapshot
from caunoi.core.text import normalize, search_key

from .models import KIND_LEVEL, Household, Kind, Level, Restructuring, Unit, UnitVersion

HOUSEHOLD_FIELDS = [
    "code",
    "address",
    "representative_name",
    "representative_phone",
    "members",
    "is_active",
]


def unit_key_parts(unit: Unit, ancestors: list[Unit]) -> str:
    """The search key of a unit: its names, then its ancestors' short names (nearest first)."""
    names = [unit.name, unit.short_name] + [a.short_name for a in reversed(ancestors)]
    return search_key(*names)


def _place(unit: Unit) -> None:
    """Set path and search key from the (saved) parent."""
    parent = unit.parent
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    ancestors = []
    node = parent
    while node is not None:
        ancestors.insert(0, node)
        node = node.parent
    unit.search_key = unit_key_parts(unit, ancestors)


def check_code_free(*, level: int, code: str) -> None:
    """A GSO code is never reused (Decision 124/2004/QĐ-TTg), even after its unit was retired."""
    if Unit.objects.filter(level=level, code=code).exists():
        raise ValidationError({"code": _("Code %(code)s is already used.") % {"code": code}})


@transaction.atomic
def unit_create(
    *,
    actor,
    kind: str,
    code: str,
    name: str,
    short_name: str = "",
    parent: Unit | None = None,
    area_type: str = "",
    valid_from: datetime.date | None = None,
    restructuring: Restructuring | None = None,
) -> Unit:
    level = KIND_LEVEL[Kind(kind)]
    code = normalize(code)
    name = normalize(name)
    check_code_free(level=level, code=code)
    if parent is None and level != Level.PROVINCE:
        raise ValidationError({"parent": _("Choose the unit this one belongs to.")})
    if parent is not None and parent.level >= level:
        raise ValidationError({"parent": _("The parent unit must be above this one.")})
    unit = Unit(
        level=level,
        code=code,
        kind=kind,
        area_type=area_type,
        name=name,
        short_name=normalize(short_name) or name,
        parent=parent,
        valid_from=valid_from,
        path="",
        search_key="",
    )
    unit.full_clean(exclude=["path", "search_key"])
    unit.save()
    _place(unit)
    unit.save(update_fields=["path", "search_key"])
    UnitVersion.objects.create(
        unit=unit,
        kind=unit.kind,
        area_type=unit.area_type,
        name=unit.name,
        short_name=unit.short_name,
        parent=parent,
        valid_from=valid_from,
        started_by=restructuring,
    )
    audit_record(
        actor=actor, action="territory.unit.created", obj=unit, unit=unit, after=snapshot(unit)
    )
    return unit


def _household_clean(values: dict) -> dict:
    from caunoi.people.phones import normalize_phone

    cleaned = {k: normalize(v) if isinstance(v, str) else v for k, v in values.items()}
    if cleaned.get("representative_phone"):
        cleaned["representative_phone"] = normalize_phone(cleaned["representative_phone"])
    return cleaned


@transaction.atomic
def household_create(*, actor, area: Unit, **values) -> Household:
    if area.level != Level.AREA or not area.is_current:
        raise ValidationError(_("Households belong to a current residential area."))
    household = Household(area=area, **_household_clean(values))
    household.search_key = search_key(
        household.code, household.representative_name, household.address
    )
    household.full_clean()
    household.save()
    audit_record(
        actor=actor,
        action="territory.household.created",
        obj=household,
        unit=area,
        after=snapshot(household, HOUSEHOLD_FIELDS),
    )
    return household


@transaction.atomic
def household_update(*, actor, household: Household, **values) -> Household:
    household = Household.objects.select_for_update().get(pk=household.pk)
    before = snapshot(household, HOUSEHOLD_FIELDS)
    for key, value in _household_clean(values).items():
        setattr(household, key, value)
    household.search_key = search_key(
        household.code, household.representative_name, household.address
    )
    household.full_clean()
    household.save()
    after = snapshot(household, HOUSEHOLD_FIELDS)
    if after != before:
        audit_record(
            actor=actor,
            action="territory.household.updated",
            obj=household,
            unit=household.area,
            before=before,
            after=after,
        )
    return household
