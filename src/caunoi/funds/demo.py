"""The demo's community funds: Khu 1 of xã Đồng Xuân keeps a study-promotion fund created by a
community meeting's decision, with a per-household campaign, contributions with receipts, an
approved expense with its invoice photo and one expense waiting for the head's approval (recorded
by the treasurer, so the head is the second person). Built through the services, like real use."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from caunoi.people.models import Mandate, Person, Role
from caunoi.territory.models import Level, Unit

from . import services

TREASURER_PHONE = "0912000051"


def _invoice_photo() -> SimpleUploadedFile:
    im = Image.new("RGB", (480, 320), (250, 248, 240))
    draw = ImageDraw.Draw(im)
    draw.rectangle([10, 10, 470, 310], outline=(60, 60, 60), width=3)
    for y, text in enumerate(
        ["HOA DON BAN LE", "Nha sach Thanh Ba", "Vo hoc sinh: 60 quyen", "Tong cong: 1.200.000 d"]
    ):
        draw.text((30, 30 + 50 * y), text, fill=(20, 20, 20))
    out = io.BytesIO()
    im.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile("hoa-don.jpg", out.getvalue(), content_type="image/jpeg")


def build(*, log=print) -> None:
    dong_xuan = Unit.objects.filter(level=Level.COMMUNE, short_name="Đồng Xuân").first()
    if dong_xuan is None:
        return
    khu = Unit.objects.get(level=Level.AREA, parent=dong_xuan, code=f"{dong_xuan.code}-01")
    head = Mandate.objects.select_related("person").get(unit=khu, role=Role.HEAD).person
    treasurer = Person.objects.create_user(phone=TREASURER_PHONE, full_name="Đặng Thị Lan")
    Mandate.objects.create(
        person=treasurer, role=Role.TREASURER, unit=khu, start=datetime.date(2021, 7, 1)
    )
    today = timezone.localdate()
    households = list(khu.households.order_by("code"))
    decision = services.decision_record(
        actor=head,
        area=khu,
        number="01/NQ-KDC",
        date=today - datetime.timedelta(days=150),
        method="meeting",
        subject="Lập Quỹ khuyến học của khu; mỗi hộ đóng góp 100.000 đồng một năm; "
        "miễn cho hộ nghèo và gia đình chính sách",
        # four in five agree; always more than half, so a small demo's decision passes too
        households_in_favour=max(len(households) * 4 // 5, len(households) // 2 + 1),
        households_total=max(1, len(households)),
    )
    fund = services.fund_create(
        actor=head,
        area=khu,
        name="Quỹ khuyến học",
        kind="study",
        purpose="Khen thưởng học sinh giỏi, hỗ trợ học sinh khó khăn của khu",
        decision=decision,
        keeper=treasurer,
        bank_bin="970405",
        bank_name="Agribank",
        bank_account="2706205123456",
        bank_account_name="Quỹ khuyến học Khu 1",
    )
    campaign = services.campaign_create(
        actor=head,
        fund=fund,
        name=f"Đóng góp năm {today.year}",
        level="household",
        amount=100_000,
        start=today - datetime.timedelta(days=140),
        end=today + datetime.timedelta(days=200),
        decision=decision,
    )
    if len(households) > 3:
        services.exemption_grant(
            actor=head, campaign=campaign, household=households[3], reason="Hộ nghèo năm 2026"
        )
    collected = 0
    for i, household in enumerate(households[1:13]):
        if i == 2:
            continue
        collected += 100_000 if i % 4 else 200_000
        services.contribution_record(
            actor=head if i % 2 else treasurer,
            fund=fund,
            household=household,
            amount=100_000 if i % 4 else 200_000,
            method="cash" if i % 3 else "transfer",
            paid_on=today - datetime.timedelta(days=130 - i * 9),
            campaign=campaign,
        )
    if collected < 300_000:  # a small demo (`HOUSEHOLDS=2`): too little in the fund to spend
        log(f"  funds: {fund.name} of {khu.name}, {dong_xuan.name}; too few households to spend")
        return
    spent = services.expense_record(
        actor=treasurer,
        fund=fund,
        amount=300_000,
        payee="Nhà sách Thanh Ba",
        purpose="Mua vở thưởng học sinh giỏi học kỳ I",
        spent_on=today - datetime.timedelta(days=20),
        decision=decision,
        invoice=_invoice_photo(),
    )
    services.expense_approve(actor=head, expense=spent)
    services.expense_record(
        actor=treasurer,
        fund=fund,
        amount=150_000,
        payee="Cửa hàng Hoa Mai",
        purpose="Phần thưởng cho học sinh đỗ đại học",
        spent_on=today - datetime.timedelta(days=2),
        decision=decision,
    )
    log(
        f"  funds: {fund.name} of {khu.name}, {dong_xuan.name}; treasurer {TREASURER_PHONE} "
        "(one-time code); an expense waits for the head's approval"
    )


def build_from_meeting(*, log=print) -> None:
    """Khu 1's second fund, founded on the decision its meeting passed on Cầu Nối (the meetings'
    demo runs first: `caunoi.meetings.demo`)."""
    from caunoi.meetings import demo as meetings_demo

    dong_xuan = Unit.objects.filter(level=Level.COMMUNE, short_name="Đồng Xuân").first()
    khu = Unit.objects.filter(level=Level.AREA, parent=dong_xuan).order_by("code").first()
    item = meetings_demo.fund_decision_item(khu) if khu is not None else None
    if khu is None or item is None or not item.passed:
        return
    head = Mandate.objects.select_related("person").get(unit=khu, role=Role.HEAD).person
    decision = services.decision_from_meeting(actor=head, area=khu, item_pk=item.pk)
    fund = services.fund_create(
        actor=head,
        area=khu,
        name="Quỹ vệ sinh môi trường",
        kind="other",
        purpose="Thu gom rác, phát quang đường làng của khu",
        decision=decision,
    )
    log(f"  funds: {fund.name} of {khu.name}, founded by the decision of a recorded meeting")
