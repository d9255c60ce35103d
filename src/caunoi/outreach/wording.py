"""Words for the channels: SMS segment counts, an unaccented version, and numbers, dates and
amounts written out the way they are read aloud on the loudspeaker."""

import hashlib
import math
import re
import unicodedata

from django.utils import translation
from django.utils.translation import gettext as _

# GSM 03.38: one septet each (basic set) or two (extension set).
_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENSION = set("^{}\\[~]|€\f")


def is_gsm7(text: str) -> bool:
    return all(ch in _GSM_BASIC or ch in _GSM_EXTENSION for ch in text)


def sms_segments(text: str) -> tuple[int, int, bool]:
    """(segments, characters counted, GSM-7?). GSM-7: 160 characters in one SMS, 153 per part of a
    longer one; anything else (Vietnamese with diacritics) goes as UCS-2: 70, then 67 per part."""
    if not text:
        return 0, 0, True
    if is_gsm7(text):
        units = sum(2 if ch in _GSM_EXTENSION else 1 for ch in text)
        return (1 if units <= 160 else math.ceil(units / 153)), units, True
    units = len(text.encode("utf-16-le")) // 2
    return (1 if units <= 70 else math.ceil(units / 67)), units, False


def unaccent(text: str) -> str:
    """The same text without diacritics (case and punctuation kept): "Thông báo" → "Thong bao"."""
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", text)


# ------------------------------------------------------------------------- read aloud (Vietnamese)

_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_SCALES = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ"]


def _triple(n: int, full: bool) -> list[str]:
    h, t, u = n // 100, n // 10 % 10, n % 10
    words = []
    if h or full:
        words += [_DIGITS[h], "trăm"]
    if t == 0:
        if u and (h or full):
            words += ["linh", _DIGITS[u]]
        elif u:
            words.append(_DIGITS[u])
    elif t == 1:
        words.append("mười")
        if u:
            words.append("lăm" if u == 5 else _DIGITS[u])
    else:
        words += [_DIGITS[t], "mươi"]
        if u:
            words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(u, _DIGITS[u]))
    return words


def number_words(n: int) -> str:
    """12 → "mười hai"; 1250000 → "một triệu hai trăm năm mươi nghìn"."""
    if n < 0:
        return "âm " + number_words(-n)
    if n == 0:
        return "không"
    groups = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    if len(groups) > len(_SCALES):
        return " ".join(_DIGITS[int(d)] for d in str(n))
    words: list[str] = []
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            continue
        words += _triple(g, full=bool(words))
        if _SCALES[i]:
            words.append(_SCALES[i])
    return " ".join(words)


def _int(text: str) -> int:
    return int(text.replace(".", ""))


def _decimal(whole: str, frac: str | None) -> str:
    words = number_words(_int(whole))
    if frac:
        words += (
            " phẩy " + number_words(int(frac))
            if not frac.startswith("0")
            else (" phẩy " + " ".join(_DIGITS[int(d)] for d in frac))
        )
    return words


def _date(m: re.Match) -> str:
    day, month, year = int(m["d"]), int(m["m"]), m["y"]
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return m[0]
    day_words = ("mùng " if day <= 10 else "") + number_words(day)
    month_words = "tư" if month == 4 else number_words(month)
    out = f"{m['pre'] or 'ngày '}{day_words} tháng {month_words}"
    return out + (f" năm {number_words(int(year))}" if year else "")


def _time(m: re.Match) -> str:
    hour, minute = int(m["h"]), int(m["min"] or 0)
    if hour > 24 or minute > 59:
        return m[0]
    return f"{number_words(hour)} giờ" + (f" {number_words(minute)} phút" if minute else "")


_NUM = r"\d{1,3}(?:\.\d{3})+|\d+"
_RULES = [
    (
        re.compile(r"(?P<pre>\b[Nn]gày\s+)?\b(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:/(?P<y>\d{4}))?\b"),
        _date,
    ),
    (re.compile(r"\b(?P<h>\d{1,2})(?::|h|giờ\s?)(?P<min>\d{2})?\b(?!/)"), _time),
    (
        re.compile(rf"(?P<n>{_NUM})(?:,(?P<f>\d+))?\s*(?:₫|đồng|VNĐ|VND|đ)(?!\w)"),
        lambda m: _decimal(m["n"], m["f"]) + " đồng",
    ),
    (
        re.compile(rf"(?P<n>{_NUM})(?:,(?P<f>\d+))?\s*%"),
        lambda m: _decimal(m["n"], m["f"]) + " phần trăm",
    ),
    (
        re.compile(r"\b0\d{2}[\d ]{6,11}\d\b"),
        lambda m: " ".join(_DIGITS[int(d)] for d in m[0] if d.isdigit()),
    ),
    (re.compile(rf"\b(?P<n>{_NUM})(?:,(?P<f>\d+))?\b"), lambda m: _decimal(m["n"], m["f"])),
]


# Abbreviations of official writing, read out in full (the longest first: "UBND" before "ND").
ABBREVIATIONS = {
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "MTTQ": "Mặt trận Tổ quốc",
    "KDC": "khu dân cư",
    "TDP": "tổ dân phố",
    "BHYT": "bảo hiểm y tế",
    "BHXH": "bảo hiểm xã hội",
    "CCCD": "căn cước công dân",
    "SĐT": "số điện thoại",
    "ĐT": "điện thoại",
    "THCS": "trung học cơ sở",
    "THPT": "trung học phổ thông",
    "PCCC": "phòng cháy chữa cháy",
    "Đ/c": "đồng chí",
    "TP.": "thành phố",
    "TW": "Trung ương",
}
_ABBREVIATION = re.compile(
    r"(?<!\w)("
    + "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")(?!\w)"
)


def spoken(text: str) -> str:
    """Numbers, dates, times, amounts, percentages and phone numbers written out in Vietnamese,
    and the abbreviations of official writing read in full: "UBND xã họp lúc 8:30 ngày
    13/06/2022, đóng 1.250.000 ₫" → "Ủy ban nhân dân xã họp lúc tám giờ ba mươi phút ngày
    mười ba tháng sáu năm hai nghìn không trăm hai mươi hai, đóng một triệu hai trăm năm mươi
    nghìn đồng". The loudspeaker script and the notice's audio both read this."""
    text = _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m[0]], text)
    for pattern, repl in _RULES:
        text = pattern.sub(repl, text)
    return text


def loudspeaker_script(*, unit_name: str, announces: str, title: str, body: str) -> list[str]:
    """The loudspeaker script, paragraph by paragraph: "<unit> <announces>: <title>." first, then
    the notice's paragraphs, all as read aloud."""
    paragraphs = [spoken(p.strip()) for p in body.split("\n") if p.strip()]
    return [f"{spoken(unit_name)} {announces}: {spoken(title)}.", *paragraphs]


def speech_text(*, unit_name: str, title: str, body: str) -> str:
    """What a notice's audio says: its loudspeaker script, in Vietnamese whatever the reader's
    language."""
    with translation.override("vi"):
        announces = _("announces")
    return "\n".join(
        loudspeaker_script(unit_name=unit_name, announces=announces, title=title, body=body)
    )


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
