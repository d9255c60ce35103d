"""The election's official papers (`caunoi.core.official`, PDF and Word, in Vietnamese whatever
the reader's language): the commune's decision to hold the election, the counting minutes with
every field of R-3.7.1, and the commune chair's recognition decision."""

from __future__ import annotations

import datetime

from caunoi.core.official import Block, Official, Para, Table, percent_of

from . import policy
from .models import Election, Status


def _commune(election: Election) -> str:
    commune = election.area.parent
    return commune.name if commune is not None else ""


def _issuer(election: Election) -> list[str]:
    return [f"UBND {_commune(election).upper()}"]


def _place_date(election: Election, day: datetime.date) -> str:
    commune = election.area.parent
    place = commune.short_name if commune is not None else election.area.short_name
    return f"{place}, ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def decision(election: Election) -> Official:
    area = election.area
    lead = (
        "Căn cứ Nghị định số 59/2023/NĐ-CP ngày 14/8/2023 của Chính phủ quy định chi tiết một số "
        "điều của Luật Thực hiện dân chủ ở cơ sở;"
    )
    blocks: list[Block] = [
        Para(lead, italic=True),
        Para("QUYẾT ĐỊNH:", bold=True, center=True),
        Para(
            f"Điều 1. Tổ chức bầu trưởng {area.name}"
            + (f" (bầu lại, lần {election.round})" if election.round > 1 else "")
            + f" vào ngày {election.election_day:%d/%m/%Y} tại {election.meeting.place}."
        ),
        Para(
            f"Điều 2. Thành lập Tổ bầu cử do Ông/Bà {election.team_leader} (đại diện Ban công tác "
            f"Mặt trận) làm Tổ trưởng"
            + (
                "; các thành viên: " + ", ".join(election.team_members.splitlines())
                if election.team_members
                else ""
            )
            + ". Người ứng cử không được là thành viên Tổ bầu cử."
        ),
        Para("Điều 3. Thời gian thực hiện:"),
        Table(
            ["Việc", "Ngày", "Chậm nhất"],
            [
                [
                    "Quyết định, kế hoạch",
                    f"{election.decided_on:%d/%m/%Y}",
                    f"{policy.PLAN_LEAD_DAYS.value} ngày trước ngày bầu",
                ],
                [
                    "Thành lập Tổ bầu cử",
                    f"{election.team_on:%d/%m/%Y}",
                    f"{policy.TEAM_LEAD_DAYS.value} ngày trước ngày bầu",
                ],
                [
                    "Danh sách người ứng cử gửi UBND xã",
                    f"{election.list_due_on:%d/%m/%Y}",
                    f"{policy.LIST_LEAD_DAYS.value} ngày trước ngày bầu",
                ],
                [
                    "Niêm yết, thông báo trên loa",
                    f"{election.notice_on:%d/%m/%Y}",
                    f"{policy.NOTICE_LEAD_DAYS.value} ngày trước ngày bầu",
                ],
                ["Ngày bầu cử", f"{election.election_day:%d/%m/%Y}", ""],
            ],
            widths=[0.5, 0.2, 0.3],
        ),
        Para(
            f"Điều 4. Tổ bầu cử, Ban công tác Mặt trận và các hộ gia đình {area.name} chịu trách "
            "nhiệm thi hành Quyết định này."
        ),
    ]
    return Official(
        issuer=_issuer(election),
        number=f"Số: {election.decision_number}",
        place_date=_place_date(election, election.decided_on),
        title="QUYẾT ĐỊNH",
        subtitle=f"Về việc tổ chức bầu trưởng {area.name}",
        blocks=blocks,
        signatures=[("CHỦ TỊCH", "")],
    )


def counting_minutes(election: Election) -> Official:
    """R-3.7.1: households of the area, attending, ballots issued, returned, valid, invalid, and
    each candidate's votes with their share of ALL households."""
    area = election.area
    meeting = election.meeting
    total = meeting.households_total or area.household_count
    present = meeting.households_present or 0
    rows = [
        ["1", "Tổng số hộ gia đình của khu dân cư", str(total)],
        ["2", "Số hộ gia đình có đại diện tham dự", f"{present} ({percent_of(present, total)})"],
    ]
    if election.ballots_valid is not None:
        rows += [
            ["3", "Số phiếu phát ra", str(election.ballots_issued)],
            ["4", "Số phiếu thu vào", str(election.ballots_returned)],
            ["5", "Số phiếu hợp lệ", str(election.ballots_valid)],
            ["6", "Số phiếu không hợp lệ", str(election.ballots_invalid)],
        ]
    blocks: list[Block] = [
        Para(
            f"Hôm nay, ngày {election.election_day:%d/%m/%Y}, tại {meeting.place}, {area.name} tổ "
            f"chức cuộc họp bầu trưởng {area.name} (lần {election.round}), do Tổ bầu cử chủ trì "
            f"(Tổ trưởng: {election.team_leader})."
        ),
        Table(["STT", "Nội dung", "Số lượng"], rows, widths=[0.1, 0.6, 0.3]),
    ]
    if election.status == Status.NOT_HELD:
        blocks.append(
            Para(
                "Số hộ có đại diện tham dự không vượt quá một nửa tổng số hộ gia đình: cuộc họp "
                "không đủ điều kiện tiến hành bầu cử."
            )
        )
    else:
        if election.counting_board:
            blocks.append(
                Para(
                    "Ban kiểm phiếu: "
                    + ", ".join(election.counting_board.splitlines())
                    + f" (được {election.board_for}/{present} đại diện hộ có mặt tán thành)."
                )
            )
        blocks.append(Para("Kết quả bầu cử:", bold=True))
        blocks.append(
            Table(
                ["Họ và tên", "Số phiếu bầu", "Tỷ lệ trên tổng số hộ"],
                [
                    [c.full_name, str(c.votes or 0), percent_of(c.votes or 0, total)]
                    for c in election.candidates.all()
                ],
                widths=[0.5, 0.2, 0.3],
            )
        )
        share = f"{policy.WIN_SHARE.value * 100:g}%"
        if election.winner is not None:
            blocks.append(
                Para(
                    f"Ông/Bà {election.winner.full_name} được trên {share} tổng số hộ gia đình "
                    f"bầu, trúng cử trưởng {area.name}."
                )
            )
        else:
            blocks.append(
                Para(
                    f"Không có người ứng cử nào được trên {share} tổng số hộ gia đình bầu: "
                    "đề nghị UBND xã quyết định tổ chức bầu lại."
                )
            )
    return Official(
        issuer=[f"UBND {_commune(election).upper()}", area.name.upper(), "TỔ BẦU CỬ"],
        place_date=f"{area.short_name}, ngày {election.election_day:%d} tháng "
        f"{election.election_day:%m} năm {election.election_day:%Y}",
        title="BIÊN BẢN KIỂM PHIẾU",
        subtitle=f"Bầu trưởng {area.name}",
        blocks=blocks,
        signatures=[("TM. TỔ BẦU CỬ", election.team_leader), ("THƯ KÝ", "")],
    )


def recognition(election: Election) -> Official:
    area = election.area
    assert election.winner is not None and election.recognised_on is not None
    return Official(
        issuer=_issuer(election),
        number=f"Số: {election.recognition_number}",
        place_date=_place_date(election, election.recognised_on),
        title="QUYẾT ĐỊNH",
        subtitle=f"Về việc công nhận kết quả bầu trưởng {area.name}",
        blocks=[
            Para(
                "Căn cứ Nghị định số 59/2023/NĐ-CP ngày 14/8/2023 của Chính phủ, Điều 8;",
                italic=True,
            ),
            Para(
                f"Căn cứ Biên bản kiểm phiếu bầu trưởng {area.name} ngày "
                f"{election.election_day:%d/%m/%Y} của Tổ bầu cử;",
                italic=True,
            ),
            Para("QUYẾT ĐỊNH:", bold=True, center=True),
            Para(
                f"Điều 1. Công nhận Ông/Bà {election.winner.full_name}, sinh năm "
                f"{election.winner.birth_year}, trúng cử trưởng {area.name} với "
                f"{election.winner.votes} phiếu trên tổng số "
                f"{election.meeting.households_total} hộ gia đình."
            ),
            Para(
                f"Điều 2. Quyết định có hiệu lực từ ngày {election.recognised_on:%d/%m/%Y}; nhiệm "
                "kỳ của trưởng khu dân cư tính từ ngày này."
            ),
            Para(
                f"Điều 3. Ông/Bà {election.winner.full_name} và các cá nhân có liên quan chịu "
                "trách nhiệm thi hành Quyết định này."
            ),
        ],
        signatures=[("CHỦ TỊCH", election.recognised_by)],
    )
