"""One territory roll-up: "this figure for each child of this unit, and for the unit".

Facts that are rolled up (a survey tally, a question, a task given to a head, a fund, …) carry
**level-key columns**: foreign keys to the units above them, named after the levels:

    area = models.ForeignKey("territory.Unit", …)
    commune = models.ForeignKey("territory.Unit", …)
    district = models.ForeignKey("territory.Unit", null=True, …)   # None in two-level Vietnam
    province = models.ForeignKey("territory.Unit", …)

filled from the area by `ground_keys(area)` (units, one query) or `ground_ids(area)` (ids read
from its path, no query: for writers of many facts) when the fact is written, and indexed with the
columns the figures read. A fact model registers with `@fact`, so that moving an area to another
commune (a restructuring) re-keys its facts (`rekey`, `rekey_below`: the territory services call
it), and today's tree always reads right.

A roll-up is then one grouped query on the key column of the children's level, whatever the unit's
level and whichever era's shape the tree has (a 2022 province has districts; a 2026 province has
communes directly):

    result = rollup(Tally.objects.filter(campaign=c), unit, figures={"n": Sum("count")})
    result.total.figures.n                     # the unit's own figure
    for line in result.children: line.unit, line.figures.n   # every child, zero where no fact

`figures` are Django aggregates; `row` (a dataclass, say) turns each line's values into a typed
object. Three queries in all, however large the ground. `level=` lists the units of a deeper level
instead of the children (every commune of a province, across its districts); `by=` breaks the
figures down by a column of the facts as well (a category), in the same grouped query
(`result.by[value]`), for figures that add up (Count, Sum): two queries then.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, Generic, TypeVar

from django.db import models
from django.db.models import Aggregate, Count, OuterRef, Q, QuerySet, Subquery, Sum

from .models import Level, Unit, UnitVersion
from .selectors import in_order, valid_on

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


def _ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/")]


def _commune_keys(ids: list[int]) -> dict[str, int | None]:
    """The level keys of a commune from the ids on its path, "/province/[district/]commune/" (a
    district only in the three-level tree, until 30/06/2025)."""
    if len(ids) not in (2, 3):
        raise ValueError(f"not the ids above a residential area: {ids!r}")
    province, *district, commune = ids
    return {"province": province, "district": district[0] if district else None, "commune": commune}


def _path_keys(path: str) -> dict[str, int | None]:
    """The level keys of an area, read from its path: no query."""
    *above, area = _ids(path)
    return {**_commune_keys(above), "area": area}


def ground_ids(area: Unit) -> dict[str, int | None]:
    """The level-key columns of a fact about `area` as ids (`commune_id=…`), read from its path
    without a query: for writers that add many facts (tallies, imports)."""
    if not area.is_area:
        raise ValueError(f"facts are about a residential area, not {area}")
    return {f"{name}_id": pk for name, pk in _path_keys(area.path).items()}


def ground_keys(area: Unit) -> dict[str, Unit | None]:
    """The level-key columns of a fact about `area` (one query for the ancestors)."""
    keys = {name[: -len("_id")]: pk for name, pk in ground_ids(area).items()}
    above = Unit.objects.in_bulk([pk for name, pk in keys.items() if pk and name != "area"])
    return {
        name: area if name == "area" else above.get(pk) if pk else None for name, pk in keys.items()
    }


def on_ground(queryset: QuerySet[Any], unit: Unit | None, *, prefix: str = "") -> QuerySet[Any]:
    """The facts on `unit`'s ground (all of them for None: the country): one equality filter."""
    if unit is None:
        return queryset
    return queryset.filter(**{f"{key_field(unit.level, prefix)}_id": unit.pk})


def children_of(
    unit: Unit | None, *, on: datetime.date | None = None, level: int | None = None
) -> list[Unit]:
    """The unit's children (the provinces for None), today or as they were on a day, in Vietnamese
    order (`selectors.in_order`).
    With `level`: the units of that level below it instead, whatever lies between (the communes
    of a province with or without districts); one query today, one per level on a day."""
    if level is not None and unit is not None and level <= unit.level:
        return []
    if on is None:
        if level is None:
            rows = Unit.objects.filter(parent=unit, valid_to__isnull=True)
        else:
            rows = Unit.objects.filter(level=level, valid_to__isnull=True)
            if unit is not None:
                rows = rows.filter(path__startswith=unit.path)
        return in_order(rows)
    below = Q(parent__isnull=True) if unit is None else Q(parent=unit)
    found: list[Unit] = []
    while True:
        versions = UnitVersion.objects.filter(valid_on(on), below).select_related("unit")
        units = [v.unit for v in versions]
        if level is None:
            found = units
            break
        found += [u for u in units if u.level == level]
        above = [u.pk for u in units if u.level < level]
        if not above:
            break
        below = Q(parent_id__in=above)
    return in_order(found)


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
    by: dict[Any, F] = field(default_factory=dict)  # with `by=`: the figures per value

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
    level: int | None = None,
    by: str | None = None,
) -> RollUp[F]:
    """`figures` over the facts of `queryset` on `unit`'s ground, for the unit and for each of
    its children (as of `on`, today by default), or for each unit of `level` below it. Children
    without a fact get the aggregates' empty values (0 for a Count, None for a Sum).

    `by` (a column of the facts, "category_id") adds the figures per value of that column
    (`result.by`), from the same grouped query; the figures must then add up (Count, Sum)."""
    facts = on_ground(queryset, unit, prefix=prefix)
    wanted = children and (unit is None or not unit.is_area)
    kids = children_of(unit, on=on, level=level) if wanted else []
    child_level = Level(kids[0].level) if kids else None
    # The children may be of two levels (a province while its districts are being dissolved:
    # a district and a commune directly under it): one grouped query per level among them.
    columns = [f"{key_field(Level(lv), prefix)}_id" for lv in sorted({k.level for k in kids})]
    empty = _empty(queryset, figures)
    per_value: dict[Any, dict[str, Any]] = {}
    grouped: dict[Any, dict[str, Any]] = {}
    if by is None:
        total = facts.aggregate(**figures)
        for column in columns:
            rows = facts.order_by().values(column).annotate(**figures)
            grouped |= {v.pop(column): v for v in rows}
    else:
        total, grouped, per_value = _grouped_by(
            facts, columns[0] if columns else None, by, figures, empty
        )
        for column in columns[1:]:
            grouped |= _grouped_by(facts, column, by, figures, empty)[1]
    lines = [Line(kid, row(**grouped.get(kid.pk, empty))) for kid in kids]
    by_value = {value: row(**values) for value, values in per_value.items()}
    return RollUp(unit, child_level, Line(unit, row(**total)), lines, by_value)


Values = dict[str, Any]


def _empty(queryset: QuerySet[Any], figures: Mapping[str, Aggregate]) -> Values:
    """The figures of a line without facts (0 for a Count, None for a Sum, or their `default=`),
    without compiling an aggregation when every figure says it plainly."""
    values: Values = {}
    for name, aggregate in figures.items():
        default = getattr(aggregate, "default", None)
        if hasattr(default, "resolve_expression"):
            return queryset.none().aggregate(**figures)  # (no query either)
        values[name] = default if default is not None else aggregate.empty_result_set_value
    return values


def _plus(a: Any, b: Any) -> Any:
    return b if a is None else a if b is None else a + b


def _grouped_by(
    facts: QuerySet[Any],
    column: str | None,
    by: str,
    figures: Mapping[str, Aggregate],
    empty: Values,
) -> tuple[Values, dict[Any, Values], dict[Any, Values]]:
    """(total, per child, per value of `by`) from one query grouped on both columns."""
    for name, aggregate in figures.items():
        if not isinstance(aggregate, Count | Sum) or getattr(aggregate, "distinct", False):
            raise ValueError(f"{name}: only a Count or a Sum (not distinct) adds up with by=")
    names = list(figures)
    start = [empty[name] for name in names]
    plus = _plus if None in start else operator.add  # (counts are never None: the C addition)
    total = list(start)
    per_kid: dict[Any, list[Any]] = {}
    per_value: dict[Any, list[Any]] = {}
    columns = [by] if column is None else [by, column]
    grouped = facts.order_by().values(*columns).annotate(**figures).values_list(*columns, *names)
    for row in grouped:
        value, sums = row[0], row[len(columns) :]
        into = [per_value.get(value) or per_value.setdefault(value, list(start))]
        if column is not None:
            into.append(per_kid.get(row[1]) or per_kid.setdefault(row[1], list(start)))
        for line in into:
            line[:] = map(plus, line, sums)
    for sums in per_value.values():
        total[:] = map(plus, total, sums)

    def named(sums: list[Any]) -> Values:
        return dict(zip(names, sums))  # noqa: B905  (as long, by construction)

    return (
        named(total),
        {kid: named(sums) for kid, sums in per_kid.items()},
        {value: named(sums) for value, sums in per_value.items()},
    )


def area_counts(unit: Unit | None, level: int) -> dict[int, int]:
    """{unit id: its current residential areas} for the units of `level` below `unit` (the
    whole country for None), today: one query, one row per commune."""
    areas = Unit.objects.filter(level=Level.AREA, valid_to__isnull=True)
    if unit is not None:
        areas = areas.filter(path__startswith=unit.path)
    if level == Level.AREA:
        return dict.fromkeys(areas.values_list("pk", flat=True), 1)
    if level == Level.COMMUNE:  # an area's parent (no join)
        return dict(areas.order_by().values_list("parent_id").annotate(n=Count("id")))
    name = KEY_FIELD[level]
    counts: dict[int, int] = {}
    for path, n in areas.order_by().values_list("parent__path").annotate(n=Count("id")):
        key = _commune_keys(_ids(path))[name]
        if key is not None:
            counts[key] = counts.get(key, 0) + n
    return counts


# --- Facts follow the tree ----------------------------------------------------------------------

FACTS: list[type[models.Model]] = []


def fact(model: type[models.Model]) -> type[models.Model]:
    """Register a model with level-key columns, so restructurings re-key its rows."""
    for name in KEY_FIELD.values():
        model._meta.get_field(name)  # FieldDoesNotExist: the model lacks a key column
    if model not in FACTS:
        FACTS.append(model)
    return model


def _rekey(
    models_: list[type[models.Model]], of: str, keyed: Iterable[tuple[int, dict[str, int | None]]]
) -> int:
    """Point the facts about each unit (`of`: "area" or "commune") at the keys given for it, and
    their kept `path` where they keep one: one UPDATE per model and set of keys."""
    groups: dict[tuple[tuple[str, int | None], ...], list[int]] = {}
    for pk, keys in keyed:
        groups.setdefault(tuple(sorted(keys.items())), []).append(pk)
    changed = 0
    for group, ids in groups.items():
        for model in models_:
            values: dict[str, Any] = dict(group)
            if any(f.name == "path" for f in model._meta.concrete_fields):
                values["path"] = Subquery(
                    Unit.objects.filter(pk=OuterRef(f"{of}_id")).values("path")
                )
            for start in range(0, len(ids), 500):
                rows = model._default_manager.filter(**{f"{of}_id__in": ids[start : start + 500]})
                changed += rows.update(**values)
    return changed


def rekey(areas: Iterable[Unit]) -> int:
    """After areas moved (merged communes, a district level removed), point every registered
    fact of theirs at their new ancestors (and its kept `path`, where it keeps one), read from
    the areas' paths as they are now. Call inside the restructuring's transaction. One UPDATE per
    fact model and new commune, however many areas."""

    def above(area: Unit) -> dict[str, int | None]:
        keys = ground_ids(area)
        del keys["area_id"]
        return keys

    return _rekey(FACTS, "area", ((area.pk, above(area)) for area in areas))


def rekey_below(*units: Unit) -> int:
    """`rekey` every residential area at or below these units (retired ones included: they moved
    with them), read afresh: call it after the restructuring rebuilt their paths."""
    paths = Unit.objects.filter(pk__in=[u.pk for u in units]).values_list("path", flat=True)
    changed = 0
    for path in set(paths):
        below = Unit.objects.filter(path__startswith=path).only("level", "path")
        changed += rekey(below.filter(level=Level.AREA))
        changed += rekey_communes(below.filter(level=Level.COMMUNE))
    return changed


# --- Added for outreach's reach and the head register (separate from the API above) -------------


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
    included when it is of one of them), in Vietnamese order: a 2022 province's districts and
    communes, a 2026 one's communes (and no district). One query for the units, one grouped
    query per level that has units; children without a fact get the aggregates' empty values,
    as in `rollup`."""
    levels = list(levels)
    units: QuerySet[Unit] = Unit.objects.filter(level__in=levels, valid_to__isnull=True)
    if unit is not None:
        units = units.filter(path__startswith=unit.path)
    by_level: dict[Level, list[Unit]] = {level: [] for level in levels}
    for u in in_order(units):
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


def commune_ids(commune: Unit) -> dict[str, int | None]:
    """The key columns of a fact about `commune` as ids, read from its path (no query)."""
    if not commune.is_commune:
        raise ValueError(f"a commune-level fact is about a commune, not {commune}")
    return {f"{name}_id": pk for name, pk in _commune_keys(_ids(commune.path)).items()}


def commune_keys(commune: Unit) -> dict[str, Unit | None]:
    """The key columns of a fact about `commune` (one query for the ancestors)."""
    keys = {name[: -len("_id")]: pk for name, pk in commune_ids(commune).items()}
    above = Unit.objects.in_bulk([pk for name, pk in keys.items() if pk and name != "commune"])
    return {
        name: commune if name == "commune" else above.get(pk) if pk else None
        for name, pk in keys.items()
    }


def rekey_communes(communes: Iterable[Unit]) -> int:
    """After communes moved (a district level removed, a commune given to another district or
    province), point every registered commune-level fact of theirs at their new ancestors. `rekey`
    does the same for facts about areas; `rekey_below` calls both."""

    def above(commune: Unit) -> dict[str, int | None]:
        keys = commune_ids(commune)
        del keys["commune_id"]
        return keys

    return _rekey(COMMUNE_FACTS, "commune", ((c.pk, above(c)) for c in communes))
