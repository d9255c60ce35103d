import unicodedata

import pytest

from caunoi.core.text import fold, normalize, query_terms, search_key, slug


def test_normalize_makes_nfc_and_reads_eth_as_dj():
    nfd = unicodedata.normalize("NFD", "Xã Đồng Xuân")
    assert nfd != "Xã Đồng Xuân"
    assert normalize(nfd) == "Xã Đồng Xuân"
    assert normalize("\u00d0ồng Xuân") == "Đồng Xuân"
    assert normalize("  Khu   3 \n") == "Khu 3"
    assert normalize(None) == ""


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Phú Thọ", "phu tho"),
        ("Xã Đồng Xuân", "xa dong xuan"),
        ("ĐẶC KHU", "dac khu"),
        ("Thị trấn Hạ Hoà", "thi tran ha hoa"),
        ("Khu 3 – Đồng", "khu 3 dong"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded
    assert fold(unicodedata.normalize("NFD", text)) == folded


def test_search_key_and_terms():
    key = search_key("Khu 3", "Đồng Xuân", "Phú Thọ")
    assert key == " khu 3 dong xuan phu tho "
    assert all(f" {t}" in key for t in query_terms("KHU 3 dong XUÂN"))
    assert query_terms("") == []


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Thông báo 2: vận động đóng góp",
            "thong-bao-2-van-dong-dong-gop",
        ),  # not "van-ong-ong-gop"
        ("ĐƯỜNG GIAO THÔNG", "duong-giao-thong"),
        ("Quỹ khuyến học (2026)", "quy-khuyen-hoc-2026"),
        ("", ""),
    ],
)
def test_slug_transliterates_vietnamese(text, expected):
    assert slug(text) == expected


def test_slug_cuts_at_a_word():
    assert slug("Vận động đóng góp quỹ phòng chống thiên tai", max_length=20) == "van-dong-dong-gop"


def test_vietnamese_order_with_numbers_by_value():
    from caunoi.core.text import vn_sorted

    names = ["Tân Phú", "Đồng Xuân", "Dữu Lâu", "Khu 10", "Khu 2", "Khu 1", "Ấp Bắc", "An Bình"]
    names += ["Âu Cơ", "Bạ", "Bá", "Ba", "Bà", "Duy", "Đa", "Xã Đồng Xuân", "Xã Dân Chủ", "Xóm 3"]
    assert vn_sorted(names) == [
        "An Bình",
        "Ấp Bắc",
        "Âu Cơ",
        "Ba",
        "Bà",
        "Bá",
        "Bạ",
        "Duy",
        "Dữu Lâu",
        "Đa",
        "Đồng Xuân",
        "Khu 1",
        "Khu 2",
        "Khu 10",
        "Tân Phú",
        "Xã Dân Chủ",
        "Xã Đồng Xuân",
        "Xóm 3",
    ]
    # NFD and Ð (U+00D0) read as the same letters
    import unicodedata

    assert vn_sorted(["Ðông", unicodedata.normalize("NFD", "Dương")]) == [
        unicodedata.normalize("NFD", "Dương"),
        "Ðông",
    ]
