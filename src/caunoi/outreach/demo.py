"""Demo notices in Khu 1, xã Đồng Xuân: the channels its meeting chose, a notice from the head
that most households know, one from the commune to all its areas, and a health notice still new
for the demo resident (0912000002)."""

import datetime

from django.utils import timezone

from caunoi.core.models import OutboxEvent
from caunoi.people.models import Person
from caunoi.territory.models import Level, Unit

from . import services
from .models import Channel, Delivery, Notice


def build(*, log=print) -> None:
    officer = Person.objects.get(username="xa.dongxuan")
    head = Person.objects.get(phone="0912000001")
    commune = officer.mandates.get().unit
    assert commune is not None  # the demo's commune officer holds the commune
    khu = Unit.objects.get(level=Level.AREA, code=f"{commune.code}-01")
    for channel in (Channel.SMS, Channel.ZALO):
        services.channel_decision_record(
            actor=head,
            area=khu,
            channel=channel,
            decision="Biên bản họp khu dân cư Khu 1 ngày 12/03/2022",
            decided_on=datetime.date(2022, 3, 12),
        )
    now = timezone.now()
    notices = [
        (
            head, khu, [khu], 9, "meeting",
            "Họp khu dân cư 6 tháng đầu năm",
            "Mời đại diện các hộ gia đình họp lúc 19:30 ngày 18/06/2022 tại nhà văn hóa Khu 1.\n\n"
            "Nội dung: báo cáo thu – chi quỹ khu, bàn việc làm đường bê tông ngõ 3.",
        ),
        (
            officer, commune, list(commune.children.all()), 5, "contribution",
            "Vận động đóng góp Quỹ phòng, chống thiên tai năm 2022",
            "Thực hiện Kế hoạch của UBND xã, mỗi lao động đóng góp 20.000 đ "
            "trước ngày 30/06/2022.\n\n"
            "Trưởng các khu dân cư tổng hợp và nộp về xã.",
        ),
        (
            head, khu, [khu], 0, "health",
            "Phun thuốc diệt muỗi phòng sốt xuất huyết",
            "Sáng chủ nhật tuần này, từ 7:00 đến 10:00, đội y tế phun thuốc tại các hộ. "
            "Đề nghị các hộ đóng cửa tủ đựng thức ăn và che đậy nước uống.",
        ),
    ]  # fmt: skip
    resident_household = khu.households.order_by("code").first()
    assert resident_household is not None  # the builder gave Khu 1 its households
    for author, unit, areas, days_ago, category, title, body in notices:
        notice = services.notice_create(
            actor=author, unit=unit, areas=areas, title=title, body=body, category=category
        )
        notice = services.notice_publish(actor=author, notice=notice)
        # History: the messages went out when it was published (no console flood at build time).
        at = now - datetime.timedelta(days=days_ago)
        Notice.objects.filter(pk=notice.pk).update(publish_at=at, published_at=at)
        Delivery.objects.filter(notice=notice, status=Delivery.Status.QUEUED).update(
            status=Delivery.Status.SENT, sent_at=at, attempts=1
        )
        OutboxEvent.objects.filter(payload__notice=notice.pk).update(done_at=now)
        if days_ago:  # four households in five knew it, in every area it went to
            for area in areas:
                known = area.households.exclude(pk=resident_household.pk).order_by("code")
                for household in known[: int(area.household_count * 0.8)]:
                    services.acknowledgement_record(
                        notice=notice, household=household, how="web", by=None
                    )
    log(f"  notices: {len(notices)} in {khu.name}, {commune.name}")
