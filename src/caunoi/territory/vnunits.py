"""The `vietnamadminunits` data (MIT; see THIRD-PARTY.md): the 63-province units in force until
30 June 2025 and the 34-province units from 1 July 2025, with GSO codes and coordinates, and the
conversion between them. Read straight from the package's SQLite and JSON files (no geometry
library is loaded), once per process.

What it gives Cầu Nối: the successor of every former commune (`successor`), the communes divided
between several new ones (`divided`, the default first), the former provinces of every new one,
coordinates of communes of both eras (`point`), and the former units of a province as rows an
importer reads (`legacy_provinces`)."""

import json
import sqlite3
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources


@dataclass(frozen=True)
class Conversion:
    successor: dict[str, str]  # former commune code → new commune code (the default if divided)
    divided: dict[str, tuple[str, ...]]  # former code → the new communes it went to, default first
    sources: dict[str, tuple[str, ...]]  # new commune code → former commune codes
    former_provinces: dict[str, tuple[str, ...]]  # new province code → former province codes
    new_names: dict[str, str]  # new commune code → its name
    old_names: dict[str, str]  # former commune code → its name
    points: dict[str, tuple[float, float]]  # commune code (new first) → (latitude, longitude)

    def point(self, code: str) -> tuple[float, float] | None:
        return self.points.get(code)


def version() -> str:
    try:
        return metadata.version("vietnamadminunits")
    except metadata.PackageNotFoundError:  # pragma: no cover (a pinned dependency)
        return "?"


def source_label() -> str:
    return f"vietnamadminunits {version()}"


def _data(name: str):
    return resources.files("vietnamadminunits") / "data" / name


def _connect() -> sqlite3.Connection:
    with resources.as_file(_data("dataset.db")) as path:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


@cache
def conversion() -> Conversion:
    db = _connect()
    try:
        legacy = {}
        old_names, points = {}, {}
        province_of_key = {}
        for pkey, dkey, wkey, pcode, code, name, lat, lon in db.execute(
            "SELECT provinceKey, districtKey, wardKey, provinceCode, wardCode, ward, wardLat, "
            "wardLon FROM admin_units_legacy"
        ):
            legacy[f"{pkey}_{dkey}_{wkey}"] = code
            province_of_key[pkey] = pcode
            old_names[code] = name
            if lat is not None and lon is not None:
                points[code] = (lat, lon)
        new = {}
        new_names = {}
        new_province = {}
        for pkey, wkey, pcode, code, name, lat, lon in db.execute(
            "SELECT provinceKey, wardKey, provinceCode, wardCode, ward, wardLat, wardLon "
            "FROM admin_units"
        ):
            new[(pkey, wkey)] = code
            new_province[pkey] = pcode
            new_names[code] = name
            if lat is not None and lon is not None:
                points[code] = (lat, lon)  # a kept code: today's place
    finally:
        db.close()
    data = json.loads(_data("converter_2025.json").read_text(encoding="utf-8"))
    successor: dict[str, str] = {}
    sources: dict[str, list[str]] = {}
    for pkey, wards in data["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wkey, olds in wards.items():
            code = new[(pkey, wkey)]
            for old in olds:
                if old in legacy:  # (a district without communes, e.g. Hoàng Sa, has no key)
                    successor[legacy[old]] = code
                    sources.setdefault(code, []).append(legacy[old])
    divided: dict[str, tuple[str, ...]] = {}
    for pkey, olds in data["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, parts in olds.items():
            codes = [new[(pkey, p["newWardKey"])] for p in parts]
            default = [new[(pkey, p["newWardKey"])] for p in parts if p["isDefaultNewWard"]]
            ordered = default[:1] + [c for c in codes if c not in default[:1]]
            divided[legacy[old]] = tuple(ordered)
            successor[legacy[old]] = ordered[0]
            for code in ordered:
                sources.setdefault(code, []).append(legacy[old])
    former = {
        new_province[pkey]: tuple(province_of_key[k] for k in keys if k in province_of_key)
        for pkey, keys in data["DICT_PROVINCE"].items()
    }
    return Conversion(
        successor=successor,
        divided=divided,
        sources={code: tuple(olds) for code, olds in sources.items()},
        former_provinces=former,
        new_names=new_names,
        old_names=old_names,
        points=points,
    )


def legacy_province_codes() -> set[str]:
    """The codes of the 63 provinces as they were until 30 June 2025."""
    db = _connect()
    try:
        return {
            row[0] for row in db.execute("SELECT DISTINCT provinceCode FROM admin_units_legacy")
        }
    finally:
        db.close()


def legacy_provinces(codes: set[str]) -> list[dict]:
    """The former units of these provinces (as on 30 June 2025), nested as the vietnam-provinces
    0.5.x JSON is (provinces → districts → wards), for `importers.vnprovinces`."""
    db = _connect()
    try:
        rows = [
            row
            for row in db.execute(
                "SELECT province, provinceCode, district, districtCode, districtType, ward, "
                "wardCode, wardType FROM admin_units_legacy "
                "ORDER BY provinceCode, districtCode, wardCode"
            )
            if row[1] in codes
        ]
    finally:
        db.close()
    provinces: dict[str, dict] = {}
    districts: dict[str, dict] = {}
    for pname, pcode, dname, dcode, dtype, wname, wcode, wtype in rows:
        province = provinces.setdefault(
            pcode,
            {
                "name": pname,
                "code": int(pcode),
                "division_type": "thành phố trung ương"
                if pname.startswith("Thành phố")
                else "tỉnh",
                "districts": [],
            },
        )
        if dcode not in districts:
            districts[dcode] = {
                "name": dname,
                "code": int(dcode),
                "division_type": dtype.lower(),
                "wards": [],
            }
            province["districts"].append(districts[dcode])
        if wcode:
            districts[dcode]["wards"].append(
                {"name": wname, "code": int(wcode), "division_type": wtype.lower()}
            )
    return list(provinces.values())
