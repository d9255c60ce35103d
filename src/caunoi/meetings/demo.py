"""The demo's community meetings in xã Đồng Xuân, built through the services like real use:

* every area's two regular meetings of last year (mid-year and year-end), held, with minutes;
* in Khu 1 a meeting this year that passed "Quỹ vệ sinh môi trường" (the funds' demo founds the
  fund on it: `caunoi.funds.demo.build_from_meeting`) and the e-mail channel for its notices;
* in Khu 2 a meeting without quorum, resolved by household ballot and sent to the commune;
* in Khu 1 a meeting in ten days still being prepared (agenda, half the checklist).

The past meetings are planned as if ahead and then moved to their day: a replay of what the head
did then (`meeting_create` refuses a past date)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from caunoi.outreach import services as outreach
from caunoi.people.models import Mandate, Role
from caunoi.territory.models import Level, Unit

from . import ballots, services
from .models import Item, Meeting

FUND_DECISION = "Lập Quỹ vệ sinh môi trường; mỗi hộ đóng góp 60.000 đồng một năm"
CHANNEL_DECISION = "Thông báo cho các hộ cả qua thư điện tử (e-mail), ngoài SMS và Zalo"


def _at(day: datetime.date, hour: int = 19, minute: int = 30) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _replay(*, head, area, title: str, day: datetime.date, items: list[tuple]) -> Meeting:
    meeting = services.meeting_create(
        actor=head,
        area=area,
        kind="regular",
        title=title,
        starts_at=timezone.now() + datetime.timedelta(days=1),
        place=f"Nhà văn hóa {area.short_name}",
        convener_name=head.full_name,
    )
    for title_, kind, matter in items:
        services.item_add(actor=head, meeting=meeting, title=title_, kind=kind, matter=matter)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=_at(day), created_at=_at(day) - datetime.timedelta(days=10)
    )
    meeting.refresh_from_db()
    return meeting


def _hold(
    *, head, meeting: Meeting, share_present: float, share_for: float, secretary: str
) -> None:
    total = meeting.area.household_count
    present = max(int(total * share_present), total // 2 + 1)
    services.attendance_record(actor=head, meeting=meeting, households_present=present)
    results = {}
    for item in meeting.items.exclude(kind=Item.Kind.RECORD):
        votes_for = min(present, max(int(total * share_for), total // 2 + 1))
        against = (present - votes_for) // 2
        results[item.pk] = (votes_for, against, present - votes_for - against)
    services.results_record(
        actor=head,
        meeting=meeting,
        chair_name=head.full_name,
        chair_for=present,
        secretary_name=secretary,
        secretary_for=max(present - 1, present // 2 + 1),  # one abstains, if still a majority
        method="hands",
        method_for=present,
        results=results,
        ended_at=datetime.time(21, 15),
    )


def build(*, log=print) -> None:
    dong_xuan = Unit.objects.filter(level=Level.COMMUNE, short_name="Đồng Xuân").first()
    if dong_xuan is None:
        return
    areas = list(Unit.objects.filter(parent=dong_xuan, level=Level.AREA).order_by("code"))
    heads = {
        m.unit_id: m.person
        for m in Mandate.objects.active()
        .filter(unit__in=areas, role=Role.HEAD)
        .select_related("person")
    }
    areas = [a for a in areas if a.pk in heads and a.household_count >= 3]
    if not areas:
        return
    today = timezone.localdate()
    last = today.year - 1
    held = 0
    for area in areas:
        head = heads[area.pk]
        for day, title in (
            (datetime.date(last, 6, 28), f"Họp khu dân cư giữa năm {last}"),
            (datetime.date(last, 12, 20), f"Họp khu dân cư cuối năm {last}"),
        ):
            period = "6 tháng đầu năm" if day.month == 6 else "năm"
            meeting = _replay(
                head=head,
                area=area,
                title=title,
                day=day,
                items=[
                    (
                        f"Trưởng khu báo cáo kết quả {period} {last}",
                        "record",
                        "",
                    ),
                    ("Góp ý dự thảo kế hoạch phát triển kinh tế - xã hội của xã", "comment", ""),
                    (
                        "Đóng góp sửa đường bê tông liên xóm, mỗi hộ 1 ngày công",
                        "decision",
                        "infrastructure",
                    ),
                ],
            )
            _hold(
                head=head,
                meeting=meeting,
                share_present=0.72,
                share_for=0.61,
                secretary="Nguyễn Thị Hoa",
            )
            held += 1

    khu1 = areas[0]
    head1 = heads[khu1.pk]
    fund_meeting = _replay(
        head=head1,
        area=khu1,
        title=f"Họp khu dân cư bất thường tháng 3/{today.year}",
        day=today - datetime.timedelta(days=60),
        items=[(FUND_DECISION, "decision", "fund"), (CHANNEL_DECISION, "decision", "channels")],
    )
    _hold(
        head=head1,
        meeting=fund_meeting,
        share_present=0.8,
        share_for=0.7,
        secretary="Nguyễn Thị Hoa",
    )
    # The area's e-mail channel rests on this meeting's decision, its SMS and Zalo on
    # the typed reference of a 2022 meeting held before Cầu Nối (`caunoi.outreach.demo`).
    channels = fund_meeting.items.get(matter="channels")
    outreach.channel_decision_record(actor=head1, area=khu1, channel="email", item_pk=channels.pk)

    if len(areas) > 1:
        khu2 = areas[1]
        head2 = heads[khu2.pk]
        failed = _replay(
            head=head2,
            area=khu2,
            title="Họp về lắp đèn chiếu sáng đường xóm",
            day=today - datetime.timedelta(days=40),
            items=[
                ("Mỗi hộ đóng góp 150.000 đồng lắp đèn chiếu sáng", "decision", "infrastructure")
            ],
        )
        total = khu2.household_count
        services.attendance_record(actor=head2, meeting=failed, households_present=total * 2 // 5)
        ballot = ballots.ballot_open(
            actor=head2, meeting=failed, closes_on=today + datetime.timedelta(days=1)
        )
        item = failed.items.get()
        slips = list(ballot.slips.select_related("household").order_by("household__code"))
        for i, slip in enumerate(slips[: max(len(slips) * 7 // 10, len(slips) // 2 + 1)]):
            answer = "against" if i % 9 == 8 else "for"
            ballots.slip_enter(
                actor=head2, ballot=ballot, household=slip.household, answers={item.pk: answer}
            )
        ballots.ballot_close(actor=head2, ballot=ballot)
        ballot.refresh_from_db()
        # The ballot ran for ten days after the meeting; the decision went to the commune in 3.
        closed = today - datetime.timedelta(days=30)
        type(ballot).objects.filter(pk=ballot.pk).update(closes_on=closed)
        ballot.refresh_from_db()
        ballots.ballot_report(
            actor=head2, ballot=ballot, reported_on=closed + datetime.timedelta(days=3)
        )

    coming = services.meeting_create(
        actor=head1,
        area=khu1,
        kind="regular",
        title=f"Họp khu dân cư giữa năm {today.year}",
        starts_at=_at(today + datetime.timedelta(days=10)),
        place=f"Nhà văn hóa {khu1.short_name}",
        convener_name=head1.full_name,
    )
    services.item_add(
        actor=head1,
        meeting=coming,
        title=f"Trưởng khu báo cáo kết quả 6 tháng đầu năm {today.year}",
        kind="record",
    )
    services.item_add(
        actor=head1,
        meeting=coming,
        title="Bầu Ban thanh tra nhân dân nhiệm kỳ mới",
        kind="decision",
        matter="boards",
    )
    services.checklist_set(actor=head1, meeting=coming, ticked=["room", "loudspeaker"])
    log(
        f"  meetings: {held} regular meetings of {last} held in {len(areas)} areas of "
        f"{dong_xuan.name}; a fund decision and a household ballot this year; one meeting being "
        "prepared"
    )


def fund_decision_item(area: Unit) -> Item | None:
    """The demo meeting's fund decision in `area` (for the funds' demo)."""
    return Item.objects.filter(meeting__area=area, title=FUND_DECISION).first()
