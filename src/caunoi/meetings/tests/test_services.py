"""The meeting's life through its services: plan, prepare, invite, record, minutes."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from caunoi.core.audit import AuditEntry
from caunoi.meetings import services
from caunoi.meetings.models import Convener, Item, Meeting, Status
from caunoi.outreach.models import Delivery, Notice
from caunoi.testing import plan_meeting, tiny_pdf

from .conftest import begin

pytestmark = pytest.mark.django_db


def results(meeting, decision=(6, 2, 1), comment=(4, 2, 1), **kw):
    items = {i.kind: i for i in meeting.items.all()}
    data = dict(
        chair_name="Hoàng Văn Sơn",
        chair_for=7,
        secretary_name="Bùi Thị Thảo",
        secretary_for=7,
        method="hands",
        method_for=7,
        results={items["decision"].pk: decision, items["comment"].pk: comment},
    )
    data.update(kw)
    return services.results_record(actor=None, meeting=meeting, **data)


def test_convener_follows_r_4_1():
    assert services.convener_for("regular") == Convener.HEAD
    assert services.convener_for("cluster") == Convener.HEAD
    assert services.convener_for("extraordinary", vacant=True) == Convener.ASSIGNED
    assert services.convener_for("election") == Convener.ELECTION_TEAM
    assert services.convener_for("dismissal") == Convener.CTMT_HEAD
    assert services.convener_for("dismissal", head_is_ctmt_head=True) == Convener.COMMUNE_CHAIR


def test_plan_refuses_past_dates_and_empty_fields(world):
    with pytest.raises(ValidationError) as exc:
        plan_meeting(
            world, starts_at=timezone.now() - datetime.timedelta(days=2), place=" ", title=""
        )
    assert set(exc.value.message_dict) == {"starts_at", "place", "title"}
    assert not Meeting.objects.exists()


def test_cluster_meeting_is_part_of_a_meeting_of_the_same_area(world):
    with pytest.raises(ValidationError) as exc:
        plan_meeting(world, kind="cluster")
    assert "part_of" in exc.value.message_dict
    whole = plan_meeting(world)
    part = plan_meeting(world, kind="cluster", part_of=whole, title="Họp cụm dân cư xóm Đồng")
    assert part.part_of == whole and part.convener == Convener.HEAD


def test_agenda_items_are_numbered_and_a_decision_names_its_matter(world, meeting):
    assert [i.order for i in meeting.items.all()] == [1, 2, 3]
    with pytest.raises(ValidationError) as exc:
        services.item_add(actor=world.head_a1, meeting=meeting, title="Thu tiền", kind="decision")
    assert "matter" in exc.value.message_dict


def test_checklist_and_readiness(world, meeting):
    from caunoi.meetings import selectors

    services.checklist_set(actor=world.head_a1, meeting=meeting, ticked=["room", "signin"])
    row = selectors.meeting_readiness(unit=world.commune_a)[0]
    assert not row.ready and row.not_invited and len(row.missing) == 3
    assert selectors.meeting_readiness(unit=world.commune_b) == []
    with pytest.raises(ValidationError):
        services.checklist_set(actor=world.head_a1, meeting=meeting, ticked=["cake"])


def test_document_judged_by_content(world, meeting):
    fake = SimpleUploadedFile(
        "to-trinh.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    with pytest.raises(ValidationError):
        services.document_add(actor=world.head_a1, meeting=meeting, file=fake)
    real = SimpleUploadedFile("Tờ trình.pdf", tiny_pdf())
    doc = services.document_add(actor=world.head_a1, meeting=meeting, file=real)
    assert doc.kind == "pdf" and doc.name == "Tờ trình.pdf"


def test_invitation_is_a_notice_to_every_household_once(world, meeting):
    services.meeting_invite(actor=world.head_a1, meeting=meeting)
    services.meeting_invite(actor=world.head_a1, meeting=meeting)
    meeting.refresh_from_db()
    notice = Notice.objects.get()
    assert meeting.notice == notice and meeting.status == Status.INVITED
    assert notice.households == 10 and notice.category == "meeting" and notice.is_published
    assert Delivery.objects.filter(notice=notice, channel="web").count() == 10
    assert notice.attachments.get().kind == "pdf"
    assert meeting.checklist["invitations"] is True


def test_no_invitation_without_agenda(world, households):
    empty = plan_meeting(world)
    with pytest.raises(ValidationError):
        services.meeting_invite(actor=world.head_a1, meeting=empty)
    assert not Notice.objects.exists()


def test_not_recorded_before_its_day(world, meeting):
    with pytest.raises(ValidationError):
        services.attendance_record(actor=world.head_a1, meeting=meeting, households_present=8)


def test_more_present_than_households_is_refused_with_the_numbers(world, meeting):
    begin(meeting)
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(actor=world.head_a1, meeting=meeting, households_present=11)
    assert "11 households represented, but the area has 10 households." in str(exc.value)
    meeting.refresh_from_db()
    assert meeting.households_present is None and meeting.status == Status.PREPARING


def test_half_is_no_quorum(world, meeting):
    begin(meeting)
    services.attendance_record(actor=world.head_a1, meeting=meeting, households_present=5)
    meeting.refresh_from_db()
    assert (
        meeting.status == Status.NOT_HELD and not meeting.quorum.ok and meeting.quorum.needed == 6
    )
    with pytest.raises(ValidationError):
        results(meeting)


def test_ticked_list_counts_the_households(world, meeting, households):
    begin(meeting)
    services.attendance_record(actor=world.head_a1, meeting=meeting, households=households[:6])
    services.attendance_record(actor=world.head_a1, meeting=meeting, households_present=2)  # once
    meeting.refresh_from_db()
    assert meeting.households_present == 6 and meeting.status == Status.OPEN
    assert meeting.attendances.count() == 6


def test_results_two_denominators(world, meeting):
    begin(meeting)
    services.attendance_record(actor=world.head_a1, meeting=meeting, households_present=7)
    results(meeting, decision=(5, 1, 1))
    meeting.refresh_from_db()
    decision = meeting.items.get(kind="decision")
    # 5 of 7 present is a majority of those present; 5 of 10 households is not more than half.
    assert meeting.status == Status.HELD and not decision.passed
    assert decision.verdict.needed == 6


def test_results_decision_passes_above_half_of_all_households(world, meeting):
    begin(meeting)
    services.attendance_record(actor=world.head_a1, meeting=meeting, households_present=7)
    results(meeting, decision=(6, 1, 0))
    meeting.refresh_from_db()
    assert meeting.items.get(kind="decision").passed
    results(meeting, decision=(0, 7, 0))  # recorded once
    assert meeting.items.get(kind="decision").votes_for == 6
    assert AuditEntry.objects.filter(action="meetings.results.recorded").count() == 1


def test_impossible_results_refused_whole_with_numbers(world, meeting):
    begin(meeting)
    services.attendance_record(actor=world.head_a1, meeting=meeting, households_present=7)
    with pytest.raises(ValidationError) as exc:
        results(meeting, decision=(5, 2, 1), secretary_for=3)
    text = str(exc.value)
    assert "5 for + 2 against + 1 abstained = 8, more than the 7 households represented." in text
    assert "3 of 7 present is not more than half (4 needed)" in text
    meeting.refresh_from_db()
    assert meeting.status == Status.OPEN and meeting.secretary_name == ""
    assert not Item.objects.filter(votes_for__isnull=False).exists()


def test_signed_minutes_upload_only_pdf_or_image(world, meeting):
    from PIL import Image

    begin(meeting)
    services.attendance_record(actor=world.head_a1, meeting=meeting, households_present=4)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(buffer, "JPEG")
    photo = SimpleUploadedFile("bien-ban.jpg", buffer.getvalue())
    meeting = services.minutes_upload(actor=world.head_a1, meeting=meeting, file=photo)
    assert meeting.minutes_scan_type == "image/jpeg"
    docx = SimpleUploadedFile("x.txt", b"hello")
    with pytest.raises(ValidationError):
        services.minutes_upload(actor=world.head_a1, meeting=meeting, file=docx)
