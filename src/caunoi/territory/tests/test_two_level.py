"""Pages, API and map of a province after the 2025 reform, read today and as of a day before it:
the test world carried through the reform (`caunoi.testing.reform_2025`)."""

import pytest

from caunoi.territory import maps
from caunoi.territory.models import Level, Unit
from caunoi.testing import build_two_level, reform_2025, vn_province

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def reformed(world):
    two = build_two_level(areas=3)
    province = reform_2025(world, two)
    return world, two, province


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.django_db
def test_province_today_and_before_the_reform(client, reformed):
    world, two, province = reformed
    today = page(client, "/tinh/25/")
    assert "Huyện Thanh Ba" not in today and "Phường Xuân Hòa" in today
    assert "District-level units" not in today
    # the map: today's communes as points, and the same figures as a table
    assert '<svg class="map"' in today and "<circle" in today
    assert "Communes on the map: Households" in today
    areas = page(client, "/tinh/25/?chi_so=khu")
    assert "Communes on the map: Residential areas" in areas
    before = page(client, "/tinh/25/?ngay=13/06/2022")
    assert "Huyện Thanh Ba" in before and "Phường Xuân Hòa" not in before
    assert '<svg class="map"' not in before  # the map is of today
    # Vĩnh Phúc: merged into Phú Thọ, still readable as it was
    vinh_phuc = page(client, "/tinh/26/")
    assert "no longer exists" in vinh_phuc
    assert "Phường Xuân Hòa" in page(client, "/tinh/26/?ngay=2024-01-01")


@pytest.mark.django_db
def test_an_area_once_in_another_province(client, reformed):
    world, two, province = reformed
    area = two.areas[0]
    area.refresh_from_db()
    assert area.path.startswith(province.path)
    today = page(client, area.get_absolute_url())
    assert "Tỉnh Phú Thọ" in today or "Phú Thọ" in today
    before = page(client, f"{area.get_absolute_url()}?ngay=2024-01-01")
    assert "Vĩnh Phúc" in before


@pytest.mark.django_db
def test_api_both_sides_of_the_reform(client, reformed):
    world, two, province = reformed
    today = client.get("/api/v1/units/province/25/children").json()
    names = [c["name"] for c in today["items"]]
    assert "Phường Xuân Hòa" in names and "Huyện Thanh Ba" not in names
    then = client.get("/api/v1/units/province/25/children?on=2022-06-13").json()
    assert [c["name"] for c in then["items"]] == ["Huyện Thanh Ba"]
    assert client.get("/api/v1/units/province/26?on=2025-07-01").status_code == 404


@pytest.mark.django_db
def test_the_map_places_real_communes(reformed):
    world, two, province = reformed
    m = maps.province_map(province, "ho")
    codes = {p.unit.code for p in m.points} | {u.code for u, _v in m.missing}
    assert codes == {"08119", "08122", "09001", "09002"}
    assert all(0 <= p.x <= m.width and 0 <= p.y <= m.height for p in m.points)
    assert m.classes and m.classes[-1][2] == max(p.value for p in m.points)
    assert maps.province_map(province, "nonsense").indicator == "ho"
    assert Unit.objects.filter(level=Level.DISTRICT, valid_to__isnull=True).count() == 0


@pytest.mark.django_db
def test_province_import_page_previews_the_mapping_then_imports(
    world, client_for, django_capture_on_commit_callbacks
):
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile

    two = build_two_level(areas=1)
    data = [
        vn_province("Phú Thọ", 25, [("Xã Đồng Xuân", 8119), ("Phường Xuân Hòa", 9001, "phường")])
    ]
    c = client_for(world.province_officer)
    url = "/tinh/25/nhap/"
    form = {"effective_date": "01/07/2025", "decision_number": "1676/NQ-UBTVQH15"}

    def upload():
        return SimpleUploadedFile("units.json", json.dumps(data).encode(), "application/json")

    with django_capture_on_commit_callbacks(execute=True):  # the check runs (eager worker)
        r = c.post(url, {**form, "file": upload(), "preview": "1"})
    assert r.status_code == 302 and r["Location"].startswith(url)  # the check's page
    r = c.get(r["Location"])
    page = r.content.decode()
    assert r.status_code == 200 and "Preview: nothing was saved" in page
    assert "Where the former communes went" in page and "Xã Hanh Cù (08122)" in page
    assert Unit.objects.filter(valid_to__isnull=False).count() == 0
    # the officer sends Hanh Cù's areas to Đồng Xuân by a line of their own, then imports
    mapping = SimpleUploadedFile("m.csv", b"old,new\n08122,08119\n", "text/csv")
    r = c.post(url, {**form, "file": upload(), "mapping": mapping})
    assert r.status_code == 302
    world.area_b1.refresh_from_db()
    assert world.area_b1.parent.code == "08119"
    assert not Unit.objects.get(level=Level.PROVINCE, code="26").is_current
    two.areas[0].refresh_from_db()
    assert two.areas[0].path.startswith(Unit.objects.get(level=Level.PROVINCE, code="25").path)
