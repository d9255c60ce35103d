import datetime
import io
import json
import unicodedata

import openpyxl
import pytest
import vietnam_provinces

from caunoi.demo.builder import DATA as DATA_2022
from caunoi.territory import selectors
from caunoi.territory.importers import gso
from caunoi.territory.models import Kind, Level, Unit
from caunoi.territory.selectors import unit_figures
from caunoi.territory.services import Decision

# Messages are asserted in English (the msgids); test_i18n keeps the Vietnamese complete.
pytestmark = pytest.mark.usefixtures("english")

HEADER = [
    "Tỉnh Thành Phố",
    "Mã TP",
    "Quận Huyện",
    "Mã QH",
    "Phường Xã",
    "Mã PX",
    "Cấp",
    "Tên Tiếng Anh",
]
HEADER_2025 = ["Tỉnh Thành Phố", "Mã TP", "Phường Xã", "Mã PX", "Cấp", "Tên Tiếng Anh"]


def xlsx(rows, header=HEADER, title_rows=("DANH MỤC ĐƠN VỊ HÀNH CHÍNH",)) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for t in title_rows:
        ws.append([t])
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rows_2022():
    p = json.loads(DATA_2022.read_text())[0]
    for d in p["districts"]:
        for w in d["wards"]:
            yield [
                p["name"],
                f"{p['code']:02d}",
                d["name"],
                f"{d['code']:03d}",
                w["name"],
                f"{w['code']:05d}",
                w["division_type"].title(),
                "",
            ]


def rows_2025():
    data = json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text())
    p = next(x for x in data if x["code"] == 25)
    for w in p["wards"]:
        yield ["Tỉnh Phú Thọ", "25", w["name"], f"{w['code']:05d}", w["division_type"], ""]


@pytest.mark.django_db
def test_gso_2022_then_2025():
    report = gso.import_units(xlsx(rows_2022()), actor=None)
    assert report.ok, report.errors[:3]
    p = Unit.objects.get(level=Level.PROVINCE, code="25")
    assert p.kind == Kind.PROVINCE
    assert unit_figures(selectors.unit_descendant_counts(p))["communes"] == 225
    assert Unit.objects.get(code="227").kind == Kind.CITY
    report = gso.import_units(
        xlsx(rows_2025(), header=HEADER_2025),
        actor=None,
        decision=Decision(effective_date=datetime.date(2025, 7, 1), number="1676/NQ-UBTVQH15"),
    )
    assert report.ok, report.errors[:3]
    assert unit_figures(selectors.unit_descendant_counts(p))["communes"] == 148
    then = unit_figures(selectors.unit_descendant_counts(p, on=datetime.date(2022, 6, 13)))
    assert then["districts"] == 13 and then["communes"] == 225


@pytest.mark.django_db
def test_header_variations_and_numbers():
    header = ["tinh thanh pho", "MÃ  TP", "Quận/Huyện", "ma qh", "PHƯỜNG XÃ", "Mã PX", "cấp"]
    data = xlsx(
        [["Tỉnh Phú Thọ", 25, "Huyện Thanh Ba", 230, "Xã Đồng Xuân", 8119, "Xã"]],
        header=header,
        title_rows=(),
    )
    report = gso.import_units(data, actor=None)
    assert report.ok, report.errors
    assert Unit.objects.get(level=Level.COMMUNE, code="08119").parent.code == "230"


def refused(data, fragment):
    report = gso.import_units(data, actor=None)
    assert not report.ok
    text = " ".join(f"{e.row}: {e.message}" for e in report.errors)
    assert fragment in text, text
    assert Unit.objects.count() == 0
    return report


@pytest.mark.django_db
def test_refusals():
    good = ["Tỉnh Phú Thọ", "25", "Huyện Thanh Ba", "230", "Xã Đồng Xuân", "08119", "Xã", ""]
    refused(xlsx([good], header=["Tên", "Mã", "Cấp"]), "Mã TP")  # wrong columns
    refused(xlsx([good, good[:5] + ["08119", "Xã", ""]]), "appears twice")
    r = refused(
        xlsx([good, ["Tỉnh Phú Thọ", "", "Huyện Thanh Ba", "230", "Xã A", "08120"]]), "Mã TP"
    )
    assert r.errors[0].row == "4"  # Excel row number (title, header, then data)
    refused(xlsx([good, ["Tỉnh Phú Thọ", "25", "Huyện Thanh Ba", "230", "Xã A", "8x"]]), "Mã PX")
    refused(b"Tinh Thanh Pho,Ma TP\nPhu Tho,25\n", "not an Excel")  # a CSV named .xlsx
    refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "97-2003")
    refused(b"PK\x03\x04broken zip", "could not be read")
    refused(xlsx([]), "No unit found")
    # the same district code under two names
    refused(xlsx([good, ["Tỉnh Phú Thọ", "25", "Huyện Khác", "230", "Xã A", "08120", "Xã"]]), "230")


@pytest.mark.django_db
def test_empty_rows_and_nfd_are_reported_as_fixes():
    nfd = unicodedata.normalize("NFD", "Xã Đồng Xuân")
    data = xlsx(
        [
            ["Tỉnh Phú Thọ", "25", "Huyện Thanh Ba", "230", nfd, "08119", "Xã"],
            [None, None, None],
            ["Tỉnh Phú Thọ", "25", "Huyện Thanh Ba", "230", "Xã Hanh Cù", "08122", "Xã"],
            ["Tỉnh Phú Thọ", "25", "Huyện Thanh Ba", "230", "Xã Ðông Lĩnh", "08125", "Xã"],
        ]
    )
    report = gso.import_units(data, actor=None)
    assert report.ok, report.errors
    messages = " ".join(f.message for f in report.fixes)
    assert "empty rows skipped" in messages
    assert len([f for f in report.fixes if f.column == "commune"]) == 2
    assert Unit.objects.get(code="08119").name == "Xã Đồng Xuân"
    assert Unit.objects.get(code="08125").name == "Xã Đông Lĩnh"
