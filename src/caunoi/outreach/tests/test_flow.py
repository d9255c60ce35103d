"""The Done-means flow through services and HTTP: publish, deliver, acknowledge, reach, remind,
mark after a visit."""

import json
from pathlib import Path

import pytest
from django.test import TestCase
from django.urls import reverse

from caunoi.core.models import AuditEntry, OutboxEvent, Submission
from caunoi.outreach import audit, services
from caunoi.outreach.models import Acknowledgement, Channel, Delivery, Notice, NoticeArea

from .factories import draft, publish


def lines(path):
    p = Path(path)
    return [json.loads(x) for x in p.read_text(encoding="utf-8").splitlines()] if p.exists() else []


def test_publishing_writes_one_delivery_per_household_per_channel_and_sends(outreach, settings):
    notice = publish(outreach)
    assert notice.status == Notice.Status.PUBLISHED
    assert notice.households == 3
    rows = Delivery.objects.filter(notice=notice)
    assert rows.count() == 3 * 3  # web, SMS, Zalo for each household
    assert rows.filter(channel=Channel.WEB, status=Delivery.Status.DELIVERED).count() == 3
    # Eager dispatch (no broker): SMS and Zalo went out, the household without a phone failed.
    assert rows.filter(channel=Channel.SMS, status=Delivery.Status.SENT).count() == 2
    no_phone = rows.get(channel=Channel.SMS, household=outreach.household_a1c)
    assert no_phone.status == Delivery.Status.FAILED and no_phone.reason
    sms = lines(settings.SMS_FILE_PATH)
    assert sorted(m["to"] for m in sms) == ["0912000111", "0912000112"]
    assert all(notice.title in m["text"] for m in sms)
    assert len(lines(settings.ZALO_FILE_PATH)) == 2
    event = OutboxEvent.objects.get(topic=services.TOPIC_DISPATCH)
    assert event.payload == {"notice": notice.pk} and event.done_at is not None
    assert NoticeArea.objects.get(notice=notice).households == 3
    assert AuditEntry.objects.filter(action=audit.NOTICE_PUBLISHED).count() == 1


def test_publishing_twice_publishes_once(outreach, settings):
    notice = draft(outreach)
    for _ in range(2):
        with TestCase.captureOnCommitCallbacks(execute=True):
            services.notice_publish(actor=outreach.head_a1, notice=notice)
    assert Delivery.objects.filter(notice=notice).count() == 9
    assert OutboxEvent.objects.filter(topic=services.TOPIC_DISPATCH).count() == 1
    assert len(lines(settings.SMS_FILE_PATH)) == 2


def test_a_double_click_on_the_form_makes_one_notice(outreach, client_for):
    client = client_for(outreach.head_a1)
    url = reverse("outreach:new", args=["khu", outreach.area_a1.code])
    data = {
        "submission": "k" * 24,
        "title": "Tiêm phòng dại cho chó mèo",
        "body": "Sáng 20/6 tại nhà văn hóa.",
        "category": "health",
        "is_public": "1",
    }
    first = client.post(url, data)
    second = client.post(url, data)
    assert Notice.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    confirm = client.get(first["Location"])
    assert "3" in confirm.content.decode()  # "will go to 3 households"
    key = "p" * 24
    for _ in range(2):
        with TestCase.captureOnCommitCallbacks(execute=True):
            client.post(first["Location"], {"submission": key})
    notice = Notice.objects.get()
    assert notice.is_published
    assert Delivery.objects.filter(notice=notice, channel=Channel.WEB).count() == 3
    assert Submission.objects.count() == 2


def test_resident_acknowledges_and_the_head_sees_who_is_missing(outreach, client_for, settings):
    notice = publish(outreach)
    resident = client_for(outreach.resident_a1)
    mine = resident.get(reverse("outreach:mine"))
    assert notice.title in mine.content.decode()
    page = resident.get(notice.get_absolute_url())
    assert "Got it" in page.content.decode()
    resident.post(reverse("outreach:acknowledge", args=[notice.pk]))
    resident.post(reverse("outreach:acknowledge", args=[notice.pk]))  # a second tap
    ack = Acknowledgement.objects.get()
    assert (ack.household, ack.how, ack.by) == (outreach.household_a1, "web", outreach.resident_a1)
    assert NoticeArea.objects.get(notice=notice).acknowledged == 1

    head = client_for(outreach.head_a1)
    reach = head.get(reverse("outreach:reach", args=[notice.pk]))
    body = reach.content.decode()
    assert "Số 2, Khu 3" in body and "0912000112" in body and "Số 3, Khu 3" in body
    assert "Số 1, Khu 3" not in body  # the one who knows is not listed
    assert "33,3%" in body

    before = len(lines(settings.SMS_FILE_PATH))
    with TestCase.captureOnCommitCallbacks(execute=True):
        head.post(reverse("outreach:remind", args=[notice.pk]), {"submission": "r" * 24})
    reminders = lines(settings.SMS_FILE_PATH)[before:]
    assert [m["to"] for m in reminders] == ["0912000112"]  # only the missing one with a phone
    assert reminders[0]["text"] != notice.sms_text and notice.sms_text in reminders[0]["text"]
    assert Delivery.objects.filter(notice=notice, round=1, channel=Channel.SMS).count() == 2


def test_head_marks_a_household_told_after_a_visit(outreach, client_for):
    notice = publish(outreach)
    head = client_for(outreach.head_a1)
    url = reverse("outreach:mark", args=[notice.pk, outreach.household_a1c.code])
    assert head.get(url).status_code == 200
    response = head.post(url, {"how": "visit", "note": "Đã đến nhà chiều 14/6"})
    assert response.status_code == 302
    ack = Acknowledgement.objects.get()
    assert (ack.how, ack.by, ack.note) == ("visit", outreach.head_a1, "Đã đến nhà chiều 14/6")
    entry = AuditEntry.objects.get(action=audit.DELIVERY_ACKNOWLEDGED)
    assert entry.actor == outreach.head_a1 and entry.after["how"] == "visit"
    body = head.get(reverse("outreach:reach", args=[notice.pk])).content.decode()
    assert "Số 3, Khu 3" not in body.split("Latest acknowledgements")[0]
    assert "marked by Hoàng Văn Sơn" in body


def test_scheduled_notice_waits_for_its_time_then_the_command_sends_it(outreach, settings):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    later = timezone.now() + datetime.timedelta(hours=2)
    notice = publish(outreach, publish_at=later)
    assert Delivery.objects.filter(notice=notice).count() == 9
    assert lines(settings.SMS_FILE_PATH) == []
    assert notice not in list(Notice.objects.filter(pk=notice.pk, publish_at__lte=timezone.now()))
    call_command("dispatch_outbox")
    assert lines(settings.SMS_FILE_PATH) == []  # not due yet
    OutboxEvent.objects.update(available_at=timezone.now())
    call_command("dispatch_outbox")
    assert len(lines(settings.SMS_FILE_PATH)) == 2


@pytest.mark.parametrize("n_areas", [1, 2])
def test_commune_officer_publishes_to_chosen_areas(outreach, client_for, n_areas):
    areas = [outreach.area_a1, outreach.area_a2][:n_areas]
    notice = publish(outreach, actor=outreach.officer_a, unit=outreach.commune_a, areas=areas)
    assert set(notice.targets.values_list("area__code", flat=True)) == {a.code for a in areas}
    page = client_for(outreach.officer_a).get(reverse("outreach:ground", args=["xa", "08119"]))
    assert page.status_code == 200 and notice.title in page.content.decode()


def test_home_pages_lead_to_the_notices(outreach, client_for):
    publish(outreach)
    head = client_for(outreach.head_a1).get("/").content.decode()
    assert "Notices of Khu 3" in head and reverse("outreach:area", args=["08119-03"]) in head
    officer = client_for(outreach.officer_a).get("/").content.decode()
    assert reverse("outreach:ground", args=["xa", "08119"]) in officer
    resident = client_for(outreach.resident_a1).get("/").content.decode()
    assert "1 new notice" in resident


def test_zalo_sharing_works_without_script_and_over_plain_http(outreach, client_for):
    """Issue 12 item 15: the copy button stays hidden until script shows it (the stylesheet's
    `[hidden]` wins over `button { display }`), the text is there to select, and a zalo.me link
    shares the notice's address."""
    from urllib.parse import quote

    from django.contrib.staticfiles import finders

    notice = publish(outreach)
    page = client_for(outreach.resident_a1).get(notice.get_absolute_url()).content.decode()
    assert 'id="copy-zalo" hidden' in page and "zalo-text" in page
    link = quote(f"http://testserver{notice.get_absolute_url()}", safe="")
    assert f'href="https://zalo.me/share?url={link}"' in page
    assert "touch and hold the text" in page
    css = Path(finders.find("css/site.css")).read_text(encoding="utf-8")
    assert "[hidden] { display: none !important; }" in css
