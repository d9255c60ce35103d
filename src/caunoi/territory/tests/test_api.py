import datetime
import json
import unicodedata

import pytest

from caunoi.territory.models import AreaType, Kind, Restructuring, Unit, UnitVersion
from caunoi.territory.services import household_create, unit_create
from caunoi.testing import add_area, make_unit

API = "/api/v1"

# Messages are asserted in English (the msgids); test_i18n keeps the Vietnamese complete.
pytestmark = pytest.mark.usefixtures("english")


def get(client, url, **extra):
    response = client.get(API + url, **extra)
    assert response["Content-Type"].startswith("application/json")
    return response, json.loads(response.content.decode("utf-8"))


@pytest.mark.django_db
def test_provinces(world, client):
    response, data = get(client, "/units")
    assert response.status_code == 200
    assert (data["count"], data["limit"], data["offset"]) == (1, 100, 0)
    assert data["items"] == [
        {
            "level": "province",
            "code": "25",
            "kind": "tinh",
            "kind_label": data["items"][0]["kind_label"],
            "name": "Tỉnh Phú Thọ",
            "short_name": "Phú Thọ",
            "url": "/tinh/25/",
        }
    ]
    # Vietnamese travels as UTF-8, not as \u escapes.
    assert "Tỉnh Phú Thọ".encode() in response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.django_db
def test_unit_detail_with_ancestors(world, client):
    response, data = get(client, "/units/commune/08119")
    assert response.status_code == 200
    assert data["name"] == "Xã Đồng Xuân"
    assert data["kind"] == "xa"
    assert data["level"] == "commune"
    assert data["is_current"] is True
    assert data["valid_to"] is None
    assert [a["code"] for a in data["ancestors"]] == ["25", "230"]
    assert data["ancestors"][1]["url"] == "/huyen/230/"
    assert [v["name"] for v in data["versions"]] == ["Xã Đồng Xuân"]
    assert data["counts"] == {"khu_dan_cu": 2}
    assert data["households"] == 1


@pytest.mark.django_db
def test_area_detail_counts_households(world, client):
    response, data = get(client, "/units/area/08119-03")
    assert response.status_code == 200
    assert data["households"] == 1
    assert data["counts"] == {}
    assert data["area_type"] == AreaType.KHU


@pytest.mark.django_db
def test_unknown_unit_and_level(world, client):
    response, data = get(client, "/units/commune/99999")
    assert response.status_code == 404
    assert data["code"] == "not_found"
    assert data["message"]
    response, data = get(client, "/units/district/08119")  # a commune's code at another level
    assert response.status_code == 404
    response, data = get(client, "/units/village/08119")
    assert response.status_code == 400
    assert data["code"] == "invalid"
    assert "level" in data["errors"]


def rename(unit: Unit, *, on: datetime.date, name: str, short_name: str) -> None:
    """A renaming as the restructuring service would record it."""
    act = Restructuring.objects.create(
        kind=Restructuring.Kind.RENAME, effective_date=on, decision_number="12/NQ-HĐND"
    )
    old = unit.versions.get(valid_to__isnull=True)
    old.valid_to = on
    old.ended_by = act
    old.save()
    UnitVersion.objects.create(
        unit=unit,
        kind=unit.kind,
        name=name,
        short_name=short_name,
        parent=unit.parent,
        valid_from=on,
        started_by=act,
    )
    unit.name, unit.short_name = name, short_name
    unit.save()


@pytest.mark.django_db
def test_unit_as_of_a_day_after_renaming(world, client):
    rename(world.district, on=datetime.date(2024, 1, 1), name="Thị xã Thanh Ba", short_name="TB")
    _, today = get(client, "/units/district/230")
    _, before = get(client, "/units/district/230?on=2023-12-31")
    _, after = get(client, "/units/district/230?on=2024-01-01")
    assert today["name"] == after["name"] == "Thị xã Thanh Ba"
    assert before["name"] == "Huyện Thanh Ba"
    assert before["valid_to"] == "2024-01-01"
    assert before["on"] == "2023-12-31"
    assert after["valid_from"] == "2024-01-01"
    assert [v["valid_to"] for v in today["versions"]] == ["2024-01-01", None]
    # A commune's ancestors are named as they were that day.
    _, commune = get(client, "/units/commune/08119?on=2023-06-01")
    assert commune["ancestors"][1]["name"] == "Huyện Thanh Ba"
    _, commune = get(client, "/units/commune/08119")
    assert commune["ancestors"][1]["name"] == "Thị xã Thanh Ba"
    # The province's children as of each day.
    _, children = get(client, "/units/province/25/children?on=2023-06-01")
    assert [c["name"] for c in children["items"]] == ["Huyện Thanh Ba"]
    _, children = get(client, "/units/province/25/children")
    assert [c["name"] for c in children["items"]] == ["Thị xã Thanh Ba"]


@pytest.mark.django_db
def test_unit_that_did_not_exist_yet(world, client):
    add_area(world.commune_a, 9, valid_from=datetime.date(2025, 3, 1))
    response, data = get(client, "/units/area/08119-09?on=2025-02-28")
    assert response.status_code == 404
    assert data == {"message": "Khu 9 did not exist on 2025-02-28.", "code": "not_found"}
    assert get(client, "/units/area/08119-09?on=2025-03-01")[0].status_code == 200
    _, before = get(client, "/units/commune/08119/children?on=2025-02-28")
    _, after = get(client, "/units/commune/08119/children?on=2025-03-01")
    assert before["count"] == 2
    assert after["count"] == 3
    _, commune = get(client, "/units/commune/08119?on=2025-02-28")
    assert commune["counts"] == {"khu_dan_cu": 2}
    assert commune["households"] is None  # households have no history


@pytest.mark.django_db
def test_bad_date(world, client):
    response, data = get(client, "/units/commune/08119?on=31/12/2023")
    assert response.status_code == 400
    assert data["code"] == "invalid"
    assert "on" in data["errors"]


@pytest.mark.django_db
def test_message_in_the_callers_language(world, client):
    _, data = get(client, "/units/commune/99999")  # the `english` fixture's caller
    assert data["message"] == "There is no unit with this level and code."


@pytest.mark.django_db
def test_children_of_the_district_with_counts(world, client):
    response, data = get(client, "/units/district/230/children")
    assert response.status_code == 200
    assert set(data) == {"items", "count", "limit", "offset"}
    assert data["count"] == 2
    by_code = {c["code"]: c for c in data["items"]}
    assert list(by_code) == ["08119", "08122"]
    assert by_code["08119"]["counts"] == {"khu_dan_cu": 2}
    assert by_code["08119"]["households"] == 1
    assert by_code["08122"]["counts"] == {"khu_dan_cu": 1}
    assert by_code["08122"]["households"] == 1
    # The district's own totals are on the district.
    _, district = get(client, "/units/district/230")
    assert district["counts"] == {"xa": 2, "khu_dan_cu": 3}
    assert district["households"] == 2


@pytest.mark.django_db
def test_children_of_the_province_count_all_levels(world, client):
    _, data = get(client, "/units/province/25/children")
    assert data["items"][0]["counts"] == {"xa": 2, "khu_dan_cu": 3}
    assert data["items"][0]["households"] == 2
    _, on = get(client, "/units/province/25/children?on=2024-01-01")
    assert on["items"][0]["counts"] == {"xa": 2, "khu_dan_cu": 3}
    assert on["items"][0]["households"] is None  # households have no history
    _, province = get(client, "/units/province/25")
    assert province["counts"] == {"huyen": 1, "xa": 2, "khu_dan_cu": 3}
    _, then = get(client, "/units/province/25?on=2024-01-01")
    assert then["counts"] == {"huyen": 1, "xa": 2, "khu_dan_cu": 3}
    assert then["households"] is None


@pytest.mark.django_db
def test_children_of_an_area_are_none(world, client):
    _, data = get(client, "/units/area/08119-03/children")
    assert data["count"] == 0
    assert data["items"] == []


@pytest.mark.django_db
def test_children_paginated(world, client):
    _, data = get(client, "/units/commune/08119/children?limit=1&offset=1")
    assert (data["count"], data["limit"], data["offset"]) == (2, 1, 1)
    assert [c["code"] for c in data["items"]] == ["08119-04"]
    response, data = get(client, "/units/commune/08119/children?limit=0")
    assert response.status_code == 400
    response, data = get(client, "/units/commune/08119/children?limit=100000")
    assert response.status_code == 400


def add_communes(world, n: int) -> None:
    for i in range(n):
        commune = make_unit(Kind.WARD, f"0820{i}", f"Phường {i}", world.district)
        area = add_area(commune, 1)
        household_create(actor=None, area=area, code=f"0820{i}-01-001", members=2)


@pytest.mark.django_db
@pytest.mark.parametrize("on", ["", "?on=2024-01-01"])
def test_children_query_count_does_not_grow(world, client, django_assert_num_queries, on):
    url = f"{API}/units/district/230/children{on}"
    # Today: unit, children, descendants' paths with their kept household counts.
    # On a day: unit, its version, children's versions, then one query per level below them.
    expected = 3 if not on else 4
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    add_communes(world, 6)
    with django_assert_num_queries(expected):
        response = client.get(url)
    data = json.loads(response.content)
    assert data["count"] == 8
    assert {c["code"] for c in data["items"]} >= {"08119", "08200", "08205"}
    with django_assert_num_queries(3 if not on else 5):  # the province: one more level
        assert client.get(f"{API}/units/province/25/children{on}").status_code == 200


@pytest.mark.django_db
def test_search_ignores_diacritics(world, client):
    response, data = get(client, "/units/search?q=khu 3 dong xuan")
    assert response.status_code == 200
    assert [h["code"] for h in data["items"]] == ["08119-03"]
    assert data["items"][0]["parent"]["name"] == "Xã Đồng Xuân"
    nfd = unicodedata.normalize("NFD", "Đồng Xuân")
    _, data = get(client, f"/units/search?q={nfd}")
    assert [h["code"] for h in data["items"]][0] == "08119"
    _, data = get(client, "/units/search?q=khu&limit=2")
    assert len(data["items"]) == 2


@pytest.mark.django_db
def test_search_bad_input(world, client):
    assert get(client, "/units/search")[0].status_code == 400
    assert get(client, "/units/search?q=")[0].status_code == 400
    assert get(client, "/units/search?q=" + "x" * 201)[0].status_code == 400
    response, data = get(client, "/units/search?q=!!!")
    assert response.status_code == 200
    assert data["items"] == []
    assert get(client, "/units/search?q=a&limit=101")[0].status_code == 400


@pytest.mark.django_db
def test_provinces_as_of_a_day(world, client):
    _, data = get(client, "/units?on=2020-01-01")
    assert [p["code"] for p in data["items"]] == ["25"]
    unit_create(
        actor=None,
        kind=Kind.PROVINCE,
        code="26",
        name="Tỉnh Vĩnh Phúc",
        valid_from=datetime.date(2021, 1, 1),
    )
    _, data = get(client, "/units?on=2020-01-01")
    assert [p["code"] for p in data["items"]] == ["25"]
    _, data = get(client, "/units")
    assert [p["code"] for p in data["items"]] == ["25", "26"]


@pytest.mark.django_db
def test_wrong_method(world, client):
    response = client.post(API + "/units")
    assert response.status_code == 405
