"""Every PDF the funds print (the statement for the board, the poster, a receipt), read back: the
text is there and every line of it lies on the page."""

import datetime

import pytest
from django.urls import reverse

from caunoi.core.pdf import lines_off_page, text_lines
from caunoi.funds import services

from .conftest import contribute

pytestmark = pytest.mark.django_db


def test_every_funds_pdf_stays_on_its_page(world, fund, treasurer_a1, client, client_for):
    c = contribute(world, fund, 300_000, paid_on=datetime.date(2026, 1, 20))
    e = services.expense_record(
        actor=world.head_a1,
        fund=fund,
        amount=120_000,
        payee="Nhà sách Đồng Xuân và các đơn vị cung ứng văn phòng phẩm trong huyện Thanh Ba",
        purpose="Mua vở, bút và cặp sách tặng học sinh có hoàn cảnh khó khăn của khu dân cư "
        "nhân dịp khai giảng năm học mới",
        spent_on=datetime.date(2026, 2, 10),
    )
    services.expense_approve(actor=treasurer_a1, expense=e)
    statement = reverse("funds:statement", args=[fund.area.code, fund.pk, "pdf"])
    documents = {
        "statement": client.get(statement, {"ky": "half", "nam": 2026, "so": 1}).content,
        "poster": client.get(reverse("funds:poster", args=[fund.area.code])).content,
        "receipt": client_for(world.head_a1)
        .get(reverse("funds:receipt_pdf", args=[c.token]))
        .content,
    }
    for name, data in documents.items():
        assert data.startswith(b"%PDF"), name
        assert text_lines(data), name
        assert lines_off_page(data) == [], name
    shown = " ".join(line.text for line in text_lines(documents["statement"]))
    assert "Mua vở" in shown and "300.000" in shown
