"""How units are named: the kind of an administrative unit read from its name, the short name,
and the full name of a residential area. Pure functions of the text, shared by the services and
every importer (so the services never import an importer, and all importers read names alike)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from caunoi.core.text import fold

from .models import AreaType, Kind, Level

# The words a full name begins with, per level, and the kind each says ("Thành phố" is a city at
# district level and a centrally-run city at province level).
NAME_KINDS: dict[int, list[tuple[str, str]]] = {
    Level.PROVINCE: [("Thành phố", Kind.CENTRAL_CITY), ("Tỉnh", Kind.PROVINCE)],
    Level.DISTRICT: [
        ("Thành phố", Kind.CITY),
        ("Thị xã", Kind.TOWN),
        ("Quận", Kind.URBAN_DISTRICT),
        ("Huyện", Kind.RURAL_DISTRICT),
    ],
    Level.COMMUNE: [
        ("Thị trấn", Kind.TOWNSHIP),
        ("Đặc khu", Kind.SPECIAL_ZONE),
        ("Phường", Kind.WARD),
        ("Xã", Kind.COMMUNE),
    ],
}
KIND_PREFIX: dict[str, str] = {kind: word for words in NAME_KINDS.values() for word, kind in words}
# Longest first: "Thành phố" before "Thành", "Thị trấn" before "Thị".
PREFIXES = sorted({word for words in NAME_KINDS.values() for word, _kind in words}, key=len)[::-1]


@dataclass(frozen=True)
class Naming:
    """A unit's full name and kind, and what says so (shown when an import changes a kind)."""

    name: str
    kind: str
    evidence: str


def _prefix_of(name: str, level: int) -> tuple[str, str] | None:
    folded = fold(name) + " "
    for word, kind in NAME_KINDS.get(level, []):
        if folded.startswith(fold(word) + " "):
            return word, kind
    return None


def naming(name: str, level: int, declared: str | None = None) -> Naming | None:
    """The one rule of every importer. A name that begins with a kind's word ("Phường", "Thị
    trấn", "Thành phố"…) has that kind, whatever a generic type field says (vietnam-provinces
    0.5.8 says only tỉnh/huyện/xã); a name without one takes the declared kind (a province: Tỉnh
    when nothing is declared) and gets its word in front, once. None: the kind cannot be told."""
    found = _prefix_of(name, level)
    if found is not None:
        word, kind = found
        # the word as Vietnamese writes it, even if the source wrote "THỊ TRẤN" or "thị trấn"
        fixed = word + name[len(word) :] if fold(name[: len(word)]) == fold(word) else name
        evidence = _('the name begins with "%(word)s"') % {"word": word}
        if declared and declared != kind:
            evidence = _('%(evidence)s (the type field says "%(declared)s")') % {
                "evidence": evidence,
                "declared": Kind(declared).label,
            }
        return Naming(fixed, kind, evidence)
    if declared is None and level == Level.PROVINCE:
        declared = Kind.PROVINCE
    if declared is None or declared not in KIND_PREFIX:
        return None
    return Naming(
        f"{KIND_PREFIX[declared]} {name}",
        declared,
        _('the type field says "%(declared)s"') % {"declared": Kind(declared).label},
    )


def short_name(name: str) -> str:
    """ "Xã Đồng Xuân" → "Đồng Xuân"; "Phường 1" stays "Phường 1"."""
    for prefix in PREFIXES:
        if name.startswith(prefix + " "):
            rest = name[len(prefix) + 1 :]
            return name if rest.isdigit() else rest
    return name


def area_full_name(area_type: str, name: str) -> str:
    """ "Khu" + "3" → "Khu 3"; "Thôn" + "Thôn Đồng" stays "Thôn Đồng"."""
    label = AreaType(area_type).label
    if fold(name).startswith(fold(label) + " ") or fold(name) == fold(label):
        return name
    return f"{label} {name}"
