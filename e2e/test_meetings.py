"""A community meeting on a 360 px phone: the head plans it, puts an item on the agenda, ticks the
checklist, invites every household, records the households represented and the results on the
day, and gets the minutes (Mẫu 03); the resident sees the meeting and its result."""

import datetime

import pytest
from harness import audit, exact, t, visit
from playwright.sync_api import expect
from test_funds import phone_sign_in

pytestmark = pytest.mark.browser


def test_prepare_invite_record_minutes_on_a_phone(
    e2e_world, e2e_settings, phone, new_page, tmp_path
):
    from django.utils import timezone

    from caunoi.meetings.models import Meeting
    from caunoi.territory.services import household_create

    e2e_settings.SMS_BACKEND = "file"
    e2e_settings.MEDIA_ROOT = str(tmp_path / "media")
    w = e2e_world
    for i in range(2, 6):
        household_create(
            actor=None,
            area=w.area_a1,
            code=f"08119-03-{i:03d}",
            members=2,
            representative_name=f"Đại diện hộ {i}",
        )
    day = (datetime.date.today() + datetime.timedelta(days=5)).isoformat()

    phone_sign_in(phone, e2e_settings, "0912000001")
    visit(phone, f"/khu/{w.area_a1.code}/hop/", "meetings-area")
    phone.get_by_role("link", name=exact("Plan a meeting")).click()
    audit(phone, "meetings-plan-form")
    phone.get_by_role("button", name=exact("Plan the meeting")).click()
    expect(phone.get_by_role("alert")).to_be_visible()
    audit(phone, "meetings-plan-errors")
    phone.get_by_label(t("Regular meeting")).check()
    phone.get_by_label(t("What the meeting is about")).fill("Họp khu dân cư giữa năm")
    phone.get_by_label(t("Date"), exact=True).fill(day)
    phone.get_by_label(t("Time"), exact=True).fill("19:30")
    phone.get_by_label(t("Place", context="meeting"), exact=True).fill("Nhà văn hóa Khu 3")
    phone.get_by_role("button", name=exact("Plan the meeting")).click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Họp khu dân cư giữa năm")
    audit(phone, "meetings-planned")

    phone.get_by_role("link", name=exact("Add an agenda item")).click()
    phone.get_by_label(t("Agenda item"), exact=True).fill("Lập Quỹ khuyến học, mỗi hộ 100.000 đồng")
    phone.get_by_label(t("For decision")).check()
    phone.get_by_label(t("Matter the residents decide")).select_option("fund")
    audit(phone, "meetings-item-form")
    phone.get_by_role("button", name=exact("Add the item")).click()
    expect(phone.get_by_role("main")).to_contain_text(t("For decision"))

    phone.get_by_role("link", name=exact("Tick the checklist")).click()
    phone.get_by_label(t("Room booked and set up")).check()
    phone.get_by_label(t("Sign-in sheet printed")).check()
    audit(phone, "meetings-checklist")
    phone.get_by_role("button", name=exact("Save the checklist")).click()

    phone.get_by_role("link", name=exact("Invite every household")).click()
    audit(phone, "meetings-invite")
    phone.get_by_role("button", name=exact("Send the invitation")).click()
    expect(phone.get_by_role("status")).to_contain_text(
        t("The invitation was sent to every household of the area.")
    )
    audit(phone, "meetings-invited")

    # The day comes.
    meeting = Meeting.objects.get()
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=30)
    )
    phone.reload()
    phone.get_by_role("link", name=exact("Record the households represented")).click()
    audit(phone, "meetings-attendance")
    phone.get_by_label(t("Or: number of households represented (from the paper sheet)")).fill("9")
    phone.get_by_role("button", name=exact("Record the attendance")).click()
    expect(phone.get_by_role("alert")).to_contain_text("9")
    audit(phone, "meetings-attendance-refused")
    phone.get_by_label(t("Or: number of households represented (from the paper sheet)")).fill("3")
    phone.get_by_role("button", name=exact("Record the attendance")).click()
    expect(phone.locator("[data-quorum=yes]")).to_be_visible()

    phone.get_by_role("link", name=exact("Record the chair, secretary and results")).click()
    audit(phone, "meetings-results-form")
    phone.get_by_label(t("Representatives in favour of the chair")).fill("3")
    phone.get_by_label(t("Secretary"), exact=True).fill("Bùi Thị Thảo")
    phone.get_by_label(t("Representatives in favour of the secretary")).fill("3")
    phone.get_by_label(t("Show of hands")).check()
    phone.get_by_label(t("Representatives in favour of this voting method")).fill("3")
    phone.get_by_label(f"1. {t('For')}", exact=True).fill("3")
    phone.get_by_label(f"1. {t('Against')}", exact=True).fill("0")
    phone.get_by_label(f"1. {t('Abstained')}", exact=True).fill("0")
    phone.get_by_role("button", name=exact("Record the results")).click()
    expect(phone.locator("[data-passed=yes]")).to_be_visible()
    audit(phone, "meetings-held")
    pdf = phone.request.get(f"/hop/{meeting.pk}/bien-ban.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"

    resident = new_page("phone")
    phone_sign_in(resident, e2e_settings, "0912000111")
    visit(resident, f"/hop/{meeting.pk}/", "meetings-resident")
    expect(
        resident.get_by_role("link", name=exact("Record the chair, secretary and results"))
    ).to_have_count(0)
    visit(resident, f"/khu/{w.area_a1.code}/", "meetings-area-public")
    expect(resident.get_by_role("main")).to_contain_text(t("Results of past meetings"))
