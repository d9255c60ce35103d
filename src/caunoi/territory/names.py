"""How units are named: the short name of an administrative unit and the full name of a
residential area. Pure functions of the text, shared by the services and the importers (so the
services never import an importer)."""

from caunoi.core.text import fold

from .models import AreaType

# Longest first: "Thành phố" before "Thành", "Thị trấn" before "Thị".
PREFIXES = sorted(
    ["Tỉnh", "Thành phố", "Huyện", "Quận", "Thị xã", "Xã", "Phường", "Thị trấn", "Đặc khu"],
    key=len,
    reverse=True,
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
