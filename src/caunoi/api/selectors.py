"""Reads of the API app. Only the mandates' list is left here (it belongs with the people's
selectors, where it moves when people's own selectors are settled); the territory's reads are in
`caunoi.territory.selectors`."""

from django.db.models import Q

from caunoi.people.models import Mandate
from caunoi.territory.models import Unit


def mandates_visible(*, ground: Q, within: Unit | None = None, role: str | None = None):
    """Active mandates on units matching `ground` (an access filter with the "unit__" prefix),
    optionally within a unit's subtree and of one role, by unit."""
    qs = Mandate.objects.active().filter(ground).filter(unit__isnull=False)
    if within is not None:
        qs = qs.filter(unit__path__startswith=within.path)
    if role:
        qs = qs.filter(role=role)
    return qs.select_related("person", "unit", "household").order_by("unit__path", "role", "id")
