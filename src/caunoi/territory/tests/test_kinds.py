"""Kinds from names: one rule in every importer (vietnam-provinces JSON of every era, GSO Excel)."""

import datetime
import io
import json
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from caunoi.core.text import normalize
from caunoi.demo.builder import DATA as DATA_2022
from caunoi.territory.importers import ImportReport, gso, vnprovinces
from caunoi.territory.models import Kind, Level, Restructuring, Unit
from caunoi.territory.names import naming
from caunoi.territory.services import Decision, unit_create

HERE = Path(__file__).parent / "data"
PHU_THO_0_5_8 = HERE / "phu_tho_0_5_8.json"  # vietnam-provinces 0.5.8, Phú Thọ only
PROVINCES_0_5_8 = HERE / "provinces_0_5_8.json"  # its 63 provinces, without their units

pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.parametrize(
    "name, level, declared, full, kind",
    [
        ("Phú Thọ", Level.PROVINCE, None, "Tỉnh Phú Thọ", Kind.PROVINCE),
        ("Tỉnh Phú Thọ", Level.PROVINCE, Kind.PROVINCE, "Tỉnh Phú Thọ", Kind.PROVINCE),
        ("Thành phố Hà Nội", Level.PROVINCE, Kind.PROVINCE, "Thành phố Hà Nội", Kind.CENTRAL_CITY),
        ("Hà Nội", Level.PROVINCE, Kind.CENTRAL_CITY, "Thành phố Hà Nội", Kind.CENTRAL_CITY),
        (
            "Thành phố Việt Trì",
            Level.DISTRICT,
            Kind.RURAL_DISTRICT,
            "Thành phố Việt Trì",
            Kind.CITY,
        ),
        ("Thị xã Phú Thọ", Level.DISTRICT, None, "Thị xã Phú Thọ", Kind.TOWN),
        ("Quận Ba Đình", Level.DISTRICT, None, "Quận Ba Đình", Kind.URBAN_DISTRICT),
        ("Huyện Thanh Ba", Level.DISTRICT, None, "Huyện Thanh Ba", Kind.RURAL_DISTRICT),
        ("Thị trấn Tân Phú", Level.COMMUNE, Kind.COMMUNE, "Thị trấn Tân Phú", Kind.TOWNSHIP),
        ("thị trấn Hùng Sơn", Level.COMMUNE, None, "Thị trấn Hùng Sơn", Kind.TOWNSHIP),
        ("Phường 1", Level.COMMUNE, Kind.COMMUNE, "Phường 1", Kind.WARD),
        ("Đặc khu Phú Quốc", Level.COMMUNE, None, "Đặc khu Phú Quốc", Kind.SPECIAL_ZONE),
        ("Đồng Xuân", Level.COMMUNE, Kind.COMMUNE, "Xã Đồng Xuân", Kind.COMMUNE),
        ("Xã Đồng Xuân", Level.COMMUNE, Kind.COMMUNE, "Xã Đồng Xuân", Kind.COMMUNE),
        ("Gia Cẩm", Level.COMMUNE, Kind.WARD, "Phường Gia Cẩm", Kind.WARD),
    ],
)
def test_kind_from_name(name, level, declared, full, kind):
    named = naming(name, level, declared)
    assert named is not None
    assert (named.name, named.kind) == (full, kind)
    again = naming(named.name, level, declared)  # never prefixed twice
    assert again is not None and again.name == full


def test_a_name_without_its_word_and_no_type_cannot_be_told():
    assert naming("Đồng Xuân", Level.COMMUNE) is None
    assert naming("Thanh Ba", Level.DISTRICT) is None


def test_provinces_of_0_5_8_are_named_once():
    report = ImportReport()
    rows = vnprovinces.parse(json.loads(PROVINCES_0_5_8.read_text()), report=report)
    assert report.ok
    names = {r["name"] for r in rows}
    assert len(rows) == 63 and not any(n.startswith("Tỉnh Thành phố") for n in names)
    hanoi = next(r for r in rows if r["code"] == "01")
    assert (hanoi["name"], hanoi["kind"]) == ("Thành phố Hà Nội", Kind.CENTRAL_CITY)


@pytest.mark.django_db
def test_0_5_8_over_0_5_0_changes_no_kind_but_the_real_one():
    assert vnprovinces.import_units(DATA_2022, actor=None, provinces={"25"}).ok
    kinds = dict(Unit.objects.values_list("code", "kind"))
    old_hung_long = Unit.objects.get(code="08029")  # merged into Vân Đồn, which took its name
    area = unit_create(
        actor=None, kind=Kind.AREA, code="08029-01", name="Khu 1", parent=old_hung_long
    )
    decision = Decision(effective_date=datetime.date(2024, 11, 1), number="01/TEST")
    report = vnprovinces.import_units(
        json.loads(PHU_THO_0_5_8.read_text()), actor=None, decision=decision
    )
    assert report.ok, report.errors[:3]
    changed = {
        u.code: (kinds[u.code], u.kind)
        for u in Unit.objects.filter(valid_to__isnull=True, level__lte=Level.COMMUNE)
        if kinds.get(u.code) != u.kind
    }
    assert changed == {"08566": (Kind.COMMUNE, Kind.TOWNSHIP)}  # Xã Tân Phú → Thị trấn Tân Phú
    assert Restructuring.objects.filter(kind=Restructuring.Kind.RECLASSIFY).count() == 1
    (note,) = report.notes
    assert "Tân Phú" in note.row and 'the name begins with "Thị trấn"' in note.message
    assert "the type field says" in note.message
    # a commune merged before 2025 follows the one of its district that took its name
    area.refresh_from_db()
    assert area.parent.code == "08035" and area.parent.name == "Xã Hùng Long"
    line = next(line for line in report.mapping if line.old_code == "08029")
    assert "took its name" in line.source


def _xlsx(rows, header) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DANH MỤC ĐƠN VỊ HÀNH CHÍNH"])
    ws.append(header)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


HEADER_2025 = ["Tỉnh Thành Phố", "Mã TP", "Phường Xã", "Mã PX", "Cấp", "Tên Tiếng Anh"]


@pytest.mark.django_db
def test_gso_2025_province_without_its_word_and_dirty_rows():
    rows = [
        ["Phú Thọ", "25", unicodedata.normalize("NFD", "Phường Việt Trì"), "07900", "Phường", ""],
        ["  Phú Thọ ", " 25", "Xã Ðoan Hùng", 7945, "Xã", ""],  # Ð (U+00D0), padded, a number
        [None, None, None, None, None, None],
        ["Thành phố Hà Nội", "01", "Phường Ba Đình", "00004", "Phường", ""],
        ["Tuyên Quang", "08", unicodedata.normalize("NFD", "Xã Đồng Văn"), "00712", "Xã", ""],
    ]
    report = gso.import_units(_xlsx(rows, HEADER_2025), actor=None, provinces={"25"})
    assert report.ok, report.errors
    assert Unit.objects.get(level=Level.PROVINCE, code="25").name == "Tỉnh Phú Thọ"
    assert Unit.objects.get(code="07945").name == "Xã Đoan Hùng"
    assert Unit.objects.get(code="07900").name == normalize("Phường Việt Trì")
    # fixes only of the province imported: none of Tuyên Quang's rows
    assert report.fixes and all("Đồng Văn" not in f.message for f in report.fixes)
    assert not Unit.objects.filter(code__in=["01", "08"], level=Level.PROVINCE).exists()
    whole = gso.import_units(_xlsx(rows, HEADER_2025), actor=None)
    assert whole.ok, whole.errors
    assert Unit.objects.get(level=Level.PROVINCE, code="08").name == "Tỉnh Tuyên Quang"
    hanoi = Unit.objects.get(level=Level.PROVINCE, code="01")
    assert (hanoi.name, hanoi.kind) == ("Thành phố Hà Nội", Kind.CENTRAL_CITY)
