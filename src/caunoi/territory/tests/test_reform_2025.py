"""The 2025 reform imported with the mapping that comes with the data (vietnamadminunits): a 2022
database of Phú Thọ, Vĩnh Phúc and Hòa Bình becomes today's Phú Thọ in one import, no user file."""

import datetime

import pytest

from caunoi.demo.builder import DATA as DATA_2022
from caunoi.territory import selectors, vnunits
from caunoi.territory.importers import vnprovinces
from caunoi.territory.models import Kind, Level, Restructuring, Unit
from caunoi.territory.selectors import unit_figures
from caunoi.territory.services import household_create, unit_create
from caunoi.testing import reform_decision, vn_2025_province, vn_province

JULY_2025 = datetime.date(2025, 7, 1)
JUNE_2022 = datetime.date(2022, 6, 13)

pytestmark = pytest.mark.usefixtures("counts_stay_true", "english")


def area(commune_code: str, n: int = 1) -> Unit:
    commune = Unit.objects.get(level=Level.COMMUNE, code=commune_code)
    a = unit_create(
        actor=None, kind=Kind.AREA, code=f"{commune_code}-{n:02d}", name=f"Khu {n}", parent=commune
    )
    household_create(actor=None, area=a, code=f"{a.code}-001", members=3)
    return a


def three_provinces_2022():
    assert vnprovinces.import_units(DATA_2022, actor=None, provinces={"25"}).ok
    others = vnunits.legacy_provinces({"17", "26"})
    report = vnprovinces.import_units(others, actor=None)
    assert report.ok, report.errors[:3]


def test_conversion_reads_the_package():
    conv = vnunits.conversion()
    assert conv.successor["08170"] == "08152"  # Xã Đồng Xuân (Thanh Ba) → Xã Thanh Ba
    assert set(conv.former_provinces["25"]) == {"17", "25", "26"}
    assert sum(1 for code in conv.new_names if code[:2] and code in conv.sources) > 3000
    assert all(len(parts) > 1 for parts in conv.divided.values())
    lat, lon = conv.point("08152")
    assert 21 < lat < 22 and 105 < lon < 106


@pytest.mark.django_db
def test_one_import_moves_three_provinces_into_todays_phu_tho():
    three_provinces_2022()
    dong_xuan = area("08170")  # Xã Đồng Xuân, Huyện Thanh Ba
    vinh_phuc_area = area("08923")  # a commune of Vĩnh Phúc
    van_co = area("07891")  # Phường Vân Cơ: merged before 2025, not in the package's list
    report = vnprovinces.import_units(vn_2025_province(), actor=None, decision=reform_decision())
    assert report.ok, report.errors[:5]
    p = Unit.objects.get(level=Level.PROVINCE, code="25")
    today = unit_figures(selectors.unit_descendant_counts(p))
    assert today["districts"] == 0 and today["communes"] == 148 and today["areas"] == 3
    then = unit_figures(selectors.unit_descendant_counts(p, on=JUNE_2022))
    assert then["districts"] == 13 and then["communes"] == 225
    # the other two provinces were merged into Phú Thọ
    for code in ("17", "26"):
        assert Unit.objects.get(level=Level.PROVINCE, code=code).valid_to == JULY_2025
    assert len(selectors.unit_children(None)) == 1
    # the Đồng Xuân area is in Xã Thanh Ba now, and was in Đồng Xuân then
    dong_xuan.refresh_from_db()
    assert dong_xuan.parent.code == "08152" and dong_xuan.path.startswith(p.path)
    assert selectors.unit_version_get(dong_xuan, on=JUNE_2022).parent.code == "08170"
    vinh_phuc_area.refresh_from_db()
    assert vinh_phuc_area.path.startswith(p.path) and vinh_phuc_area.is_current
    # every line of the mapping says where it came from
    lines = {line.old_code: line for line in report.mapping}
    assert lines["08170"].new_code == "08152"
    assert lines["08170"].source == vnunits.source_label()
    assert lines["08170"].areas == 1
    # a commune whose successor the two packages code differently is joined by name
    assert lines["05095"].source == vnunits.source_label()  # Xã Thung Nai (Hòa Bình)
    van_co.refresh_from_db()
    assert "merged before 30/06/2025" in lines["07891"].source
    assert van_co.parent.code == lines["07891"].new_code
    # divided communes are listed with the other communes they went to
    assert report.divided and all(line.divided_into for line in report.divided)
    merges = Restructuring.objects.filter(kind=Restructuring.Kind.MERGE)
    assert {r.decision_number for r in merges} == {"1676/NQ-UBTVQH15"}
    # again: nothing changes
    again = vnprovinces.import_units(vn_2025_province(), actor=None, decision=reform_decision())
    assert again.ok and not again.created and not again.changed


@pytest.mark.django_db
def test_dry_run_and_a_users_line_that_overrides():
    three_provinces_2022()
    a = area("08170")
    before = Unit.objects.count()
    preview = vnprovinces.import_units(
        vn_2025_province(), actor=None, decision=reform_decision(), dry_run=True
    )
    assert preview.ok and preview.dry_run and preview.changed and preview.mapping
    assert (
        Unit.objects.count() == before and Unit.objects.filter(valid_to__isnull=False).count() == 0
    )
    # the officer sends Đồng Xuân to another commune, and one area elsewhere again
    report = vnprovinces.import_units(
        vn_2025_province(),
        actor=None,
        decision=reform_decision(),
        mapping={"08170": "08053", f"{a.code}": "07900"},
    )
    assert report.ok, report.errors[:5]
    line = next(line for line in report.mapping if line.old_code == "08170")
    assert line.new_code == "08053" and line.source == "your file"
    a.refresh_from_db()
    assert a.parent.code == "07900"
    assert selectors.unit_version_get(a, on=JUNE_2022).parent.code == "08170"


@pytest.mark.django_db
def test_a_wrong_users_line_is_refused():
    three_provinces_2022()
    report = vnprovinces.import_units(
        vn_2025_province(), actor=None, decision=reform_decision(), mapping={"08170": "99999"}
    )
    assert not report.ok
    assert any("not a commune of the new list" in e.message for e in report.errors)
    assert Unit.objects.filter(valid_to__isnull=False).count() == 0


@pytest.mark.django_db
def test_a_province_that_takes_the_code_of_another_is_renamed_with_its_merge():
    def province(name, code, commune, ccode):
        return vn_province(name, code, districts=[("Huyện Một", code * 10, [(commune, ccode)])])

    old = [
        province("Tỉnh Lào Cai", 10, "Xã Một", 90001),
        province("Tỉnh Yên Bái", 15, "Xã Hai", 90002),
    ]
    assert vnprovinces.import_units(old, actor=None).ok
    new = [vn_province("Lào Cai", 15, [("Xã Một", 90001), ("Xã Hai", 90002)])]
    report = vnprovinces.import_units(
        new, actor=None, decision=reform_decision(), whole_country=True
    )
    assert report.ok, report.errors
    today = Unit.objects.get(level=Level.PROVINCE, code="15")
    assert today.name == "Tỉnh Lào Cai" and today.is_current
    assert Unit.objects.get(level=Level.PROVINCE, code="10").valid_to == JULY_2025
    assert selectors.unit_version_get(today, on=JUNE_2022).name == "Tỉnh Yên Bái"
    assert len(selectors.unit_children(today)) == 2
