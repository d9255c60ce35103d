"""The meetings through HTTP: the head's flow, access for each kind of person, documents read
back (PDF text, Word paragraphs, iCalendar)."""

import io

import pytest
from django.urls import reverse
from docx import Document
from icalendar import Calendar
from pypdf import PdfReader

from caunoi.core.pdf import lines_off_page, text_lines
from caunoi.core.submissions import new_key
from caunoi.meetings.models import Item, Meeting, Status

from .conftest import begin

pytestmark = pytest.mark.django_db


def url(name, meeting, *extra):
    return reverse(f"meetings:{name}", args=[meeting.pk, *extra])


def pdf_text(response) -> str:
    """The PDF's text, every line of it inside its page (issue 12, item 3: read back every PDF)."""
    assert text_lines(response.content) and lines_off_page(response.content) == []
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


def docx_text(response) -> str:
    doc = Document(io.BytesIO(response.content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_head_plans_a_meeting(world, households, client_for):
    client = client_for(world.head_a1)
    add = reverse("meetings:add", args=[world.area_a1.code])
    assert client.get(add).status_code == 200
    body = {
        "kind": "regular",
        "title": "Họp khu cuối năm",
        "date": "2099-12-20",
        "time": "19:30",
        "place": "Nhà văn hóa Khu 3",
        "convener_name": "Hoàng Văn Sơn",
        "submission": new_key(),
    }
    response = client.post(add, body)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    client.post(add, body)  # the same submission again
    assert Meeting.objects.count() == 1
    bad = client.post(add, {**body, "date": "2001-01-01", "submission": new_key()})
    assert bad.status_code == 200 and "This date and time has passed" in bad.content.decode()
    assert Meeting.objects.count() == 1


def test_prepare_invite_record_minutes(world, meeting, client_for):
    client = client_for(world.head_a1)
    r = client.post(
        url("item_add", meeting),
        {
            "title": "Bầu Ban thanh tra nhân dân",
            "kind": "decision",
            "matter": "boards",
            "submission": new_key(),
        },
    )
    assert r.status_code == 302 and meeting.items.count() == 4
    r = client.post(
        url("checklist", meeting), {"ticked": ["room", "documents"], "submission": new_key()}
    )
    assert r.status_code == 302
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Invite every household" in page and "Passes with at least 6 households" in page

    invitation = client.get(url("invitation", meeting, "pdf"))
    text = pdf_text(invitation)
    assert "GIẤY MỜI" in text and "Nhà văn hóa Khu 3" in text and "Lập Quỹ khuyến học" in text
    per_household = pdf_text(client.get(url("invitation", meeting, "pdf") + "?in=ho"))
    assert "Bùi Thị Thảo" in per_household and "Đại diện hộ 10" in per_household
    word = client.get(url("invitation", meeting, "docx"))
    assert word["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in docx_text(word)
    ics = client.get(url("invitation", meeting, "ics"))
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert str(event["location"]) == "Nhà văn hóa Khu 3"
    assert event.decoded("dtstart") == meeting.starts_at.replace(microsecond=0)

    assert client.get(url("invite", meeting)).status_code == 200
    assert client.post(url("invite", meeting), {"submission": new_key()}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Status.INVITED and meeting.notice.households == 10

    begin(meeting)
    codes = [f"08119-03-{i:03d}" for i in range(1, 8)]
    r = client.post(url("attendance", meeting), {"households": codes, "submission": new_key()})
    assert r.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Status.OPEN and meeting.households_present == 7
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'data-quorum="yes"' in page

    items = {i.order: i for i in meeting.items.all()}
    body = {
        "chair_name": "Hoàng Văn Sơn",
        "chair_for": "7",
        "secretary_name": "Bùi Thị Thảo",
        "secretary_for": "6",
        "method": "hands",
        "method_for": "7",
        "ended_at": "21:00",
        f"item_{items[2].pk}_for": "6",
        f"item_{items[2].pk}_against": "1",
        f"item_{items[2].pk}_abstained": "0",
        f"item_{items[4].pk}_for": "5",
        f"item_{items[4].pk}_against": "1",
        f"item_{items[4].pk}_abstained": "1",
        f"item_{items[1].pk}_summary": "Khu đã hoàn thành các chỉ tiêu.",
        "submission": new_key(),
    }
    bad = client.post(url("results", meeting), {**body, f"item_{items[2].pk}_for": "7"})
    assert bad.status_code == 200
    assert "7 for + 1 against + 0 abstained = 8, more than the 7 households" in bad.content.decode()
    assert client.post(url("results", meeting), body).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Status.HELD
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert page.count('data-passed="yes"') == 1 and page.count('data-passed="no"') == 1

    minutes = pdf_text(client.get(url("minutes", meeting, "pdf")))
    assert "BIÊN BẢN" in minutes and "Thông qua" in minutes and "Không thông qua" in minutes
    assert "Số hộ gia đình có đại diện tham dự: 7 hộ" in minutes
    word = docx_text(client.get(url("minutes", meeting, "docx")))
    assert "Thư ký: Bùi Thị Thảo" in word and "Không thông qua (50,0 % tổng số hộ)" in word

    area_page = client.get(world.area_a1.get_absolute_url()).content.decode()
    assert "Results of past meetings" in area_page and "6 of 10 households in favour" in area_page


def test_access(world, meeting, client_for, client):
    detail = meeting.get_absolute_url()
    assert client.get(detail).status_code == 302  # signed out: to sign-in
    client.force_login(world.officer_b)  # the neighbour commune
    assert client.get(detail).status_code == 404
    assert client.get(url("invitation", meeting, "pdf")).status_code == 404
    assert (
        client.get(reverse("meetings:readiness", args=["xa", world.commune_a.code])).status_code
        == 404
    )
    client.force_login(world.resident_a1)  # sees, cannot record
    assert client.get(detail).status_code == 200
    assert client.get(url("invitation", meeting, "ics")).status_code == 200
    assert (
        client.post(url("item_add", meeting), {"title": "x", "kind": "record"}).status_code == 403
    )
    assert client.get(url("attendance", meeting)).status_code == 403
    assert client.get(reverse("meetings:add", args=[world.area_a1.code])).status_code == 403
    client.force_login(world.officer_a)
    page = client.get(reverse("meetings:readiness", args=["xa", world.commune_a.code]))
    assert page.status_code == 200 and "Households not invited on Cầu Nối" in page.content.decode()
    assert client.get(url("attendance", meeting)).status_code == 200
    assert client.get(url("minutes", meeting, "pdf")).status_code == 404  # not recorded yet
    assert client.get(url("invitation", meeting, "exe")).status_code == 404


def test_no_quorum_page_and_minutes(world, meeting, client_for):
    client = client_for(world.head_a1)
    begin(meeting)
    r = client.post(
        url("attendance", meeting), {"households_present": "5", "submission": new_key()}
    )
    assert r.status_code == 302
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert 'data-quorum="no"' in page and "No quorum: the meeting is not held." in page
    assert client.get(url("results", meeting)).status_code == 200
    refused = client.post(url("results", meeting), {"submission": new_key()})
    assert refused.status_code == 200
    text = pdf_text(client.get(url("minutes", meeting, "pdf")))
    assert "không đủ điều kiện tiến hành" in text and "cần ít nhất 6 hộ" in text
    assert not Item.objects.filter(votes_for__isnull=False).exists()


def test_resident_asks_a_question_on_an_item(world, meeting, client_for):
    client = client_for(world.resident_a1)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Ask a question about this item before the meeting" in page
    ask = reverse("feedback:ask", args=[world.area_a1.code])
    form = client.get(ask, {"noi-dung": "About item 2 “Lập Quỹ khuyến học” of the meeting: "})
    assert form.context["form"].initial["text"].startswith("About item 2 “Lập Quỹ khuyến học”")
    assert "noi-dung=" in page


def test_a_share_reads_the_same_on_the_page_and_in_the_minutes(world, meeting, client_for):
    """1 of 16 households is 6,25 %: rounded half up to 6,3 on the page and in the minutes alike
    (`core.money.format_percent`), not 6,2 as `f"{x:.1f}"` rounds it."""
    from caunoi.meetings import services
    from caunoi.testing import add_household

    from .test_services import results

    for i in range(11, 17):
        add_household(world.area_a1, i, f"Đại diện hộ {i}", phone=f"09120010{i:02d}")
    world.area_a1.refresh_from_db()
    assert world.area_a1.household_count == 16
    begin(meeting)
    services.attendance_record(actor=world.head_a1, meeting=meeting, households_present=9)
    results(
        meeting, decision=(1, 8, 0), comment=(1, 0, 0), chair_for=9, secretary_for=9, method_for=9
    )
    client = client_for(world.head_a1)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "1 of 16 (6,3%;" in page
    word = docx_text(client.get(url("minutes", meeting, "docx")))
    assert "Không thông qua (6,3 % tổng số hộ)" in word and "6,2" not in word
