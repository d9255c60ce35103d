"""The printed notice for the board, read back: every line of text (the unit, "THÔNG BÁO", the
title, each paragraph, the footer) is on the page, none drawn past its edge."""

import pytest
from django.urls import reverse

from caunoi.core.pdf import lines_off_page, text_lines

from .factories import publish

LONG_BODY = (
    "Vận động các hộ đóng góp Quỹ phòng, chống thiên tai năm 2022 theo Kế hoạch của UBND xã: "
    "mỗi lao động trong độ tuổi đóng góp 20.000 đồng trước ngày 30/06/2022.\n\n"
    "Trưởng các khu dân cư tổng hợp và nộp về xã. Đề nghị các hộ đọc kỹ và thực hiện đúng hạn. " * 3
)


@pytest.mark.parametrize(
    "title, body, public",
    [
        ("Họp khu dân cư tháng 6", "Mời các hộ họp lúc 19:30.\n\nMang theo sổ hộ khẩu.", True),
        (
            "Vận động đóng góp Quỹ phòng, chống thiên tai năm 2022 của toàn thể nhân dân "
            "trong khu dân cư",
            LONG_BODY,
            False,
        ),
    ],
)
def test_every_line_of_the_board_notice_is_on_the_page(world, client_for, title, body, public):
    notice = publish(world, title=title, body=body, is_public=public)
    response = client_for(world.head_a1).get(reverse("outreach:print", args=[notice.pk]))
    data = response.content
    lines = text_lines(data)
    assert lines_off_page(data) == []
    shown = " ".join(line.text for line in lines)
    heading = "THÔNG BÁO" if "THÔNG BÁO" in shown else "NOTICE"
    assert heading in shown
    assert title.split()[0] in shown and title.split()[-1] in shown
    assert "Vận động" in shown or "Mời các hộ" in shown
    # Heading, title and body go down the page in that order, from the left margin.
    y_heading = next(line.y for line in lines if heading in line.text)
    y_title = next(line.y for line in lines if title.split()[0] in line.text)
    assert y_title < y_heading  # (PDF y grows upwards)
    body_lines = [line for line in lines if line.y < y_title and line.size == 13]
    assert body_lines and min(line.x for line in body_lines) < 60
