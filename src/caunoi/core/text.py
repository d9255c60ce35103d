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
