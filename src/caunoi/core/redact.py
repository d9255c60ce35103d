"""Personal data out of a text that will be published: e-mail addresses, ID-card numbers (CCCD,
12 digits; CMND, 9), phone numbers, house numbers, and the names and addresses the caller knows
(an area's residents), matched whatever the diacritics (NFD, or typed without them) and case.

`redact(text, names=…, addresses=…, keep=…)` returns the public text, each piece masked (kind and
original, for the person who publishes to check) and each piece left as written because that
person said so (`keep`: the originals, compared folded). The kit knows no domain: the caller says
whose names count.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .text import fold, nfc

NAME = "name"
EMAIL = "email"
ID_CARD = "id_card"
PHONE = "phone"
ADDRESS = "address"
NUMBER = "number"

KIND_LABELS = {
    NAME: gettext_lazy("a resident's name"),
    EMAIL: gettext_lazy("an e-mail address"),
    ID_CARD: gettext_lazy("an ID-card number"),
    PHONE: gettext_lazy("a phone number"),
    ADDRESS: gettext_lazy("a house number or address"),
    NUMBER: gettext_lazy("a long number (account, card)"),
}


def _placeholder(kind: str) -> str:
    """What the public reads instead (in brackets, so that a second pass leaves it alone)."""
    return {
        NAME: _("[name]"),
        EMAIL: _("[e-mail]"),
        ID_CARD: _("[ID number]"),
        PHONE: _("[phone]"),
        ADDRESS: _("[house number]"),
        NUMBER: _("[number]"),
    }[kind]


@dataclass(frozen=True)
class Masked:
    kind: str
    text: str  # as written in the original

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def key(self) -> str:
        return fold(self.text) or self.text


@dataclass(frozen=True)
class Redaction:
    text: str
    masked: tuple[Masked, ...]  # distinct, in order of appearance
    kept: tuple[Masked, ...]  # found, but left as written (`keep`)

    @property
    def found(self) -> tuple[Masked, ...]:
        return self.masked + self.kept


# Forms of address before a given name ("ông Thật", "chị Thu Hà"), folded.
HONORIFICS = frozenset(
    "ong ba anh chi co chu bac cu em di thim mo cau duong chau con o me bo".split()
)

_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
# A run of digits, single spaces, dots or dashes between them ("0912 345 678", "001.203.001.234").
_DIGITS = re.compile(r"(?<![\w/])\+?\d(?:[ .\-]?\d)*(?![\w/])")
_MONEY_AFTER = re.compile(r"\s*(?:đ\b|đồng|dong\b|vnđ|vnd|₫|triệu|trieu|tỷ|ty\b|nghìn|ngàn)", re.I)
_ID_BEFORE = re.compile(
    r"(?:cccd|cmnd|cmt|căn cước|can cuoc|chứng minh|chung minh|định danh|dinh danh)"
    r"[\w\s]{0,16}[:.]?\s*$",
    re.I,
)
_HOUSE_NO = r"\d{1,4}[A-Za-z]?(?:[/\-]\d{1,4}[A-Za-z]?)*"
_STREETS = r"(?:ngõ|ngo|ngách|ngach|hẻm|hem|kiệt|kiet|đường|duong|phố|pho|tổ|to|xóm|xom)"
_HOUSE = re.compile(
    # "số nhà 12", "nhà số 12A", "SN 12/3"
    rf"(?<!\w)(?:số nhà|so nha|nhà số|nha so|sn)\s*[:.]?\s*{_HOUSE_NO}(?!\w)"
    # "số 12 ngõ 5", "nhà 12 đường Lê Lợi", "12/3 ngõ 5"
    rf"|(?<!\w)(?:(?:số|so|nhà|nha)\s+)?{_HOUSE_NO}(?=\s+{_STREETS}\b)",
    re.I,
)
_AFTER_STREET = re.compile(rf"(?<!\w){_STREETS}\s+$", re.I)
_WORD = re.compile(r"\w+", re.UNICODE)
_BRACKETED = re.compile(r"\[[^\[\]\n]{1,40}\]")


class People:
    """The names and addresses to look for, indexed once (an area's few thousand households)."""

    def __init__(self, names: Iterable[str] = (), addresses: Iterable[str] = ()):
        self.full: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.given: dict[str, list[tuple[str, ...]]] = {}
        for name in names:
            words = tuple(fold(name).split())
            if len(words) >= 2:
                self._add(self.full, words, NAME)
                for given in (words[-1:], words[-2:]) if len(words) >= 3 else (words[-1:],):
                    if given not in self.given.setdefault(given[0], []):
                        self.given[given[0]].append(given)
        for address in addresses:
            words = tuple(fold(address).split())
            if len(words) >= 3 and any(ch.isdigit() for ch in words[0] + words[1]):
                self._add(self.full, words, ADDRESS)
        for entries in self.full.values():
            entries.sort(key=lambda entry: -len(entry[0]))  # the longest match first
        for candidates in self.given.values():
            candidates.sort(key=len, reverse=True)

    @staticmethod
    def _add(table, words: tuple[str, ...], kind: str) -> None:
        entries = table.setdefault(words[0], [])
        if (words, kind) not in entries:
            entries.append((words, kind))


def _words(text: str) -> list[tuple[int, int, str, str]]:
    return [(m.start(), m.end(), m.group(), fold(m.group())) for m in _WORD.finditer(text)]


def redact(
    text: str,
    *,
    names: Iterable[str] = (),
    addresses: Iterable[str] = (),
    people: People | None = None,
    keep: Iterable[str] = (),
) -> Redaction:
    """`text` as the public may read it (see the module's docstring)."""
    text = nfc(text or "")
    people = people or People(names, addresses)
    spans: list[tuple[int, int, str]] = []
    taken = bytearray(len(text))

    def claim(start: int, end: int, kind: str) -> None:
        if start < end and not any(taken[start:end]):
            taken[start:end] = b"\x01" * (end - start)
            spans.append((start, end, kind))

    for m in _BRACKETED.finditer(text):  # placeholders of an earlier pass stay as they are
        taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    for m in _EMAIL.finditer(text):
        claim(m.start(), m.end(), EMAIL)
    for m in _DIGITS.finditer(text):
        kind = _number_kind(text, m)
        if kind:
            claim(m.start(), m.end(), kind)
    _names(text, people, claim)
    for m in _HOUSE.finditer(text):
        if not (m.group()[:1].isdigit() and _AFTER_STREET.search(text, 0, m.start())):
            claim(m.start(), m.end(), ADDRESS)  # not "ngách 8" of "17 ngách 8 ngõ 12"

    keep_keys = {fold(k) or k for k in keep}
    masked: dict[tuple[str, str], Masked] = {}
    kept: dict[tuple[str, str], Masked] = {}
    out, at = [], 0
    for start, end, kind in sorted(spans):
        piece = Masked(kind, text[start:end])
        out.append(text[at:start])
        if piece.key in keep_keys:
            kept.setdefault((kind, piece.key), piece)
            out.append(piece.text)
        else:
            masked.setdefault((kind, piece.key), piece)
            out.append(_placeholder(kind))
        at = end
    out.append(text[at:])
    return Redaction("".join(out), tuple(masked.values()), tuple(kept.values()))


def _number_kind(text: str, m: re.Match) -> str | None:
    digits = re.sub(r"\D", "", m.group())
    n = len(digits)
    if n < 9 or _MONEY_AFTER.match(text, m.end()):
        return None
    if _ID_BEFORE.search(text[max(0, m.start() - 40) : m.start()]):
        return ID_CARD
    if digits.startswith("84") and n in (11, 12) or digits.startswith("0") and n in (10, 11):
        return PHONE
    if n in (9, 12):
        return ID_CARD
    return NUMBER


def _names(text: str, people: People, claim) -> None:
    words = _words(text)
    i = 0
    while i < len(words):
        matched = _full_at(words, i, people) or _given_at(words, i, people)
        if matched:
            j, kind = matched
            claim(words[i][0], words[j - 1][1], kind)
            i = j
        else:
            i += 1


def _full_at(words, i: int, people: People) -> tuple[int, str] | None:
    for candidate, kind in people.full.get(words[i][3], ()):
        j = i + len(candidate)
        if j <= len(words) and tuple(w[3] for w in words[i:j]) == candidate:
            return j, kind
    return None


def _given_at(words, i: int, people: People) -> tuple[int, str] | None:
    """A given name after a form of address: "ông Thật", "chị Thu Hà" (a one-word given name
    only when written with a capital, so that "chú ý" or "bà con" stay)."""
    if i == 0 or words[i - 1][3] not in HONORIFICS:
        return None
    for candidate in people.given.get(words[i][3], ()):
        j = i + len(candidate)
        if j > len(words) or tuple(w[3] for w in words[i:j]) != candidate:
            continue
        if len(candidate) == 1 and not _capitalised(words[i][2]):
            continue
        return j, NAME
    return None


def _capitalised(word: str) -> bool:
    first = unicodedata.normalize("NFC", word)[:1]
    return first.isupper()
