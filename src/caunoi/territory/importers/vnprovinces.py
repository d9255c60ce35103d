"""Import the JSON layout of the `vietnam-provinces` package (GSO codes).

Two layouts are read:
* 0.5.x (2020–2025 units): provinces → "districts" → "wards" (three levels);
* 2025.x (from 1 July 2025: 34 provinces, 3,321 units): provinces → "wards" (two levels).

Either the whole country or the provinces whose codes are given. Names are normalised to NFC with
`Ð` read as `Đ`; such fixes are reported. Codes are zero-padded as the GSO writes them (province 2,
district 3, commune 5 digits)."""

import json
from pathlib import Path

from django.utils.translation import gettext as _

from caunoi.core.text import normalize

from ..models import KIND_LEVEL, Kind, Level
from ..names import naming, short_name
from . import ImportReport, engine

DIVISION_KIND = {
    "tỉnh": Kind.PROVINCE,
    "thành phố trung ương": Kind.CENTRAL_CITY,
    "huyện": Kind.RURAL_DISTRICT,
    "quận": Kind.URBAN_DISTRICT,
    "thành phố": Kind.CITY,
    "thị xã": Kind.TOWN,
    "xã": Kind.COMMUNE,
    "thị trấn": Kind.TOWNSHIP,
    "phường": Kind.WARD,
    "đặc khu": Kind.SPECIAL_ZONE,
}


def declared_kind(division_type: str, level: int) -> str | None:
    """The kind a `division_type` says at this level ("thành phố" of a province is a
    centrally-run city); None if it names no kind of that level."""
    kind = DIVISION_KIND.get(normalize(division_type).lower())
    if kind == Kind.CITY and level == Level.PROVINCE:
        return Kind.CENTRAL_CITY
    return kind if kind is not None and KIND_LEVEL[Kind(kind)] == level else None


CODE_WIDTH = {Level.PROVINCE: 2, Level.DISTRICT: 3, Level.COMMUNE: 5}


def load(source) -> object:
    """Parsed JSON from a path, bytes or already-parsed data; raises ValueError if not JSON."""
    if isinstance(source, str | Path):
        source = Path(source).read_bytes()
    if isinstance(source, bytes):
        try:
            return json.loads(source.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            # RecursionError: nested 100,000 deep (a 500 before); no real file nests past 4
            raise ValueError(
                _("This file is not the JSON of the vietnam-provinces package.")
            ) from exc
    return source


def parse(data, *, provinces: set[str] | None = None, report: ImportReport) -> list[dict]:
    """Rows {level, code, kind, name, short_name, parent, where} in tree order."""
    rows: list[dict] = []
    if not isinstance(data, list) or not any(
        isinstance(p, dict) and ("districts" in p or "wards" in p) for p in data
    ):
        report.error(
            "—",
            _(
                "This is not the nested JSON of the vietnam-provinces package: it must be a list "
                'of provinces, each with its "districts" (0.5.x) or "wards" (2025.x).'
            ),
        )
        return rows
    seen: set[tuple[int, str]] = set()

    def row(item, level, parent_code, where):
        if not isinstance(item, dict):
            report.error(where, _("This entry is not a unit."))
            return None
        missing = [k for k in ("name", "code", "division_type") if k not in item]
        if missing:
            report.error(
                where,
                _("Missing fields: %(cols)s (each unit needs name, code and division_type).")
                % {"cols": ", ".join(missing)},
            )
            return None
        raw_name = str(item["name"] or "")
        name = normalize(raw_name)
        if not name:
            report.error(where, _("The name is empty."), "name")
            return None
        if name != raw_name.strip():
            report.fix(
                where, _("Name normalised (Unicode NFC, Đ): %(name)s") % {"name": name}, "name"
            )
        where = f"{where} › {name}" if where else name
        try:
            code_int = int(item["code"])
            if code_int <= 0:
                raise ValueError
        except (TypeError, ValueError):
            report.error(where, _("The code must be a positive whole number."), "code")
            return None
        code = str(code_int).zfill(CODE_WIDTH[level])
        # the 2025.x files write "Phú Thọ", the 0.5.x "Tỉnh Phú Thọ"; 0.5.8 types say only
        # tỉnh/huyện/xã, so a "Thị trấn", "Phường" or "Thành phố" is told by its name
        named = naming(name, level, declared_kind(str(item["division_type"]), level))
        if named is None:
            report.error(
                where,
                _("Unknown kind of unit: %(kind)s") % {"kind": item["division_type"]},
                "division_type",
            )
            return None
        name, kind = named.name, named.kind
        if (level, code) in seen:
            report.error(where, _("Code %(code)s appears twice.") % {"code": code}, "code")
            return None
        seen.add((level, code))
        parsed = {
            "level": level,
            "code": code,
            "kind": kind,
            "name": name,
            "short_name": short_name(name),
            "parent": parent_code,
            "where": where,
            "evidence": named.evidence,
        }
        rows.append(parsed)
        return parsed

    for i, province in enumerate(data, start=1):
        if (
            isinstance(province, dict)
            and provinces
            and str(province.get("code", "")).zfill(2) not in provinces
        ):
            continue
        p = row(province, Level.PROVINCE, None, f"#{i}")
        if p is None:
            continue
        if "districts" in province:
            for d_item in province["districts"] or []:
                d = row(d_item, Level.DISTRICT, (Level.PROVINCE, p["code"]), p["where"])
                if d is None:
                    continue
                for w_item in d_item.get("wards") or []:
                    row(w_item, Level.COMMUNE, (Level.DISTRICT, d["code"]), d["where"])
        elif "wards" in province:
            for w_item in province["wards"] or []:
                row(w_item, Level.COMMUNE, (Level.PROVINCE, p["code"]), p["where"])
        else:
            report.error(p["where"], _("The province has neither districts nor wards."))
    if not rows and not report.errors:
        report.error("—", _("No province matches."))
    return rows


def import_units(source, **options) -> ImportReport:
    """Import units (the whole file, or the provinces whose codes are given), all or nothing.

    Over an older era of the same provinces, `decision` (a `services.Decision`) says when and by
    which act the changes took effect; see `engine` for what becomes a rename, move, merge or
    retirement. `mapping` {old commune code: new commune code} records merges the file cannot
    say."""
    return engine.import_units(_parse_file, source, **options)


def _parse_file(source, *, provinces: set[str] | None, report: ImportReport) -> list[dict]:
    """`parse` of the file's bytes; a file that is not this layout's JSON is the report's error."""
    try:
        data = load(source)
    except ValueError as exc:
        report.error("—", str(exc))
        return []
    return parse(data, provinces=provinces, report=report)
