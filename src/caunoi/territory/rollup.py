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


# --- Added for the directives and funds roll-ups ------------------------------------------------
# Lines at a level further down, whatever lies between: a province's communes with or without
# districts between them. And facts about a commune rather than an area (a task the commune handed
# out: key columns commune, district, province, no area), which follow their commune when it moves.


def rollup_down(
    queryset: QuerySet[Any],
    unit: Unit | None,
    levels: Iterable[Level],
    *,
    figures: Mapping[str, Aggregate],
    row: Callable[..., F] = _namespace,
    prefix: str = "",
) -> dict[Level, list[Line[F]]]:
    """`figures` for every current unit of each of `levels` on `unit`'s ground (the unit itself
    included when it is of one of them), by code: a 2022 province's districts and communes, a 2026
    one's communes (and no district). One query for the units, one grouped query per level that
    has units; children without a fact get the aggregates' empty values, as in `rollup`."""
    levels = list(levels)
    units: QuerySet[Unit] = Unit.objects.filter(level__in=levels, valid_to__isnull=True)
    if unit is not None:
        units = units.filter(path__startswith=unit.path)
    by_level: dict[Level, list[Unit]] = {level: [] for level in levels}
    for u in units.order_by("code"):
        by_level[Level(u.level)].append(u)
    facts = on_ground(queryset, unit, prefix=prefix)
    empty = queryset.none().aggregate(**figures)
    out: dict[Level, list[Line[F]]] = {level: [] for level in by_level}
    for level, found in by_level.items():
        if found:
            column = f"{key_field(level, prefix)}_id"
            rows = facts.order_by().values(column).annotate(**figures)
            grouped = {values.pop(column): values for values in rows}
            out[level] = [Line(u, row(**grouped.get(u.pk, empty))) for u in found]
    return out


COMMUNE_KEYS = ("commune", "district", "province")
COMMUNE_FACTS: list[type[models.Model]] = []


def commune_fact(model: type[models.Model]) -> type[models.Model]:
    """Register a model of facts about a commune (key columns commune, district, province; no
    area), so that restructurings re-key its rows (`rekey_communes`)."""
    for name in COMMUNE_KEYS:
        model._meta.get_field(name)  # FieldDoesNotExist: the model lacks a key column
    if model not in COMMUNE_FACTS:
        COMMUNE_FACTS.append(model)
    return model


def commune_keys(commune: Unit) -> dict[str, Unit | None]:
    """The key columns of a fact about `commune` (one query for the ancestors)."""
    keys = ground_keys(commune)
    return {name: keys[name] for name in COMMUNE_KEYS}


def rekey_communes(communes: Iterable[Unit]) -> int:
    """After communes moved (a district level removed, a commune given to another district or
    province), point every registered commune-level fact of theirs at their new ancestors. `rekey`
    does the same for facts about areas; a restructuring calls both, inside its transaction, with
    the communes and the areas whose paths changed."""
    changed = 0
    for commune in communes:
        keys = {f"{name}_id": (u.pk if u else None) for name, u in commune_keys(commune).items()}
        keys.pop("commune_id")
        for model in COMMUNE_FACTS:
            changed += model._default_manager.filter(commune_id=commune.pk).update(**keys)
    return changed
