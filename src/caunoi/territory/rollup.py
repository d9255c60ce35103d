"""One territory roll-up: "this figure for each child of this unit, and for the unit".

Facts that are rolled up (a survey tally, a question, a task given to a head, a fund, …) carry
**level-key columns**: foreign keys to the units above them, named after the levels:

    area = models.ForeignKey("territory.Unit", …)
    commune = models.ForeignKey("territory.Unit", …)
    district = models.ForeignKey("territory.Unit", null=True, …)   # None in two-level Vietnam
    province = models.ForeignKey("territory.Unit", …)

filled from the area by `ground_keys(area)` when the fact is written, and indexed with the
columns the figures read. A fact model registers with `@fact`, so that moving an area to another
commune (a restructuring) re-keys its facts (`rekey`), and today's tree always reads right.

A roll-up is then one grouped query on the key column of the children's level, whatever the unit's
level and whichever era's shape the tree has (a 2022 province has districts; a 2026 province has
communes directly):

    result = rollup(Tally.objects.filter(campaign=c), unit, figures={"n": Sum("count")})
    result.total.figures.n                     # the unit's own figure
    for line in result.children: line.unit, line.figures.n   # every child, zero where no fact

`figures` are Django aggregates; `row` (a dataclass, say) turns each line's values into a typed
object. Three queries in all, however large the ground.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Generic, TypeVar

from django.db import models
from django.db.models import Aggregate, Q, QuerySet

from .models import Level, Unit, UnitVersion

KEY_FIELD: dict[int, str] = {
    Level.PROVINCE: "province",
    Level.DISTRICT: "district",
    Level.COMMUNE: "commune",
    Level.AREA: "area",
}

F = TypeVar("F")


def key_field(level: int, prefix: str = "") -> str:
    """The level-key column of a level (`prefix` leads to the fact: "request__")."""
    return f"{prefix}{KEY_FIELD[level]}"


def ground_keys(area: Unit) -> dict[str, Unit | None]:
    """The level-key columns of a fact about `area` (one query for the ancestors)."""
    by_level = {u.level: u for u in area.lineage()}
    return {KEY_FIELD[level]: by_level.get(level) for level in KEY_FIELD}


def on_ground(queryset: QuerySet[Any], unit: Unit | None, *, prefix: str = "") -> QuerySet[Any]:
    """The facts on `unit`'s ground (all of them for None: the country): one equality filter."""
    if unit is None:
        return queryset
    return queryset.filter(**{f"{key_field(unit.level, prefix)}_id": unit.pk})


def children_of(unit: Unit | None, *, on: datetime.date | None = None) -> list[Unit]:
    """The unit's children (the provinces for None), today or as they were on a day, by code."""
    if on is None:
        rows = Unit.objects.filter(parent=unit, valid_to__isnull=True)
        return list(rows.order_by("code"))
    valid = (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gt=on)
    )
    versions = UnitVersion.objects.filter(valid, parent=unit).select_related("unit")
    return sorted((v.unit for v in versions), key=lambda u: u.code)


@dataclass(frozen=True)
class Line(Generic[F]):
    unit: Unit | None
    figures: F


@dataclass(frozen=True)
class RollUp(Generic[F]):
    unit: Unit | None
    child_level: Level | None  # None for an area (no children)
    total: Line[F]
    children: list[Line[F]]

    def __iter__(self) -> Iterator[Line[F]]:
        return iter(self.children)


def _namespace(**values: Any) -> Any:
    return SimpleNamespace(**values)


def rollup(
    queryset: QuerySet[Any],
    unit: Unit | None,
    *,
    figures: Mapping[str, Aggregate],
    row: Callable[..., F] = _namespace,
    on: datetime.date | None = None,
    prefix: str = "",
    children: bool = True,
) -> RollUp[F]:
    """`figures` over the facts of `queryset` on `unit`'s ground, for the unit and for each of
    its children (as of `on`, today by default). Children without a fact get the aggregates'
    empty values (0 for a Count, None for a Sum)."""
    facts = on_ground(queryset, unit, prefix=prefix)
    total = row(**facts.aggregate(**figures))
    kids = children_of(unit, on=on) if children and (unit is None or not unit.is_area) else []
    if not kids:
        return RollUp(unit, None, Line(unit, total), [])
    level = Level(kids[0].level)
    column = f"{key_field(level, prefix)}_id"
    grouped = {
        values.pop(column): values for values in facts.order_by().values(column).annotate(**figures)
    }
    empty = queryset.none().aggregate(**figures)
    lines = [Line(kid, row(**grouped.get(kid.pk, empty))) for kid in kids]
    return RollUp(unit, level, Line(unit, total), lines)


# --- Facts follow the tree ----------------------------------------------------------------------

FACTS: list[type[models.Model]] = []


def fact(model: type[models.Model]) -> type[models.Model]:
    """Register a model with level-key columns, so restructurings re-key its rows."""
    for name in KEY_FIELD.values():
        model._meta.get_field(name)  # FieldDoesNotExist: the model lacks a key column
    if model not in FACTS:
        FACTS.append(model)
    return model


def rekey(areas: Iterable[Unit]) -> int:
    """After areas moved (merged communes, a district level removed), point every registered
    fact of theirs at their new ancestors. Call inside the restructuring's transaction."""
    changed = 0
    for area in areas:
        keys = {f"{name}_id": (u.pk if u else None) for name, u in ground_keys(area).items()}
        keys.pop("area_id")
        for model in FACTS:
            changed += model._default_manager.filter(area_id=area.pk).update(**keys)
    return changed


# --- Added for outreach's reach and the head register (separate from the API above) -------------


def ground_keys_of(areas: Iterable[Unit]) -> dict[int, dict[str, Unit | None]]:
    """`ground_keys` of many areas ({area id: keys}) in one query for all their ancestors: a
    writer of one fact per area (a notice to a province's thousands of areas) fills them so."""
    areas = list(areas)
    by_id = Unit.objects.in_bulk({pk for area in areas for pk in area.ancestor_ids})
    out: dict[int, dict[str, Unit | None]] = {}
    for area in areas:
        by_level = {u.level: u for u in (by_id[i] for i in area.ancestor_ids if i in by_id)}
        by_level[area.level] = area
        out[area.pk] = {KEY_FIELD[level]: by_level.get(level) for level in KEY_FIELD}
    return out


def rollup_each(
    queryset: QuerySet[Any],
    unit: Unit | None,
    *,
    by: str,
    figures: Mapping[str, Aggregate],
    row: Callable[..., F] = _namespace,
    on: datetime.date | None = None,
    prefix: str = "",
) -> dict[Any, RollUp[F]]:
    """`rollup` for each value of the column `by` among the facts (each notice of a list, each
    campaign): {value: RollUp}, in three queries however many values (their totals, the unit's
    children, the figures per value and child). Values without a fact on the ground are absent."""
    facts = on_ground(queryset, unit, prefix=prefix).order_by()
    totals = {values.pop(by): values for values in facts.values(by).annotate(**figures)}
    if not totals:
        return {}
    kids = children_of(unit, on=on) if unit is None or not unit.is_area else []
    if not kids:
        return {v: RollUp(unit, None, Line(unit, row(**t)), []) for v, t in totals.items()}
    level = Level(kids[0].level)
    column = f"{key_field(level, prefix)}_id"
    grouped: dict[tuple[Any, Any], dict[str, Any]] = {}
    for values in facts.values(by, column).annotate(**figures):
        grouped[values.pop(by), values.pop(column)] = values
    empty = queryset.none().aggregate(**figures)
    return {
        value: RollUp(
            unit,
            level,
            Line(unit, row(**total)),
            [Line(kid, row(**grouped.get((value, kid.pk), empty))) for kid in kids],
        )
        for value, total in totals.items()
    }


def area_facts(unit: Unit | None, queryset: QuerySet[Unit] | None = None) -> QuerySet[Unit]:
    """The current areas of `unit`'s ground as facts of their own ("how many areas have a head"),
    for `rollup`. An area carries no key columns: they map onto its parents, as annotations named
    like the contract's columns: `area_id` is the area itself, `commune_id` its parent (an area's
    parent is its commune), `district_id` its commune's parent when that is a district (None in a
    two-level province), `province_id` the district's parent or else the commune's. The ground is
    chosen by the indexed path prefix first; the keys, computed from today's tree, follow every
    restructuring without a `rekey`."""
    areas = Unit.objects.all() if queryset is None else queryset
    areas = areas.filter(level=Level.AREA, valid_to__isnull=True)
    if unit is not None:
        areas = areas.filter(path__startswith=unit.path)
    grandparent_is = Q(parent__parent__level=Level.DISTRICT)
    return areas.annotate(
        area_id=models.F("pk"),
        commune_id=models.F("parent_id"),
        district_id=models.Case(models.When(grandparent_is, then=models.F("parent__parent_id"))),
        province_id=models.Case(
            models.When(grandparent_is, then=models.F("parent__parent__parent_id")),
            default=models.F("parent__parent_id"),
        ),
    )
