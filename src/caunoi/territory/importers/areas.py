"""The Excel template Cầu Nối offers a commune for its residential areas and households, and its
import (all or nothing, with a report by sheet and row).

Sheets: "Hướng dẫn" (instructions), "Khu dân cư" (one area a row: type and name or number; the
commune's current areas come pre-filled with their codes) and "Hộ gia đình" (one household a row,
naming its area as written on the "Khu dân cư" sheet). A row whose STT cell says "Ví dụ" is the
example and is skipped. Existing areas (same name) are left as they are; households whose code
already exists in the commune are updated."""

import datetime
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from caunoi.core.text import fold

from ..models import AreaType, Household, Level, Unit
from ..names import area_full_name
from ..services import (
    household_create,
    household_update,
    last_household_number,
    next_area_code,
    unit_create,
)
from . import ImportRefused, ImportReport
from .xlsx import (
    NotXlsx,
    cell_text,
    find_header,
    header_key,
    open_workbook,
    raw_text_of,
    rows_of,
)

AREA_SHEET = "Khu dân cư"
HOUSEHOLD_SHEET = "Hộ gia đình"
HELP_SHEET = "Hướng dẫn"
EXAMPLE = "Ví dụ"

AREA_COLUMNS = {
    "no": ("stt",),
    "type": ("loai khu", "loai"),
    "name": ("ten hoac so", "ten khu", "ten", "so"),
    "code": ("ma khu",),
}
AREA_HEADER = ["STT", "Loại khu", "Tên hoặc số", "Mã khu"]
HOUSEHOLD_COLUMNS = {
    "no": ("stt",),
    "area": ("khu", "khu dan cu", "ten khu"),
    "code": ("ma ho",),
    "address": ("dia chi",),
    "representative_name": ("chu ho", "ho ten chu ho", "ten chu ho"),
    "representative_phone": ("so dien thoai", "dien thoai", "sdt"),
    "members": ("so nhan khau", "nhan khau", "so nguoi"),
}
HOUSEHOLD_HEADER = ["STT", "Khu", "Mã hộ", "Địa chỉ", "Chủ hộ", "Số điện thoại", "Số nhân khẩu"]
TYPE_BY_KEY = {fold(label): value for value, label in AreaType.choices}


# --------------------------------------------------------------------------- the template


def template_workbook(commune: Unit) -> bytes:
    import openpyxl
    from openpyxl.styles import Font, PatternFill

    bold = Font(bold=True)
    grey = Font(italic=True, color="666666")
    fill = PatternFill("solid", fgColor="DDEBF7")
    wb = openpyxl.Workbook()
    help_ws = wb.active
    help_ws.title = HELP_SHEET
    types = ", ".join(label for _v, label in AreaType.choices)
    lines = [
        (f"Mẫu nhập khu dân cư và hộ gia đình — {commune.name} (mã {commune.code})", bold),
        ("", None),
        ('1. Trang "Khu dân cư": mỗi dòng một khu dân cư.', None),
        (f"   Loại khu: một trong {types}.", None),
        ('   Tên hoặc số: ví dụ 3 (thành "Khu 3") hoặc Đồng Lạng (thành "Thôn Đồng Lạng").', None),
        ("   Mã khu: để trống khi thêm khu mới; các khu đã có đã được điền sẵn, giữ nguyên.", None),
        ('2. Trang "Hộ gia đình": mỗi dòng một hộ.', None),
        ('   Khu: ghi đúng tên khu như ở trang "Khu dân cư" (ví dụ Khu 3), hoặc mã khu.', None),
        ("   Mã hộ: để trống khi thêm hộ mới; ghi mã đã có để sửa thông tin hộ đó.", None),
        (
            "   Chủ hộ: bắt buộc. Số điện thoại: 10 chữ số, có thể để trống. Số nhân khẩu: từ 1.",
            None,
        ),
        ('3. Dòng có chữ "Ví dụ" ở cột STT là dòng mẫu: có thể để nguyên hoặc xoá.', None),
        (
            "4. Khi tải lên, nếu có dòng sai thì không dòng nào được lưu; Cầu Nối sẽ chỉ rõ"
            " dòng nào sai để sửa rồi tải lên lại.",
            None,
        ),
    ]
    for text, font in lines:
        help_ws.append([text])
        if font:
            help_ws.cell(row=help_ws.max_row, column=1).font = font
    help_ws.column_dimensions["A"].width = 110

    areas_ws = wb.create_sheet(AREA_SHEET)
    areas_ws.append(AREA_HEADER)
    areas_ws.append([EXAMPLE, "Khu", "3", ""])
    for cell in areas_ws[2]:
        cell.font = grey
    current = Unit.objects.filter(parent=commune, level=Level.AREA, valid_to__isnull=True)
    for i, area in enumerate(current.order_by("code"), start=1):
        label = AreaType(area.area_type).label if area.area_type else ""
        areas_ws.append([i, label, area.name, area.code])
    households_ws = wb.create_sheet(HOUSEHOLD_SHEET)
    households_ws.append(HOUSEHOLD_HEADER)
    households_ws.append(
        [EXAMPLE, "Khu 3", "", "Số 12, đường Hùng Vương", "Nguyễn Văn An", "0912345678", 4]
    )
    for cell in households_ws[2]:
        cell.font = grey
    for ws, widths in ((areas_ws, [8, 16, 28, 14]), (households_ws, [8, 14, 16, 34, 26, 16, 14])):
        for col, width in enumerate(widths, start=1):
            ws.column_dimensions[openpyxl.utils.get_column_letter(col)].width = width
            ws.cell(row=1, column=col).font = bold
            ws.cell(row=1, column=col).fill = fill
        ws.freeze_panes = "A2"
    # Codes and phones are text, not numbers (a leading 0 must survive).
    for ws, letters in ((areas_ws, "D"), (households_ws, "CF")):
        for letter in letters:
            ws.column_dimensions[letter].number_format = "@"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- the import


def _sheet(workbook, title):
    for ws in workbook.worksheets:
        if header_key(ws.title) == fold(title):
            return ws
    return None


def _table(ws, columns, required, header_names, sheet_name, report):
    """[(excel row, {field: raw value})] of one sheet, or None when its header is wrong."""
    try:
        table = rows_of(ws)
    except NotXlsx as exc:
        report.error(f"{sheet_name}", str(exc))
        return None
    header, cols = find_header(table, columns, required, scan=10)
    if header is None:
        report.error(
            f"{sheet_name}",
            _("Columns not found: %(missing)s. The first row must be: %(expected)s.")
            % {
                "missing": ", ".join(
                    header_names[list(columns).index(f)] for f in sorted(required - cols.keys())
                ),
                "expected": " | ".join(header_names),
            },
        )
        return None
    rows = []
    for index, row in enumerate(table[header + 1 :], start=header + 2):
        values = {f: (row[c] if c < len(row) else None) for f, c in cols.items()}
        rows.append((index, values))
    return rows


def _texts(values, sheet, index, report, fields):
    texts = {}
    for f in fields:
        raw = raw_text_of(values.get(f))
        text = cell_text(values.get(f))
        if raw and text != " ".join(raw.split()):
            report.fix(
                f"{sheet}, {_('row')} {index}",
                _("Text normalised (Unicode NFC, Đ): %(text)s") % {"text": text},
                f,
            )
        texts[f] = text
    return texts


def import_template(source, *, actor, commune: Unit, today: datetime.date | None = None):
    """Import areas and households into `commune` from the template. All or nothing."""
    from caunoi.core.phones import normalize_phone

    report = ImportReport()
    today = today or datetime.date.today()
    try:
        workbook = open_workbook(source)
    except NotXlsx as exc:
        report.error("—", str(exc))
        return report
    area_ws = _sheet(workbook, AREA_SHEET)
    household_ws = _sheet(workbook, HOUSEHOLD_SHEET)
    if area_ws is None and household_ws is None:
        report.error(
            "—",
            _(
                'This is not the Cầu Nối template: it needs the sheets "%(a)s" and "%(b)s". '
                "Download the template from this page and fill it in."
            )
            % {"a": AREA_SHEET, "b": HOUSEHOLD_SHEET},
        )
        workbook.close()
        return report
    area_rows = (
        _table(area_ws, AREA_COLUMNS, {"type", "name"}, AREA_HEADER, AREA_SHEET, report)
        if area_ws is not None
        else []
    )
    household_rows = (
        _table(
            household_ws,
            HOUSEHOLD_COLUMNS,
            {"area", "representative_name"},
            HOUSEHOLD_HEADER,
            HOUSEHOLD_SHEET,
            report,
        )
        if household_ws is not None
        else []
    )
    workbook.close()
    if not report.ok:
        return report

    existing = list(Unit.objects.filter(parent=commune, level=Level.AREA, valid_to__isnull=True))
    by_name = {fold(a.name): a for a in existing}
    by_code = {a.code: a for a in existing}
    new_areas: list[dict] = []  # {where, type, name}
    new_by_name: dict[str, dict] = {}
    skipped: dict[str, list[int]] = {AREA_SHEET: [], HOUSEHOLD_SHEET: []}  # {sheet: row numbers}

    def where(sheet, index):
        return f"{sheet}, {_('row')} {index}"

    for index, values in area_rows or []:
        t = _texts(values, AREA_SHEET, index, report, ["no", "type", "name", "code"])
        if fold(t["no"]) == fold(EXAMPLE):
            continue
        if not any(t[f] for f in ("type", "name", "code")):
            skipped[AREA_SHEET].append(index)
            continue
        w = where(AREA_SHEET, index)
        area_type = TYPE_BY_KEY.get(fold(t["type"]))
        if area_type is None:
            report.error(
                w,
                _('Unknown type of area "%(type)s": write one of %(types)s.')
                % {"type": t["type"], "types": ", ".join(lbl for _v, lbl in AreaType.choices)},
                "Loại khu",
            )
            continue
        if not t["name"]:
            report.error(w, _("Write the area's name or number."), "Tên hoặc số")
            continue
        name = area_full_name(area_type, t["name"])
        if t["code"]:
            area = by_code.get(t["code"])
            if area is None:
                report.error(
                    w,
                    _("Code %(code)s is not a residential area of %(commune)s.")
                    % {"code": t["code"], "commune": commune.name},
                    "Mã khu",
                )
            elif fold(area.name) != fold(name):
                report.error(
                    w,
                    _(
                        "%(code)s is %(name)s. To rename an area use its Rename page; "
                        "here, leave the code empty to add a new area."
                    )
                    % {"code": area.code, "name": area.name},
                    "Tên hoặc số",
                )
            else:
                report.unchanged += 1
            continue
        key = fold(name)
        if key in new_by_name:
            report.error(
                w,
                _("%(name)s appears twice (rows %(a)s and %(b)s).")
                % {"name": name, "a": new_by_name[key]["row"], "b": index},
            )
            continue
        if key in by_name:
            report.unchanged += 1
            continue
        new_by_name[key] = {"row": index, "type": area_type, "name": name, "where": w}
        new_areas.append(new_by_name[key])

    households: list[dict] = []
    codes_seen: dict[str, int] = {}
    for index, values in household_rows or []:
        t = _texts(values, HOUSEHOLD_SHEET, index, report, list(HOUSEHOLD_COLUMNS))
        if fold(t["no"]) == fold(EXAMPLE):
            continue
        if not any(t[f] for f in HOUSEHOLD_COLUMNS if f != "no"):
            skipped[HOUSEHOLD_SHEET].append(index)
            continue
        w = where(HOUSEHOLD_SHEET, index)
        problems = []
        area_key = fold(t["area"])
        area = by_code.get(t["area"]) or by_name.get(area_key)
        new_area = None if area else new_by_name.get(area_key)
        if area is None and new_area is None:
            # "3" for "Khu 3" when the commune's areas are all of one type
            matches = [a for k, a in by_name.items() if k.split(" ")[-1:] == [area_key]]
            if area_key and len(matches) == 1:
                area = matches[0]
        if area is None and new_area is None:
            problems.append(
                (
                    _('Unknown area "%(area)s": write it as on the "%(sheet)s" sheet.')
                    % {"area": t["area"], "sheet": AREA_SHEET},
                    "Khu",
                )
            )
        if not t["representative_name"]:
            problems.append((_("Write the name of the head of household."), "Chủ hộ"))
        phone = ""
        if t["representative_phone"]:
            try:
                phone = normalize_phone(t["representative_phone"])
            except ValidationError as exc:
                problems.append((exc.messages[0], "Số điện thoại"))
        members = 1
        if t["members"]:
            if t["members"].isdigit() and 1 <= int(t["members"]) <= 99:
                members = int(t["members"])
            else:
                problems.append((_("Write the number of members, from 1 to 99."), "Số nhân khẩu"))
        code = t["code"]
        if code:
            if code in codes_seen:
                problems.append(
                    (
                        _("Household code %(code)s appears twice (rows %(a)d and %(b)d).")
                        % {"code": code, "a": codes_seen[code], "b": index},
                        "Mã hộ",
                    )
                )
            codes_seen.setdefault(code, index)
        for message, column in problems:
            report.error(w, message, column)
        if problems:
            continue
        households.append(
            {
                "where": w,
                "area": area,
                "new_area": new_area,
                "code": code,
                "values": {
                    "address": t["address"],
                    "representative_name": t["representative_name"],
                    "representative_phone": phone,
                    "members": members,
                },
            }
        )
    if households:
        known = {
            h.code: h
            for h in Household.objects.filter(
                code__in=[h["code"] for h in households if h["code"]]
            ).select_related("area")
        }
        for h in households:
            found = known.get(h["code"]) if h["code"] else None
            if found is not None and found.area.parent_id != commune.pk:
                report.error(
                    h["where"],
                    _("Household code %(code)s belongs to another commune.") % {"code": h["code"]},
                    "Mã hộ",
                )
            h["existing"] = found
    for sheet, rows in skipped.items():
        if rows:
            shown = ", ".join(str(i) for i in rows[:10]) + ("…" if len(rows) > 10 else "")
            report.fix(
                sheet, _("%(n)d empty rows skipped: %(rows)s.") % {"n": len(rows), "rows": shown}
            )
    if not new_areas and not households and report.ok:
        if report.unchanged:
            return report
        report.error("—", _("The file holds no residential area and no household."))
    if not report.ok:
        return report

    try:
        with transaction.atomic():
            taken: set[str] = set()
            for a in new_areas:
                code = next_area_code(commune, taken=taken)
                taken.add(code)
                try:
                    a["unit"] = unit_create(
                        actor=actor,
                        kind="khu_dan_cu",
                        code=code,
                        name=a["name"],
                        short_name=a["name"],
                        parent=commune,
                        area_type=a["type"],
                        valid_from=today,
                    )
                    report.count("created", _("residential areas"))
                except ValidationError as exc:
                    report.error(a["where"], " ".join(exc.messages))
            next_number: dict[int, int] = {}
            for h in households:
                area = h["area"] or h["new_area"].get("unit")
                if area is None:
                    continue
                try:
                    if h["existing"] is not None:
                        household = h["existing"]
                        before = {k: getattr(household, k) for k in h["values"]}
                        if before == h["values"] and household.area_id == area.pk:
                            report.unchanged += 1
                            continue
                        if household.area_id != area.pk:
                            report.error(
                                h["where"],
                                _(
                                    "Household %(code)s is in %(area)s; moving households "
                                    "between areas is done on the household's page."
                                )
                                % {"code": household.code, "area": household.area.name},
                                "Khu",
                            )
                            continue
                        household_update(actor=actor, household=household, **h["values"])
                        report.count("changed", _("households updated"))
                        continue
                    code = h["code"]
                    if not code and _same_household_exists(area, h["values"]):
                        report.unchanged += 1  # already there (a file uploaded twice)
                        continue
                    if not code:
                        if area.pk not in next_number:
                            next_number[area.pk] = last_household_number(area) + 1
                        code = f"{area.code}-{next_number[area.pk]:03d}"
                        next_number[area.pk] += 1
                    household_create(actor=actor, area=area, code=code, **h["values"])
                    report.count("created", _("households"))
                except ValidationError as exc:
                    report.error(h["where"], " ".join(exc.messages))
            if not report.ok:
                raise ImportRefused(report)
    except ImportRefused:
        report.discard_counts()
    return report


def _same_household_exists(area: Unit, values: dict) -> bool:
    """An active household of the area with the same head and address (folded)."""
    name, address = fold(values["representative_name"]), fold(values["address"])
    return any(
        fold(n) == name and fold(a) == address
        for n, a in area.households.filter(is_active=True).values_list(
            "representative_name", "address"
        )
    )
