import datetime
import json
import unicodedata

import pytest
import vietnam_provinces

from caunoi.demo.builder import DATA as DATA_2022
from caunoi.territory import selectors
from caunoi.territory.importers import vnprovinces
from caunoi.territory.models import Kind, Level, Restructuring, Unit, UnitVersion
from caunoi.territory.selectors import unit_figures
from caunoi.territory.services import household_create, unit_create
from caunoi.testing import reform_decision, vn_2025_province, vn_province

DATA_2025 = vietnam_provinces.NESTED_DIVISIONS_JSON_PATH
JULY_2025 = datetime.date(2025, 7, 1)
JUNE_2022 = datetime.date(2022, 6, 13)

# Whatever these tests do to households, every area keeps its true household count.
# Messages are asserted in English (the msgids); test_i18n keeps the Vietnamese complete.
pytestmark = pytest.mark.usefixtures("counts_stay_true", "english")


def province():
    return Unit.objects.get(level=Level.PROVINCE, code="25")


@pytest.mark.django_db
def test_import_2022_creates_phu_tho():
    report = vnprovinces.import_units(DATA_2022, actor=None, provinces={"25"})
    assert report.ok, report.errors
    figures = unit_figures(selectors.unit_descendant_counts(province()))
    assert figures["districts"] == 13 and figures["communes"] == 225
    # again: nothing changes, nothing duplicated
    again = vnprovinces.import_units(DATA_2022, actor=None, provinces={"25"})
    assert again.ok and again.unchanged == 239 and not again.created
    assert Unit.objects.count() == 239


@pytest.mark.django_db
def test_era_import_2025_over_2022():
    assert vnprovinces.import_units(DATA_2022, actor=None, provinces={"25"}).ok
    thanh_ba = Unit.objects.get(level=Level.DISTRICT, code="230")
    # without an effective date the changes are refused, and nothing is written
    refused = vnprovinces.import_units(vn_2025_province(), actor=None)
    assert not refused.ok
    assert "effective date" in refused.errors[-1].message
    assert Unit.objects.count() == 239
    report = vnprovinces.import_units(vn_2025_province(), actor=None, decision=reform_decision())
    assert report.ok, report.errors[:5]
    p = province()
    assert p.name == "Tỉnh Phú Thọ" and p.is_current
    today = unit_figures(selectors.unit_descendant_counts(p))
    assert today["districts"] == 0 and today["communes"] == 148
    then = unit_figures(selectors.unit_descendant_counts(p, on=JUNE_2022))
    assert then["districts"] == 13 and then["communes"] == 225
    assert len(selectors.unit_children(p, on=JUNE_2022)) == 13
    assert len(selectors.unit_children(p)) == 148
    # districts retired, not deleted; their history still reads
    thanh_ba.refresh_from_db()
    assert thanh_ba.valid_to == JULY_2025
    assert selectors.unit_children(thanh_ba, on=JUNE_2022).count() > 0
    assert selectors.unit_children(thanh_ba).count() == 0
    # a commune that kept its code: renamed and moved under the province
    viet_tri = Unit.objects.get(level=Level.COMMUNE, code="07900")
    assert viet_tri.name == "Phường Việt Trì" and viet_tri.parent == p
    old = selectors.unit_version_get(viet_tri, on=JUNE_2022)
    assert old.name == "Phường Gia Cẩm" and old.parent.code == "227"
    assert viet_tri.path == f"{p.path}{viet_tri.pk}/"
    # a commune that is gone is retired with the effective date
    assert Unit.objects.filter(level=Level.COMMUNE, valid_to=JULY_2025).count() == 225 - 66
    ended = UnitVersion.objects.filter(valid_to=JULY_2025).select_related("ended_by")
    assert {v.ended_by.decision_number for v in ended} == {"1676/NQ-UBTVQH15"}
    # units new to the database (from the merged provinces) start on the effective date
    new = Unit.objects.filter(level=Level.COMMUNE, valid_from=JULY_2025)
    assert new.count() == 148 - 66
    assert selectors.unit_version_get(new.first(), on=JUNE_2022) is None
    # again: nothing changes
    again = vnprovinces.import_units(vn_2025_province(), actor=None, decision=reform_decision())
    assert again.ok and not again.created and not again.changed


@pytest.mark.django_db
def test_era_import_with_mapping_records_merges_and_moves_areas():
    assert vnprovinces.import_units(DATA_2022, actor=None, provinces={"25"}).ok
    gia_cam = Unit.objects.get(level=Level.COMMUNE, code="07900")
    tien_cat = Unit.objects.get(level=Level.COMMUNE, code="07903")  # Phường Tiên Cát, 2022
    area = unit_create(actor=None, kind=Kind.AREA, code="07903-01", name="Khu 1", parent=tien_cat)
    household_create(actor=None, area=area, code="07903-01-001", members=3)
    # without a file, the mapping that comes with the data (vietnamadminunits) is used
    preview = vnprovinces.import_units(
        vn_2025_province(), actor=None, decision=reform_decision(), dry_run=True
    )
    assert preview.ok and preview.dry_run
    line = next(line for line in preview.mapping if line.old_code == "07903")
    assert line.new_code == "07909" and line.areas == 1 and "vietnamadminunits" in line.source
    assert Unit.objects.filter(valid_to__isnull=False).count() == 0
    # a user's line overrides it
    report = vnprovinces.import_units(
        vn_2025_province(), actor=None, decision=reform_decision(), mapping={"07903": "07900"}
    )
    assert report.ok, report.errors[:5]
    area.refresh_from_db()
    tien_cat.refresh_from_db()
    assert not tien_cat.is_current
    assert area.parent_id == gia_cam.pk and area.path.startswith(province().path)
    assert selectors.unit_version_get(area, on=JUNE_2022).parent_id == tien_cat.pk
    merge = Restructuring.objects.get(kind=Restructuring.Kind.MERGE, results__code="07900")
    assert {"07900", "07903"} <= {u.code for u in merge.sources.all()}
    assert selectors.unit_descendant_counts(province())["households"] == 1


@pytest.mark.django_db
def test_code_of_retired_unit_is_not_reused():
    assert vnprovinces.import_units(DATA_2022, actor=None, provinces={"25"}).ok
    assert vnprovinces.import_units(vn_2025_province(), actor=None, decision=reform_decision()).ok
    # importing 2022 again would bring back retired codes: refused
    report = vnprovinces.import_units(
        DATA_2022, actor=None, provinces={"25"}, decision=reform_decision()
    )
    assert not report.ok
    assert any("never given" in e.message for e in report.errors)


def _small(**overrides):
    thanh_ba = ("Huyện Thanh Ba", 230, [("Xã Đồng Xuân", 8119), ("Xã Hanh Cù", 8122)])
    province = vn_province("Tỉnh Phú Thọ", 25, districts=[thanh_ba])
    province.update(overrides)
    return [province]


@pytest.mark.django_db
def test_refusals_write_nothing():
    def refused(data, fragment):
        report = vnprovinces.import_units(data, actor=None)
        assert not report.ok
        assert any(fragment in e.message for e in report.errors), report.errors
        assert Unit.objects.count() == 0

    data = _small()
    data[0]["districts"][0]["wards"][1]["code"] = 8119
    refused(data, "appears twice")
    data = _small()
    del data[0]["districts"][0]["wards"][0]["division_type"]
    refused(data, "division_type")
    data = _small()
    data[0]["districts"][0]["wards"][0]["name"] = "  "
    refused(data, "empty")
    data = _small()
    data[0]["districts"][0]["wards"][0]["code"] = "abc"
    refused(data, "whole number")
    refused({"provinces": []}, "not the nested JSON")
    refused(json.loads((DATA_2025.parent / "flat-divisions.json").read_text())[:5], "nested JSON")
    refused(b"PK\x03\x04 not json at all", "not the JSON")
    refused(b"\xff\xfe garbage", "not the JSON")


@pytest.mark.django_db
def test_nfd_and_eth_are_fixed_and_reported():
    data = _small()
    data[0]["districts"][0]["wards"][0]["name"] = unicodedata.normalize("NFD", "Xã Đồng Xuân")
    data[0]["districts"][0]["wards"][1]["name"] = "Xã Ðồng Hanh"  # U+00D0
    report = vnprovinces.import_units(json.dumps(data).encode(), actor=None)
    assert report.ok
    assert len(report.fixes) == 2
    assert Unit.objects.get(code="08119").name == "Xã Đồng Xuân"
    assert Unit.objects.get(code="08122").name == "Xã Đồng Hanh"


@pytest.mark.django_db
def test_whole_country_retires_merged_provinces():
    lap_thach = ("Huyện Lập Thạch", 253, [("Xã Tiên Lữ", 8950)])
    old = _small() + [vn_province("Tỉnh Vĩnh Phúc", 26, districts=[lap_thach])]
    assert vnprovinces.import_units(old, actor=None).ok
    new = [vn_province("Phú Thọ", 25, [("Xã Đồng Xuân", 8119), ("Xã Tiên Lữ", 8950)])]
    # the province file alone takes in the provinces it was formed from (vietnamadminunits)
    report = vnprovinces.import_units(new, actor=None, decision=reform_decision())
    assert report.ok, report.errors
    vinh_phuc = Unit.objects.get(level=Level.PROVINCE, code="26")
    assert vinh_phuc.valid_to == JULY_2025
    merge = Restructuring.objects.get(kind=Restructuring.Kind.MERGE)
    assert {u.code for u in merge.sources.all()} == {"25", "26"}
    assert len(selectors.unit_children(None)) == 1
    assert len(selectors.unit_children(None, on=JUNE_2022)) == 2
