"""Signed-in pages kept per session (`caunoi.core.pagecache.reader_page`), in the browser with
the cache on as in production: the head's inbox and the resident's home are answered from the
cache on a second visit, and a tap of either (a task received, a notice known) shows on the next
visit, never the kept copy. On 360 px phones, with axe on every page."""

import datetime
import re

import pytest
from harness import audit, exact, phone_sign_in, t, visit
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_inbox_and_the_home_follow_the_head_and_the_residents_taps(
    e2e_world, e2e_settings, new_page
):
    from django.core.cache import cache

    from caunoi.directives import services as directives
    from caunoi.outreach import services as outreach

    e2e_settings.PAGE_CACHE_SECONDS = 60
    e2e_settings.SMS_BACKEND = "file"
    cache.clear()
    world = e2e_world
    task = directives.directive_create(
        actor=world.officer_a, commune=world.commune_a, title="Rà soát hộ nghèo",
        body="Lập danh sách hộ nghèo của khu.", category="social",
        due_date=datetime.date.today() + datetime.timedelta(days=20), areas=[world.area_a1],
    )  # fmt: skip
    directives.directive_send(actor=world.officer_a, directive=task)
    notice = outreach.notice_create(
        actor=world.head_a1, unit=world.area_a1, areas=[world.area_a1], title="Lịch tiêm phòng",
        body="Tiêm phòng dại cho chó mèo sáng Chủ nhật.", category="health",
    )  # fmt: skip
    outreach.notice_publish(actor=world.head_a1, notice=notice)

    # The head: the inbox twice (the second from the cache), the task received, the inbox again.
    head = new_page("phone")
    phone_sign_in(head, e2e_settings, "0912000001")
    visit(head, "/viec/", "kept-inbox")
    visit(head, "/viec/", "kept-inbox-again")
    row = head.get_by_role("link", name=re.compile("Rà soát hộ nghèo"))
    expect(row).to_contain_text(t("Not yet received"))
    row.click()
    head.get_by_role("button", name=re.compile(re.escape(t("Received")))).click()
    expect(head.get_by_role("status")).to_be_visible()
    visit(head, "/viec/", "kept-inbox-after")
    row = head.get_by_role("link", name=re.compile("Rà soát hộ nghèo"))
    expect(row).not_to_contain_text(t("Not yet received"))
    expect(row).to_contain_text(t("Received"))

    # The resident: "1 new notice" on the home page twice, the notice known, the home again.
    resident = new_page("phone")
    phone_sign_in(resident, e2e_settings, "0912000111")
    visit(resident, "/", "kept-home")
    visit(resident, "/", "kept-home-again")
    mine = resident.get_by_role("main").locator("a[href='/thong-bao-cua-toi/']")
    expect(mine).to_contain_text("1")
    mine.click()
    resident.get_by_role("link", name=re.compile("Lịch tiêm phòng")).click()
    resident.get_by_role("button", name=exact("Got it")).click()
    expect(resident.get_by_role("status")).to_be_visible()
    audit(resident, "kept-notice-known")
    visit(resident, "/", "kept-home-after")
    mine = resident.get_by_role("main").locator("a[href='/thong-bao-cua-toi/']")
    expect(mine).to_have_text(t("Your household's notices"))
    cache.clear()
