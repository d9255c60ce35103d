"""Import the General Statistics Office's Excel list of administrative units ("danh mục đơn vị
hành chính", exported from danhmuchanhchinh.gso.gov.vn).

Its columns, one commune-level unit per row:
`Tỉnh Thành Phố | Mã TP | Quận Huyện | Mã QH | Phường Xã | Mã PX | Cấp | Tên Tiếng Anh`;
from 1 July 2025 the district columns are gone. The header row is
found by its names (case, diacritics and spacing ignored). Rows go to `engine.apply`, so importing a
newer list over an older one records the changes as restructurings."""

from django.utils.translation import gettext as _

from caunoi.core.text import fold

from ..models import Kind, Level
from ..names import naming, short_name
from . import ImportReport, engine
from .vnprovinces import CODE_WIDTH
from .xlsx import NotXlsx, cell_text, find_header, open_workbook, raw_text_of, rows_of

COLUMNS = {
    "province": ("tinh thanh pho", "tinh tp", "ten tinh", "tinh", "tinh thanh"),
    "province_code": ("ma tp", "ma tinh", "ma tinh tp", "ma tinh thanh pho"),
    "district": ("quan huyen", "ten quan huyen", "huyen"),
    "district_code": ("ma qh", "ma huyen", "ma quan huyen"),
    "commune": ("phuong xa", "ten phuong xa", "xa phuong", "xa"),
    "commune_code": ("ma px", "ma xa", "ma phuong xa"),
    "level": ("cap",),
    "english": ("ten tieng anh",),
}
REQUIRED = {"province", "province_code", "commune", "commune_code"}
EXPECTED = "Tỉnh Thành Phố | Mã TP | Quận Huyện | Mã QH | Phường Xã | Mã PX | Cấp | Tên Tiếng Anh"

COMMUNE_LEVEL = {
    "xa": Kind.COMMUNE,
    "phuong": Kind.WARD,
    "thi tran": Kind.TOWNSHIP,
    "dac khu": Kind.SPECIAL_ZONE,
}


def _code(value: str, level: Level) -> str | None:
    value = value.strip()
    if not value.isdigit() or int(value) <= 0:
        return None
    return str(int(value)).zfill(CODE_WIDTH[level])


def parse(source, *, provinces: set[str] | None, report: ImportReport) -> list[dict]:
    try:
        workbook = open_workbook(source)
        table = rows_of(workbook.worksheets[0])
    except NotXlsx as exc:
        report.error("—", str(exc))
        return []
    workbook.close()
    header, cols = find_header(table, COLUMNS, REQUIRED)
    if header is None:
        missing = ", ".join(sorted(REQUIRED - cols.keys()))
        report.error(
            "—",
            _(
                "This is not the GSO list of administrative units: columns %(missing)s were not "
                "found. Expected the header row: %(expected)s."
            )
            % {"missing": missing, "expected": EXPECTED},
        )
        return []
    has_districts = "district" in cols and "district_code" in cols
    rows: list[dict] = []
    units: dict[tuple[int, str], dict] = {}
    commune_rows: dict[str, int] = {}
    empty: list[int] = []

    def get(row, field):
        col = cols.get(field)
        return row[col] if col is not None and col < len(row) else None

    def unit(level, code, named, parent, where, excel_row):
        name, kind = named.name, named.kind
        key = (level, code)
        seen = units.get(key)
        if seen is not None:
            if seen["name"] != name or seen["parent"] != parent:
                report.error(
                    excel_row,
                    _("Code %(code)s is given to %(a)s and %(b)s.")
                    % {"code": code, "a": seen["where"], "b": where},
                )
            return seen
        r = {
            "level": level,
            "code": code,
            "kind": kind,
            "name": name,
            "short_name": short_name(name),
            "parent": parent,
            "where": where,
            "evidence": named.evidence,
        }
        units[key] = r
        rows.append(r)
        return r

    for index, row in enumerate(table[header + 1 :], start=header + 2):
        values = {f: get(row, f) for f in cols}
        if all(cell_text(v) == "" for v in values.values()):
            empty.append(index)
            continue
        texts = {f: cell_text(v) for f, v in values.items()}
        pcode = _code(texts["province_code"], Level.PROVINCE)
        if provinces and pcode not in provinces:
            continue  # another province's row: neither read nor reported
        for f in ("province", "district", "commune"):
            raw = raw_text_of(values.get(f))
            if raw and texts[f] != " ".join(raw.split()):
                report.fix(
                    index, _("Name normalised (Unicode NFC, Đ): %(name)s") % {"name": texts[f]}, f
                )
        problems = []
        if not texts["province"] or pcode is None:
            problems.append(_("the province's name and code (Mã TP, 2 digits)"))
        ccode = _code(texts["commune_code"], Level.COMMUNE)
        dcode = _code(texts.get("district_code", ""), Level.DISTRICT) if has_districts else None
        if has_districts and (not texts["district"] or dcode is None):
            problems.append(_("the district's name and code (Mã QH, 3 digits)"))
        commune_blank = not texts["commune"] and not texts["commune_code"]
        if not commune_blank and (not texts["commune"] or ccode is None):
            problems.append(_("the commune's name and code (Mã PX, 5 digits)"))
        if commune_blank and not has_districts:
            problems.append(_("the commune's name and code (Mã PX, 5 digits)"))
        if problems:
            report.error(index, _("Missing or wrong: %(what)s.") % {"what": "; ".join(problems)})
            continue
        # "Phú Thọ" (the 2025 lists) and "Tỉnh Phú Thọ" (2022) are the same province
        pnamed = naming(texts["province"], Level.PROVINCE)
        assert pnamed is not None  # a province without its word is a Tỉnh
        p = unit(Level.PROVINCE, pcode, pnamed, None, pnamed.name, index)
        parent = (Level.PROVINCE, p["code"])
        where = p["name"]
        if has_districts:
            dnamed = naming(texts["district"], Level.DISTRICT)
            if dnamed is None:
                report.error(
                    index,
                    _("The district's name must start with Quận, Huyện, Thị xã or Thành phố."),
                )
                continue
            where = f"{where} › {dnamed.name}"
            d = unit(Level.DISTRICT, dcode, dnamed, parent, where, index)
            parent = (Level.DISTRICT, d["code"])
        if commune_blank:
            continue  # a district without communes (Hoàng Sa, Bạch Long Vĩ…)
        assert ccode is not None  # (a wrong code is one of the problems above)
        cnamed = naming(
            texts["commune"], Level.COMMUNE, COMMUNE_LEVEL.get(fold(texts.get("level", "")))
        )
        if cnamed is None:
            report.error(
                index,
                _("Cannot tell the kind of %(name)s: fill the Cấp column (Xã, Phường, Thị trấn).")
                % {"name": texts["commune"]},
            )
            continue
        if ccode in commune_rows:
            report.error(
                index,
                _("Code %(code)s appears twice (rows %(a)d and %(b)d).")
                % {"code": ccode, "a": commune_rows[ccode], "b": index},
                "Mã PX",
            )
            continue
        commune_rows[ccode] = index
        unit(Level.COMMUNE, ccode, cnamed, parent, f"{where} › {cnamed.name}", index)
    if empty:
        shown = ", ".join(str(i) for i in empty[:10]) + ("…" if len(empty) > 10 else "")
        report.fix("—", _("%(n)d empty rows skipped: %(rows)s.") % {"n": len(empty), "rows": shown})
    if not rows and report.ok:
        report.error("—", _("No unit found in the file (or none of the chosen provinces)."))
    rows.sort(key=lambda r: r["level"])
    return rows


def import_units(source, **options) -> ImportReport:
    """Import the units of a GSO spreadsheet: `engine.import_units` with this layout's `parse`."""
    return engine.import_units(parse, source, **options)
