"""The scoped objects of people's pages (and API handlers), through the access layer.

The permissions themselves are the territory's, declared in `caunoi.people.access` (VIEW,
MANAGE_MANDATES, VIEW_AUDIT, MANAGE_ALLOWANCES); who may give which role is `access.APPOINTABLE`.
A missing object is "not found" exactly like one on someone else's ground; one on the person's
ground that they may not act on is 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from caunoi.people import access
from caunoi.territory.models import Unit

from .models import Mandate, Role


def appointment_check(
    *, user: Any, role: str, unit: Unit, perm: access.Permission = access.MANAGE_MANDATES
) -> Unit:
    """The unit, if `user` manages mandates there and may give `role` on it: the door of an
    appointment (the mandates page offers only such roles and places; the API calls this before
    `services.mandate_appoint`, which does not check permissions)."""
    access.check(user, perm, unit)
    if not access.Access.for_user(user).may_appoint(role, unit):
        raise PermissionDenied
    return unit


def access_mandate(
    *, user: Any, pk: int, within: Unit, perm: access.Permission = access.MANAGE_MANDATES
) -> Mandate:
    """The mandate `pk` held on `within` or on a unit right under it (the units of a mandates
    page), if `user` holds `perm` on its unit and may appoint its role there."""
    mandate = (
        Mandate.objects.filter(pk=pk)
        .filter(Q(unit=within) | Q(unit__parent=within))
        .select_related("person", "unit")
        .first()
    )
    return _appointable(user, perm, mandate)


def access_head_mandate(
    *, user: Any, pk: int, area: Unit, perm: access.Permission = access.MANAGE_MANDATES
) -> Mandate:
    """The active mandate `pk` of a head or deputy of `area`, with the person and their profile,
    if `user` holds `perm` on the area and may appoint that role there (the commune)."""
    mandate = (
        Mandate.objects.active()
        .filter(pk=pk)
        .filter(unit=area)
        .filter(role__in=[Role.HEAD, Role.DEPUTY_HEAD])
        .select_related("person", "person__head_profile", "unit", "unit__parent")
        .first()
    )
    return _appointable(user, perm, mandate)


def _appointable(user: Any, perm: access.Permission, mandate: Mandate | None) -> Mandate:
    """The mandate if `user` holds `perm` on its unit and may appoint its role there."""
    mandate = access.found(mandate)
    appointment_check(user=user, role=mandate.role, unit=access.found(mandate.unit), perm=perm)
    return mandate
