"""/api/v1/units…: the territory, public like its pages. Any unit can be read as it stood on a
day (`?on=2022-06-13`); a unit that did not exist then answers 404."""

import datetime

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from caunoi.api.schemas import LEVEL_OF_NAME, NAME_OF_LEVEL, Error, LevelName
from caunoi.core.api import ListPage, paginate
from caunoi.core.text import normalize

from . import selectors
from .models import Kind, Level, Unit
from .selectors import Node

router = Router(tags=["territory"])


# ---------------------------------------------------------------------------------------- shapes


class UnitRef(Schema):
    level: LevelName
    code: str = Field(
        description="GSO code (province 2 digits, district 3, commune 5); areas <commune code>-NN."
    )
    kind: str = Field(
        description="tinh, thanh_pho_tw, quan, huyen, thanh_pho, thi_xa, xa, "
        "phuong, thi_tran, dac_khu or khu_dan_cu."
    )
    kind_label: str
    name: str
    short_name: str
    url: str = Field(description="The unit's public page.")


class UnitVersionOut(Schema):
    name: str
    short_name: str
    kind: str
    parent: str | None = Field(description="The parent's code then.")
    valid_from: datetime.date | None
    valid_to: datetime.date | None = Field(description="Exclusive; null while still valid.")

    @staticmethod
    def resolve_parent(version) -> str | None:
        return version.parent.code if version.parent_id else None


class UnitOut(UnitRef):
    area_type: str = Field(description="For areas: khu, thon, xom, to_dan_pho, …")
    valid_from: datetime.date | None
    valid_to: datetime.date | None = Field(description="Exclusive; null while still valid.")
    is_current: bool = Field(description="The unit exists today.")
    on: datetime.date | None = Field(description="The day the state shown was valid (asked).")
    ancestors: list[UnitRef] = Field(description="From the province down to the parent.")
    versions: list[UnitVersionOut] = Field(description="Every state the unit has had.")
    counts: dict[str, int] = Field(description="Everything below the unit, by kind.")
    households: int | None = Field(description="Active households in the unit (today only).")


class ChildOut(UnitRef):
    counts: dict[str, int] = Field(description="The child's own descendants by kind.")
    households: int | None = Field(description="Active households in the child (today only).")


class SearchHit(UnitRef):
    parent: UnitRef | None


class SearchOut(Schema):
    q: str
    items: list[SearchHit]


def unit_ref(node: Node) -> dict:
    """A unit (as of the node's day) as the API names it everywhere."""
    unit = node.unit
    return {
        "level": NAME_OF_LEVEL[Level(unit.level)],
        "code": unit.code,
        "kind": node.kind,
        "kind_label": str(Kind(node.kind).label),
        "name": node.name,
        "short_name": node.short_name,
        "url": unit.get_absolute_url(),
    }


def unit_or_404(level: LevelName, code: str) -> Unit:
    """The unit an API path names (`/…/{level}/{code}`): public, or 404 with a message."""
    unit = selectors.unit_get(level=LEVEL_OF_NAME[level], code=normalize(code))
    if unit is None:
        raise Http404(_("There is no unit with this level and code."))
    return unit


def _node_or_404(unit: Unit, on: datetime.date | None) -> Node:
    node = selectors.unit_node_get(unit, on=on)
    if node is None:
        day = on.isoformat() if on else ""  # today, every unit has a node: only a past day misses
        raise Http404(_("%(name)s did not exist on %(date)s.") % {"name": unit.name, "date": day})
    return node


# ------------------------------------------------------------------------------------- endpoints


@router.get(
    "/units",
    response=list[UnitRef],
    summary="Provinces",
    description="The provinces and centrally-run cities, in Vietnamese order, today or as they "
    "were on a day.",
)
@paginate(ListPage)
def units(request, on: datetime.date | None = None):
    return [unit_ref(node) for node in selectors.province_node_list(on=on)]


@router.get(
    "/units/search",
    response=SearchOut,
    summary="Search units",
    description="Current units whose names (with their parents') contain every word typed, as "
    "word prefixes, diacritics and case ignored: `khu 1 dong xuan` finds Khu 1 of xã Đồng Xuân. "
    "The best `limit` matches, best first (a ranking, not a list to page through: when nothing "
    "matches exactly, units with a similar name are ranked by likeness).",
)
def units_search(
    request,
    q: str = Query(..., min_length=1, max_length=200),
    limit: int = Query(20, ge=1, le=100),
):
    hits = []
    for unit in selectors.unit_search(q, limit=limit):
        hit = unit_ref(Node(unit))
        hit["parent"] = unit_ref(Node(unit.parent)) if unit.parent else None
        hits.append(hit)
    return {"q": normalize(q), "items": hits}


@router.get(
    "/units/{level}/{code}",
    response={200: UnitOut, 404: Error},
    summary="A unit",
    description="A unit with its ancestors, its history and what lies below it; with `on`, the "
    "state it had that day (404 when it did not exist then).",
)
def unit_detail(request, level: LevelName, code: str, on: datetime.date | None = None):
    unit = unit_or_404(level, code)
    node = _node_or_404(unit, on)
    counts = selectors.unit_descendant_counts(unit, on=on)
    households = counts.pop("households", None)
    return {
        **unit_ref(node),
        "area_type": node.area_type,
        "valid_from": node.valid_from,
        "valid_to": node.valid_to,
        "is_current": unit.is_current,
        "on": on,
        "ancestors": [unit_ref(a) for a in selectors.unit_node_ancestors(node, on=on)],
        "versions": list(selectors.unit_version_list(unit)),
        "counts": counts,
        "households": households,
    }


@router.get(
    "/units/{level}/{code}/children",
    response={200: list[ChildOut], 404: Error},
    summary="A unit's children, with counts",
    description="The children of a unit, in Vietnamese order (numbers by value), each with the "
    "counts of its own descendants by kind (and its active households, today); `on` reads the "
    "tree as it was that day. The unit's own totals are in `/units/{level}/{code}`.",
)
@paginate(ListPage)
def unit_children(request, level: LevelName, code: str, on: datetime.date | None = None):
    unit = unit_or_404(level, code)
    _node_or_404(unit, on)
    children = []
    for child in selectors.unit_node_children(unit, on=on):
        counts = dict(child.counts)
        households = counts.pop("households", None)
        children.append({**unit_ref(child), "counts": counts, "households": households})
    return children
