"""The meeting's documents in the layout of NĐ 59/2023: Mẫu số 01 (invitation) and Mẫu số 03
(minutes), each as PDF and as an editable Word file (`caunoi.core.official`), and the meeting as
an iCalendar event (RFC 5545). The documents are in Vietnamese whatever the reader's language:
they are the official papers."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.utils import timezone

from caunoi.core.official import Block, Official, Para, Table, percent_of, to_docx, to_pdf

from . import arithmetic, policy
from .models import Ballot, Convener, Item, ItemMethod, Meeting, Method, Status

CONVENER_VI: dict[str, str] = {
    Convener.HEAD: "TRƯỞNG KHU DÂN CƯ",
    Convener.ELECTION_TEAM: "TM. TỔ BẦU CỬ",
    Convener.CTMT_HEAD: "TRƯỞNG BAN CÔNG TÁC MẶT TRẬN",
    Convener.COMMUNE_CHAIR: "CHỦ TỊCH UBND XÃ",
    Convener.ASSIGNED: "NGƯỜI TRIỆU TẬP",
    Convener.AUTHORISED: "NGƯỜI ĐƯỢC TRƯỞNG KHU ỦY QUYỀN CHỦ TRÌ",
}
KIND_VI: dict[str, str] = {
    Item.Kind.RECORD: "thông báo",
    Item.Kind.COMMENT: "cho ý kiến",
    Item.Kind.DECISION: "biểu quyết",
}
METHOD_VI: dict[str, str] = {
    Method.HANDS: "giơ tay",
    Method.BALLOT: "bỏ phiếu kín",
    ItemMethod.HOUSEHOLD: "phiếu lấy ý kiến hộ gia đình",
}


def _kind_method(item: Item) -> str:
    """The item's kind, with how it was voted when it was ("biểu quyết (giơ tay)")."""
    kind = KIND_VI[item.kind]
    return f"{kind} ({METHOD_VI[item.method]})" if item.method in METHOD_VI else kind


def _issuer(meeting: Meeting) -> list[str]:
    area = meeting.area
    commune = area.parent
    lines = [f"UBND {commune.name.upper()}"] if commune is not None else []
    return lines + [area.name.upper()]


def _place_date(meeting: Meeting, day: datetime.date) -> str:
    return f"{meeting.area.short_name}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"


# --------------------------------------------------------------------------- Mẫu 01: invitation


def invitation(meeting: Meeting, *, to: str = "") -> Official:
    local = timezone.localtime(meeting.starts_at)
    agenda = [
        Para(f"{item.order}. {item.title} ({KIND_VI[item.kind]}).") for item in meeting.items.all()
    ]
    return Official(
        issuer=_issuer(meeting),
        place_date=_place_date(meeting, timezone.localtime(meeting.created_at).date()),
        title="GIẤY MỜI",
        subtitle="Tham dự cuộc họp của cộng đồng dân cư",
        blocks=[
            Para(f"Kính gửi: {to or '.' * 60}, đại diện hộ gia đình.", bold=True),
            Para(
                f"{CONVENER_VI[meeting.convener].capitalize()} {meeting.area.name} trân trọng kính "
                "mời Ông/Bà tham dự cuộc họp của cộng đồng dân cư."
            ),
            Para(f"1. Thời gian: {local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}."),
            Para(f"2. Địa điểm: {meeting.place}."),
            Para("3. Nội dung cuộc họp:"),
            *agenda,
            Para(
                "Đề nghị Ông/Bà sắp xếp thời gian tham dự đầy đủ, đúng giờ. Trường hợp không tham "
                "dự được, hộ gia đình cử người khác đại diện thay."
            ),
        ],
        signatures=[(CONVENER_VI[meeting.convener], meeting.convener_name)],
    )


def invitation_pages(meeting: Meeting) -> list[Official]:
    """One invitation per household, addressed to its representative (for printing)."""
    households = meeting.area.households.filter(is_active=True).order_by("code")
    return [invitation(meeting, to=h.representative_name or h.code) for h in households] or [
        invitation(meeting)
    ]


def invitation_pdf(meeting: Meeting, *, per_household: bool = False) -> bytes:
    doc = invitation(meeting)
    return to_pdf(doc, pages=invitation_pages(meeting) if per_household else None)


def invitation_docx(meeting: Meeting) -> bytes:
    return to_docx(invitation(meeting))


# ------------------------------------------------------------------------------ Mẫu 03: minutes


def minutes(meeting: Meeting) -> Official:
    local = timezone.localtime(meeting.starts_at)
    total = meeting.households_total or 0
    present = meeting.households_present or 0
    quorum = arithmetic.quorum_verdict(present, total)
    blocks: list[Block] = [
        Para(
            f"Vào hồi {local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}, tại {meeting.place}, "
            f"{meeting.area.name} tổ chức cuộc họp của cộng đồng dân cư: {meeting.title}."
        ),
        Para("I. THÀNH PHẦN", bold=True),
        Para(
            f"- Chủ trì: {meeting.chair_name or meeting.convener_name} "
            f"({CONVENER_VI[meeting.convener].lower()})."
        ),
    ]
    if meeting.secretary_name:
        blocks.append(Para(f"- Thư ký: {meeting.secretary_name}."))
    blocks += [
        Para(f"- Tổng số hộ gia đình của khu dân cư: {total} hộ."),
        Para(f"- Số hộ gia đình có đại diện tham dự: {present} hộ ({percent_of(present, total)})."),
        Para(f"- Số hộ gia đình không có đại diện tham dự: {total - present} hộ."),
    ]
    clusters = list(meeting.clusters.order_by("starts_at", "id"))
    if clusters:
        blocks.append(
            Para(
                f"- Cuộc họp được tổ chức theo {len(clusters)} cụm dân cư; số hộ tham dự và kết "
                "quả biểu quyết là tổng của các cụm:"
            )
        )
        for c in clusters:
            blocks.append(
                Para(
                    f"  + {c.title}: chủ trì {c.convener_name} (được trưởng khu ủy quyền), "
                    f"{c.households_present or 0} hộ tham dự."
                )
            )
    if meeting.status in (Status.NOT_HELD, Status.BALLOTED):
        blocks += [
            Para("II. KẾT LUẬN VỀ CUỘC HỌP", bold=True),
            Para(
                f"Số hộ có đại diện tham dự ({present}/{total}) không vượt quá "
                f"{policy.QUORUM_SHARE.value * 100:g}% tổng số hộ gia đình (cần ít nhất "
                f"{quorum.needed} hộ). Cuộc họp không đủ điều kiện tiến hành."
            ),
        ]
    ballot = Ballot.objects.filter(meeting=meeting).first()
    balloted = ballot is not None and meeting.status == Status.BALLOTED
    if ballot is not None and balloted:
        blocks.append(
            Para(
                f"Các nội dung cần quyết định được lấy ý kiến bằng phiếu gửi từng hộ gia đình, "
                f"hạn cuối ngày {ballot.closes_on:%d/%m/%Y}; kết quả tính trên tổng số "
                f"{ballot.households_total} hộ gia đình."
            )
        )
    if meeting.status in (Status.HELD, Status.BALLOTED):
        if meeting.method:
            blocks.append(
                Para(
                    f"- Hình thức biểu quyết: {METHOD_VI[meeting.method]}, được "
                    f"{meeting.method_for}/{present} đại diện hộ có mặt tán thành."
                )
            )
        heading = "III. KẾT QUẢ LẤY Ý KIẾN HỘ GIA ĐÌNH" if balloted else "II. NỘI DUNG VÀ KẾT QUẢ"
        blocks.append(Para(heading, bold=True))
        rows = []
        for item in meeting.items.all():
            if item.votes_for is None:
                result = "Đã thông báo" if item.kind == Item.Kind.RECORD else "Đã cho ý kiến"
                rows.append([str(item.order), item.title, _kind_method(item), "", "", "", result])
                continue
            verdict = item.verdict
            if verdict is None:
                result = "Đã cho ý kiến"
            else:
                result = (
                    f"{'Thông qua' if verdict.ok else 'Không thông qua'} "
                    f"({percent_of(verdict.count, verdict.total)} tổng số hộ)"
                )
            rows.append(
                [
                    str(item.order),
                    item.title,
                    _kind_method(item),
                    str(item.votes_for),
                    str(item.votes_against),
                    str(item.votes_abstained),
                    result,
                ]
            )
        blocks.append(
            Table(
                [
                    "TT",
                    "Nội dung",
                    "Hình thức",
                    "Tán thành",
                    "Không tán thành",
                    "Không ý kiến",
                    "Kết quả",
                ],
                rows,
                widths=[0.05, 0.3, 0.11, 0.1, 0.11, 0.1, 0.23],
            )
        )
        for item in meeting.items.all():
            if item.summary:
                blocks.append(Para(f"Nội dung {item.order} — ý kiến: {item.summary}", italic=True))
        blocks.append(
            Para(
                f"Quyết định được thông qua khi có trên {policy.DECISION_SHARE.value * 100:g}% "
                "tổng số hộ gia đình của khu dân cư tán thành (Luật Thực hiện dân chủ ở cơ sở "
                "2022).",
                italic=True,
            )
        )
        end = f"{meeting.ended_at:%H} giờ {meeting.ended_at:%M} phút" if meeting.ended_at else "…"
        blocks.append(Para(f"Cuộc họp kết thúc vào hồi {end} cùng ngày."))
    return Official(
        issuer=_issuer(meeting),
        place_date=_place_date(meeting, local.date()),
        title="BIÊN BẢN",
        subtitle="Cuộc họp của cộng đồng dân cư",
        blocks=blocks,
        signatures=[
            ("THƯ KÝ", meeting.secretary_name),
            ("CHỦ TRÌ", meeting.chair_name or meeting.convener_name),
        ],
    )


def minutes_pdf(meeting: Meeting) -> bytes:
    return to_pdf(minutes(meeting))


def minutes_docx(meeting: Meeting) -> bytes:
    return to_docx(minutes(meeting))


# ------------------------------------------------------------------------------------ iCalendar

DURATION = datetime.timedelta(hours=2)


def ics(meeting: Meeting, *, url: str = "") -> bytes:
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Cau Noi//meetings//VI")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    local = timezone.localtime(meeting.starts_at)
    event.add("uid", f"meeting-{meeting.pk}@caunoi")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", local)
    event.add("dtend", local + DURATION)
    event.add("summary", f"{meeting.title} — {meeting.area.name}")
    event.add("location", meeting.place)
    description = "\n".join(f"{i.order}. {i.title}" for i in meeting.items.all())
    event.add("description", description + (f"\n{url}" if url else ""))
    if url:
        event.add("url", url)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", meeting.title)
    alarm.add("trigger", -datetime.timedelta(hours=1))
    event.add_component(alarm)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def add_to_calendar_url(meeting: Meeting) -> str:
    """A Google Calendar "add event" link (dates in UTC), beside the .ics download."""
    start = meeting.starts_at.astimezone(datetime.UTC)
    stamp = "%Y%m%dT%H%M%SZ"
    query = urlencode(
        {
            "action": "TEMPLATE",
            "text": f"{meeting.title} — {meeting.area.name}",
            "dates": f"{start:{stamp}}/{start + DURATION:{stamp}}",
            "location": meeting.place,
        }
    )
    return f"https://calendar.google.com/calendar/render?{query}"


# ---------------------------------------------------------------- household ballot slips


def ballot_slip(meeting: Meeting, *, household: str, code: str, closes_on, url: str) -> Official:
    items = meeting.items.filter(kind=Item.Kind.DECISION).order_by("order")
    rows = [[f"{i.order}. {i.title}", "", "", ""] for i in items]
    return Official(
        issuer=_issuer(meeting),
        place_date=_place_date(meeting, timezone.localdate()),
        title="PHIẾU LẤY Ý KIẾN HỘ GIA ĐÌNH",
        subtitle=meeting.title,
        blocks=[
            Para(f"Hộ gia đình: {household}", bold=True),
            Para(
                f"Cuộc họp ngày {timezone.localtime(meeting.starts_at):%d/%m/%Y} không đủ số hộ "
                "tham dự. Đề nghị hộ gia đình cho ý kiến vào từng nội dung dưới đây (đánh dấu "
                "một ô) và gửi lại phiếu cho Trưởng khu dân cư."
            ),
            Table(
                ["Nội dung", "Tán thành", "Không tán thành", "Không có ý kiến"],
                rows,
                widths=[0.55, 0.15, 0.15, 0.15],
            ),
            Para(f"Hạn cuối gửi phiếu: ngày {closes_on:%d/%m/%Y}.", bold=True),
            Para(f"Hoặc trả lời trực tuyến tại {url} với mã: {code} (mỗi hộ một lần)."),
        ],
        signatures=[("ĐẠI DIỆN HỘ GIA ĐÌNH", "")],
    )


def ballot_slips_pdf(meeting: Meeting, slips, *, closes_on, url: str) -> bytes:
    pages = [
        ballot_slip(
            meeting,
            household=f"{h.code} — {h.representative_name}",
            code=code,
            closes_on=closes_on,
            url=url,
        )
        for h, code in slips
    ]
    if not pages:
        pages = [ballot_slip(meeting, household="", code="", closes_on=closes_on, url=url)]
    return to_pdf(pages[0], pages=pages)
