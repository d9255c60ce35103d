"""The Khu 3 head names his daughter with a code sent to his phone; she answers a resident's
question, which then shows "trả lời thay trưởng khu"; the head sees it and ends the delegation."""

import datetime
import re

import pytest
from harness import audit, exact, last_code, phone_sign_in, t, visit
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_daughter_answers_for_her_father(e2e_world, e2e_settings, new_page):
    from caunoi.feedback import services as feedback
    from caunoi.testing import make_person

    e2e_settings.SMS_BACKEND = "file"
    e2e_settings.OTP_RESEND_SECONDS = 1  # the head signed in with a code a moment ago
    w = e2e_world
    daughter = make_person("Hoàng Thị Lan", phone="0912000099", password=None)
    roads = feedback.category_create(actor=None, commune=w.commune_a, name="Đường giao thông")
    req = feedback.request_create(
        actor=w.resident_a1, area=w.area_a1, category=roads, public=True,
        text="Đường vào xóm bị sụt lún sau mưa.",
    )  # fmt: skip

    head, helper = new_page("phone"), new_page("phone")
    phone_sign_in(helper, e2e_settings, daughter.phone)  # she has signed in once
    phone_sign_in(head, e2e_settings, w.head_a1.phone)
    visit(head, "/nguoi-giup/", "delegation-new")
    head.get_by_label(t("Helper's phone number")).fill("0912 000 099")
    head.get_by_label(t("Answer residents' questions")).check()
    end = datetime.date.today() + datetime.timedelta(days=30)
    head.get_by_label(
        re.compile(re.escape(t("Until (the helper can no longer act from this day)")))
    ).fill(end.isoformat())
    head.get_by_role("button", name=exact("Send me the code")).click()
    expect(head.get_by_role("heading", level=1)).to_have_text(t("Confirm your helper"))
    audit(head, "delegation-confirm")
    head.get_by_label(t("Code from the SMS")).fill(
        last_code(e2e_settings.SMS_FILE_PATH, w.head_a1.phone)
    )
    head.get_by_role("button", name=exact("Confirm")).click()
    expect(head.get_by_role("main")).to_contain_text("Hoàng Thị Lan")
    audit(head, "delegation-list")

    visit(helper, f"/hoi-dap/{req.pk}/tra-loi/", "delegation-helper-answers")
    helper.get_by_label(t("Your answer"), exact=True).fill("Khu đã báo xã, tuần sau sửa.")
    helper.get_by_role("main").get_by_role("button").last.click()
    helper.wait_for_load_state("load")

    visit(head, f"/hoi-dap/{req.pk}/", "delegation-answer-shown")
    expect(head.get_by_role("main")).to_contain_text("trả lời thay trưởng khu Hoàng Văn Sơn")
    visit(head, "/nguoi-giup/", "delegation-done-for-me")
    head.get_by_role("button", name=exact("End now")).click()
    expect(head.get_by_role("main")).to_contain_text(t("Ended"))
    helper.goto(f"/hoi-dap/{req.pk}/tra-loi/")
    assert helper.locator("h1").inner_text() != t("Answer")
