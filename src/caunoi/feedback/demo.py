"""Demo data for questions and reports: the usual categories in every commune of the province, a
few questions in xã Đồng Xuân at each stage (answered and public, at the commune, overdue with the
head, reopened) and an Open311 key for trying the API."""

import datetime

from django.utils import timezone, translation

from caunoi.people.models import Mandate, Person, Role
from caunoi.territory.models import Level, Unit

from . import services
from .models import ApiClient, Category, Request, key_hash

DEMO_OPEN311_KEY = "demo-open311-dong-xuan"

QUESTIONS = [
    # (area number, category index, text, public, what happens next)
    (
        1,
        0,
        "Đường bê tông từ nhà văn hoá Khu 1 ra đường tỉnh bị nứt, mưa là đọng nước.",
        True,
        "answer_commune",
    ),
    (
        1,
        4,
        "Đêm qua có người lạ đi xe máy không biển số vào xóm, đề nghị tăng tuần tra.",
        True,
        "answer_head",
    ),
    (1, 6, "Làm lại căn cước cho cụ già không đi lại được thì làm thế nào?", True, "faq"),
    (2, 1, "Bóng đèn đường ở ngã ba Khu 2 hỏng đã hai tuần.", True, "escalated"),
    (3, 2, "Mương thoát nước sau chợ bị tắc, bốc mùi.", False, "overdue"),
    (1, 3, "Rác thải ở bãi ven sông chưa được thu gom.", True, "reopened"),
]


def build(*, province: Unit, log=print) -> None:
    communes = list(Unit.objects.filter(level=Level.COMMUNE, path__startswith=province.path))
    with translation.override("vi"):
        defaults = [(str(name), str(group)) for name, group in services.DEFAULT_CATEGORIES]
    Category.objects.bulk_create(
        [
            Category(
                commune=c,
                code=f"{c.code}-{i + 1:02d}",
                name=name,
                group=group,
                order=i,
                head_days=3,
                commune_days=10,
            )
            for c in communes
            for i, (name, group) in enumerate(defaults)
        ],
        batch_size=2000,
    )
    log(f"  question categories: {len(communes) * len(defaults)}")
    officer = Person.objects.get(username="xa.dongxuan")
    resident = Person.objects.get(phone="0912000002")
    dong_xuan = Mandate.objects.get(person=officer, role=Role.COMMUNE_OFFICER).unit
    assert dong_xuan is not None  # the demo's commune officer holds the commune
    cats = list(Category.objects.filter(commune=dong_xuan).order_by("order"))
    heads = {
        m.unit.code: m.person
        for m in Mandate.objects.filter(unit__parent=dong_xuan, role=Role.HEAD).select_related(
            "unit", "person"
        )
        if m.unit is not None  # (always: filtered on the unit's parent)
    }
    made = 0
    for number, cat, text, public, outcome in QUESTIONS:
        area = Unit.objects.get(parent=dong_xuan, code=f"{dong_xuan.code}-{number:02d}")
        head = heads[area.code]
        author = resident if number == 1 else None
        req = services.request_create(
            actor=author,
            area=area,
            category=cats[cat],
            text=text,
            public=public,
            contact_name="" if author else "Người dân",
        )
        made += 1
        if outcome == "overdue":
            past = timezone.now() - datetime.timedelta(days=10)
            Request.objects.filter(pk=req.pk).update(
                created_at=past, level_since=past, due_date=past.date() + datetime.timedelta(days=3)
            )
            continue
        if outcome in ("answer_commune", "escalated", "reopened"):
            req = services.request_escalate(actor=head, request=req, note="Đề nghị xã xem xét.")
        if outcome == "escalated":
            continue
        answerer = head if outcome in ("answer_head", "faq") else officer
        req = services.request_answer(
            actor=answerer,
            request=req,
            answer={
                "answer_commune": "UBND xã đã đưa vào kế hoạch sửa chữa quý III; trong lúc chờ, "
                "tổ thủy lợi sẽ khơi rãnh thoát nước.",
                "answer_head": "Trưởng khu đã báo Công an xã; tổ an ninh tăng tuần tra buổi tối.",
                "faq": "Gia đình báo trưởng khu; Công an xã đến làm căn cước tại nhà cho người "
                "già yếu, không cần ra trụ sở.",
                "reopened": "Xã đã nhắc đơn vị thu gom rác.",
            }[outcome],
        )
        if outcome == "faq":
            services.request_publish_edit(
                actor=head, request=req, public_text=req.public_text, faq=True
            )
        if outcome == "reopened":
            services.request_confirm(
                actor=resident, request=req, resolved=False, reason="Đến nay rác vẫn chưa được thu."
            )
    # The resident's questions above are the demo's history: they may still ask today.
    services.phone_limit_forget(phone=resident.phone or "")
    ApiClient.objects.get_or_create(
        key_hash=key_hash(DEMO_OPEN311_KEY), defaults={"name": "Demo Open311 client"}
    )
    log(f"  questions in {dong_xuan.name}: {made}; Open311 api_key: {DEMO_OPEN311_KEY}")
