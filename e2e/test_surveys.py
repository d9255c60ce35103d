"""Surveys in the browser: a household answers on a 360 px phone with its one-time code and cannot
answer twice; a clerk types paper sheets with the keyboard only; the results page shows them."""

import pytest
from harness import audit, exact, sign_in, t, visit
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def campaign(e2e_world):
    from caunoi.testing import survey_campaign

    return survey_campaign(e2e_world, "Đánh giá trưởng khu 2026", actor=None, target=10)


def test_household_answers_once_with_its_code(e2e_world, campaign, phone):
    from caunoi.core.codes import format_code
    from caunoi.surveys import services
    from caunoi.surveys.models import Response

    ((_household, code),) = services.invitations_issue(
        actor=None, campaign=campaign, area=e2e_world.area_a1
    )
    visit(phone, "/tra-loi/", "survey-code")
    phone.get_by_label(t("Your one-time code")).fill(format_code(code))
    phone.get_by_role("button", name=exact("Continue")).click()
    audit(phone, "survey-answer")
    phone.get_by_role("button", name=exact("Send my answers")).click()
    expect(phone.get_by_role("alert")).to_contain_text(t("This question needs an answer."))
    audit(phone, "survey-answer-error")
    phone.get_by_label("Rất tốt").check()
    phone.get_by_role("group", name="Gia đình có nhận được thông báo").get_by_label("Có").check()
    phone.get_by_role("button", name=exact("Send my answers")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(t("Thank you"))
    audit(phone, "survey-thanks")
    visit(phone, f"/tra-loi/{code}/", "survey-already")
    expect(phone.get_by_role("alert")).to_contain_text(
        t(
            "Your household has already answered this survey. "
            "Thank you: each household answers once."
        )
    )
    assert Response.objects.count() == 1
    assert Response.objects.get().answers == {"danh_gia": "rat_tot", "thong_bao": "co"}


def test_clerk_types_paper_sheets_by_keyboard(e2e_world, campaign, desktop):
    from caunoi.surveys.models import Response

    sign_in(desktop, "xa_a")
    url = f"/khao-sat/{campaign.pk}/xa/{e2e_world.commune_a.code}/phieu-giay/"
    visit(desktop, url, "survey-paper")
    kb = desktop.keyboard
    for sheet, choice_downs in (("1", 0), ("2", 1)):
        expect(desktop.get_by_label(t("Sheet number"))).to_be_focused()  # autofocus
        kb.type(sheet)
        kb.press("Tab")
        kb.type(e2e_world.area_a1.code)
        kb.press("Tab")  # the one-time code: none on this sheet
        kb.press("Tab")  # into the first question's radio group
        kb.press("Space")
        for _i in range(choice_downs):
            kb.press("ArrowDown")
        kb.press("Enter")
        expect(desktop.get_by_role("status")).to_contain_text(sheet)
    audit(desktop, "survey-paper-saved")
    assert sorted(r.answers["danh_gia"] for r in Response.objects.all()) == ["hieu_qua", "rat_tot"]
    visit(desktop, f"/khao-sat/{campaign.pk}/xa/{e2e_world.commune_a.code}/", "survey-results")
    expect(desktop.get_by_role("main")).to_contain_text("50,0%")


def test_results_on_a_phone(e2e_world, campaign, phone):
    from caunoi.surveys import services
    from caunoi.surveys.models import Channel

    rows = [(e2e_world.area_a1, {"danh_gia": "rat_tot"})] * 7 + [
        (e2e_world.area_b1, {"danh_gia": "hieu_qua"})
    ] * 6
    services.responses_bulk(campaign=campaign, rows=rows, channel=Channel.IMPORT)
    sign_in(phone, "tinh")
    visit(phone, f"/khao-sat/{campaign.pk}/tinh/{e2e_world.province.code}/", "survey-province")
    expect(phone.get_by_role("main")).to_contain_text("53,8%")
    visit(phone, f"/khao-sat/{campaign.pk}/huyen/{e2e_world.district.code}/", "survey-district")
    phone.get_by_role("button", name=exact("Compare")).click()
    audit(phone, "survey-compare")
    expect(phone.get_by_role("main")).to_contain_text(t("meaningful"))
