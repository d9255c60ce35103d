"""`core.redact`: what a public text must not show, on realistic Vietnamese questions (issue 13,
item 7). The feedback tests check it where it is used (questions, answers, Open311)."""

import unicodedata

import pytest

from caunoi.core.redact import ADDRESS, EMAIL, ID_CARD, NAME, NUMBER, PHONE, People, redact

pytestmark = pytest.mark.usefixtures("english")  # placeholders read as their msgids

RESIDENTS = ["Nguyễn Văn Thật", "Trần Thị Thu Hà", "Lê Văn Hùng", "Bùi Thị Thảo"]


def kinds(result):
    return [(m.kind, m.text) for m in result.masked]


def test_a_complaint_about_a_neighbour_keeps_the_problem_and_loses_the_person():
    text = (
        "Nhà ông Nguyễn Văn Thật ở số nhà 12 ngõ 5 đổ rác ra mương. Tôi đã gọi 0912 345 678 "
        "và gửi thư tới that.nv@gmail.com nhưng không ai trả lời. CCCD của tôi 025190001234."
    )
    result = redact(text, names=RESIDENTS)
    assert result.text == (
        "Nhà ông [name] ở [house number] ngõ 5 đổ rác ra mương. Tôi đã gọi [phone] "
        "và gửi thư tới [e-mail] nhưng không ai trả lời. CCCD của tôi [ID number]."
    )
    assert kinds(result) == [
        (NAME, "Nguyễn Văn Thật"),
        (ADDRESS, "số nhà 12"),
        (PHONE, "0912 345 678"),
        (EMAIL, "that.nv@gmail.com"),
        (ID_CARD, "025190001234"),
    ]


@pytest.mark.parametrize(
    "written",
    [
        "nhà ông Nguyễn Văn Thật lấn ngõ",
        unicodedata.normalize("NFD", "nhà ông Nguyễn Văn Thật lấn ngõ"),  # as some phones send it
        "nha ong nguyen van that lan ngo",  # typed without diacritics
        "NHÀ ÔNG NGUYỄN VĂN THẬT LẤN NGÕ",
        "nhà ông Nguyễn  Văn\u00a0Thật lấn ngõ",
    ],
)
def test_a_resident_is_found_however_the_name_is_typed(written):
    result = redact(written, names=RESIDENTS)
    assert [m.kind for m in result.masked] == [NAME]
    assert "[name]" in result.text and "hat" not in result.text.lower().replace("nhà", "")


def test_given_names_after_a_form_of_address_but_not_common_words():
    text = "Chị Thu Hà và bà con Khu 3 chú ý: anh Hùng, cô Thảo nói đền Hùng mở cửa."
    result = redact(text, names=RESIDENTS)
    assert result.text == (
        "Chị [name] và bà con Khu 3 chú ý: anh [name], cô [name] nói đền Hùng mở cửa."
    )
    # "bà con" (folks) and "chú ý" (attention) are not names; "đền Hùng" has no form of address
    assert redact("bà con chú ý", names=["Nguyễn Văn Con", "Lê Thị Ý"]).masked == ()


def test_numbers_that_are_not_personal_stay():
    text = (
        "Quỹ đã thu 125.000.000 đồng (12.500.000 ₫ còn nợ), họp ngày 12/05/2026 lúc 19:30, "
        "Khu 3 có 245 hộ, đèn số 12 bị hỏng, QĐ 1234/QĐ-UBND."
    )
    assert redact(text, names=RESIDENTS).text == text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Số CMND: 012345678", ID_CARD),
        ("căn cước 0251 9000 1234", ID_CARD),
        ("số định danh 025190001234", ID_CARD),
        ("gọi +84 912 345 678", PHONE),
        ("gọi 0912.345.678", PHONE),
        ("máy bàn 0210 3845 678", PHONE),
        ("tài khoản 1903 5555 1234 567", NUMBER),
        ("SN 12A ngõ 3", ADDRESS),
        ("nhà số 45/6 đường Hùng Vương", ADDRESS),
        ("ở 17 ngách 8 ngõ 12", ADDRESS),
    ],
)
def test_each_kind(text, kind):
    assert [m.kind for m in redact(text).masked] == [kind]


def test_known_addresses_of_the_area():
    result = redact("Cống trước Xóm Bãi 12 tắc", addresses=["Xóm Bãi 12, Khu 3"])
    assert result.masked == ()  # an address needs its house number first: "12 Xóm Bãi" below
    people = People(addresses=["Số 7 Xóm Bãi, Khu 3"])
    assert (
        redact("cống trước số 7 xóm bãi khu 3 tắc", people=people).text
        == "cống trước [house number] tắc"
    )


def test_what_the_publisher_keeps_stays_as_written():
    text = "Đường Lê Văn Hùng ngập, ông Nguyễn Văn Thật báo."
    result = redact(text, names=RESIDENTS, keep=["le van hung"])
    assert result.text == "Đường Lê Văn Hùng ngập, ông [name] báo."
    assert [m.text for m in result.kept] == ["Lê Văn Hùng"]
    assert [m.text for m in result.masked] == ["Nguyễn Văn Thật"]


def test_a_second_pass_changes_nothing():
    once = redact("ông Nguyễn Văn Thật, 0912345678, a@b.vn, số nhà 3 ngõ 2", names=RESIDENTS)
    twice = redact(once.text, names=RESIDENTS)
    assert twice.text == once.text and twice.masked == ()


def test_placeholders_are_in_the_readers_language():
    from django.utils import translation

    with translation.override("vi"):
        text = redact("gọi 0912345678, ông Nguyễn Văn Thật", names=RESIDENTS).text
    assert text == "gọi [số điện thoại], ông [họ tên]"
