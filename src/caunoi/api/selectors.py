"""Reads the API needs beyond `caunoi.territory.selectors`: a node's children each with the counts
of their own descendants, in a number of queries that does not grow with the number of children,
and the tree read as of a day.

Today the counts come from the current `Unit` rows (one query over the subtree's paths) and the
active households (one query grouped by area). On a day they come from the `UnitVersion` rows valid
then, read one level at a time (at most three queries, whatever the size of the subtree);
households are only counted today, since their history is not kept.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from caunoi.people.models import Mandate
from caunoi.territory import selectors as territory
from caunoi.territory.models import Level, Unit, UnitVersion


def valid_on(day: datetime.date, prefix: str = "") -> Q:
    """Rows whose validity (from inclusive, to exclusive; either may be open) covers `day`."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


@dataclass
class Node:
    """A unit as it was on a day (or as it is): the lasting identity plus the state shown."""

    unit: Unit
    version: UnitVersion | None = None  # None: the unit's current state
    counts: dict[str, int] = field(default_factory=dict)

    def _state(self):
        return self.version if self.version is not None else self.unit

    @property
    def name(self) -> str:
        return self._state().name

    @property
    def short_name(self) -> str:
        return self._state().short_name

    @property
    def kind(self) -> str:
        return self._state().kind

    @property
    def area_type(self) -> str:
        return self._state().area_type

    @property
    def valid_from(self):
        return self._state().valid_from

    @property
    def valid_to(self):
        return self._state().valid_to


def provinces(*, on: datetime.date | None = None) -> list[Node]:
    if on is None:
        return [Node(u) for u in territory.unit_list().filter(parent=None).order_by("code")]
    versions = (
        UnitVersion.objects.filter(valid_on(on), parent=None)
        .select_related("unit")
        .order_by("unit__code")
    )
    return [Node(v.unit, v) for v in versions]


def node_on(unit: Unit, on: datetime.date | None) -> Node | None:
    """The unit as it was on `on` (None when it did not exist then), or as it is today."""
    if on is None:
        return Node(unit)
    version = territory.unit_version_get(unit, on=on)
    return Node(unit, version) if version is not None else None


def ancestors_on(unit: Unit, on: datetime.date | None, version: UnitVersion | None) -> list[Node]:
    """From the province down to the parent, as the tree stood on `on` (one query per level)."""
    if on is None:
        return [Node(u) for u in territory.unit_ancestors(unit)]
    chain: list[Node] = []
    parent = version.parent if version is not None else None
    while parent is not None:
        parent_version = territory.unit_version_get(parent, on=on)
        chain.insert(0, Node(parent, parent_version))
        parent = parent_version.parent if parent_version is not None else None
    return chain


@dataclass
class Children:
    counts: dict[str, int]  # the node's descendants by kind, plus "households" today
    children: list[Node]  # every child, each with its own descendants' counts


def children_with_counts(unit: Unit, *, on: datetime.date | None = None) -> Children:
    if on is None:
        return _children_today(unit)
    return _children_on(unit, on)


def _children_today(unit: Unit) -> Children:
    # Query 1: the children themselves.
    children = [Node(u) for u in territory.unit_list().filter(parent=unit).order_by("code")]
    by_id = {c.unit.pk: c for c in children}
    depth = unit.level  # a descendant's path holds its child-of-`unit` ancestor at this index
    totals: dict[str, int] = {}
    # Query 2: every current descendant's path, kind and (for areas) active households.
    rows = (
        territory.unit_list()
        .filter(path__startswith=unit.path)
        .exclude(pk=unit.pk)
        .values_list("pk", "path", "kind", "household_count")
    )
    total_households = 0
    for child in children:
        child.counts["households"] = 0
    for pk, path, kind, households in rows:
        totals[kind] = totals.get(kind, 0) + 1
        total_households += households
        parts = path.strip("/").split("/")
        child_id = int(parts[depth]) if len(parts) > depth else None
        if households and child_id in by_id:
            by_id[child_id].counts["households"] += households
        if child_id is not None and child_id != pk and child_id in by_id:
            counts = by_id[child_id].counts
            counts[kind] = counts.get(kind, 0) + 1
    totals["households"] = unit.household_count if unit.level == Level.AREA else total_households
    return Children(counts=totals, children=sorted(children, key=_order))


def _children_on(unit: Unit, on: datetime.date) -> Children:
    # Query 1: the versions of the children valid on the day.
    versions = list(UnitVersion.objects.filter(valid_on(on), parent=unit).select_related("unit"))
    children = [Node(v.unit, v) for v in versions]
    top: dict[int, Node] = {c.unit.pk: c for c in children}  # unit id -> child it lies under
    totals: dict[str, int] = {}
    for child in children:
        totals[child.kind] = totals.get(child.kind, 0) + 1
    frontier = list(top)
    # One query per level below the children (an area has none below it).
    for _level in range(unit.level + 1, Level.AREA):
        if not frontier:
            break
        rows = list(
            UnitVersion.objects.filter(valid_on(on), parent_id__in=frontier).values_list(
                "unit_id", "parent_id", "kind"
            )
        )
        for unit_id, parent_id, kind in rows:
            totals[kind] = totals.get(kind, 0) + 1
            child = top[parent_id]
            top[unit_id] = child
            child.counts[kind] = child.counts.get(kind, 0) + 1
        frontier = [unit_id for unit_id, _p, _k in rows]
    return Children(counts=totals, children=sorted(children, key=_order))


def _order(node: Node):
    return node.unit.code


def area_households_count(unit: Unit) -> int:
    return unit.household_count


def mandates_visible(*, ground: Q, within: Unit | None = None, role: str | None = None):
    """Active mandates on units matching `ground` (an access filter with the "unit__" prefix),
    optionally within a unit's subtree and of one role."""
    qs = Mandate.objects.active().filter(ground).filter(unit__isnull=False)
    if within is not None:
        qs = qs.filter(unit__path__startswith=within.path)
    if role:
        qs = qs.filter(role=role)
    return qs.select_related("person", "unit", "household").order_by("unit__path", "role", "id")
