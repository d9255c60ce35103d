"""A commune officer's work in the browser: appoint and end mandates, read the change log, keep the
residential areas (add, rename, merge with a confirmation, import the Excel template)."""

import re
from pathlib import Path

import pytest
from harness import audit, exact, sign_in, t
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def appoint(page, place: str, role: str, phone_number: str, name: str) -> None:
    page.get_by_label(t("Place")).select_option(label=place)
    page.get_by_label(t("Role")).select_option(label=role)
    page.get_by_label(t("Phone number")).fill(phone_number)
    page.get_by_label(t("Full name")).fill(name)
    page.get_by_label(t("From"), exact=True).fill("01/07/2024")
    page.get_by_role("button", name=exact("Appoint")).click()


def test_appoint_a_deputy_end_the_mandate_and_read_the_change_log(e2e_world, phone):
    sign_in(phone, "xa_a")
    phone.goto("/xa/08119/")
    phone.get_by_role("link", name=exact("Officials and heads")).click()
    audit(phone, "mandates")
    appoint(phone, "Khu 3", t("Deputy head"), "0912 555 666", "Ngô Thị Lan")
    expect(phone.get_by_role("status")).to_contain_text("Ngô Thị Lan")
    audit(phone, "mandates-after-appoint")
    # A second head for Khu 3 is refused with the rule in words.
    appoint(phone, "Khu 3", t("Head of residential area"), "0912 555 777", "Lê Văn Hòa")
    expect(phone.get_by_role("alert")).to_be_visible()
    audit(phone, "mandates-second-head")
    phone.get_by_role("link", name=re.compile("Ngô Thị Lan")).click()
    audit(phone, "mandate-end")
    phone.get_by_label(t("End date")).fill("01/01/2025")
    phone.get_by_role("button", name=exact("End the mandate")).click()
    expect(phone.get_by_role("status")).to_contain_text("Ngô Thị Lan")
    phone.goto("/xa/08119/")
    phone.get_by_role("link", name=exact("Change log")).click()
    expect(phone.get_by_role("main")).to_contain_text("Ngô Thị Lan")
    audit(phone, "audit-log")


def test_add_rename_and_merge_areas(e2e_world, phone):
    sign_in(phone, "xa_a")
    phone.goto("/xa/08119/")
    phone.get_by_role("link", name=exact("Add a residential area")).click()
    audit(phone, "area-add")
    phone.get_by_label(t("Type")).select_option(label="Thôn")
    phone.get_by_label(t("Name or number")).fill("Đồng Lạng")
    phone.get_by_role("button", name=exact("Add the area")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Thôn Đồng Lạng")
    phone.get_by_role("link", name=exact("Rename this area")).click()
    audit(phone, "area-rename")
    phone.get_by_label(t("New name or number")).fill("Đồng Lạng Mới")
    phone.get_by_label(t("It is only a typing mistake (correct the name, no decision)")).check()
    phone.get_by_role("button", name=exact("Save the new name")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Thôn Đồng Lạng Mới")

    phone.goto("/xa/08119/")
    phone.get_by_role("link", name=exact("Merge residential areas")).click()
    audit(phone, "areas-merge")
    areas = phone.get_by_role("group", name=t("Areas to merge"))
    areas.get_by_label("Khu 3").check()
    areas.get_by_label("Khu 4").check()
    phone.get_by_role("group", name=t("The merged area keeps the code of")).get_by_label(
        "Khu 3"
    ).check()
    phone.get_by_label(t("Effective date")).fill("2025-01-01")
    phone.get_by_label(t("Decision number")).fill("25/QĐ-UBND")
    phone.get_by_role("button", name=exact("Continue")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(t("Check the merger"))
    audit(phone, "areas-merge-confirm")
    phone.get_by_role("button", name=exact("Merge these areas")).click()
    expect(phone.get_by_role("status")).to_contain_text("08119-03")
    phone.goto("/xa/08119/?ngay=2024-12-31")
    expect(phone.get_by_role("main")).to_contain_text("Khu 4")
    audit(phone, "commune-before-merger")


def test_template_download_and_import(e2e_world, phone, tmp_path):
    import openpyxl

    sign_in(phone, "xa_a")
    phone.goto("/xa/08119/")
    phone.get_by_role("link", name=exact("Import areas and households (Excel)")).click()
    audit(phone, "area-import")
    with phone.expect_download() as download:
        phone.get_by_role("link", name=exact("Download the template (.xlsx)")).click()
    path = tmp_path / "mau.xlsx"
    download.value.save_as(path)
    book = openpyxl.load_workbook(path)
    households = book["Hộ gia đình"]
    header = [c.value for c in households[1]]
    row = [None] * len(header)
    row[header.index(next(h for h in header if "Khu" in str(h)))] = "Khu 4"
    row[header.index(next(h for h in header if "Chủ hộ" in str(h)))] = "Phan Văn Đức"
    row[header.index(next(h for h in header if "nhân khẩu" in str(h).lower()))] = 3
    households.append(row)
    book.save(path)
    phone.get_by_label(t("Filled-in template (.xlsx)")).set_input_files(str(path))
    phone.get_by_role("button", name=exact("Upload and import")).click()
    expect(phone.get_by_role("status").first).to_contain_text("Xã Đồng Xuân")
    phone.goto("/khu/08119-04/ho/")
    expect(phone.get_by_role("main")).to_contain_text("Phan Văn Đức")


def test_province_import_refusal_is_reported_row_by_row(e2e_world, phone, tmp_path):
    """A list that contradicts what Cầu Nối holds is refused whole, with the rows to correct."""
    fake = tmp_path / "danh-sach.xlsx"
    fake.write_text("this is not a spreadsheet", encoding="utf-8")
    sign_in(phone, "tinh")
    phone.goto("/tinh/25/")
    phone.get_by_role("link", name=exact("Import administrative units")).click()
    audit(phone, "province-import")
    phone.get_by_label(t("List of units")).set_input_files(str(fake))
    phone.get_by_role("button", name=exact("Upload and import")).click()
    expect(phone.get_by_role("alert").first).to_be_visible()
    audit(phone, "province-import-refused")
    data = Path(__file__).resolve().parent.parent / "src/caunoi/demo/data/phu_tho_2022.json"
    phone.get_by_label(t("List of units")).set_input_files(str(data))
    phone.get_by_role("button", name=exact("Upload and import")).click()
    needs_decision = t(
        "This list changes %(changed)d existing units and retires %(retired)d: give the "
        "effective date and the decision that ordered the change."
    ) % {"changed": 3, "retired": 0}
    expect(phone.get_by_role("region", name=t("What is wrong"))).to_contain_text(needs_decision)
    audit(phone, "province-import-report")


def test_the_head_register_of_the_commune_and_of_the_province(e2e_world, phone, new_page):
    sign_in(phone, "xa_a")
    phone.goto("/xa/08119/")
    phone.get_by_role("link", name=exact("Officials and heads")).click()
    phone.get_by_role("link", name=exact("Heads register and alerts")).click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text(t("Heads register"))
    main = phone.get_by_role("main")
    expect(main).to_contain_text("1/2")  # heads in post / areas
    expect(main).to_contain_text("Hoàng Văn Sơn")
    audit(phone, "register-commune")
    province = new_page("desktop")
    sign_in(province, "tinh")
    province.goto("/tinh/25/truong-khu/")
    expect(province.get_by_role("main")).to_contain_text("2/3")
    audit(province, "register-province")


def test_province_check_then_send_an_area_of_a_divided_commune_elsewhere(
    e2e_world, phone, tmp_path
):
    """Today's list is checked first (nothing saved); the officer sees the default new commune of
    each area of Xã Kim Hoa (divided by the 2025 reform), sends Thôn 10 to Tiến Thắng, imports."""
    import json

    from caunoi.territory.models import AreaType, Kind, Unit
    from caunoi.territory.services import unit_create

    kim_hoa = unit_create(
        actor=None, kind=Kind.COMMUNE, code="08977", name="Xã Kim Hoa", short_name="Kim Hoa",
        parent=e2e_world.district,
    )  # fmt: skip
    for n in (2, 10):
        unit_create(
            actor=None, kind=Kind.AREA, code=f"08977-{n:02}", name=f"Thôn {n}",
            short_name=f"Thôn {n}", parent=kim_hoa, area_type=AreaType.THON,
        )  # fmt: skip
    data = tmp_path / "phu-tho-2025.json"
    wards = [("Xã Đồng Xuân", 8119), ("Xã Quang Minh", 8974), ("Xã Tiến Thắng", 8995)]
    data.write_text(
        json.dumps(
            [
                {
                    "name": "Phú Thọ",
                    "code": 25,
                    "division_type": "tỉnh",
                    "wards": [{"name": n, "code": c, "division_type": "xã"} for n, c in wards],
                }
            ]
        ),
        encoding="utf-8",
    )
    mapping = tmp_path / "doi.csv"
    mapping.write_text("old,new\n08122,08119\n", encoding="utf-8")
    sign_in(phone, "tinh")
    phone.goto("/tinh/25/nhap/")
    phone.get_by_label(t("List of units")).set_input_files(str(data))
    phone.get_by_label(t("Changes to the mapping (optional)")).set_input_files(str(mapping))
    phone.get_by_label(t("Effective date")).fill("2025-07-01")  # a date input
    phone.get_by_label(t("Decision number")).fill("1676/NQ-UBTVQH15")
    phone.get_by_role("button", name=exact("Check without saving")).click()
    expect(phone.get_by_role("main")).to_contain_text(t("Preview: nothing was saved"))
    choice = phone.get_by_label(t("New commune of %(area)s") % {"area": "Thôn 10"}, exact=True)
    expect(choice).to_have_value("08974")  # the default: Quang Minh
    audit(phone, "province-import-check")
    choice.select_option("08995")
    phone.get_by_role("button", name=exact("Import for real")).click()
    expect(phone.get_by_role("main")).to_contain_text(t("Imported"))
    audit(phone, "province-import-done")
    assert Unit.objects.get(code="08977-10").parent.code == "08995"
    assert Unit.objects.get(code="08977-02").parent.code == "08974"
