"""Lists of units beyond the tree's own pages (search, the API, the report's roll-ups, the heads'
register) follow Vietnamese order: Đ after D (not after T as byte order puts it), numbers by
value (Khu 2 before Khu 10), the same on SQLite and PostgreSQL."""

import pytest

from caunoi.people import selectors as people_selectors
from caunoi.territory import rollup, selectors
from caunoi.territory.models import AreaType, Kind
from caunoi.testing import make_unit


@pytest.fixture
def more(world):
    unit = make_unit
    unit(Kind.COMMUNE, "08125", "Xã Dân Quyền", world.district)
    unit(Kind.COMMUNE, "08128", "Xã Thái Ninh", world.district)
    for code, n in (("08119-10", 10), ("08119-02", 2)):
        unit(Kind.AREA, code, f"Khu {n}", world.commune_a, area_type=AreaType.KHU)
    return world


COMMUNES = ["Xã Dân Quyền", "Xã Đồng Xuân", "Xã Hanh Cù", "Xã Thái Ninh"]
AREAS = ["Khu 2", "Khu 3", "Khu 4", "Khu 10"]


@pytest.mark.django_db
def test_search_lists_units_in_vietnamese_order(more):
    found = [u.name for u in selectors.unit_search("khu")]
    assert found[:4] == AREAS or [n for n in found if n != "Khu 1"] == AREAS
    assert [u.name for u in selectors.unit_search("xa")][:4] == COMMUNES


@pytest.mark.django_db
def test_the_api_lists_children_in_vietnamese_order(more, client):
    data = client.get("/api/v1/units/district/230/children").json()
    assert [c["name"] for c in data["items"]] == COMMUNES
    data = client.get("/api/v1/units/commune/08119/children").json()
    assert [c["name"] for c in data["items"]] == AREAS


@pytest.mark.django_db
def test_roll_ups_and_the_register_follow_vietnamese_order(more):
    assert [u.name for u in rollup.children_of(more.district)] == COMMUNES
    assert [u.name for u in rollup.children_of(more.commune_a)] == AREAS
    register = people_selectors.unit_list_of_ground(more.commune_a)
    assert [u.name for u in register[1:]] == AREAS
