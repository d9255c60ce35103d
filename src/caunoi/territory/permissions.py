"""Access to the territory's scoped objects. The territory's permissions themselves (VIEW,
MANAGE_TERRITORY, MANAGE_HOUSEHOLDS, …) are the access layer's own, declared in
`caunoi.people.access`; units come through `access.unit_required` / `access.access_unit`."""

from typing import Any

from django.http import Http404

from caunoi.people import access
from caunoi.people.access import Permission

from .models import Household, Unit


def access_household(
    *, user: Any, code: str, perm: Permission, area: Unit | None = None
) -> Household:
    """The active household with this code (in `area`, when given), if `user` holds `perm` on its
    area (see `access.check`: 404 when missing or not on their ground, 403 when they may see the
    area but not do this)."""
    household = Household.objects.select_related("area").filter(code=code).first()
    if household is None:
        raise Http404
    if not household.is_active:
        raise Http404
    if area is not None and household.area_id != area.pk:
        raise Http404
    access.check(user, perm, household.area)
    return household


def access_import_job(*, user: Any, unit: Unit, pk: int, perm: Permission):
    """An import job of `unit` (itself checked by the view's `unit_required`): 404 for another
    unit's job."""
    from .models import ImportJob

    job = ImportJob.objects.select_related("unit", "actor").filter(pk=pk, unit=unit).first()
    return access.check_object(user, perm, job, lambda j: unit)
