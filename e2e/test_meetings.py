"""A community meeting on a 360 px phone: the head plans it, puts an item on the agenda, ticks the
checklist, invites every household, records the households represented and the results on the
day, and gets the minutes (Mẫu 03); the resident sees the meeting and its result."""

import datetime
import re

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
    from caunoi.testing import add_household

    e2e_settings.SMS_BACKEND = "file"
    e2e_settings.MEDIA_ROOT = str(tmp_path / "media")
    w = e2e_world
    for i in range(2, 6):
        add_household(w.area_a1, i, f"Đại diện hộ {i}")
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


def test_meeting_by_clusters_and_the_channel_it_chose_on_a_phone(
    e2e_world, e2e_settings, phone, tmp_path
):
    """The head authorises a cluster's chair, records the cluster's households and votes, the
    meeting adds them up and passes the decision, and the head picks that decision as the one
    that chose Zalo for the area's notices."""
    from django.utils import timezone

    from caunoi.meetings import services
    from caunoi.meetings.models import Meeting
    from caunoi.testing import add_household, plan_meeting

    e2e_settings.SMS_BACKEND = "file"
    e2e_settings.MEDIA_ROOT = str(tmp_path / "media")
    w = e2e_world
    for i in range(2, 6):
        add_household(w.area_a1, i, f"Đại diện hộ {i}")
    w.area_a1.refresh_from_db()
    starts_at = timezone.now() + datetime.timedelta(days=5)
    meeting = plan_meeting(w, title="Họp khu theo cụm", starts_at=starts_at)
    title = "Thông báo cho các hộ qua Zalo"
    services.item_add(
        actor=w.head_a1, meeting=meeting, title=title, kind="decision", matter="channels"
    )
    day = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()

    phone_sign_in(phone, e2e_settings, "0912000001")
    visit(phone, f"/hop/{meeting.pk}/", "meetings-clustered")
    phone.get_by_role("link", name=exact("Authorise a chair for a cluster's meeting")).click()
    audit(phone, "meetings-cluster-form")
    phone.get_by_role("button", name=exact("Authorise")).click()
    expect(phone.get_by_role("alert")).to_be_visible()
    audit(phone, "meetings-cluster-errors")
    phone.get_by_label(t("Which cluster")).fill("Cụm xóm Đông")
    phone.get_by_label(t("Chair authorised by the head")).fill("Nguyễn Văn Tâm")
    phone.get_by_label(t("Date"), exact=True).fill(day)
    phone.get_by_label(t("Time"), exact=True).fill("19:00")
    phone.get_by_role("button", name=exact("Authorise")).click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Cụm xóm Đông")
    audit(phone, "meetings-cluster")

    # The cluster's evening comes (and the meeting's, which adds the clusters up).
    Meeting.objects.all().update(starts_at=timezone.now() - datetime.timedelta(minutes=30))
    phone.reload()
    phone.get_by_role("link", name=exact("Record the households represented")).click()
    phone.get_by_label(t("Or: number of households represented (from the paper sheet)")).fill("4")
    phone.get_by_role("button", name=exact("Record the attendance")).click()
    phone.get_by_role("link", name=exact("Record the cluster's votes")).click()
    audit(phone, "meetings-cluster-votes")
    phone.get_by_label(f"1. {title}: {t('For')}", exact=True).fill("4")
    phone.get_by_label(f"1. {title}: {t('Against')}", exact=True).fill("0")
    phone.get_by_label(f"1. {title}: {t('Abstained')}", exact=True).fill("0")
    phone.get_by_role("button", name=exact("Record the votes")).click()
    expect(phone.get_by_role("status")).to_contain_text(
        t("The cluster's votes are recorded; the meeting adds them up.")
    )

    visit(phone, f"/hop/{meeting.pk}/", "meetings-clusters-listed")
    expect(phone.locator("[data-cluster-present='4']")).to_be_visible()
    phone.get_by_role("link", name=exact("Record the households represented")).click()
    audit(phone, "meetings-clusters-add-up")
    phone.get_by_role("button", name=exact("Record the meeting's households")).click()
    expect(phone.locator("[data-quorum=yes]")).to_be_visible()
    phone.get_by_role("link", name=exact("Record the chair, secretary and results")).click()
    phone.get_by_label(t("Representatives in favour of the chair")).fill("4")
    phone.get_by_label(t("Secretary"), exact=True).fill("Bùi Thị Thảo")
    phone.get_by_label(t("Representatives in favour of the secretary")).fill("4")
    phone.get_by_label(t("Show of hands")).check()
    phone.get_by_label(t("Representatives in favour of this voting method")).fill("4")
    phone.get_by_label(t("%(order)s. How it was voted") % {"order": 1}).select_option("ballot")
    audit(phone, "meetings-clustered-results")
    phone.get_by_role("button", name=exact("Record the results")).click()
    expect(phone.locator("[data-passed=yes]")).to_be_visible()
    expect(phone.locator("[data-method=ballot]")).to_be_visible()

    visit(phone, f"/khu/{w.area_a1.code}/kenh/", "outreach-channels-with-meeting")
    phone.get_by_role("link", name=exact("Choose from a decision of the area's meeting")).click()
    audit(phone, "outreach-channel-from-meeting")
    phone.get_by_label(t("Channel"), exact=True).select_option("zalo")
    phone.get_by_label(title, exact=False).check()
    phone.get_by_role("button", name=exact("Record the channel")).click()
    expect(
        phone.get_by_role("main").get_by_role("link", name=re.compile("Họp khu theo cụm"))
    ).to_be_visible()
    audit(phone, "outreach-channel-chosen")
