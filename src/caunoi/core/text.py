"""Vietnamese text: NFC normalisation at every entry point and diacritic-free search keys.

`normalize` is applied to everything typed or imported; `search_key` folds case and diacritics so
that `pho tho` finds `Phú Thọ` identically on SQLite and PostgreSQL (the key is computed here, in
Python, and stored; the databases only compare plain ASCII).
"""

import re
import unicodedata

# U+00D0 (Icelandic eth) is often typed or scanned in place of U+0110 (Vietnamese Đ); so is U+0189.
_LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u0189": "\u0110", "\u00f0": "\u0111"})
_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalize(value: str | None) -> str:
    """NFC, look-alike Đ fixed, whitespace collapsed and trimmed."""
    if not value:
        return ""
    value = unicodedata.normalize("NFC", str(value).translate(_LOOKALIKES))
    return _SPACES.sub(" ", value).strip()


def nfc(value: str | None) -> str:
    """NFC and look-alike Đ fixed, whitespace (line breaks too) left as it is."""
    return unicodedata.normalize("NFC", str(value or "").translate(_LOOKALIKES))


def fold(value: str | None) -> str:
    """Lower-case ASCII: diacritics removed, đ → d, punctuation → space."""
    value = unicodedata.normalize("NFD", normalize(value).lower())
    value = "".join(ch for ch in value if unicodedata.category(ch) != "Mn")
    value = value.replace("đ", "d")
    return _NON_WORD.sub(" ", value).strip()


def slug(value: str | None, *, max_length: int | None = None) -> str:
    """Words for a file name or a code, Vietnamese transliterated ("đ" → "d", where Django's
    `slugify` drops it): "Vận động đóng góp" → "van-dong-dong-gop"."""
    words = fold(value).split()
    text = "-".join(words)
    if max_length is not None and len(text) > max_length:
        text = (
            text[:max_length].rsplit("-", 1)[0] if "-" in text[:max_length] else text[:max_length]
        )
    return text


def search_key(*parts: str | None) -> str:
    """A stored key: the folded words of all parts, space-delimited at both ends."""
    return " " + " ".join(filter(None, (fold(p) for p in parts))) + " "


def query_terms(query: str | None) -> list[str]:
    """The folded words of a search query (at most 8, each matched as a word prefix)."""
    return fold(query).split()[:8]


# Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (Đ after
# D, not where the folded "d" would put it), tones after letters in dictionary order (ngang, huyền,
# hỏi, ngã, sắc, nặng), and numbers by value ("Khu 2" before "Khu 10").
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER = {ch: i for i, ch in enumerate(_ALPHABET)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_NUMBER = re.compile(r"(\d+)")


def _letters(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    letters: list[int] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFD", text):
        if ch in _TONES:
            if tones:
                tones[-1] = _TONES[ch]
            continue
        if unicodedata.category(ch) == "Mn" and letters:  # breve, circumflex, horn: a new letter
            base = unicodedata.normalize("NFC", _ALPHABET[letters[-1]] + ch)
            if base in _LETTER:
                letters[-1] = _LETTER[base]
            continue
        letters.append(_LETTER.get(ch, 100 + ord(ch)))
        tones.append(0)
    return tuple(letters), tuple(tones)


def sort_key(value: str | None) -> tuple:
    """Sort key for Vietnamese text (names of units, people, areas), the same on every database:
    `sorted(units, key=lambda u: sort_key(u.name))`."""
    parts = _NUMBER.split(normalize(value).lower())
    primary: list[tuple[int, int, tuple[int, ...]]] = []
    secondary: list[tuple[int, ...]] = []
    for i, part in enumerate(parts):
        if i % 2:  # a run of digits
            primary.append((0, int(part), ()))
        elif part:
            letters, tones = _letters(part)
            primary.append((1, 0, letters))
            secondary.append(tones)
    return (tuple(primary), tuple(secondary))


def vn_sorted(items, key=lambda item: item):
    """`items` in Vietnamese order of `key(item)` (see `sort_key`)."""
    return sorted(items, key=lambda item: sort_key(key(item)))
