"""The province's report in the browser, at 360 px and on a desktop: the province officer reads
the year's report, sorts a table by a link, drills down to a residential area and its head's
scorecard; publishes the survey's results, which a resident reads without an account."""

import pytest
from harness import audit, exact, sign_in, t, visit
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _data(world):

    from caunoi.surveys import services as surveys
    from caunoi.surveys.models import Channel
    from caunoi.testing import send_directive, survey_campaign

    campaign = survey_campaign(world)
    rows = [(world.area_a1, {"danh_gia": "rat_tot"})] * 7 + [
        (world.area_b1, {"danh_gia": "hieu_qua"})
    ] * 6
    surveys.responses_bulk(campaign=campaign, rows=rows, channel=Channel.IMPORT)
    send_directive(world, body="Lập danh sách.")
    return campaign


@pytest.mark.parametrize("kind", ["phone", "desktop"])
def test_province_report_drills_down_to_an_area(e2e_world, new_page, kind):
    _data(e2e_world)
    page = new_page(kind)
    sign_in(page, "tinh")
    visit(page, f"/tinh/{e2e_world.province.code}/bao-cao/", f"report-province-{kind}")
    main = page.get_by_role("main")
    expect(main).to_contain_text(t("Lesson 5: work handed out early"))
    expect(main.locator("svg[role=img]").first).to_be_visible()
    page.get_by_role("link", name=t("Median lead time (working days)")).first.click()
    audit(page, f"report-sorted-{kind}")
    assert "xep=directives.lead" in page.url
    page.get_by_role("region", name=t("Structure")).get_by_role("link", name="Thanh Ba").click()
    audit(page, f"report-district-{kind}")
    page.get_by_role("region", name=t("Structure")).get_by_role("link", name="Đồng Xuân").click()
    audit(page, f"report-commune-{kind}")
    page.get_by_role("region", name=t("Structure")).get_by_role("link", name="Khu 3").click()
    audit(page, f"report-area-{kind}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Khu 3")
    page.get_by_role("link", name=t("The head's scorecard")).click()
    audit(page, f"scorecard-{kind}")
    expect(page.get_by_role("main")).to_contain_text(t("How it is computed"))


def test_results_published_and_read_without_an_account(e2e_world, desktop, phone):
    _data(e2e_world)
    sign_in(desktop, "tinh")
    visit(desktop, f"/tinh/{e2e_world.province.code}/bao-cao/", "report-before-publishing")
    desktop.get_by_role("link", name=t("Publish these results for residents")).click()
    audit(desktop, "publish-confirm")
    desktop.get_by_label(t("A note for residents (optional)")).fill("Cảm ơn bà con đã tham gia")
    desktop.get_by_role("button", name=exact("Publish")).click()
    audit(desktop, "published")
    address = desktop.url
    visit(phone, address.replace(desktop.url.split("/cong-khai")[0], ""), "published-phone")
    expect(phone.get_by_role("main")).to_contain_text("Cảm ơn bà con đã tham gia")
    expect(phone.get_by_role("main")).not_to_contain_text("Khu 3")
