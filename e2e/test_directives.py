"""Lesson 5 in the browser: the Đồng Xuân officer hands a rushed task to three heads (warned,
gives a reason), a head acknowledges and completes it on a 360 px phone without JavaScript, and the
officer and the province see the completion and the rushed-work figures move."""

import re

import pytest
from harness import audit, exact, last_code, sign_in, t, visit
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def no_script(page) -> None:
    """No script but the offline layer every signed-in page loads (progressive: the page works
    without it)."""
    others = page.locator("script:not([src*='caunoi-offline'])")
    assert others.count() == 0, f"{page.url} carries a script"


def third_area_with_heads(world):
    from caunoi.people.models import Role
    from caunoi.territory.models import AreaType, Kind
    from caunoi.territory.services import unit_create
    from caunoi.testing import give, make_person

    area = unit_create(
        actor=None,
        kind=Kind.AREA,
        code="08119-05",
        name="Khu 5",
        short_name="Khu 5",
        parent=world.commune_a,
        area_type=AreaType.KHU,
    )
    give(make_person("Phan Thị Lan", phone="0912000005", password=None), Role.HEAD, world.area_a2)
    give(make_person("Cao Văn Toàn", phone="0912000006", password=None), Role.HEAD, area)
    return area


def test_rushed_task_to_three_heads_done_on_a_phone_and_seen_by_the_province(
    e2e_world, e2e_settings, new_page
):
    from django.utils import timezone

    from caunoi.core.workdays import add_working_days

    e2e_settings.SMS_BACKEND = "file"
    third_area_with_heads(e2e_world)
    due = add_working_days(timezone.localdate(), 2).strftime("%d/%m/%Y")

    # The commune officer writes the task and is warned before sending.
    officer = new_page("phone")
    sign_in(officer, "xa_a")
    visit(officer, "/xa/08119/nhiem-vu/", "directives-commune-empty")
    officer.get_by_role("link", name=exact("Hand out a task")).click()
    audit(officer, "directive-new")
    officer.get_by_label(t("Title")).fill("Phòng chống bão số 3")
    officer.get_by_label(t("What the heads must do")).fill(
        "Kiểm tra nhà yếu, báo số hộ cần sơ tán."
    )
    officer.get_by_label(t("Category", context="task")).select_option("disaster")
    officer.get_by_label(t("Due date")).fill(due)
    for place in ("Khu 3", "Khu 4", "Khu 5"):
        officer.get_by_label(place, exact=True).check()
    officer.get_by_role("button", name=exact("Check before sending")).click()
    expect(officer.locator("#warn-lead")).to_be_visible()
    audit(officer, "directive-send-warned")
    officer.get_by_role("button", name=exact("Send anyway")).click()
    expect(officer.get_by_role("alert")).to_be_visible()  # no reason given: refused, kept
    audit(officer, "directive-send-no-reason")
    officer.get_by_label(t("Why it must go now")).fill("Bão số 3 — khẩn")
    officer.get_by_role("button", name=exact("Send anyway")).click()
    expect(officer.get_by_role("status")).to_contain_text("3")
    expect(officer.get_by_role("main")).to_contain_text("Bão số 3 — khẩn")
    audit(officer, "directive-detail-sent")

    # The head of Khu 3 signs in with a code and works the task on the phone. The pages carry no
    # script at all (asserted on each), so the flow is the same with JavaScript off; axe itself
    # needs JavaScript to run.
    head = new_page("phone")
    head.goto("/dang-nhap/so-dien-thoai/")
    head.get_by_label(t("Phone number")).fill("0912000001")
    head.get_by_role("button", name=exact("Send me a code")).click()
    head.get_by_label(t("Code from the SMS")).fill(
        last_code(e2e_settings.SMS_FILE_PATH, "0912000001")
    )
    head.get_by_role("main").get_by_role("button", name=exact("Sign in")).click()
    audit(head, "head-home-with-task")  # screen 1: home, the task listed
    no_script(head)
    head.get_by_role("link", name=re.compile("Phòng chống bão số 3")).click()
    audit(head, "head-task")  # screen 2: the task with big buttons
    no_script(head)
    head.get_by_role("button", name=re.compile(re.escape(t("Received")))).click()
    expect(head.get_by_role("status")).to_be_visible()
    audit(head, "head-task-received")
    head.get_by_role("link", name=exact("Done")).click()
    audit(head, "head-task-complete-form")  # screen 3: the evidence form
    no_script(head)
    head.get_by_role("button", name=exact("Mark as done")).click()
    expect(head.get_by_role("alert")).to_contain_text(t("Write in a few words what was done."))
    head.get_by_label(t("What was done")).fill("Đã kiểm tra 12 nhà yếu, 3 hộ cần sơ tán.")
    head.get_by_label(t("Households reached")).fill(
        "1"
    )  # the area has one household: more is refused (issue 12 item 5)
    head.get_by_role("button", name=exact("Mark as done")).click()
    expect(head.get_by_role("main")).to_contain_text(t("Done"))
    audit(head, "head-task-done")

    # The officer sees the completion; the province sees lesson 5 move.
    officer.reload()
    expect(officer.get_by_role("main")).to_contain_text("1/3")
    audit(officer, "directive-detail-one-done")
    visit(officer, "/xa/08119/nhiem-vu/", "directives-commune-after")
    commune_figures = officer.get_by_role("main").locator("dl.figures")
    expect(commune_figures).to_contain_text("100,0%")  # sent below the minimum lead time
    expect(officer.get_by_role("main")).to_contain_text(t("Rushed"))
    province = new_page("desktop")
    sign_in(province, "tinh")
    visit(province, "/tinh/25/nhiem-vu/", "directives-province")
    figures = province.get_by_role("main").locator("dl.figures")
    expect(figures).to_contain_text("100,0%")  # every task sent below the minimum lead time
    expect(figures).to_contain_text("33,3%")  # one of three areas done
    expect(province.get_by_role("table").last).to_contain_text("Đồng Xuân")
