"""Each role touched by issue 12 (items 8–15, 19), on a 360 px phone: from the role's home page to
its main task done, with JavaScript on and off (axe runs on the pages with it on: it needs script).

- treasurer: home → "Record a contribution" → the household found by its house number → receipt;
- head: home → the waiting question → the answer box → sent;
- resident: home → "Ask the head of Khu 3" → asked;
- commune officer: home → the commune's tasks, the heads to remind first;
- a household: a KoboToolbox form with cascading choices answered, the choices offered by the
  server after a send;
- the Zalo share on a public notice: the copy button only with script; the text and the zalo.me
  link always.
"""

import datetime
import re

import pytest
from harness import audit, check_layout, exact, phone_sign_in, sign_in, t, visit
from playwright.sync_api import expect
from test_funds import treasurer_and_fund

pytestmark = pytest.mark.browser
JS = pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])


def phone_page(new_page, js: bool):
    return new_page("phone", java_script_enabled=js)


def check(page, name: str, js: bool) -> None:
    """Axe, weight and layout with script; the layout (no sideways scroll, target sizes) without,
    and no script needed: none on the page runs."""
    if js:
        audit(page, name)
    else:
        page.wait_for_load_state("load")
        check_layout(page, f"{name}-no-js")


@JS
def test_treasurer_records_a_contribution_from_home(e2e_world, e2e_settings, new_page, js):
    from caunoi.testing import add_household, fund_campaign

    e2e_settings.SMS_BACKEND = "file"
    w = e2e_world
    fund = treasurer_and_fund(w)
    today = datetime.date.today()
    days = today - datetime.timedelta(days=5), today + datetime.timedelta(days=25)
    fund_campaign(w.head_a1, fund, "Đợt thu năm nay", *days)
    add_household(w.area_a1, 12, "Nguyễn Văn An", address="Số 12, Khu 3", members=3)
    page = phone_page(new_page, js)
    phone_sign_in(page, e2e_settings, "0912000005")
    check(page, "treasurer-home", js)
    page.get_by_role("link", name=exact("Record a contribution")).click()
    check(page, "treasurer-contribution-form", js)
    expect(page.get_by_label(t("Date paid"))).to_have_value(today.isoformat())
    page.get_by_label(t("Household")).fill("Số 12")
    page.get_by_label(t("Amount")).fill("100.000")
    page.get_by_role("button", name=exact("Record and issue the receipt")).click()
    expect(page.get_by_role("main")).to_contain_text("PT00001")
    expect(page.get_by_role("main")).to_contain_text("Đợt thu năm nay")
    check(page, "treasurer-receipt", js)


def residents_question(w):
    """The resident of Khu 3 asks its head (the commune's default categories made)."""
    from django.utils import translation

    from caunoi.feedback import services

    with translation.override("vi"):
        category = services.categories_ensure_defaults(actor=None, commune=w.commune_a)[0]
    return services.request_create(
        actor=w.resident_a1, area=w.area_a1, category=category, text="Đèn đường ngõ 3 hỏng."
    )


@JS
def test_head_answers_a_question_from_home(e2e_world, e2e_settings, new_page, js):
    e2e_settings.SMS_BACKEND = "file"
    w = e2e_world
    asked = residents_question(w)
    page = phone_page(new_page, js)
    phone_sign_in(page, e2e_settings, w.head_a1.phone)
    check(page, "head-home-question", js)
    page.get_by_role("link", name=re.compile(f"#{asked.pk}")).click()
    check(page, "head-question-answer-first", js)
    page.get_by_label(t("Your answer")).fill("Tổ đã báo điện lực, mai thay bóng.")
    page.get_by_role("button", name=exact("Send the answer")).click()
    expect(page.get_by_role("status")).to_be_visible()
    check(page, "head-question-answered", js)
    asked.refresh_from_db()
    assert asked.status == "answered" and asked.level == "head"


@JS
def test_resident_asks_the_head_from_home(e2e_world, e2e_settings, new_page, js):
    from django.utils import translation

    from caunoi.feedback import services

    e2e_settings.SMS_BACKEND = "file"
    w = e2e_world
    with translation.override("vi"):
        services.categories_ensure_defaults(actor=None, commune=w.commune_a)
    page = phone_page(new_page, js)
    phone_sign_in(page, e2e_settings, w.resident_a1.phone)
    check(page, "resident-home-ask", js)
    expect(page.get_by_role("heading", name=t("Where you live"))).to_be_visible()
    page.get_by_role("link", name=t("Ask the head of %(area)s") % {"area": "Khu 3"}).click()
    check(page, "resident-ask", js)
    page.get_by_label(t("Category", context="question")).select_option(index=1)
    page.get_by_label(t("Your question or report")).fill("Cống ngõ 5 bị tắc sau mưa.")
    page.get_by_role("button", name=exact("Send the question")).click()
    expect(page.get_by_role("status")).to_contain_text("Khu 3")
    check(page, "resident-asked", js)


@JS
def test_commune_officer_sees_whom_to_remind_first(e2e_world, new_page, js):
    from caunoi.core.workdays import add_working_days
    from caunoi.directives.models import Directive
    from caunoi.testing import send_directive

    w = e2e_world
    due = add_working_days(datetime.date.today(), 10)
    d = send_directive(w, body="Lập danh sách hộ nghèo. " * 80, due=due)
    Directive.objects.filter(pk=d.pk).update(
        due_date=datetime.date.today() - datetime.timedelta(days=2)
    )
    page = phone_page(new_page, js)
    sign_in(page, "xa_a")
    check(page, "officer-home", js)
    page.get_by_role(
        "link", name=t("Tasks for the heads: %(name)s") % {"name": w.commune_a.name}
    ).click()
    check(page, "officer-commune-tasks", js)
    late = page.get_by_role("heading", name=re.compile(re.escape(t("Heads with overdue tasks"))))
    expect(late).to_be_visible()
    assert late.bounding_box()["y"] < 900  # on the first screens, not thousands of px down
    page.get_by_role("link", name="Rà soát hộ nghèo").click()
    check(page, "officer-task-late-first", js)
    reminder = page.get_by_role("heading", name=t("Needs a reminder"))
    assert (
        reminder.bounding_box()["y"]
        < page.get_by_role("heading", name=t("The task")).bounding_box()["y"]
    )


@JS
def test_zalo_sharing_without_and_with_script(e2e_world, new_page, js):
    from caunoi.outreach.tests.factories import publish

    w = e2e_world
    notice = publish(w, body="Mời đại diện các hộ họp lúc 19:30 tại nhà văn hóa.")
    page = phone_page(new_page, js)
    page.goto(notice.get_absolute_url())
    check(page, "notice-zalo", js)
    copy = page.get_by_role("button", name=exact("Copy for Zalo"))
    (expect(copy).to_be_visible() if js else expect(copy).to_be_hidden())
    expect(page.get_by_label(t("Text to paste into the Zalo group"))).to_contain_text(notice.title)
    share = page.get_by_role("link", name=exact("Share the link on Zalo"))
    assert share.get_attribute("href").startswith("https://zalo.me/share?url=http")


@JS
def test_a_household_answers_a_kobo_form_with_cascading_choices(e2e_world, new_page, js):
    from caunoi.surveys import services
    from caunoi.surveys.models import Response
    from caunoi.surveys.tests.test_kobo import kobo_form
    from caunoi.testing import survey_campaign

    w = e2e_world
    today = datetime.date.today()
    form = services.form_import(actor=None, data=kobo_form())
    campaign = survey_campaign(w, "Khảo sát hộ", form=form, target=5)
    ((_household, code),) = services.invitations_issue(
        actor=None, campaign=campaign, area=w.area_a1
    )
    page = phone_page(new_page, js)
    page.goto(f"/tra-loi/{code}/")
    check(page, "kobo-answer", js)
    expect(page.get_by_role("heading", name="Thông tin hộ")).to_be_visible()  # a group
    page.get_by_label("Phú Thọ").check()
    page.get_by_label("Số người trong hộ *").fill("3")
    page.get_by_role("button", name=exact("Send my answers")).click()
    expect(page.get_by_role("alert")).to_be_visible()
    check(page, "kobo-answer-cascade", js)
    expect(page.get_by_label("Ba Đình")).to_have_count(0)  # in Hà Nội, not offered
    page.get_by_label("Hanh Cù").check()
    page.get_by_label("Tốt", exact=True).check()
    page.get_by_role("button", name=exact("Send my answers")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Thank you"))
    response = Response.objects.get()
    assert response.answers["xa"] == "hc"
    # The form's metadata, never asked, are kept: opened on the first page, sent after the second.
    meta = response.meta
    assert set(meta) == {"start", "end", "today"} and meta["start"] < meta["end"]
    assert meta["today"] == today.isoformat()


def test_the_printable_report_fits_a_phone(e2e_world, new_page):
    from caunoi.surveys import services
    from caunoi.testing import survey_campaign

    w = e2e_world
    campaign = survey_campaign(w, target=5)
    from caunoi.surveys.models import Channel

    rows = [(w.area_a1, {"danh_gia": "rat_tot"})] * 12 + [(w.area_b1, {"danh_gia": "hieu_qua"})] * 9
    services.responses_bulk(campaign=campaign, rows=rows, channel=Channel.IMPORT)
    page = new_page("phone")
    sign_in(page, "tinh")
    visit(page, f"/khao-sat/{campaign.pk}/tinh/25/bao-cao/", "survey-report-phone")
    expect(page.get_by_role("table").first).to_be_visible()  # the shares, within 360 px
    back = page.get_by_role("link", name=exact("Back to the results"))
    assert back.bounding_box()["height"] >= 48
