"""Outreach on the shared kit: uploads served sandboxed, one pager, the rules shown where they
apply, the sections it adds to other pages, audit names, and the doors that decide access."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from caunoi.core.audit import audit_record
from caunoi.core.models import AuditEntry
from caunoi.core.responses import UNTRUSTED_CSP
from caunoi.core.sections import render_slot
from caunoi.outreach import audit, policy, services
from caunoi.outreach.models import ChannelDecision, Delivery, Notice
from caunoi.territory.models import Household
from caunoi.testing import tiny_pdf

from .factories import draft, publish


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    return buf.getvalue()


def post_notice(client, area, **data):
    base = {"title": "Thông báo", "body": "Nội dung", "category": "other", "is_public": "0"}
    base.update(data)
    return client.post(reverse("outreach:new", args=["khu", area.code]), base)


# --------------------------------------------------------------------------- uploaded files


def test_attachments_are_served_sandboxed(outreach, client_for):
    head = client_for(outreach.head_a1)
    pdf = SimpleUploadedFile("Biên bản họp.pdf", tiny_pdf(), "application/pdf")
    word = SimpleUploadedFile("Danh sách hộ.docx", docx_bytes(), "application/octet-stream")
    post_notice(head, outreach.area_a1, files=[pdf, word])
    notice = Notice.objects.get()
    services.notice_publish(actor=outreach.head_a1, notice=notice)
    by_kind = {a.kind: a for a in notice.attachments.all()}

    shown = head.get(reverse("outreach:attachment", args=[notice.pk, by_kind["pdf"].pk]))
    assert shown.status_code == 200
    assert shown["Content-Type"] == "application/pdf"
    assert shown["Content-Disposition"].startswith("inline;")
    assert shown["Content-Security-Policy"] == UNTRUSTED_CSP
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert b"".join(shown.streaming_content).startswith(b"%PDF")

    word_response = head.get(reverse("outreach:attachment", args=[notice.pk, by_kind["docx"].pk]))
    disposition = word_response["Content-Disposition"]
    assert disposition.startswith("attachment;")  # never shown in the browser
    assert "filename*=utf-8''Danh%20s%C3%A1ch%20h%E1%BB%99.docx" in disposition
    assert word_response["Content-Security-Policy"] == UNTRUSTED_CSP


def test_an_attachment_of_a_private_notice_is_missing_for_others(outreach, client, client_for):
    head = client_for(outreach.head_a1)
    post_notice(
        head,
        outreach.area_a1,
        files=SimpleUploadedFile("a.pdf", tiny_pdf(), "application/pdf"),
    )
    notice = Notice.objects.get()
    services.notice_publish(actor=outreach.head_a1, notice=notice)
    url = reverse("outreach:attachment", args=[notice.pk, notice.attachments.get().pk])
    assert client_for(outreach.resident_a1).get(url).status_code == 200
    assert client_for(outreach.head_b1).get(url).status_code == 404
    other = publish(outreach, is_public=True)
    wrong_notice = reverse("outreach:attachment", args=[other.pk, notice.attachments.get().pk])
    assert client_for(outreach.resident_a1).get(wrong_notice).status_code == 404


# --------------------------------------------------------------------------- pages


def test_the_reach_page_pages_with_the_kit_pager(outreach, client_for):
    area = outreach.area_a1
    Household.objects.bulk_create(
        Household(area=area, code=f"T-{i:03}", representative_name=f"Hộ {i}") for i in range(60)
    )
    area.household_count = Household.objects.filter(area=area).count()
    area.save(update_fields=["household_count"])
    notice = publish(outreach)
    head = client_for(outreach.head_a1)
    url = reverse("outreach:reach", args=[notice.pk])
    first = head.get(url)
    assert len(first.context["page"].object_list) == 50
    body = first.content.decode()
    assert 'rel="next" href="?trang=2"' in body and "Page 1 of 2" in body
    second = head.get(url, {"trang": 2})
    assert len(second.context["page"].object_list) == 63 - 50


def test_the_loudspeaker_page_shows_the_rule_it_follows(outreach, client, settings):
    settings.OUTREACH_BROADCAST_CATEGORIES = ["contribution"]
    settings.OUTREACH_BROADCAST_DAYS = 4
    notice = publish(outreach, category="contribution", is_public=True)
    body = client.get(reverse("outreach:loudspeaker", args=[notice.pk])).content.decode()
    assert str(policy.BROADCAST_DAYS.label) in body
    assert "<strong>4</strong>" in body
    assert "Điều 13 khoản 3" in body
    assert "at least 4 consecutive days" in body


def test_the_confirm_page_shows_the_sms_limit(outreach, client_for):
    notice = draft(outreach, title="Họp", body="Họp khu.")
    page = client_for(outreach.head_a1).get(reverse("outreach:confirm", args=[notice.pk]))
    assert str(policy.SMS_MAX_SEGMENTS.label) in page.content.decode()


def test_the_reach_page_names_every_channel_and_status(outreach, client_for, settings):
    settings.SMS_BACKEND = "file"
    notice = publish(outreach)
    Delivery.objects.filter(notice=notice, channel="sms", status="sent").update(status="delivered")
    body = client_for(outreach.head_a1).get(reverse("outreach:reach", args=[notice.pk]))
    text = body.content.decode()
    assert "delivered 2" in text  # not counted as failed: it reached the phones


# --------------------------------------------------------------------------- access


def test_work_pages_send_a_signed_out_person_to_sign_in(outreach, client):
    notice = publish(outreach)
    for url in (
        reverse("outreach:reach", args=[notice.pk]),
        reverse("outreach:confirm", args=[notice.pk]),
        reverse("outreach:area", args=[outreach.area_a1.code]),
        reverse("outreach:mine"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:signin")), url


def test_no_notice_pages_for_provinces_or_districts(outreach, client_for):
    client = client_for(outreach.province_officer)
    for prefix, code in (("tinh", "25"), ("huyen", outreach.district.code)):
        assert client.get(reverse("outreach:new", args=[prefix, code])).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"), [("head_a1", 302), ("resident_a1", 403), ("officer_b", 404)]
)
def test_stopping_a_channel(outreach, client_for, who, status):
    decision = ChannelDecision.objects.get(area=outreach.area_a1, channel="sms")
    url = reverse("outreach:channel_drop", args=[outreach.area_a1.code, decision.pk])
    response = client_for(getattr(outreach, who)).post(url, {"submission": "s" * 24})
    assert response.status_code == status
    assert ChannelDecision.objects.filter(pk=decision.pk).exists() is (status != 302)


def test_a_channel_of_another_area_cannot_be_stopped_through_ones_own(outreach, client_for):
    theirs = services.channel_decision_record(
        actor=outreach.head_b1,
        area=outreach.area_b1,
        channel="sms",
        decision="Biên bản họp",
        decided_on=datetime.date(2022, 3, 12),
    )
    url = reverse("outreach:channel_drop", args=[outreach.area_a1.code, theirs.pk])
    assert client_for(outreach.head_a1).post(url).status_code == 404
    assert ChannelDecision.objects.filter(pk=theirs.pk).exists()


def test_a_double_click_on_got_it_counts_once(outreach, client_for):
    notice = publish(outreach)
    resident = client_for(outreach.resident_a1)
    url = reverse("outreach:acknowledge", args=[notice.pk])
    first = resident.post(url, {"submission": "g" * 24})
    second = resident.post(url, {"submission": "g" * 24})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == notice.get_absolute_url()
    assert notice.acknowledgements.count() == 1
    assert AuditEntry.objects.filter(action=audit.DELIVERY_ACKNOWLEDGED).count() == 1


def test_a_refused_channel_keeps_the_form_and_its_key(outreach, client_for):
    client = client_for(outreach.head_a1)
    url = reverse("outreach:channels", args=[outreach.area_a1.code])
    future = timezone.localdate() + datetime.timedelta(days=3)
    data = {"submission": "c" * 24, "channel": "email", "decision": "BB", "decided_on": future}
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "in the future" in str(refused.context["form"].errors["decided_on"])
    assert 'value="' + "c" * 24 + '"' in refused.content.decode()
    data["decided_on"] = datetime.date(2022, 3, 12)
    assert client.post(url, data).status_code == 302  # the same key, once refused, still works
    assert ChannelDecision.objects.filter(area=outreach.area_a1, channel="email").exists()


# --------------------------------------------------------------------------- sections


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_unit_section_shows_an_area_s_public_notices(outreach):
    notice = publish(outreach, is_public=True)
    private = publish(outreach, is_public=False, title="Danh sách hộ nghèo")
    shown = dict(render_slot("unit", _request(outreach.resident_a1), unit=outreach.area_a1))
    context = shown["outreach/_unit_section.html"]
    assert context["notices"] == [notice] and private not in context["notices"]
    assert context["can_reach"] is False
    head = dict(render_slot("unit", _request(outreach.head_a1), unit=outreach.area_a1))
    assert head["outreach/_unit_section.html"]["can_reach"] is True


def test_the_unit_section_of_a_commune_is_for_those_who_follow_notices(outreach):
    commune = outreach.commune_a
    nobody = dict(render_slot("unit", _request(outreach.resident_a1), unit=commune))
    assert "outreach/_unit_section.html" not in nobody
    officer = dict(render_slot("unit", _request(outreach.officer_a), unit=commune))
    assert officer["outreach/_unit_section.html"]["can_publish"] is True
    district = dict(render_slot("unit", _request(outreach.district_officer), unit=commune))
    assert district["outreach/_unit_section.html"]["can_publish"] is False


def test_the_home_section(outreach):
    publish(outreach)
    resident = dict(render_slot("home", _request(outreach.resident_a1)))
    assert resident["outreach/_home.html"]["unread"] == 1
    head = dict(render_slot("home", _request(outreach.head_a1)))
    assert head["outreach/_home.html"]["work"] == [outreach.area_a1]
    inspector = dict(render_slot("home", _request(outreach.inspector_a1)))
    assert "outreach/_home.html" not in inspector


# --------------------------------------------------------------------------- audit


def test_an_undeclared_outreach_action_is_refused(outreach):
    from django.db import transaction

    notice = publish(outreach)
    with pytest.raises(ValueError, match="not declared"), transaction.atomic():
        audit_record(actor=None, action="outreach.notice_published", obj=notice)
