"""Reads of the territory: current tree, the tree as of a day, counts, search."""

import datetime
from difflib import SequenceMatcher

from django.db.models import Count, Q, QuerySet, Sum

from caunoi.core.text import fold, query_terms

from .models import KIND_LEVEL, Household, Kind, Level, Unit, UnitVersion


def current_units() -> QuerySet[Unit]:
    return Unit.objects.filter(valid_to__isnull=True)


def unit_get(*, level: int, code: str) -> Unit | None:
    return Unit.objects.select_related("parent").filter(level=level, code=code).first()


def unit_ancestors(unit: Unit) -> list[Unit]:
    """From the province down to the unit's parent (one query)."""
    ids = unit.ancestor_ids
    by_id = Unit.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def valid_on(day: datetime.date, prefix: str = "") -> Q:
    """Rows whose validity (from inclusive, to exclusive; either may be open) covers `day`."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


def unit_version_on(unit: Unit, day: datetime.date) -> UnitVersion | None:
    return unit.versions.filter(valid_on(day)).select_related("parent").first()


def unit_children(unit: Unit | None, *, on: datetime.date | None = None):
    """Children of a unit (or the provinces, for None), today or as they were on a day.

    Today: `Unit` rows. On a day: `UnitVersion` rows (each with `.unit`), which carry the name and
    kind the unit had then."""
    if on is None:
        return current_units().filter(parent=unit).order_by("kind", "name")
    return (
        UnitVersion.objects.filter(valid_on(on), parent=unit)
        .select_related("unit")
        .order_by("kind", "name")
    )


def unit_descendant_counts(unit: Unit | None, *, on: datetime.date | None = None) -> dict:
    """{kind: count} of everything below a unit, today or on a day; plus "households" today."""
    if on is None:
        base = current_units()
        if unit is not None:
            base = base.filter(path__startswith=unit.path).exclude(pk=unit.pk)
        rows = list(
            base.values_list("kind")
            .annotate(n=Count("id"), h=Sum("household_count"))
            .values_list("kind", "n", "h")
        )
        counts = {kind: n for kind, n, _h in rows}
        counts["households"] = sum(h or 0 for _kind, _n, h in rows)
        if unit is not None and unit.level == Level.AREA:
            counts["households"] = unit.household_count
        return counts
    counts: dict[str, int] = {}
    below = Q(parent__isnull=True) if unit is None else Q(parent=unit)
    while True:
        rows = list(UnitVersion.objects.filter(valid_on(on), below).values_list("unit_id", "kind"))
        if not rows:
            break
        for _unit_id, kind in rows:
            counts[kind] = counts.get(kind, 0) + 1
        below = Q(parent_id__in=[unit_id for unit_id, _kind in rows])
    return counts


def _term_filter(term: str) -> Q:
    # Numbers match whole words ("khu 1" is not "khu 10"); words match as prefixes.
    return Q(search_key__contains=f" {term} " if term.isdigit() else f" {term}")


def unit_search(query: str, *, limit: int = 30, level: int | None = None) -> list[Unit]:
    """Units whose names (with their parents') contain every word typed, diacritics and case
    ignored: `khu 3 dong xuan` finds Khu 3 of xã Đồng Xuân.

    When nothing matches exactly, a typing slip is forgiven: units sharing a word with the query
    are ranked by similarity of their folded names (`pho tho` still finds Phú Thọ)."""
    terms = query_terms(query)
    if not terms:
        return []
    base = current_units().select_related("parent")
    if level is not None:
        base = base.filter(level=level)
    exact = base
    for term in terms:
        exact = exact.filter(_term_filter(term))
    found = list(exact.order_by("level", "name", "code")[:limit])
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


def area_households(area: Unit) -> QuerySet[Household]:
    return area.households.filter(is_active=True).order_by("code")


def area_head_mandates(areas):
    """{area_id: Mandate} of the current heads of the given areas (one query)."""
    from caunoi.people.models import Mandate, Role

    mandates = (
        Mandate.objects.active()
        .filter(unit__in=areas, role=Role.HEAD)
        .select_related("person")
        .order_by("unit_id", "-start")
    )
    return {m.unit_id: m for m in reversed(list(mandates))}


LEVEL_BELOW = {
    Level.PROVINCE: Level.DISTRICT,
    Level.DISTRICT: Level.COMMUNE,
    Level.COMMUNE: Level.AREA,
}


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
