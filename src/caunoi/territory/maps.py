"""A small map of a province drawn on the server: its communes as points (coordinates from
`vietnamadminunits`), coloured by one indicator in four classes, with the same figures as a table.
Plain SVG in the page: readable without JavaScript, and by a screen reader through the table."""

import math
from dataclasses import dataclass

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from caunoi.core.text import sort_key

from . import rollup, vnunits
from .models import Level, Unit

WIDTH = 320
PAD = 8
# Light to dark, distinguishable in grey and by people with colour-vision deficiency (viridis)
PALETTE = ["#fde725", "#5ec962", "#21918c", "#3b528b"]
INDICATORS = {"ho": _("Households"), "khu": _("Residential areas")}


@dataclass(frozen=True)
class Point:
    unit: Unit
    value: int
    x: float
    y: float
    colour: str
    klass: int  # 0…3


@dataclass(frozen=True)
class Map:
    indicator: str
    label: str
    width: int
    height: int
    points: list[Point]
    classes: list[tuple[str, int, int]]  # (colour, from, to)
    missing: list[tuple[Unit, int]]  # communes without coordinates: in the table only


def _values(province: Unit, indicator: str) -> dict[int, int]:
    if indicator == "khu":
        return rollup.area_counts(province, Level.COMMUNE)
    rows = (
        Unit.objects.filter(level=Level.AREA, valid_to__isnull=True, path__startswith=province.path)
        .order_by()
        .values_list("parent_id")
        .annotate(n=Sum("household_count"))
    )
    return {pk: n or 0 for pk, n in rows}


def _breaks(values: list[int]) -> list[int]:
    """Upper bounds of four classes by quartiles (fewer if values repeat)."""
    ordered = sorted(values)
    if not ordered:
        return []
    bounds: list[int] = []
    for q in (0.25, 0.5, 0.75, 1.0):
        b = ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]
        if not bounds or b > bounds[-1]:
            bounds.append(b)
    return bounds


def province_map(province: Unit, indicator: str = "ho") -> Map:
    """Today's communes of a province (with or without districts between them)."""
    indicator = indicator if indicator in INDICATORS else "ho"
    communes = rollup.children_of(province, level=Level.COMMUNE)
    values = _values(province, indicator)
    conv = vnunits.conversion()
    placed = [(c, conv.point(c.code)) for c in communes]
    located = [(c, p) for c, p in placed if p is not None]
    missing = [(c, values.get(c.pk, 0)) for c, p in placed if p is None]
    bounds = _breaks([values.get(c.pk, 0) for c in communes])
    classes = []
    low = 0
    for i, b in enumerate(bounds):
        classes.append((PALETTE[i], low, b))
        low = b + 1
    if not located:
        return Map(indicator, str(INDICATORS[indicator]), WIDTH, 0, [], classes, missing)
    lats = [p[0] for _c, p in located]
    lons = [p[1] for _c, p in located]
    mid = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * mid, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    scale = (WIDTH - 2 * PAD) / span_x
    height = round(span_y * scale + 2 * PAD)
    points = []
    for commune, (lat, lon) in located:
        value = values.get(commune.pk, 0)
        klass = next((i for i, b in enumerate(bounds) if value <= b), len(bounds) - 1)
        points.append(
            Point(
                commune,
                value,
                round(PAD + (lon - min(lons)) * mid * scale, 1),
                round(PAD + (max(lats) - lat) * scale, 1),
                PALETTE[klass],
                klass,
            )
        )
    points.sort(key=lambda p: sort_key(p.unit.name))
    return Map(indicator, str(INDICATORS[indicator]), WIDTH, height, points, classes, missing)
