"""The commendation decision (quyết định khen thưởng) with its list, in the official layout
(`caunoi.core.official`), as PDF and as an editable Word file. In Vietnamese whatever the
reader's language: it is the official paper."""

from __future__ import annotations

from django.utils import timezone

from caunoi.core.official import Official, Para, Table, to_docx, to_pdf

from .models import Award, Proposal, ProposalLine
from .permissions import deciding_unit

AWARD_VI = {
    Award.COMMUNE: "Giấy khen của Chủ tịch Ủy ban nhân dân",
    Award.DISTRICT: "Giấy khen của Chủ tịch Ủy ban nhân dân",
    Award.PROVINCE: "Bằng khen của Chủ tịch Ủy ban nhân dân",
}
ROLE_VI = {"head": "Trưởng khu dân cư", "deputy_head": "Phó Trưởng khu dân cư"}


def _score(value) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


def decision(proposal: Proposal) -> Official:
    issuer = deciding_unit(proposal) or proposal.commune
    day = timezone.localtime(proposal.decided_at or timezone.now()).date()
    approved = [
        line
        for line in proposal.lines.select_related("person", "area").order_by("area__code", "id")
        if line.state == ProposalLine.State.APPROVED
    ]
    award = f"{AWARD_VI[Award(proposal.award)]} {issuer.name}"
    rows = [
        [
            str(i),
            line.person.full_name,
            ROLE_VI.get(line.role, line.role),
            f"{line.area.name}, {line.area.parent.name if line.area.parent else ''}".strip(", "),
            _score(line.score),
        ]
        for i, line in enumerate(approved, 1)
    ]
    place = issuer.short_name
    return Official(
        issuer=[f"ỦY BAN NHÂN DÂN {issuer.name.upper()}"],
        number=f"Số: {proposal.number}" if proposal.number else "Số: ……/QĐ-UBND",
        place_date=f"{place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}",
        title="QUYẾT ĐỊNH",
        subtitle=(
            f"Về việc khen thưởng Trưởng khu dân cư có thành tích xuất sắc năm {proposal.year}"
        ),
        blocks=[
            Para(f"CHỦ TỊCH ỦY BAN NHÂN DÂN {issuer.name.upper()}", bold=True, center=True),
            Para("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;", italic=True),
            Para(
                "Căn cứ Thông tư số 04/2012/TT-BNV ngày 31 tháng 8 năm 2012 của Bộ Nội vụ, "
                "Điều 13 khoản 2;",
                italic=True,
            ),
            Para(
                f"Căn cứ quy chế thi đua, khen thưởng của tỉnh năm {proposal.year} và kết quả "
                "đánh giá Trưởng khu dân cư trên Cầu Nối;",
                italic=True,
            ),
            Para(f"Xét đề nghị của Ủy ban nhân dân {proposal.commune.name},", italic=True),
            Para("QUYẾT ĐỊNH:", bold=True, center=True),
            Para(
                f"Điều 1. Tặng {award} cho {len(approved)} cá nhân có thành tích xuất sắc trong "
                f"công tác Trưởng khu dân cư năm {proposal.year} (có danh sách kèm theo)."
            ),
            Para(
                "Điều 2. Chánh Văn phòng, Thủ trưởng các cơ quan, đơn vị có liên quan và các cá "
                "nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này."
            ),
            Para("Điều 3. Quyết định này có hiệu lực kể từ ngày ký."),
            Para("DANH SÁCH ĐƯỢC KHEN THƯỞNG", bold=True, center=True),
            Table(
                ["STT", "Họ và tên", "Chức danh", "Khu dân cư", "Điểm"],
                rows,
                widths=[0.08, 0.28, 0.22, 0.32, 0.10],
            ),
        ],
        signatures=[("CHỦ TỊCH", proposal.decided_by.full_name if proposal.decided_by else "")],
    )


def decision_pdf(proposal: Proposal) -> bytes:
    return to_pdf(decision(proposal))


def decision_docx(proposal: Proposal) -> bytes:
    return to_docx(decision(proposal))
