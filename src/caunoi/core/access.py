"""One access layer: who may see and change what, decided from mandates and the territory tree.

Every view and API endpoint asks here. The rules:

* A permission held through a mandate on a unit covers that unit and everything below it.
* `access_unit` returns the unit when the person holds the permission there; raises
  `PermissionDenied` (403) when the person can see the unit's ground but may not do this (a resident
  of the area, a head asking for an officer's page); raises `Http404` otherwise, so an officer of
  xã A learns nothing about xã B.
* Public pages (the tree, an area's public page) need no permission and do not come here.

Each app declares its own permissions and which roles hold them, from its AppConfig.ready():

    from caunoi.core import access
    PUBLISH = "notices.publish"
    access.grant(PUBLISH, Role.HEAD, Role.DEPUTY_HEAD, Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER)
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from caunoi.people.models import Mandate, Role
from caunoi.territory.models import Unit

VIEW = "territory.view"  # see the inside of a unit: households, mandates, reports
MANAGE_TERRITORY = "territory.manage"  # add areas, restructure
MANAGE_HOUSEHOLDS = "households.manage"
MANAGE_MANDATES = "mandates.manage"
VIEW_AUDIT = "audit.view"
ALL = frozenset({VIEW, MANAGE_TERRITORY, MANAGE_HOUSEHOLDS, MANAGE_MANDATES, VIEW_AUDIT})

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.RESIDENT: frozenset(),
    Role.INSPECTOR: frozenset({VIEW}),
    Role.TREASURER: frozenset({VIEW}),
    Role.HEAD: frozenset({VIEW, MANAGE_HOUSEHOLDS}),
    Role.DEPUTY_HEAD: frozenset({VIEW, MANAGE_HOUSEHOLDS}),
    Role.COMMUNE_OFFICER: ALL,
    Role.COMMUNE_LEADER: ALL,
    Role.DISTRICT_OFFICER: frozenset({VIEW, VIEW_AUDIT}),
    Role.PROVINCE_OFFICER: ALL,
    Role.SYSADMIN: ALL,
}


def grant(perm: str, *roles: str) -> None:
    """Give `perm` to `roles` (called once per app at start-up, from AppConfig.ready())."""
    for role in roles:
        ROLE_PERMISSIONS[role] = ROLE_PERMISSIONS[role] | {perm}


# Which roles a holder may give, always on a unit inside their own ground.
APPOINTABLE: dict[str, frozenset[str]] = {
    Role.COMMUNE_OFFICER: frozenset(
        {Role.HEAD, Role.DEPUTY_HEAD, Role.INSPECTOR, Role.TREASURER, Role.RESIDENT}
    ),
    Role.COMMUNE_LEADER: frozenset(
        {
            Role.HEAD,
            Role.DEPUTY_HEAD,
            Role.INSPECTOR,
            Role.TREASURER,
            Role.RESIDENT,
            Role.COMMUNE_OFFICER,
        }
    ),
    Role.PROVINCE_OFFICER: frozenset(
        {Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER, Role.COMMUNE_LEADER, Role.COMMUNE_OFFICER}
    ),
    Role.SYSADMIN: frozenset(Role.values),
}


@dataclass(frozen=True)
class Grant:
    role: str
    path: str  # "" for everywhere

    def covers(self, unit: Unit) -> bool:
        return unit.path.startswith(self.path)


@dataclass
class Access:
    """What one person may do, computed once per request from their active mandates."""

    grants: list[Grant] = field(default_factory=list)

    @classmethod
    def for_user(cls, user) -> "Access":
        if not getattr(user, "is_authenticated", False):
            return cls()
        cached = getattr(user, "_caunoi_access", None)
        if cached is not None:
            return cached
        grants = [Grant(Role.SYSADMIN, "")] if user.is_superuser else []
        for role, path in (
            Mandate.objects.active().filter(person=user).values_list("role", "unit__path")
        ):
            grants.append(Grant(role, path or ""))
        access = cls(grants)
        user._caunoi_access = access
        return access

    def can(self, perm: str, unit: Unit) -> bool:
        return any(perm in ROLE_PERMISSIONS[g.role] and g.covers(unit) for g in self.grants)

    def knows(self, unit: Unit) -> bool:
        """The unit is on this person's ground: at, above or below one of their mandates."""
        return any(g.covers(unit) or g.path.startswith(unit.path) for g in self.grants)

    def paths(self, perm: str) -> list[str]:
        return sorted({g.path for g in self.grants if perm in ROLE_PERMISSIONS[g.role]})

    def unit_filter(self, perm: str, prefix: str = "") -> Q:
        """A filter on any model with a path field (`prefix` leads to it: "area__")."""
        paths = self.paths(perm)
        if not paths:
            return Q(pk__in=[])
        q = Q()
        for path in paths:
            q |= Q(**{f"{prefix}path__startswith": path})
        return q

    def may_appoint(self, role: str, unit: Unit) -> bool:
        return any(role in APPOINTABLE.get(g.role, ()) and g.covers(unit) for g in self.grants)

    @cached_property
    def roles(self) -> set[str]:
        return {g.role for g in self.grants}


def check(user, perm: str, unit: Unit) -> Unit:
    """The unit if `user` holds `perm` there; 403 if it is on their ground; 404 otherwise."""
    access = Access.for_user(user)
    if access.can(perm, unit):
        return unit
    if access.knows(unit):
        raise PermissionDenied
    raise Http404


def access_unit(*, user, level: int, code: str, perm: str = VIEW) -> Unit:
    unit = Unit.objects.filter(level=level, code=code).first()
    if unit is None:
        raise Http404
    return check(user, perm, unit)
