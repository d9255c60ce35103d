"""Reads of the territory: current tree, the tree as of a day, counts, search.

Two ways to read the tree as of a day: `unit_children(unit, on=…)` gives the rows the pages show
(`Unit` today, `UnitVersion` then), and the `unit_node_*` reads give `Node`s (a unit with the state
it had that day and, for children, the counts below it) for the API."""

import datetime
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.db.models import Count, F, Q, QuerySet, Sum

from caunoi.core.text import fold, normalize, query_terms, sort_key

from .models import KIND_LEVEL, Household, Kind, Level, Unit, UnitVersion


def unit_list() -> QuerySet[Unit]:
    """The units that exist today."""
    return Unit.objects.filter(valid_to__isnull=True)


def unit_get(*, level: int, code: str) -> Unit | None:
    return Unit.objects.select_related("parent").filter(level=level, code=code).first()


def unit_of_page(*, level: int, code: str, **_url: object) -> Unit | None:
    """The unit whose version keys a public page at `<level>/<code>/…` (`core.pagecache`)."""
    return Unit.objects.filter(level=level, code=code).only("pk", "path", "level").first()


def unit_of_area_page(*, code: str, **_url: object) -> Unit | None:
    return unit_of_page(level=Level.AREA, code=code)


def unit_of_commune_page(*, code: str, **_url: object) -> Unit | None:
    return unit_of_page(level=Level.COMMUNE, code=code)


def unit_ancestors(unit: Unit) -> list[Unit]:
    """From the province down to the unit's parent (one query)."""
    return unit.lineage()[:-1]


def valid_on(day: datetime.date, prefix: str = "") -> Q:
    """Rows whose validity (from inclusive, to exclusive; either may be open) covers `day`."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


def unit_version_get(unit: Unit, *, on: datetime.date) -> UnitVersion | None:
    """The state the unit had on a day (None when it did not exist then)."""
    return unit.versions.filter(valid_on(on)).select_related("parent").first()


def unit_version_list(unit: Unit) -> QuerySet[UnitVersion]:
    """Every state the unit has had, oldest first (the one from before the records first)."""
    return unit.versions.select_related("parent", "started_by", "ended_by").order_by(
        F("valid_from").asc(nulls_first=True), "id"
    )


def unit_children(unit: Unit | None, *, on: datetime.date | None = None):
    """Children of a unit (or the provinces, for None), today or as they were on a day.

    Today: `Unit` rows. On a day: `UnitVersion` rows (each with `.unit`), which carry the name and
    kind the unit had then."""
    if on is None:
        return unit_list().filter(parent=unit).order_by("kind", "name")
    return (
        UnitVersion.objects.filter(valid_on(on), parent=unit)
        .select_related("unit")
        .order_by("kind", "name")
    )


def unit_descendant_counts(unit: Unit | None, *, on: datetime.date | None = None) -> dict[str, int]:
    """{kind: count} of everything below a unit, today or on a day; plus "households" today."""
    if on is None:
        base = unit_list()
        if unit is not None:
            base = base.filter(path__startswith=unit.path).exclude(pk=unit.pk)
        rows = list(
            base.values_list("kind")
            .annotate(n=Count("id"), h=Sum("household_count"))
            .values_list("kind", "n", "h")
        )
        counts = {kind: n for kind, n, _h in rows}
        counts["households"] = sum(h or 0 for _kind, _n, h in rows)
        if unit is not None and unit.is_area:
            counts["households"] = unit.household_count
        return counts
    then: dict[str, int] = {}
    below = Q(parent__isnull=True) if unit is None else Q(parent=unit)
    while True:
        layer = list(UnitVersion.objects.filter(valid_on(on), below).values_list("unit_id", "kind"))
        if not layer:
            break
        for _unit_id, kind in layer:
            then[kind] = then.get(kind, 0) + 1
        below = Q(parent_id__in=[unit_id for unit_id, _kind in layer])
    return then


def _term_filter(term: str) -> Q:
    # Numbers match whole words ("khu 1" is not "khu 10"); words match as prefixes.
    return Q(search_key__contains=f" {term} " if term.isdigit() else f" {term}")


SEARCH_POOL = 500


def unit_search(query: str, *, limit: int = 30, level: int | None = None) -> list[Unit]:
    """Units whose names (with their parents') contain every word typed, diacritics and case
    ignored: `khu 3 dong xuan` finds Khu 3 of xã Đồng Xuân.

    When nothing matches exactly, a typing slip is forgiven: units sharing a word with the query
    are ranked by similarity of their folded names (`pho tho` still finds Phú Thọ)."""
    terms = query_terms(query)
    if not terms:
        return []
    base = unit_list().select_related("parent")
    if level is not None:
        base = base.filter(level=level)
    exact = base
    for term in terms:
        exact = exact.filter(_term_filter(term))
    # by level, then in Vietnamese order (sorted here: the databases' collations differ), from
    # the first SEARCH_POOL matches of the highest levels
    pool = list(exact.order_by("level", "code")[: max(limit, SEARCH_POOL)])
    found = sorted(pool, key=lambda u: (u.level, sort_key(u.name), u.code))[:limit]
    if found:
        return found
    return _unit_search_near(base, terms, limit=limit)


def _unit_search_near(base: QuerySet[Unit], terms: list[str], *, limit: int) -> list[Unit]:
    wanted = " ".join(terms)
    any_term = Q()
    for term in terms:
        if len(term) >= 2:
            any_term |= _term_filter(term)
    if not any_term:
        return []
    scored = []
    for unit in base.filter(any_term)[:2000]:
        name = fold(unit.short_name)
        ratio = max(
            SequenceMatcher(None, wanted, name).ratio(),
            SequenceMatcher(None, wanted, fold(unit.name)).ratio(),
        )
        if ratio >= 0.75:
            scored.append((-ratio, unit.level, unit.name, unit))
    scored.sort(key=lambda row: row[:3])
    return [row[3] for row in scored[:limit]]


def household_list(*, area: Unit) -> QuerySet[Household]:
    """The households still living in an area, by code."""
    return area.households.filter(is_active=True).order_by("code")


def household_find(*, area: Unit, query: str, limit: int = 10) -> list[Household]:
    """The households of `area` a keeper means by what they typed: the exact code first; else
    those whose code, house number or representative's name hold every word typed (diacritics
    and case ignored: `12`, `so 12`, `nguyen van an` and `08119-01-012` all find Số 12)."""
    query = normalize(query)
    if not query:
        return []
    households = household_list(area=area)
    exact = households.filter(code__iexact=query).first()
    if exact is not None or "-" in query:  # a code ("08119-03-012") is matched whole only
        return [exact] if exact else []
    terms = query_terms(query)
    if not terms:
        return []
    q = Q()
    for term in terms:
        q &= _term_filter(term)
    return list(households.filter(q)[:limit])


def unit_figures(counts: dict) -> dict:
    """Counts by kind turned into the figures a unit's page shows."""
    by_level: dict[int, int] = {}
    for kind, n in counts.items():
        if kind in KIND_LEVEL:
            level = KIND_LEVEL[kind]
            by_level[level] = by_level.get(level, 0) + n
    commune_kinds = [
        (Kind(kind).label, counts[kind])
        for kind in (Kind.COMMUNE, Kind.TOWNSHIP, Kind.WARD, Kind.SPECIAL_ZONE)
        if counts.get(kind)
    ]
    return {
        "districts": by_level.get(Level.DISTRICT, 0),
        "communes": by_level.get(Level.COMMUNE, 0),
        "commune_kinds": commune_kinds,
        "areas": by_level.get(Level.AREA, 0),
        "households": counts.get("households"),
    }


# --------------------------------------------------------------------------- nodes, for the API
#
# A node's children each come with the counts of their own descendants, in a number of queries
# that does not grow with the number of children. Today the counts come from the current `Unit`
# rows (one query over the subtree's paths, with the kept household counts). On a day they come
# from the `UnitVersion` rows valid then, read one level at a time (at most three queries);
# households are only counted today, since their history is not kept.


@dataclass
class Node:
    """A unit as it was on a day (or as it is): the lasting identity plus the state shown."""

    unit: Unit
    version: UnitVersion | None = None  # None: the unit's current state
    counts: dict[str, int] = field(default_factory=dict)

    def _state(self) -> Unit | UnitVersion:
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
    def valid_from(self) -> datetime.date | None:
        return self._state().valid_from

    @property
    def valid_to(self) -> datetime.date | None:
        return self._state().valid_to

    @property
    def code(self) -> str:
        return self.unit.code

    @property
    def url_prefix(self) -> str:
        return self.unit.url_prefix


def in_order(units, name=lambda u: u.name, code=lambda u: u.code) -> list:
    """Units (or nodes, or versions) in Vietnamese order of their names, numbers by value (Đ after
    D, "Khu 2" before "Khu 10"), then by code: the same order on SQLite and PostgreSQL, for every
    list of units beyond the tree's own pages (search, reports, the API)."""
    return sorted(units, key=lambda u: (sort_key(name(u)), code(u)))


def province_node_list(*, on: datetime.date | None = None) -> list[Node]:
    """The provinces, in Vietnamese order, today or as they were on a day."""
    if on is None:
        return in_order([Node(u) for u in unit_list().filter(parent=None)], code=_node_code)
    versions = UnitVersion.objects.filter(valid_on(on), parent=None).select_related("unit")
    return in_order([Node(v.unit, v) for v in versions], code=_node_code)


def _node_code(node) -> str:
    return node.unit.code


def unit_node_get(unit: Unit, *, on: datetime.date | None = None) -> Node | None:
    """The unit as it was on `on` (None when it did not exist then), or as it is today."""
    if on is None:
        return Node(unit)
    version = unit_version_get(unit, on=on)
    return Node(unit, version) if version is not None else None


def unit_node_ancestors(node: Node, *, on: datetime.date | None = None) -> list[Node]:
    """From the province down to the parent, as the tree stood on `on` (one query per level)."""
    if on is None:
        return [Node(u) for u in unit_ancestors(node.unit)]
    chain: list[Node] = []
    parent = node.version.parent if node.version is not None else None
    while parent is not None:
        parent_version = unit_version_get(parent, on=on)
        chain.insert(0, Node(parent, parent_version))
        parent = parent_version.parent if parent_version is not None else None
    return chain


def unit_node_children(unit: Unit | None, *, on: datetime.date | None = None) -> list[Node]:
    """The children of a unit (the provinces for None), in Vietnamese order, each with the counts
    of its own descendants by kind (and its active households, today)."""
    children = _children_today(unit) if on is None else _children_on(unit, on)
    return in_order(children, code=_node_code)


def _children_today(unit: Unit | None) -> list[Node]:
    # Query 1: the children themselves.
    children = [Node(u, counts={"households": 0}) for u in unit_list().filter(parent=unit)]
    by_id = {c.unit.pk: c for c in children}
    # a descendant's path holds its child-of-`unit` ancestor at this index
    depth = unit.level if unit is not None else 0
    # Query 2: every current descendant's path, kind and (for areas) active households.
    below = unit_list()
    if unit is not None:
        below = below.filter(path__startswith=unit.path).exclude(pk=unit.pk)
    rows = below.values_list("pk", "path", "kind", "household_count")
    for pk, path, kind, households in rows:
        parts = path.strip("/").split("/")
        child = by_id.get(int(parts[depth])) if len(parts) > depth else None
        if child is None:
            continue
        child.counts["households"] += households
        if child.unit.pk != pk:
            child.counts[kind] = child.counts.get(kind, 0) + 1
    return children


def _children_on(unit: Unit | None, on: datetime.date) -> list[Node]:
    # Query 1: the versions of the children valid on the day.
    versions = UnitVersion.objects.filter(valid_on(on), parent=unit).select_related("unit")
    children = [Node(v.unit, v) for v in versions]
    top: dict[int, Node] = {c.unit.pk: c for c in children}  # unit id -> child it lies under
    frontier = list(top)
    # One query per level below the children (an area has none below it).
    for _level in range((unit.level if unit is not None else 0) + 1, Level.AREA):
        if not frontier:
            break
        rows = list(
            UnitVersion.objects.filter(valid_on(on), parent_id__in=frontier).values_list(
                "unit_id", "parent_id", "kind"
            )
        )
        for unit_id, parent_id, kind in rows:
            child = top[parent_id]
            top[unit_id] = child
            child.counts[kind] = child.counts.get(kind, 0) + 1
        frontier = [unit_id for unit_id, _p, _k in rows]
    return children
