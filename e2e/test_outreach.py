"""The head of Khu 3 publishes a notice; the resident says "Đã biết" on a 360 px phone; the head's
reach page shows who is missing, reminds only them and marks one told after a visit."""

import datetime
import re
from pathlib import Path

import pytest
from harness import audit, exact, phone_sign_in, sign_in, t, visit
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_notice_reaches_every_household(e2e_world, e2e_settings, new_page):
    from caunoi.outreach import services
    from caunoi.territory.services import household_create

    e2e_settings.SMS_BACKEND = "file"
    e2e_settings.ZALO_BACKEND = "file"
    w = e2e_world
    household_create(
        actor=None, area=w.area_a1, code="08119-03-002", address="Số 8, ngõ 2, Khu 3",
        representative_name="Trần Văn Tú", representative_phone="0912000112", members=2,
    )  # fmt: skip
    services.channel_decision_record(
        actor=w.head_a1, area=w.area_a1, channel="sms",
        decision="Biên bản họp khu dân cư ngày 12/03/2022", decided_on=datetime.date(2022, 3, 12),
    )  # fmt: skip
    head, resident = new_page("phone"), new_page("phone")
    phone_sign_in(head, e2e_settings, w.head_a1.phone)
    phone_sign_in(resident, e2e_settings, w.resident_a1.phone)

    # The head writes and publishes the notice.
    visit(head, f"/khu/{w.area_a1.code}/thong-bao/", "outreach-area-empty")
    head.get_by_role("link", name=exact("Write a notice")).click()
    audit(head, "outreach-new")
    head.get_by_role("button", name=exact("Continue")).click()
    expect(head.get_by_role("alert")).to_contain_text(t("Write a title."))
    audit(head, "outreach-new-error")
    head.get_by_label(t("Title")).fill("Họp khu dân cư tháng 6")
    head.get_by_label(t("Text of the notice")).fill(
        "Mời đại diện các hộ họp lúc 19:30 ngày 13/06/2022 tại nhà văn hóa Khu 3."
    )
    head.get_by_label(t("Category")).select_option("meeting")
    head.get_by_role("button", name=exact("Continue")).click()
    expect(head.get_by_role("heading", level=1)).to_have_text(t("Check and publish"))
    audit(head, "outreach-confirm")
    head.locator("form[action$='/khong-dau/']").get_by_role("button").click()
    head.get_by_role("button", name=exact("Publish the notice")).click()
    expect(head.get_by_role("heading", level=1)).to_have_text(t("Who has been reached"))
    expect(head.get_by_role("main")).to_contain_text("Số 8, ngõ 2, Khu 3")
    audit(head, "outreach-reach-before")
    sms = Path(e2e_settings.SMS_FILE_PATH).read_text(encoding="utf-8")
    assert "Hop khu dan cu thang 6" in sms  # the unaccented SMS went out

    # The resident sees it as new and says "Đã biết".
    visit(resident, "/", "outreach-resident-home")
    new = resident.get_by_role("main").locator("a[href='/thong-bao-cua-toi/']")
    expect(new).to_contain_text("1")  # "1 new notice"
    new.click()
    audit(resident, "outreach-mine")
    resident.get_by_role("link", name=re.compile("Họp khu dân cư tháng 6")).click()
    audit(resident, "outreach-notice")
    resident.get_by_role("button", name=exact("Got it")).click()
    expect(resident.get_by_role("status")).to_be_visible()
    audit(resident, "outreach-notice-acknowledged")

    # The head sees who is missing, reminds only them, then marks one told after a visit.
    head.reload()
    main = head.get_by_role("main")
    expect(main).not_to_contain_text("Số 1, Khu 3")
    expect(main).to_contain_text("Số 8, ngõ 2, Khu 3")
    head.locator("form[action$='/nhac/']").get_by_role("button").click()
    expect(head.get_by_role("status")).to_be_visible()
    audit(head, "outreach-reach-reminded")
    head.get_by_role("link", name=re.compile("08119-03-002")).click()
    audit(head, "outreach-mark")
    head.get_by_label(t("Told in person at a visit")).check()
    head.get_by_role("button", name=exact("The household knows it")).click()
    expect(head.get_by_role("main")).to_contain_text(t("Every household knows this notice."))
    audit(head, "outreach-reach-all")

    # Everyone may read the public notice; the print for the board is a PDF.
    anonymous = new_page("phone")
    visit(anonymous, f"/khu/{w.area_a1.code}/", "outreach-area-public")
    anonymous.get_by_role("link", name=re.compile("Họp khu dân cư tháng 6")).click()
    audit(anonymous, "outreach-notice-public")
    expect(anonymous.locator("meta[property='og:title']")).to_have_attribute(
        "content", "Họp khu dân cư tháng 6"
    )


def test_commune_officer_sends_to_every_area_and_sees_reach_per_area(e2e_world, desktop, new_page):
    w = e2e_world
    sign_in(desktop, "xa_a")
    visit(desktop, "/xa/08119/", "outreach-commune-page")
    desktop.get_by_role("link", name=exact("Write a notice")).click()
    audit(desktop, "outreach-commune-new")
    desktop.get_by_label(t("Title")).fill("Lịch tiêm chủng mở rộng tháng 7")
    desktop.get_by_label(t("Text of the notice")).fill("Trạm y tế xã tiêm chủng ngày 05/07/2022.")
    desktop.get_by_label(t("Category")).select_option("health")
    desktop.get_by_role("button", name=exact("Continue")).click()
    expect(desktop.get_by_role("main")).to_contain_text(w.area_a1.name)
    desktop.get_by_role("button", name=exact("Publish the notice")).click()
    expect(desktop.get_by_role("heading", level=1)).to_have_text(t("Who has been reached"))
    audit(desktop, "outreach-commune-reach")
    visit(desktop, "/xa/08119/thong-bao/", "outreach-commune-ground")
    table = desktop.get_by_role("table")
    expect(table).to_contain_text("Khu 3")
    expect(table).to_contain_text("Khu 4")
    # The province (2022: with districts) sees the same notice rolled up to its district.
    province = new_page("phone")
    sign_in(province, "tinh")
    visit(province, "/tinh/25/thong-bao/", "outreach-province-ground")
    expect(province.get_by_role("columnheader").first).to_have_text(t("District"))
    expect(province.get_by_role("table")).to_contain_text(w.district.name)
