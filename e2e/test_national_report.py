"""The national report in the browser, at 360 px and on a desktop: the system administrator finds
it on the home page, reads every province's line and drills down to a province's report."""

import pytest
from harness import audit, sign_in, t, visit
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("kind", ["phone", "desktop"])
def test_national_report_drills_down_to_a_province(e2e_world, new_page, kind):
    from caunoi.people.models import Role
    from caunoi.testing import give, make_person

    give(make_person("Quản trị", username="quantri"), Role.SYSADMIN, None)
    page = new_page(kind)
    sign_in(page, "quantri")
    visit(page, "/", f"national-home-{kind}")
    page.get_by_role("link", name=t("The report of the whole country")).click()
    audit(page, f"national-report-{kind}")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_contain_text(t("Viet Nam"))
    expect(main).to_contain_text(t("Lesson 5: work handed out early"))
    page.get_by_role("region", name=t("Structure")).get_by_role("link", name="Phú Thọ").click()
    audit(page, f"national-province-{kind}")
    assert f"/tinh/{e2e_world.province.code}/bao-cao/" in page.url
