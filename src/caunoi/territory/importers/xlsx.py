"""Reading Excel files people upload: check it really is .xlsx, find the header row by its names
(case, diacritics and spacing ignored), and give rows as dicts with their Excel row numbers."""

import io
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

from caunoi.core.text import fold, normalize

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 .xls


class NotXlsx(ValueError):
    pass


def read_bytes(source) -> bytes:
    if isinstance(source, str | Path):
        return Path(source).read_bytes()
    if hasattr(source, "read"):
        return source.read()
    return bytes(source)


def open_workbook(source):
    """An openpyxl workbook (read-only, values), or `NotXlsx` with a message for a person."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    data = read_bytes(source)
    if data[:4] == OLE_MAGIC:
        raise NotXlsx(
            _(
                "This is an old Excel 97-2003 (.xls) file. Open it in Excel and save it as "
                '"Excel Workbook (.xlsx)", then upload that.'
            )
        )
    if data[:4] != XLSX_MAGIC:
        raise NotXlsx(
            _(
                "This file is not an Excel (.xlsx) file, whatever its name says. Upload the Excel "
                "file itself (.xlsx)."
            )
        )
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise NotXlsx(
            _("This file could not be read as an Excel (.xlsx) file; it may be damaged.")
        ) from exc


def cell_text(value) -> str:
    """A cell as text: numbers without ".0", text normalised (NFC, Đ)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize(str(value))


def header_key(value) -> str:
    return fold(cell_text(value))


def find_header(
    rows: list[tuple], wanted: dict[str, tuple[str, ...]], required: set[str], scan: int = 30
) -> tuple[int | None, dict[str, int]]:
    """(index of the header row, {field: column index}) or (None, {}).

    `wanted` maps a field to the folded header names accepted for it ("ma tp", "ma tinh")."""
    best: tuple[int | None, dict[str, int]] = (None, {})
    for i, row in enumerate(rows[:scan]):
        keys = [header_key(v) for v in row]
        found: dict[str, int] = {}
        for name, accepted in wanted.items():
            for col, key in enumerate(keys):
                if key in accepted and col not in found.values():
                    found[name] = col
                    break
        if required <= found.keys():
            return i, found
        if len(found) > len(best[1]):
            best = (i, found)
    return None, best[1]


def raw_text_of(value) -> str:
    """The cell's text before normalisation (to report NFD / Ð fixes)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# Rows read from one sheet at most: a ward's households or the national list of units (about
# 11,000 rows) fit many times over; a small file that unpacks to millions of rows stops here,
# before it is held in memory and checked row by row (issue 13).
MAX_ROWS = 200_000


def rows_of(ws) -> list[tuple]:
    """The sheet's rows as tuples, without the empty (or only formatted) rows at the end;
    `NotXlsx` past MAX_ROWS rows."""
    table: list[tuple] = []
    for row in ws.iter_rows(values_only=True):
        if len(table) >= MAX_ROWS:
            raise NotXlsx(
                _(
                    "This file has more than %(n)s rows, more than one import takes. Split it "
                    "into several files."
                )
                % {"n": f"{MAX_ROWS:,}".replace(",", ".")}
            )
        table.append(tuple(row))
    while table and all(cell_text(v) == "" for v in table[-1]):
        table.pop()
    return table
