"""Spreadsheets officials can compute with: real numbers and dates, a frozen bold header, widths
that fit. Build a workbook with `table()` (once per sheet) and send it with
`caunoi.core.responses.xlsx_response`; tests read it back with openpyxl.

    wb = Workbook()
    table(wb.active, title=_("Heads"), header=[_("Area"), _("Born"), _("Share (%)")], rows=rows)
    return xlsx_response(wb, "truong-khu-dong-xuan.xlsx")
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

DATE = "dd/mm/yyyy"
DATETIME = "dd/mm/yyyy hh:mm"
INTEGER = "#,##0"
DECIMAL = "#,##0.0"
MAX_WIDTH = 60


def cell_value(value: Any) -> tuple[Any, str | None]:
    """A Python value as a cell value and its number format (local time, without a zone: Excel
    has none)."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value, DATETIME
    if isinstance(value, datetime.date):
        return value, DATE
    if isinstance(value, bool):
        return value, None
    if isinstance(value, int):
        return value, INTEGER
    if isinstance(value, float | Decimal):
        return value, DECIMAL
    if value is None:
        return None, None
    return str(value), None


def append(ws: Worksheet, values: Iterable[Any], *, bold: bool = False) -> None:
    """One row, typed; `bold` for a heading row."""
    values = list(values)
    ws.append([cell_value(v)[0] for v in values])
    row = ws.max_row
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row, col)
        fmt = cell_value(value)[1]
        if fmt:
            cell.number_format = fmt
        if bold:
            cell.font = Font(bold=True)


def table(
    ws: Worksheet,
    *,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    title: str | None = None,
    widths: Sequence[int] | None = None,
) -> Worksheet:
    """A header and its rows from the sheet's next row on, the header frozen and bold."""
    if title:
        ws.title = str(title)[:31]
    append(ws, [str(h) for h in header], bold=True)
    header_row = ws.max_row
    longest = [len(str(h)) for h in header]
    for values in rows:
        values = list(values)
        append(ws, values)
        for i, v in enumerate(values[: len(longest)]):
            shown = v.strftime("%d/%m/%Y %H:%M") if isinstance(v, datetime.datetime) else v
            longest[i] = max(longest[i], len(str(shown if shown is not None else "")))
    for i, width in enumerate(widths or [min(MAX_WIDTH, n + 2) for n in longest], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = f"A{header_row + 1}"
    return ws
