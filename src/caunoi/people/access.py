"""The access layer: who may see and change what, decided from mandates on the territory tree.

Every view and API handler gets a scoped object through here, never with `Model.objects`:

* A permission held through a mandate on a unit covers that unit and everything below it.
* `check()` returns the unit when the person holds the permission there; raises `PermissionDenied`
  (403) when the unit is on the person's ground but they may not do this (a resident of the area, a
  head on an officer's page); raises `Http404` otherwise, so an officer of xã A learns nothing about
  xã B. "Missing" and "not yours" are one error.
* `unit_required(perm)` is the one way a page about a unit gets it from its URL:

      @unit_required(permissions.FOLLOW)                   # /<ground:level>/<code>/nhiem-vu/
      def ground(request, unit): ...

      @unit_required(access.MANAGE_HOUSEHOLDS, level=Level.AREA, current=True)   # /khu/<code>/ho/
      def household_add(request, unit): ...

  Someone signed out (or whose session expired) goes to sign-in and comes back.
* Each app declares its permissions once, in its `permissions.py`, next to its `access_<entity>()`
  functions, as `Permission` objects that name the roles holding them:

      ISSUE = Permission("directives.issue", *COMMUNE_STAFF, Role.SYSADMIN)

  with the role groups `HEADS`, `COMMUNE_STAFF`, `OVERSIGHT` for the usual sets.

* Services do not check permissions again: the door (a view or an API handler) decides, through
  this module, and passes the service objects it may act on. Services enforce business rules only.
* Public pages (the tree, an area's public page) need no permission and do not come here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, IntegerField, Q, Value
from django.http import Http404

from caunoi.core.audit import acting_for_answer
from caunoi.people.models import Delegation, DelegationKind, Mandate, Person, Role
from caunoi.territory.models import Level, Unit

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

T = TypeVar("T")


class Permission(str):
    """A permission: its name (a str, for logs and the API), the roles that hold it, and the kinds
    of delegated work that carry it (`people.models.DelegationKind`; none: never delegated)."""

    roles: frozenset[str]
    delegable: frozenset[str]

    def __new__(cls, name: str, *roles: str, delegable: tuple[str, ...] = ()) -> Permission:
        perm = super().__new__(cls, name)
        perm.roles = frozenset(roles)
        perm.delegable = frozenset(delegable)
        return perm


# The groups of roles permissions are declared with (`Permission("x.y", *HEADS, *COMMUNE_STAFF)`).
HEADS = (Role.HEAD, Role.DEPUTY_HEAD)  # an area's head and deputy
COMMUNE_STAFF = (Role.COMMUNE_OFFICER, Role.COMMUNE_LEADER)  # the commune's officers and leaders
OVERSIGHT = (Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER, Role.SYSADMIN)  # those above a commune

_OFFICERS = (*COMMUNE_STAFF, Role.PROVINCE_OFFICER, Role.SYSADMIN)
_HEADS = HEADS

# The territory's own permissions (the feature apps declare theirs in their permissions.py).
VIEW = Permission(
    "territory.view",  # see the inside of a unit: households, mandates, reports
    *_HEADS,
    *_OFFICERS,
    Role.INSPECTOR,
    Role.TREASURER,
    Role.DISTRICT_OFFICER,
    delegable=tuple(DelegationKind.values),  # a helper sees the area they work on
)
MANAGE_TERRITORY = Permission("territory.manage", *_OFFICERS)  # add areas, restructure
MANAGE_HOUSEHOLDS = Permission("households.manage", *_HEADS, *_OFFICERS)
MANAGE_MANDATES = Permission("mandates.manage", *_OFFICERS)
VIEW_AUDIT = Permission("audit.view", *_OFFICERS, Role.DISTRICT_OFFICER)
MANAGE_ALLOWANCES = Permission("heads.allowances", Role.PROVINCE_OFFICER, Role.SYSADMIN)

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
    # A helper's grant (people.Delegation): the head's role, for these kinds of work only, on
    # behalf of the head (their id). None: a mandate of the person's own.
    kinds: frozenset[str] | None = None
    head: int | None = None

    def holds(self, perm: Permission) -> bool:
        return self.role in perm.roles and (self.kinds is None or bool(self.kinds & perm.delegable))

    def covers(self, unit: Unit) -> bool:
        return unit.path.startswith(self.path)

    def is_under(self, unit: Unit) -> bool:
        """This grant sits on the unit or below it (so its holder knows the unit exists)."""
        return self.path.startswith(unit.path)


@dataclass
class Access:
    """What one person may do, computed once per request from their active mandates."""

    grants: list[Grant] = field(default_factory=list)

    @classmethod
    def for_user(cls, user: Any) -> Access:
        if not getattr(user, "is_authenticated", False):
            return cls()
        cached = getattr(user, "_caunoi_access", None)
        if cached is not None:
            return cached
        grants = [Grant(Role.SYSADMIN, "")] if user.is_superuser else []
        # One query: the person's mandates, and the mandates lent to them by delegations (with
        # the kinds of work and the head they act for).
        own = (
            Mandate.objects.active()
            .filter(person=user)
            .annotate(kinds=Value("", CharField()), head=Value(0, IntegerField()))
            .values_list("role", "unit__path", "kinds", "head")
            .order_by()
        )
        lent = (
            Delegation.objects.active()
            .filter(helper=user)
            .values_list("mandate__role", "mandate__unit__path", "kinds", "head_id")
            .order_by()
        )
        for role, path, kinds, head in own.union(lent, all=True):
            if head:
                grants.append(Grant(role, path or "", frozenset(kinds.split(",")), head))
            else:
                grants.append(Grant(role, path or ""))
        access = cls(grants)
        user._caunoi_access = access
        return access

    def can(self, perm: Permission, unit: Unit) -> bool:
        return any(g.holds(perm) and g.covers(unit) for g in self.grants)

    def acting_for(self, unit: Unit | None) -> int | None:
        """The id of the head whose delegation covers `unit`, when no mandate of this person's
        own does."""
        if unit is None or any(g.kinds is None and g.covers(unit) for g in self.grants):
            return None
        return next((g.head for g in self.grants if g.kinds is not None and g.covers(unit)), None)

    def knows(self, unit: Unit) -> bool:
        """The unit is on this person's ground: at, above or below one of their mandates."""
        return any(g.covers(unit) or g.is_under(unit) for g in self.grants)

    def holding(self, perm: Permission) -> Access:
        """This access narrowed to the mandates that hold `perm`."""
        return Access([g for g in self.grants if g.holds(perm)])

    def holds_anywhere(self, perm: Permission) -> bool:
        return any(g.holds(perm) for g in self.grants)

    def holds_everywhere(self, perm: Permission) -> bool:
        """`perm` over the whole country (a system administrator's, say)."""
        return any(g.holds(perm) and g.path == "" for g in self.grants)

    def reaches(self, perm: Permission, unit: Unit | None) -> bool:
        """`perm` is held at, above or below `unit` (None: anywhere in the country): for what
        spans a territory, like a survey campaign read from any of its levels."""
        if unit is None:
            return self.holds_anywhere(perm)
        return self.holding(perm).knows(unit)

    def paths(self, perm: Permission) -> list[str]:
        return sorted({g.path for g in self.grants if g.holds(perm)})

    def unit_filter(self, perm: Permission, prefix: str = "") -> Q:
        """A filter on any model with a path field (`prefix` leads to it: "area__")."""
        paths = self.paths(perm)
        if not paths:
            return Q(pk__in=[])
        q = Q()
        for path in paths:
            q |= Q(**{f"{prefix}path__startswith": path})
        return q

    def may_appoint(self, role: str, unit: Unit) -> bool:
        return any(
            g.kinds is None and role in APPOINTABLE.get(g.role, ()) and g.covers(unit)
            for g in self.grants
        )

    @cached_property
    def roles(self) -> set[str]:
        """The roles of the person's own mandates (a helper's delegated role is not theirs)."""
        return {g.role for g in self.grants if g.kinds is None}


def can(user: Any, perm: Permission, unit: Unit) -> bool:
    return Access.for_user(user).can(perm, unit)


@acting_for_answer
def head_acted_for(person: Any, unit: Unit | None) -> Person | None:
    """The head `person` acts for on `unit` (a helper named by a delegation, with no mandate of
    their own there), or None: `core.audit` records it as "X for Y"."""
    head = Access.for_user(person).acting_for(unit)
    return Person.objects.filter(pk=head).first() if head else None


def check(user: Any, perm: Permission, unit: Unit) -> Unit:
    """The unit if `user` holds `perm` there; 403 if it is on their ground; 404 otherwise."""
    access = Access.for_user(user)
    if access.can(perm, unit):
        return unit
    if access.knows(unit):
        raise PermissionDenied
    raise Http404


def found(obj: T | None) -> T:
    """`obj`, or 404 when it is missing: the first step of every `access_<entity>()`."""
    if obj is None:
        raise Http404
    return obj


def check_object(user: Any, perm: Permission, obj: T | None, unit: Callable[[T], Unit]) -> T:
    """`obj` if it exists and `user` holds `perm` on its unit (`unit(obj)`): the whole of most
    `access_<entity>()` functions, after the fetch. A missing object is 404 like one elsewhere;
    403 on the person's ground (see `check`)."""
    obj = found(obj)
    check(user, perm, unit(obj))
    return obj


def access_unit(
    *, user: Any, level: int, code: str, perm: Permission = VIEW, current: bool = False
) -> Unit:
    """The unit at `level` with `code`, if `user` holds `perm` there (see `check`). With
    `current`, a retired unit is missing too (pages that write)."""
    unit = Unit.objects.filter(level=level, code=code).first()
    if unit is None or (current and not unit.is_current):
        raise Http404
    return check(user, perm, unit)


def unit_required(
    perm: Permission,
    *,
    level: Level | tuple[Level, ...] | None = None,
    current: bool = False,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Hand the view the unit of its URL, checked for `perm` (see `check`).

    The URL names the unit by `code`, and by `level` (a `<lvl:level>` or `<ground:level>`) unless
    the decorator fixes it (`level=Level.AREA`). A tuple of levels lets the URL choose among
    them: any other level is a 404 before anything else (the page does not exist there). The view
    is called as `view(request, unit, **other_url_kwargs)`. Someone not signed in is sent to
    sign-in and back here."""
    fixed = level if isinstance(level, Level) else None
    allowed = frozenset(level) if isinstance(level, tuple) else None

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, code: str, **kwargs: Any) -> HttpResponse:
            at = fixed if fixed is not None else kwargs.pop("level")
            if allowed is not None and at not in allowed:
                raise Http404
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            unit = access_unit(user=request.user, level=at, code=code, perm=perm, current=current)
            return view(request, unit, *args, **kwargs)

        return wrapper

    return decorator
