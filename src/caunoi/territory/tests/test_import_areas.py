import io
import unicodedata

import openpyxl
import pytest

from caunoi.core.models import AuditEntry
from caunoi.territory.importers import areas
from caunoi.territory.models import AreaType, Household, Level, Unit

# Whatever these tests do to households, every area keeps its true household count.
# Messages are asserted in English (the msgids); test_i18n keeps the Vietnamese complete.
pytestmark = pytest.mark.usefixtures("counts_stay_true", "english")


def load(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def filled(world, area_rows=(), household_rows=()):
    wb = load(areas.template_workbook(world.commune_a))
    for r in area_rows:
        wb[areas.AREA_SHEET].append(list(r))
    for r in household_rows:
        wb[areas.HOUSEHOLD_SHEET].append(list(r))
    return save(wb)


def snapshot_counts():
    return (Unit.objects.count(), Household.objects.count(), AuditEntry.objects.count())


@pytest.mark.django_db
def test_template_has_sheets_and_existing_areas(world):
    wb = load(areas.template_workbook(world.commune_a))
    assert wb.sheetnames == [areas.HELP_SHEET, areas.AREA_SHEET, areas.HOUSEHOLD_SHEET]
    rows = list(wb[areas.AREA_SHEET].iter_rows(values_only=True))
    assert list(rows[0]) == areas.AREA_HEADER
    assert rows[1][0] == areas.EXAMPLE
    assert [r[3] for r in rows[2:4]] == ["08119-03", "08119-04"]
    assert list(next(wb[areas.HOUSEHOLD_SHEET].iter_rows(values_only=True))) == (
        areas.HOUSEHOLD_HEADER
    )
    assert "Xã Đồng Xuân" in wb[areas.HELP_SHEET]["A1"].value


@pytest.mark.django_db
def test_untouched_template_imports_nothing_new(world):
    report = areas.import_template(
        areas.template_workbook(world.commune_a), actor=world.officer_a, commune=world.commune_a
    )
    assert report.ok and report.unchanged == 2 and not report.created


@pytest.mark.django_db
def test_import_areas_and_households(world):
    data = filled(
        world,
        area_rows=[[1, "Thôn", "Đồng Lạng", ""], [2, "khu", "5", None]],
        household_rows=[
            [1, "Thôn Đồng Lạng", "", "Số 3", "Trần Văn Tú", "0912 345 678", 4],
            [2, "Khu 3", "", "Số 9", "Lê Thị Hoa", "", ""],
            [3, "Khu 5", "", "", "Phạm Văn Nam", "84912345679", 2],
            [4, "08119-04", "", "", "Hà Văn Long", None, 1],
            [5, "Khu 3", "08119-03-001", "Số 1, Khu 3", "Bùi Thị Thảo", "0912000111", 5],
        ],
    )
    report = areas.import_template(data, actor=world.officer_a, commune=world.commune_a)
    assert report.ok, report.errors
    assert report.created == {"residential areas": 2, "households": 4}
    dong_lang = Unit.objects.get(parent=world.commune_a, name="Thôn Đồng Lạng")
    assert dong_lang.area_type == AreaType.THON and dong_lang.code == "08119-05"
    assert dong_lang.path == f"{world.commune_a.path}{dong_lang.pk}/"
    khu5 = Unit.objects.get(parent=world.commune_a, name="Khu 5")
    assert khu5.code == "08119-06"
    h = Household.objects.get(representative_name="Trần Văn Tú")
    assert h.area == dong_lang and h.code == "08119-05-001"
    assert h.representative_phone == "0912345678" and h.members == 4
    assert Household.objects.get(representative_name="Lê Thị Hoa").code == "08119-03-002"
    assert Household.objects.get(representative_name="Phạm Văn Nam").representative_phone == (
        "0912345679"
    )
    assert Household.objects.get(pk=world.household_a1.pk).members == 5  # updated
    # the same file again: nothing new (areas matched by name; households by code only)
    assert AuditEntry.objects.filter(action="territory.unit.created").count() >= 2


@pytest.mark.django_db
def test_refusals_write_nothing(world):
    before = snapshot_counts()

    def refused(data, fragment, row=None):
        report = areas.import_template(data, actor=world.officer_a, commune=world.commune_a)
        assert not report.ok
        text = " | ".join(f"{e.row}: {e.message}" for e in report.errors)
        assert fragment in text, text
        if row:
            assert any(e.row == row for e in report.errors), text
        assert snapshot_counts() == before

    refused(filled(world, area_rows=[[1, "Khu", "7", ""], [2, "Khu", "7", ""]]), "appears twice")
    refused(filled(world, area_rows=[[1, "Phố cổ", "7", ""]]), "Unknown type")
    refused(
        filled(
            world,
            area_rows=[[1, "Khu", "7", ""]],
            household_rows=[[1, "Khu 99", "", "", "Ai Đó", "", 1]],
        ),
        "Unknown area",
        "Hộ gia đình, row 3",
    )
    refused(filled(world, household_rows=[[1, "Khu 3", "", "", "", "", 1]]), "head of household")
    refused(filled(world, household_rows=[[1, "Khu 3", "", "", "A B", "12345", 1]]), "phone")
    refused(filled(world, household_rows=[[1, "Khu 3", "", "", "A B", "", "nhiều"]]), "members")
    refused(
        filled(
            world,
            household_rows=[
                [1, "Khu 3", "X-1", "", "A", "", 1],
                [2, "Khu 4", "X-1", "", "B", "", 1],
            ],
        ),
        "appears twice",
    )
    refused(
        filled(world, household_rows=[[1, "Khu 3", "08122-01-001", "", "A", "", 1]]),
        "another commune",
    )
    # a valid row next to a wrong one: the valid one is not written either
    refused(
        filled(
            world, area_rows=[[1, "Khu", "8", ""]], household_rows=[[1, "Khu 8", "", "", "", "", 1]]
        ),
        "head of household",
    )
    # wrong columns
    wb = openpyxl.Workbook()
    wb.active.title = areas.AREA_SHEET
    wb.active.append(["Tên", "Số hộ"])
    refused(save(wb), "Loại khu")
    # not the template at all
    wb = openpyxl.Workbook()
    wb.active.append(["a", "b"])
    refused(save(wb), "not the Cầu Nối template")
    refused(b"STT;Khu\n1;Khu 3\n", "not an Excel")


@pytest.mark.django_db
def test_nfd_and_empty_rows(world):
    data = filled(
        world,
        area_rows=[
            [None, None, None, None],
            [1, "Xóm", unicodedata.normalize("NFD", "Đồi Chè"), ""],
        ],
        household_rows=[[1, "Xóm Đồi Chè", "", "", "Ðinh Văn Hải", "", 3]],
    )
    report = areas.import_template(data, actor=world.officer_a, commune=world.commune_a)
    assert report.ok, report.errors
    assert Unit.objects.filter(level=Level.AREA, name="Xóm Đồi Chè").exists()
    assert Household.objects.filter(representative_name="Đinh Văn Hải").exists()
    notes = " ".join(f.message for f in report.fixes)
    assert "empty rows skipped" in notes and "normalised" in notes


@pytest.mark.django_db
def test_a_sheet_with_too_many_rows_is_refused_before_it_is_read_whole(world, monkeypatch):
    """A small .xlsx can unpack to millions of rows: the reading stops at the limit (issue 13,
    item 4), with a clear message, and nothing is written."""
    from caunoi.territory.importers import xlsx

    monkeypatch.setattr(xlsx, "MAX_ROWS", 20)
    before = snapshot_counts()
    rows = [[i, "Khu 3", "", "", f"Người {i}", "", 1] for i in range(1, 30)]
    report = areas.import_template(
        filled(world, household_rows=rows), actor=world.officer_a, commune=world.commune_a
    )
    assert not report.ok and "more than 20 rows" in report.errors[0].message
    assert snapshot_counts() == before
