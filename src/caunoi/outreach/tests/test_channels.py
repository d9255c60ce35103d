"""Channels: SMS segments and the unaccented offer, retries with back-off, at-most-once on an
ambiguous timeout, the outbox with a broker down, the printed board and the loudspeaker script.
(The backends themselves are tested in `caunoi/channels/tests/`.)"""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from caunoi.channels.tests.gateway import FakeGateway
from caunoi.core import outbox
from caunoi.core.models import OutboxEvent
from caunoi.outreach import dispatch, services
from caunoi.outreach.models import Channel, Delivery
from caunoi.outreach.wording import number_words, sms_segments, spoken, unaccent

from .factories import draft, publish


@pytest.mark.parametrize(
    ("text", "segments", "gsm"),
    [
        ("a" * 160, 1, True),
        ("a" * 161, 2, True),
        ("a" * 306, 2, True),
        ("a" * 307, 3, True),
        ("ă" * 70, 1, False),
        ("ă" * 71, 2, False),
        ("Thông báo họp khu dân cư", 1, False),
        ("[" * 80, 1, True),  # extension characters count twice
        ("[" * 81, 2, True),
    ],
)
def test_sms_segments(text, segments, gsm):
    assert sms_segments(text)[0] == segments
    assert sms_segments(text)[2] is gsm


def test_unaccented_version_keeps_case_and_fits_more():
    text = "Đề nghị các hộ đóng góp Quỹ khuyến học trước ngày 20/7."
    plain = unaccent(text)
    assert plain == "De nghi cac ho dong gop Quy khuyen hoc truoc ngay 20/7."
    assert sms_segments(plain)[2] is True


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "không"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (105, "một trăm linh năm"),
        (2022, "hai nghìn không trăm hai mươi hai"),
        (1250000, "một triệu hai trăm năm mươi nghìn"),
        (2000000000, "hai tỷ"),
    ],
)
def test_numbers_in_words(n, words):
    assert number_words(n) == words


def test_read_aloud_spells_out_times_dates_amounts_and_percentages():
    text = spoken("Họp lúc 8:30 ngày 13/06/2022, mỗi hộ đóng 150.000 đ; 61,9% hộ đã nộp.")
    assert text == (
        "Họp lúc tám giờ ba mươi phút ngày mười ba tháng sáu năm hai nghìn không trăm hai mươi "
        "hai, mỗi hộ đóng một trăm năm mươi nghìn đồng; sáu mươi mốt phẩy chín phần trăm hộ đã nộp."
    )


def test_a_refusing_gateway_is_retried_with_back_off_then_succeeds(outreach, settings):
    settings.SMS_BACKEND = "http"
    settings.ZALO_BACKEND = "console"
    settings.OUTREACH_RETRY_BASE_SECONDS = 30
    with FakeGateway(status=500) as gateway:
        settings.SMS_HTTP_URL = gateway.url
        notice = publish(outreach)
    sms = Delivery.objects.filter(notice=notice, channel=Channel.SMS, status="queued")
    assert sms.count() == 2
    row = sms.first()
    assert row.attempts == 1
    assert 25 <= (row.next_attempt_at - timezone.now()).total_seconds() <= 31
    assert (
        OutboxEvent.objects.get(topic=services.TOPIC_DISPATCH).done_at is None
    )  # the relay will come back
    # The second failure doubles the wait.
    sms.update(next_attempt_at=timezone.now())
    with FakeGateway(status=500) as gateway:
        settings.SMS_HTTP_URL = gateway.url
        outcome = dispatch.dispatch_notice(notice.pk)
    row.refresh_from_db()
    assert row.attempts == 2 and outcome.retry_in > 50
    sms.update(next_attempt_at=timezone.now())
    with FakeGateway(status=200) as gateway:
        settings.SMS_HTTP_URL = gateway.url
        call_command("dispatch_outbox", "--inline")
        assert len(gateway.requests) == 2
    assert Delivery.objects.filter(notice=notice, channel=Channel.SMS, status="sent").count() == 2
    assert OutboxEvent.objects.get(topic=services.TOPIC_DISPATCH).done_at is not None


def test_a_gateway_that_refuses_for_good_is_not_asked_again(outreach, settings):
    settings.SMS_BACKEND = "http"
    with FakeGateway(status=400) as gateway:
        settings.SMS_HTTP_URL = gateway.url
        notice = publish(outreach)
        call_command("dispatch_outbox", "--inline")
        asked = len(gateway.requests)
    assert asked == 2  # once per household with a phone: a bad request stays bad
    failed = Delivery.objects.filter(notice=notice, channel=Channel.SMS, status="failed")
    assert failed.filter(reason__contains="HTTP 400").count() == 2
    assert OutboxEvent.objects.get(topic=services.TOPIC_DISPATCH).done_at is not None


def test_a_gateway_that_times_out_is_never_asked_again(outreach, settings):
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_TIMEOUT = 0.2
    with FakeGateway(delay=0.5) as gateway:
        settings.SMS_HTTP_URL = gateway.url
        notice = publish(outreach)
        call_command("dispatch_outbox", "--inline")
        asked = len(gateway.requests)
    assert asked == 2  # once per household with a phone, never again
    failed = Delivery.objects.filter(notice=notice, channel=Channel.SMS, status="failed")
    assert failed.count() == 3  # two timed out, one has no phone


def test_a_claimed_message_of_a_dead_worker_is_failed_not_resent(outreach, settings):
    notice = draft(outreach)
    services.notice_publish(actor=outreach.head_a1, notice=notice)  # no commit hook: nothing sent
    row = Delivery.objects.filter(notice=notice, channel=Channel.SMS, status="queued").first()
    Delivery.objects.filter(pk=row.pk).update(
        status="sending", claimed_at=timezone.now() - datetime.timedelta(hours=1)
    )
    dispatch.dispatch_notice(notice.pk)
    row.refresh_from_db()
    assert row.status == "failed" and row.reason
    lines = open(settings.SMS_FILE_PATH, encoding="utf-8").read().splitlines()
    assert row.recipient not in [json.loads(x)["to"] for x in lines]


def test_publishing_with_the_broker_down_keeps_the_work(outreach, settings, monkeypatch):
    task = outbox.task_for("outreach.dispatch")

    def down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(task, "apply_async", down)
    notice = publish(outreach)
    event = OutboxEvent.objects.get(topic=services.TOPIC_DISPATCH)
    assert event.published_at is None and "broker down" in event.last_error
    assert Delivery.objects.filter(notice=notice, status="queued").count() == 4
    monkeypatch.undo()
    assert outbox.outbox_relay() == 1  # eager here: the relay's publication runs it
    assert Delivery.objects.filter(notice=notice, status="queued").count() == 0


def test_outbox_refuses_unknown_topics(db):
    with pytest.raises(LookupError), TestCase.captureOnCommitCallbacks():
        from django.db import transaction

        with transaction.atomic():
            outbox.outbox_add(topic="nobody.listens", payload={})
    assert OutboxEvent.objects.filter(topic=services.TOPIC_DISPATCH).count() == 0


def test_the_notice_board_pdf(outreach, client):
    notice = publish(outreach, body="Mời các hộ họp lúc 19:30.\n\nMang theo sổ hộ khẩu.")
    response = client.get(reverse("outreach:print", args=[notice.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    assert float(page.mediabox.width) == pytest.approx(595.28, abs=1)  # A4
    text = page.extract_text()
    assert "Họp khu dân cư tháng 6" in text and "Mang theo sổ hộ khẩu" in text
    assert "NOTICE" in text  # English pages here (the `english` fixture)


def test_the_loudspeaker_schedule_and_script(outreach, client, settings):
    settings.OUTREACH_BROADCAST_CATEGORIES = ["contribution"]
    settings.OUTREACH_LOUDSPEAKER_TIMES = ["06:30", "17:30"]
    notice = publish(
        outreach,
        category="contribution",
        is_public=True,
        body="Mỗi hộ đóng 200.000 đ trước ngày 20/07/2022.",
    )
    body = client.get(reverse("outreach:loudspeaker", args=[notice.pk])).content.decode()
    assert "hai trăm nghìn đồng" in body
    assert "ngày hai mươi tháng bảy năm hai nghìn không trăm hai mươi hai" in body
    from caunoi.outreach.selectors import notice_broadcast_schedule

    slots = notice_broadcast_schedule(notice)
    days = sorted({timezone.localtime(s).date() for s in slots})
    assert len(days) == 3 and (days[-1] - days[0]).days == 2  # three consecutive days
    assert notice_broadcast_schedule(draft(outreach, category="meeting")) == []


def test_channel_decisions_need_a_meeting_decision(outreach):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.channel_decision_record(
            actor=outreach.head_a1,
            area=outreach.area_a2,
            channel="web",
            decision=" ",
            decided_on=timezone.localdate() + datetime.timedelta(days=3),
        )
    assert set(exc.value.message_dict) == {"channel", "decision", "decided_on"}
    assert not outreach.area_a2.channel_decisions.exists()


def test_an_sms_reply_acknowledges_through_the_api(outreach, client, settings):
    settings.SMS_INBOUND_TOKEN = "gw-secret"
    notice = publish(outreach)
    assert "DB" in notice.sms_text
    url = "/api/v1/outreach/sms-replies"
    wrong = client.post(url, {"from": "0912000112", "text": "DB"}, content_type="application/json")
    assert wrong.status_code == 401
    auth = {"HTTP_AUTHORIZATION": "Bearer gw-secret"}
    other = client.post(
        url, {"from": "0912000112", "text": "xin chào"}, content_type="application/json", **auth
    )
    assert other.json() == {"acknowledged": False, "notice": None}
    reply = client.post(
        url, {"from": "+84 912 000 112", "text": "Đã biết"}, content_type="application/json", **auth
    )
    assert reply.json() == {"acknowledged": True, "notice": notice.pk}
    ack = notice.acknowledgements.get()
    assert (ack.household, ack.how) == (outreach.household_a1b, "sms")


def test_reach_in_the_api(outreach, client_for):
    notice = publish(outreach)
    data = client_for(outreach.officer_a).get(f"/api/v1/outreach/notices/{notice.pk}/reach").json()
    assert data["households"] == 3 and data["areas"][0]["area"] == outreach.area_a1.code
    denied = client_for(outreach.officer_b).get(f"/api/v1/outreach/notices/{notice.pk}/reach")
    assert denied.status_code == 404


def test_the_notice_board_pdf_is_named_in_vietnamese_transliterated(outreach, client):
    """Issue 12 item 20: "đ" becomes "d" in the file name, not nothing."""
    notice = publish(outreach, title="Vận động đóng góp quỹ")
    response = client.get(reverse("outreach:print", args=[notice.pk]))
    assert (
        f'filename="thong-bao-{notice.pk}-van-dong-dong-gop-quy.pdf"'
        in (response["Content-Disposition"])
    )
