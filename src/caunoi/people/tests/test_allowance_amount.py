"""The allowance table's amount is read by the kit's money parser (`core.money.parse_vnd`), as the
funds read theirs: "1,5" is refused (not read as 15), a superscript digit is refused (not a 500),
and each refusal says in Vietnamese what to type."""

import unicodedata

import pytest
from django.utils import translation

from caunoi.people.forms import AllowanceRateForm

RATE = {
    "effective_from": "01/01/2024",
    "area_category": "other",
    "post": "head",
    "basis": "Nghị quyết 17/2023/NQ-HĐND",
}


def amount(typed: str):
    with translation.override("vi"):
        form = AllowanceRateForm(data={**RATE, "amount": typed})
        valid = form.is_valid()
        return form.cleaned_data["amount"] if valid else form.errors["amount"]


@pytest.mark.parametrize(
    "typed, read",
    [
        ("1.500.000", 1_500_000),
        ("1500000", 1_500_000),
        ("1 500 000 đ", 1_500_000),
        (unicodedata.normalize("NFD", "1.500.000 đồng"), 1_500_000),
    ],
)
def test_amounts_typed_the_vietnamese_way_are_read(typed, read):
    assert amount(typed) == read


@pytest.mark.parametrize(
    "typed, message",
    [
        ("1,5", "Nhập số đồng chẵn (không có phần thập phân)."),
        ("²", "Nhập số tiền bằng chữ số (đồng)."),
        ("", "Nhập số tiền (đồng)."),
        ("   ", "Nhập số tiền (đồng)."),
        ("0", "Nhập số tiền lớn hơn 0."),
        ("99.999.999.999", "Số tiền quá lớn: tối đa 1.000.000.000\u00a0₫."),
        ("9" * 30, "Nhập số tiền bằng chữ số (đồng)."),
    ],
)
def test_amounts_that_are_not_whole_dong_are_refused_in_vietnamese(typed, message):
    assert amount(typed) == [message]
